// expect: ctorm: a populate path names a member of another entity
// Case populate_path_wrong_entity: in path<&Article::author, &Article::title> the second step must be a
// member of User (the target of Article::author), but it names a member of Article.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Article;

struct User {
  std::int64_t id{};
  std::string email;
  ctorm::Collection<Article> articles;
};

struct Article {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<User> author;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.find<Article>(ctorm::populate<ctorm::path<&Article::author, &Article::title>>);
}
