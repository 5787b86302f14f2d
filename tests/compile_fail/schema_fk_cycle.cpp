// expect: ctorm: the schema's many-to-one relations form a cycle
// Case schema_fk_cycle: Employee::desk is a required Ref<Desk> and Desk::owner a required
// Ref<Employee>; each table references the other, so neither can be created (or a row inserted) first.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Desk;

struct Employee {
  std::int64_t id{};
  std::string name;
  ctorm::Ref<Desk> desk;
};

struct Desk {
  std::int64_t id{};
  std::string room;
  ctorm::Ref<Employee> owner;
};

int main() {
  ctorm::Orm<ctorm::schema<Employee, Desk>> orm{":memory:"};
  auto em = orm.em();
}
