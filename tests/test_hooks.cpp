// Lifecycle hooks: member functions found at compile time, given the change set; a failed flush puts
// back what before-hooks changed.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

#include "support/query_log.hpp"

namespace hooks_test {

inline std::vector<std::string> events;

// A stand-in for a password hash: enough to see whether it ran, and how often.
inline std::string hash(const std::string& s) { return "h(" + s + ")"; }

struct Account {
  std::int64_t id{};
  std::string email;
  std::string password;
  std::string note;

  void before_create(ctorm::ChangeSet<Account>& cs) {
    events.push_back("before_create " + email);
    if (cs.changed<&Account::password>()) password = hash(password);
  }
  void before_update(ctorm::ChangeSet<Account>& cs) {
    events.push_back("before_update " + email);
    if (cs.changed<&Account::password>()) password = hash(password);
  }
  void after_create(ctorm::ChangeSet<Account>&) { events.push_back("after_create " + std::to_string(id)); }
  void after_update() { events.push_back("after_update " + email); }
  void before_delete() { events.push_back("before_delete " + email); }
  void after_delete(ctorm::ChangeSet<Account>& cs) {
    events.push_back(std::string("after_delete ") + (cs.kind() == ctorm::ChangeKind::remove ? "remove" : "?"));
  }
};

struct Plain {  // no hooks: nothing is called, nothing is copied
  std::int64_t id{};
  std::string name;
};

using Schema = ctorm::schema<Account, Plain>;

// A hooked owner of a collection: a failed flush puts the whole entity back from its copy.
struct Post;
struct Blog {
  std::int64_t id{};
  std::string name;
  ctorm::Collection<Post> posts;
  void before_update() { name += "!"; }
};
struct Post {
  std::int64_t id{};
  std::string title;
  std::optional<ctorm::Ref<Blog>> blog;
};

}  // namespace hooks_test

template <>
struct ctorm::entity_options<hooks_test::Account> : ctorm::options<ctorm::unique<&hooks_test::Account::email>> {};

using hooks_test::Account;
using hooks_test::events;

static_assert(ctorm::detail::has_before_create<Account> && ctorm::detail::has_after_update<Account>);
static_assert(!ctorm::detail::has_before_create<hooks_test::Plain>);

TEST_CASE("hooks run around inserts, updates and deletes, with the change set", "[hooks]") {
  events.clear();
  ctorm_test::Orm<hooks_test::Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  Account& a = em.persist(Account{.email = "a@x.com", .password = "secret"});
  em.flush();
  CHECK(a.password == "h(secret)");
  CHECK(events == std::vector<std::string>{"before_create a@x.com", "after_create 1"});
  CHECK(orm.em().find_one_or_fail<Account>(1).password == "h(secret)");

  // an update that does not touch the password leaves it alone
  events.clear();
  a.note = "hello";
  em.flush();
  CHECK(a.password == "h(secret)");
  CHECK(events == std::vector<std::string>{"before_update a@x.com", "after_update a@x.com"});

  // changing it hashes the new one, once
  events.clear();
  a.password = "better";
  em.flush();
  CHECK(a.password == "h(better)");
  CHECK(orm.em().find_one_or_fail<Account>(1).password == "h(better)");

  events.clear();
  em.remove(a);
  em.flush();
  CHECK(events == std::vector<std::string>{"before_delete a@x.com", "after_delete remove"});
}

TEST_CASE("a failed flush puts back what before-hooks changed, so a retry hashes once", "[hooks]") {
  events.clear();
  ctorm_test::Orm<hooks_test::Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  em.persist(Account{.email = "taken@x.com", .password = "one"});
  em.flush();
  Account& b = em.persist(Account{.email = "taken@x.com", .password = "two"});
  CHECK_THROWS_AS(em.flush(), ctorm::UniqueConstraintViolation);
  CHECK(b.password == "two");  // the hook's change was undone
  b.email = "b@x.com";
  em.flush();
  CHECK(b.password == "h(two)");
}

TEST_CASE("a failed flush that puts an entity back leaves its collections managed", "[hooks]") {
  using hooks_test::Blog;
  using hooks_test::Post;
  ctorm_test::Orm<ctorm::schema<Blog, Post>> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  // the database refuses a name starting with x: SQLite through a trigger (it cannot add a check to a
  // table), PostgreSQL through a check
  if constexpr (ctorm_test::is_sqlite)
    orm.execute("CREATE TRIGGER no_x BEFORE UPDATE ON blog WHEN NEW.name LIKE 'x%' BEGIN SELECT RAISE(ABORT, 'no x'); END");
  else
    orm.execute("alter table blog add constraint no_x check (name not like 'x%')");
  {
    auto em = orm.em();
    Blog& blog = em.persist(Blog{.name = "a"});
    blog.posts.add(Post{.title = "one"});
    em.flush();
  }
  auto em = orm.em();
  Blog& blog = em.find_one_or_fail<Blog>(1);
  blog.name = "x";
  CHECK_THROWS(em.flush());
  CHECK(blog.name == "x");  // the hook's change was undone, the user's kept

  // The put-back entity's collection still answers to the entity manager: it loads, and an added item
  // gets its Ref set to the owner.
  CHECK_FALSE(blog.posts.is_initialized());
  REQUIRE(blog.posts.load_items().size() == 1);
  Post& two = blog.posts.add(Post{.title = "two"});
  REQUIRE(two.blog);
  CHECK(two.blog->unchecked() == &blog);
  blog.name = "b";
  em.flush();
  CHECK(orm.em().count<Post>() == 2);
  CHECK(orm.em().find_one_or_fail<Blog>(1).name == "b!");
}
