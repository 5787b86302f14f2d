// expect: ctorm: an entity is listed twice in the schema
// Case duplicate_entity_in_schema: schema<User, User> names User twice, which would give two tables of
// the same name and make "the entity's position in the schema" ambiguous.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

int main() {
  ctorm::Orm<ctorm::schema<User, User>> orm{":memory:"};
  auto em = orm.em();
  em.persist(User{});
}
