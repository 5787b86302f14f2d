// expect: ctorm: the field named is not a column
// Case query_field_not_column: a condition on a field whose type has no column mapping.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>
#include <vector>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Settings {  // not an entity: its vector is no column
  std::vector<int> flags;
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::is_not_null(ctorm::col<&Settings::flags>));
}
