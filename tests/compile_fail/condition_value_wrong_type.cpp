// expect: ctorm: a column is compared with a value of another type
// Case condition_value_wrong_type: User::email is a std::string column; comparing it with the integer 42
// must not compile (no implicit conversion between a column's type and an unrelated value's type).
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
  em.find<User>(ctorm::col<&User::email> == 42);
}
