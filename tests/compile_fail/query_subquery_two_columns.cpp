// expect: ctorm: a sub-query used in in\(\) selects exactly one column
// Case query_subquery_two_columns: in() against a sub-query that selects two columns.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Article {
  std::int64_t id{};
  std::int64_t author_id{};
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::in(ctorm::col<&User::id>,
                          ctorm::query<Article>().select(ctorm::col<&Article::author_id>, ctorm::col<&Article::id>)));
}
