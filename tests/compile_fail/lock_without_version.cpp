// expect: ctorm: em.lock\(\) needs a version field
// Case lock_without_version: em.lock() checks an entity's version, and Doc has no ctorm::version<...>.
#include <ctorm/ctorm.hpp>

#include <cstdint>

struct Doc {
  std::int64_t id{};
  std::int64_t version = 0;
};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  Doc& d = em.persist(Doc{});
  em.lock(d, 1);
}
