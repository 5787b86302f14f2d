// expect: ctorm: the version field cannot have an on_update option
// Case version_on_update: Doc's version is also set by an on_update option; the flush would then expect
// the option's value as the row's version, and every update would fail.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

namespace {
std::int64_t one() { return 1; }
}  // namespace

struct Doc {
  std::int64_t id{};
  std::string text;
  std::int64_t revision = 0;
};

template <>
struct ctorm::entity_options<Doc>
    : ctorm::options<ctorm::version<&Doc::revision>, ctorm::on_update<&Doc::revision, &one>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
