// expect: FieldTypeHasNoColumnMapping<Account, .*, Money>
// Case unmapped_field_type (the message names the culprits): as unmapped_field_type.cpp, Account::balance
// is a Money with no ctorm::type_mapping. The compiler's output must name the entity (Account) and the
// field's type (Money) in the instantiation of ctorm's diagnostic helper, so the user can tell which field
// to map. (GCC also prints the field name, `{"balance"}`; Clang 14 prints it only as character codes.)
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Money {
  std::int64_t cents;
};

struct Account {
  std::int64_t id{};
  std::string owner;
  Money balance{};
};

int main() {
  ctorm::Orm<ctorm::schema<Account>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Account{});
}
