// expect: ctorm: on_conflict<\.\.\.> must name the primary key or exactly the members of one of the entity's ctorm::unique<\.\.\.> options
// Case upsert_target_not_unique: an upsert's conflict target is a member with no unique option (SQLite
// would refuse the statement at run time), so it must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
  std::string name;
};

template <>
struct ctorm::entity_options<User> : ctorm::options<ctorm::unique<&User::email>> {};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.upsert(User{.email = "a@x", .name = "A"}, ctorm::on_conflict<&User::name>);
}
