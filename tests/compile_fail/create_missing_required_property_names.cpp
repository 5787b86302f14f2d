// expect: MissingRequiredProperties<Article, .*(::|\.)text[^A-Za-z0-9_].*(::|\.)author[^A-Za-z0-9_]
// Case create_missing_required_property (the names): the diagnostic must name the missing fields, text
// and author, in field order, among MissingRequiredProperties' template arguments (GCC prints
// `...Article::text`, Clang `...value.text`), so the user sees what to add.
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
