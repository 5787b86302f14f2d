// expect: ctorm: a field of the result type matches no selected column or alias by name
// Case query_result_field_unmatched: the result struct names "author_name", the query aliases its
// column "authr_name" (a typo): matching by name fails on that field instead of silently by position.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string full_name;
};

struct Row {
  std::int64_t id{};
  std::string author_name;
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  auto rows = em.query<User>().select(ctorm::col<&User::id>, ctorm::as<"authr_name">(ctorm::col<&User::full_name>)).all<Row>();
  (void)rows;
}
