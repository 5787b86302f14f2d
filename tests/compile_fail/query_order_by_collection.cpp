// expect: ctorm: a collection is not a column
// Case query_order_by_collection: ordering users by their articles collection, which has no column
// (order by a column of the articles through a path instead, or by a count sub-query).
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
  em.find<User>(ctorm::order_by(ctorm::desc<&User::articles>));
}
