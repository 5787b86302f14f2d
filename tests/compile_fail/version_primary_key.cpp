// expect: ctorm: the primary key cannot be the version field
// Case version_primary_key: Doc names its key as its version; a flush finds a row by its key and
// increments its version, so they must be two fields.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Doc {
  std::int64_t id{};
  std::int64_t revision = 0;
};

template <>
struct ctorm::entity_options<Doc> : ctorm::options<ctorm::version<&Doc::id>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
