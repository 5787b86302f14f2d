// expect: ctorm: a version field must be a non-optional integer
// Case version_optional: the version of optimistic locking names a std::optional<std::int64_t> field; a
// row always has a version, so the field cannot be NULL.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <optional>

struct Doc {
  std::int64_t id{};
  std::optional<std::int64_t> version;
};

template <>
struct ctorm::entity_options<Doc> : ctorm::options<ctorm::version<&Doc::version>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
