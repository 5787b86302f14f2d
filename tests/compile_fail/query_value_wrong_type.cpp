// expect: ctorm: a column is compared with a value of another type
// Case query_value_wrong_type: User::age is an int column; an in() list of strings must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>
#include <vector>

struct User {
  std::int64_t id{};
  std::string email;
  int age{};
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::in(ctorm::col<&User::age>, std::vector<std::string>{"18", "21"}));
}
