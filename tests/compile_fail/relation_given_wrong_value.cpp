// expect: ctorm: a relation is given a value that is neither the target's key, the target nor a Ref
// Case relation_given_wrong_value: Article::author is a Ref<User>, and create() accepts for it a User's
// key (std::int64_t), a managed User or a Ref<User>; the string "3" is none of those (no conversion
// from a string to an integer key), so it must not compile.
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
  em.create<Article>(ctorm::prop<&Article::title> = "t", ctorm::prop<&Article::author> = "3");
}
