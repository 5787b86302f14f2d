// expect: ctorm: populate names a field that is neither a relation
// Case populate_not_a_relation: Article::title is a plain, eagerly loaded column, neither a relation
// (Ref, Collection) nor a lazy field, so there is nothing to populate and naming it is a mistake.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Article {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<User> author;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.find<Article>(ctorm::populate<&Article::title>);
}
