// expect: ctorm: unique<...> takes 1 to 8 members
// Case unique_without_members: ctorm::unique<> names no column, so there is no index to create.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

template <>
struct ctorm::entity_options<User> : ctorm::options<ctorm::unique<>> {};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.persist(User{});
}
