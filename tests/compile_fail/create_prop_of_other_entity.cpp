// expect: ctorm: create<T>\(\) and assign\(\) take properties of T
// Case create_prop_of_other_entity: create<Article> is given User::email, a property of another entity
// (both are in the schema, and Article's required properties are all given), so it must not compile.
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
  em.create<Article>(ctorm::prop<&User::email> = "x", ctorm::prop<&Article::title> = "t",
                     ctorm::prop<&Article::author> = 1);
}
