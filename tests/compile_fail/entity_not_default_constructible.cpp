// expect: ctorm: an entity must be default-constructible
// Case entity_not_default_constructible: Event is an aggregate, but its field `when` is a Stamp (mapped
// with ctorm::type_mapping) that has no default constructor, so Event has none either; ctorm must
// default-construct an entity before it reads a row into it.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Stamp {
  explicit Stamp(std::int64_t v) : value(v) {}
  std::int64_t value;
};

template <>
struct ctorm::type_mapping<Stamp> {
  using db_type = std::int64_t;
  static std::int64_t to_db(const Stamp& s) { return s.value; }
  static Stamp from_db(std::int64_t v) { return Stamp{v}; }
};

struct Event {
  std::int64_t id;
  Stamp when;
};

int main() {
  ctorm::Orm<ctorm::schema<Event>> orm{":memory:"};
  auto em = orm.em();
}
