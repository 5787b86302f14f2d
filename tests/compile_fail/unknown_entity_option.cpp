// expect: ctorm: unknown entity option
// Case unknown_entity_option: entity_options<User> lists Cached, a type that is not one of ctorm's option
// templates (table_name, column_name, primary_key, unique, index, length, column_type, default_value).
// A misspelt or foreign option must not be silently ignored.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Cached {};

template <>
struct ctorm::entity_options<User> : ctorm::options<Cached> {};

int main() {
  ctorm::Orm<ctorm::schema<User>> orm{":memory:"};
  auto em = orm.em();
  em.persist(User{});
}
