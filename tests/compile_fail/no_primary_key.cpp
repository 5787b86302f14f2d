// expect: ctorm: the entity has no primary key
// Case no_primary_key: Tag has no field named `id` and no ctorm::primary_key<...> option, so ctorm cannot
// tell which column identifies a row. Listing it in a schema must fail with ctorm's message.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Tag {
  std::int64_t tag_id{};
  std::string label;
};

int main() {
  ctorm::Orm<ctorm::schema<Tag>> orm{":memory:"};
  auto em = orm.em();
  em.persist(Tag{});
}
