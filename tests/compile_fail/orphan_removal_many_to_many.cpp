// expect: ctorm: orphan_removal is for a one-to-many Collection
// Case orphan_removal_many_to_many: orphan_removal on a many-to-many Collection; a tag taken off one
// article may be on others, so it is not an orphan.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Tag {
  std::int64_t id{};
  std::string name;
};

struct Article {
  std::int64_t id{};
  ctorm::Collection<Tag> tags;
};

template <>
struct ctorm::entity_options<Article> : ctorm::options<ctorm::orphan_removal<&Article::tags>> {};

int main() {
  ctorm::Orm<ctorm::schema<Tag, Article>> orm{":memory:"};
  auto em = orm.em();
  em.flush();
}
