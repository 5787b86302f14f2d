// expect: ctorm: an entity must not have virtual functions
// Case polymorphic_entity: Shape has a virtual destructor; a polymorphic class is not an aggregate and
// its vtable pointer cannot be a column. Listing it in a schema must fail with ctorm's message.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Shape {
  std::int64_t id{};
  double area{};
  virtual ~Shape() = default;
};

int main() {
  ctorm::Orm<ctorm::schema<Shape>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Shape{});
}
