// expect: ctorm: the version field cannot be lazy
// Case version_lazy: Doc's version is also lazy; a version that is not loaded would be expected as 0 by
// every update and delete of a flush, which would then all fail.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Doc {
  std::int64_t id{};
  std::string text;
  std::int64_t revision = 0;
};

template <>
struct ctorm::entity_options<Doc> : ctorm::options<ctorm::version<&Doc::revision>, ctorm::lazy<&Doc::revision>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
