// expect: ctorm: ChangeSet<T>::changed takes a field that is a column
// Case change_set_not_a_column: User::articles is a Collection, which has no column in User's table; a
// change set tells which columns a flush writes, so asking it about the collection must not compile.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct Article;

struct User {
  std::int64_t id{};
  std::string email;
  ctorm::Collection<Article> articles;

  void before_update(ctorm::ChangeSet<User>& cs) {
    if (cs.changed<&User::articles>()) email += "!";
  }
};

struct Article {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<User> author;
};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.flush();
}
