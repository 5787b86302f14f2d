// expect: ctorm: orphan_removal is for a one-to-many Collection
// Case orphan_removal_many_to_one: orphan_removal on a many-to-one Ref; many entities share its target,
// so replacing it orphans nothing.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Author {
  std::int64_t id{};
  std::string name;
};

struct Book {
  std::int64_t id{};
  ctorm::Ref<Author> author;
};

template <>
struct ctorm::entity_options<Book> : ctorm::options<ctorm::orphan_removal<&Book::author>> {};

int main() {
  ctorm::Orm<ctorm::schema<Author, Book>> orm{":memory:"};
  auto em = orm.em();
  em.flush();
}
