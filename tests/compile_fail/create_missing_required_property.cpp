// expect: ctorm: create\(\) is missing required properties
// Case create_missing_required_property: Article::author and Article::text are required (neither
// optional, nor a generated key, nor listed in ctorm::optional_props<Article>), so a create<Article>
// that gives only the title must not compile.
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
  std::string text;
  ctorm::Ref<User> author;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.create<Article>(ctorm::prop<&Article::title> = "t");
}
