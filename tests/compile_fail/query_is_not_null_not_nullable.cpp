// expect: ctorm: is_not_null on a column that cannot be null
// Case query_is_not_null_not_nullable: the message names the function used. User::email is a
// std::string of the queried entity itself, never NULL.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
  std::optional<std::string> bio;
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::is_not_null(ctorm::col<&User::bio>));  // fine
  em.find<User>(ctorm::is_not_null(ctorm::col<&User::email>));
}
