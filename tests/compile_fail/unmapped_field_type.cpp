// expect: ctorm: a field's type has no column mapping
// Case unmapped_field_type: Account::balance is a Money, a user type with no ctorm::type_mapping
// specialisation, so ctorm cannot say how to store it in a column. Listing Account in a schema must
// fail with ctorm's message. (unmapped_field_type_names_type.cpp checks that the message names Money.)
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
