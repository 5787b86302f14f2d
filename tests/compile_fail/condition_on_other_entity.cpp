// expect: ctorm: the condition names a column of an entity that is not part of the query
// Case condition_on_other_entity: a query for User filtered on Article::slug; the condition's column
// belongs to another entity (both are in the schema), so there is no such column in the query.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Article {
  std::int64_t id{};
  std::string slug;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::col<&Article::slug> == "x");
}
