// expect: ctorm: an entity option names a member of another type
// Case version_other_entity: Doc's options name Other::version as its version; Doc has no such field (an
// option of entity T must name members of T).
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Doc {
  std::int64_t id{};
  std::int64_t revision = 0;
};

struct Other {
  std::int64_t id{};
  std::int64_t version = 0;
};

template <>
struct ctorm::entity_options<Doc> : ctorm::options<ctorm::version<&Other::version>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc, Other>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
