// expect: ctorm: reading a relation that this find did not populate
// Case loaded_not_populated: the find populates Article::author only, so its Loaded<Article, Plan>
// knows Article::tags was not loaded; reading it through get<&Article::tags>() (which does no check at
// run time) must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Article;

struct User {
  std::int64_t id{};
  std::string email;
};

struct Tag {
  std::int64_t id{};
  std::string name;
};

struct Article {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<User> author;
  ctorm::Collection<Tag> tags;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Tag, Article>> orm{":memory:"};
  auto em = orm.em();
  auto articles = em.find<Article>(ctorm::populate<&Article::author>);
  articles[0].get<&Article::tags>();
}
