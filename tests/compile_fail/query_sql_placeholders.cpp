// expect: ctorm: the SQL fragment's placeholders \(\?\) and its arguments differ in number
// Case query_sql_placeholders: a raw fragment with two placeholders given one argument.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::sql<"instr(?, ?) > 0">(ctorm::col<&User::email>));
}
