// expect: ctorm: a version field must be a non-optional integer
// Case version_not_integer: the version of optimistic locking names a std::string field; a flush
// increments the version, so it must be an integer.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Doc {
  std::int64_t id{};
  std::string version;
};

template <>
struct ctorm::entity_options<Doc> : ctorm::options<ctorm::version<&Doc::version>> {};

int main() {
  ctorm::Orm<ctorm::schema<Doc>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Doc{});
}
