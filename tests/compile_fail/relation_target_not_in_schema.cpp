// expect: ctorm: a relation of Owner points at Target, an entity that is not part of the schema
// Case relation_target_not_in_schema: Article::author is a Ref<User>, but the schema lists only
// Article, so the foreign key would reference a table ctorm never creates or loads.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Article {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<User> author;
};

int main() {
  ctorm::Orm<ctorm::schema<Article>> orm{":memory:"};
  auto em = orm.em();
}
