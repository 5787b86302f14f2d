// expect: ctorm: a primary key must be an integer or a std::string
// Case primary_key_wrong_type: Reading::id is a double; the identity map keys entities by an integer or a
// string, so a floating-point primary key must not compile.
#include <ctorm/ctorm.hpp>

#include <string>

struct Reading {
  double id{};
  std::string sensor;
};

int main() {
  ctorm::Orm<ctorm::schema<Reading>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Reading{});
}
