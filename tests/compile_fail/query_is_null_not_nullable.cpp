// expect: ctorm: is_null on a column that cannot be null
// Case query_is_null_not_nullable: User::email is a std::string of the queried entity, never NULL; only
// std::optional fields and columns reached through a left join can be tested with is_null.
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
  em.find<User>(ctorm::is_null(ctorm::col<&User::bio>));  // fine
  em.find<User>(ctorm::is_null(ctorm::col<&User::email>));
}
