// expect: ctorm: a selected expression is read into a field of another type
// Case query_aggregate_wrong_field: count() is an integer; reading it into a std::string field of the
// result struct must not compile (the field is matched by the alias "total").
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Article {
  std::int64_t id{};
  std::int64_t author_id{};
};

struct PerAuthor {
  std::int64_t author_id{};
  std::string total;
};

int main() {
  ctorm::Orm<ctorm::schema<Article>> orm{":memory:"};
  auto em = orm.em();
  auto rows = em.query<Article>()
                  .select(ctorm::col<&Article::author_id>, ctorm::as<"total">(ctorm::count()))
                  .group_by(ctorm::col<&Article::author_id>)
                  .all<PerAuthor>();
  (void)rows;
}
