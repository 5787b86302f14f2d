// expect: ctorm: a path through relations names a field that is not a relation
// Case query_path_not_relation: a column path through Article::title, which is a plain column.
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
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.find<Article>(ctorm::col<&Article::title, &User::email> == "x");
}
