// expect: ctorm: the member named is not a column
// Case query_order_by_non_column: ordering by a member function of the entity, which is no column.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
  std::string display() const { return email; }
};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.find<User>(ctorm::order_by(ctorm::desc<&User::display>));
}
