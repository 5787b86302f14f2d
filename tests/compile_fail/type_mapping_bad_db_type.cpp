// expect: ctorm: the type has no column mapping
// Case type_mapping_bad_db_type: ctorm::type_mapping<Money> declares db_type = Cents, which is not one of
// the storable types (std::int64_t, double, std::string, ctorm::Blob) and is not mapped itself, so a Money
// value cannot be bound or read. Writing and reading an entity with a Money field must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Cents {
  std::int64_t value;
};
struct Money {
  std::int64_t cents;
};

template <>
struct ctorm::type_mapping<Money> {
  using db_type = Cents;
  static Cents to_db(const Money& m) { return Cents{m.cents}; }
  static Money from_db(Cents c) { return Money{c.value}; }
};

struct Account {
  std::int64_t id{};
  Money balance{};
};

int main() {
  ctorm::Orm<ctorm::schema<Account>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Account{});
  em.flush();
  em.find<Account>();
}
