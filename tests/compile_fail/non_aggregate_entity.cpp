// expect: ctorm: an entity must be a plain aggregate
// Case non_aggregate_entity: User declares a constructor, so it is not an aggregate and Boost.PFR cannot
// reflect its fields. Listing it in a schema must fail with ctorm's message.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  User() = default;
  std::int64_t id{};
  std::string email;
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.persist(User{});
}
