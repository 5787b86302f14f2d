// expect: ctorm: an entity can have only one ctorm::version<...> field
// Case version_twice: two fields of Doc are named as its version.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Doc {
  std::int64_t id{};
  std::int64_t version = 0;
  std::int64_t revision = 0;
};

template <>
struct ctorm::entity_options<Doc>
    : ctorm::options<ctorm::version<&Doc::version>, ctorm::version<&Doc::revision>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
