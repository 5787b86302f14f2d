// expect: ctorm: is_null on a column that cannot be null
// Case query_is_null_inner_join: a column reached through a left join may be tested with is_null (the
// join may match nothing), one reached through an inner join may not, unless its field is optional.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Article;
struct User {
  std::int64_t id{};
  std::string email;
  ctorm::Collection<Article> articles;
};
struct Article {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<User> author;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.query<User>().left_join<&User::articles>().where(ctorm::is_null(ctorm::col<&Article::title>)).all();  // fine
  em.query<User>().join<&User::articles>().where(ctorm::is_null(ctorm::col<&Article::title>)).all();
}
