// expect: ctorm: an entity option names a member of another type
// Case option_names_other_entity: User's options declare ctorm::unique<&Article::slug>, a member of
// Article, not of User; an option of entity T must name members of T. Listing User in a schema must fail.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string email;
};

struct Article {
  std::int64_t id{};
  std::string slug;
};

template <>
struct ctorm::entity_options<User> : ctorm::options<ctorm::unique<&Article::slug>> {};

int main() {
  ctorm::Orm<ctorm::schema<User, Article>> orm{":memory:"};
  auto em = orm.em();
  em.persist(User{});
}
