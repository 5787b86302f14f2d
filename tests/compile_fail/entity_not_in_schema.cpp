// expect: ctorm: the entity type is not part of the schema
// Case entity_not_in_schema: Other is a valid entity, but the Orm's schema lists only User, so its
// entity manager has no table for Other. Persisting an Other must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Other {
  std::int64_t id{};
  std::string name;
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Other{});
}
