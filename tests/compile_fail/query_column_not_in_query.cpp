// expect: ctorm: the condition names a column of an entity that is not part of the query
// Case query_column_not_in_query: a query builder on User selects Article::slug; Article is in the
// schema but not in the query (no join, no enclosing query), so there is no such column to select.
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
  auto rows = em.query<User>().select(ctorm::col<&User::email>, ctorm::col<&Article::slug>).all();
  (void)rows;
}
