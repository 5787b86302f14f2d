// A user's program: builds against an installed ctorm (tests/consumer) or against ctorm pulled in with
// add_subdirectory (tests/consumer_subdir). Exits 0 when the round trip works.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Note {
  std::int64_t id{};
  std::string text;
};

int main() {
  ctorm::Orm<ctorm::schema<Note>> orm{":memory:"};
  orm.schema().create();
  auto em = orm.em();
  auto& n = em.persist(Note{.id = 0, .text = "hi"});
  em.flush();
  return em.find_one<Note>(n.id) == &n ? 0 : 1;
}
