// expect: ctorm: a column is compared with a value of another type
// Case condition_value_wrong_type (the other direction): User::age is an int column; comparing it with
// the string "18" must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
  int age{};
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::col<&User::age> >= "18");
}
