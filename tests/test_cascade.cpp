// Cascade remove through the unit of work (MikroORM's Cascade.REMOVE): removing an entity removes the
// entities the manager holds whose cascade_remove Ref points at it, with their hooks, in foreign-key order.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

#include "support/query_log.hpp"

namespace cascade_test {

inline std::vector<std::string> events;

struct Note;
struct Reply;

struct Post {
  std::int64_t id{};
  std::string title;
  ctorm::Collection<Note> notes;

  void before_delete() { events.push_back("before_delete post " + title); }
  void after_delete() { events.push_back("after_delete post " + title); }
};

struct Note {
  std::int64_t id{};
  std::string text;
  ctorm::Ref<Post> post;  // cascade_remove
  ctorm::Collection<Reply> replies;

  void before_delete() { events.push_back("before_delete note " + text); }
  void after_delete() { events.push_back("after_delete note " + text); }
};

struct Reply {
  std::int64_t id{};
  std::string text;
  ctorm::Ref<Note> note;               // cascade_remove: a chain post -> note -> reply
  std::optional<ctorm::Ref<Post>> on;  // no cascade: left alone

  void after_delete() { events.push_back("after_delete reply " + text); }
};

// A tree of one type, versioned: a delete that changes no row fails, so children must go first.
struct Folder {
  std::int64_t id{};
  std::string name;
  std::optional<ctorm::Ref<Folder>> parent;  // cascade_remove
  std::int64_t version = 1;
};

// Orphan removal: an item taken out of its basket is deleted.
struct Item;
struct Basket {
  std::int64_t id{};
  std::string name;
  ctorm::Collection<Item> items;  // orphan_removal
};
struct Item {
  std::int64_t id{};
  std::string name;
  ctorm::Ref<Basket> basket;

  void before_delete() { events.push_back("before_delete item " + name); }
  void after_delete() { events.push_back("after_delete item " + name); }
};

using Schema = ctorm::schema<Post, Note, Reply, Folder, Basket, Item>;

}  // namespace cascade_test

template <>
struct ctorm::entity_options<cascade_test::Note> : ctorm::options<ctorm::cascade_remove<&cascade_test::Note::post>> {};
template <>
struct ctorm::entity_options<cascade_test::Reply>
    : ctorm::options<ctorm::cascade_remove<&cascade_test::Reply::note>,
                     ctorm::set_null_on_remove<&cascade_test::Reply::on>> {};

template <>
struct ctorm::entity_options<cascade_test::Folder>
    : ctorm::options<ctorm::cascade_remove<&cascade_test::Folder::parent>, ctorm::version<&cascade_test::Folder::version>> {};

template <>
struct ctorm::entity_options<cascade_test::Basket> : ctorm::options<ctorm::orphan_removal<&cascade_test::Basket::items>> {};

using cascade_test::Basket;
using cascade_test::events;
using cascade_test::Item;
using cascade_test::Folder;
using cascade_test::Note;
using cascade_test::Post;
using cascade_test::Reply;
using ctorm::col;
using ctorm::EntityState;

namespace {

struct Fixture {
  // a fresh database for each case (SQLite: a file; the cases of this executable share a working directory)
  std::string where = ctorm_test::fresh_database("cascade.db");
  ctorm_test::Orm<cascade_test::Schema> orm{where};
  ctorm_test::QueryLog log;
  Fixture() {
    orm.schema().create();
    // post 1 (a): notes 1 (a1), 2 (a2); note 1 has replies 1 (r1), 2 (r2). post 2 (b): note 3 (b1).
    auto em = orm.em();
    Post& a = em.persist(Post{.title = "a"});
    Post& b = em.persist(Post{.title = "b"});
    Note& a1 = em.persist(Note{.text = "a1", .post = a});
    em.persist(Note{.text = "a2", .post = a});
    em.persist(Note{.text = "b1", .post = b});
    em.persist(Reply{.text = "r1", .note = a1, .on = b});
    em.persist(Reply{.text = "r2", .note = a1});
    em.flush();
    events.clear();
    log.attach(orm);
  }
  std::int64_t rows(const char* table) { return ctorm_test::raw_int(orm, std::string("select count(*) from ") + table); }
};

std::size_t line_of(const ctorm_test::QueryLog& log, std::string_view text) {
  for (std::size_t i = 0; i < log.lines.size(); ++i)
    if (log.lines[i].find(text) != std::string::npos) return i;
  return log.lines.size();
}

}  // namespace

TEST_CASE_METHOD(Fixture, "cascade remove: the entities that point at a removed one are removed with it", "[cascade]") {
  auto em = orm.em();
  Post& a = em.find_one_or_fail<Post>(col<&Post::title> == "a");
  a.notes.load_items();
  Note& a1 = a.notes[0];
  Note& a2 = a.notes[1];
  Note& b1 = em.find_one_or_fail<Note>(col<&Note::text> == "b1");
  em.remove(a);
  CHECK(em.state(a) == EntityState::removed);
  CHECK(em.state(a1) == EntityState::removed);
  CHECK(em.state(a2) == EntityState::removed);
  CHECK(em.state(b1) == EntityState::managed);

  log.clear();
  em.flush();
  // Children first, each by its own statement, then the post.
  const std::size_t notes = line_of(log, R"(delete from "note")");
  const std::size_t post = line_of(log, R"(delete from "post")");
  CHECK(log.count(R"(delete from "note")") == 2);
  CHECK(notes < post);
  CHECK(post < log.size());
  CHECK_FALSE(em.is_managed(a));
  CHECK_FALSE(em.is_managed(a1));
  CHECK_FALSE(em.is_managed(a2));
  CHECK(em.is_managed(b1));
  // Hooks run type by type in foreign-key order, as for any flush.
  CHECK(events == std::vector<std::string>{"before_delete post a", "before_delete note a1", "before_delete note a2",
                                           "after_delete post a", "after_delete note a1", "after_delete note a2"});
  CHECK(rows("post") == 1);
  CHECK(rows("note") == 1);
  CHECK(rows("reply") == 0);  // never loaded: the foreign key's on delete cascade took them
}

TEST_CASE_METHOD(Fixture, "cascade remove follows the identity map, loaded collection or not, and chains", "[cascade]") {
  auto em = orm.em();
  // The replies and one note are in the identity map; the post's notes collection is not loaded.
  std::vector<Reply*> replies = em.find<Reply>(ctorm::order_by(ctorm::asc<&Reply::id>));
  REQUIRE(replies.size() == 2);
  Note& a1 = replies[0]->note.load();
  Post& a = a1.post.load();
  Post& b = em.find_one_or_fail<Post>(col<&Post::title> == "b");
  CHECK_FALSE(a.notes.is_initialized());
  em.remove(a);
  CHECK(em.state(a1) == EntityState::removed);
  CHECK(em.state(*replies[0]) == EntityState::removed);
  CHECK(em.state(*replies[1]) == EntityState::removed);
  CHECK(em.state(b) == EntityState::managed);  // reply r1's `on` has no cascade

  log.clear();
  em.flush();
  CHECK(line_of(log, R"(delete from "reply")") < line_of(log, R"(delete from "note")"));
  CHECK(line_of(log, R"(delete from "note")") < line_of(log, R"(delete from "post")"));
  CHECK(log.count(R"(delete from "reply")") == 2);
  CHECK(log.count(R"(delete from "note")") == 1);  // note a2 was never loaded: the database's cascade deletes it
  CHECK(events == std::vector<std::string>{"before_delete post a", "before_delete note a1", "after_delete post a",
                                           "after_delete note a1", "after_delete reply r1", "after_delete reply r2"});
  CHECK_FALSE(em.is_managed(*replies[0]));
  CHECK(rows("note") == 1);
  CHECK(rows("reply") == 0);
  CHECK(em.count<Post>() == 1);
}

TEST_CASE_METHOD(Fixture, "cascade remove of a new entity forgets the new entities that point at it", "[cascade]") {
  auto em = orm.em();
  Post& c = em.persist(Post{.title = "c"});
  Note& c1 = em.persist(Note{.text = "c1", .post = c});
  Reply& r = em.persist(Reply{.text = "r", .note = c1});
  em.remove(c);
  CHECK(em.state(c) == EntityState::detached);
  CHECK(em.state(c1) == EntityState::detached);
  CHECK(em.state(r) == EntityState::detached);
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
  CHECK(rows("post") == 2);
}

TEST_CASE_METHOD(Fixture, "a removed entity removed again does not cascade twice", "[cascade]") {
  auto em = orm.em();
  Post& a = em.find_one_or_fail<Post>(col<&Post::title> == "a");
  a.notes.load_items();
  em.remove(a);
  em.persist(a.notes[0]);  // keep note a1 in the unit of work, as the user asked
  em.remove(a);            // already removed: nothing cascades again
  CHECK(em.state(a.notes[0]) == EntityState::managed);
  CHECK(em.state(a.notes[1]) == EntityState::removed);
}

TEST_CASE_METHOD(Fixture, "a failed cascaded flush leaves every removal pending and the rows in place", "[cascade]") {
  auto em = orm.em();
  Post& a = em.find_one_or_fail<Post>(col<&Post::title> == "a");
  a.notes.load_items();
  Note& a1 = a.notes[0];
  Note& a2 = a.notes[1];
  orm.execute("create table guard (note_id integer not null references note(id))");
  orm.execute("insert into guard values (2)");  // note a2 cannot go
  em.remove(a);
  CHECK_THROWS_AS(em.flush(), ctorm::ForeignKeyConstraintViolation);
  CHECK(em.state(a) == EntityState::removed);
  CHECK(em.state(a1) == EntityState::removed);
  CHECK(em.state(a2) == EntityState::removed);
  CHECK(rows("post") == 2);
  CHECK(rows("note") == 3);
  CHECK(rows("reply") == 2);
  CHECK(events == std::vector<std::string>{"before_delete post a", "before_delete note a1", "before_delete note a2"});

  events.clear();
  orm.execute("delete from guard");
  em.flush();  // the same unit of work, retried
  CHECK_FALSE(em.is_managed(a2));
  CHECK(rows("post") == 1);
  CHECK(rows("note") == 1);
  CHECK(events.size() == 6);
}

TEST_CASE_METHOD(Fixture, "cascade remove within one type deletes the children before their parent", "[cascade]") {
  auto em = orm.em();
  Folder& root = em.persist(Folder{.name = "root"});
  Folder& sub = em.persist(Folder{.name = "sub", .parent = root});
  Folder& leaf = em.persist(Folder{.name = "leaf", .parent = sub});
  Folder& other = em.persist(Folder{.name = "other"});
  em.flush();
  em.remove(root);
  CHECK(em.state(leaf) == EntityState::removed);
  CHECK(em.state(other) == EntityState::managed);
  log.clear();
  em.flush();  // leaf, sub, root: each delete names its version and finds its row
  REQUIRE(log.count(R"(delete from "folder")") == 3);
  CHECK(log.lines[1].find("[values: 3, 1]") != std::string::npos);
  CHECK(log.lines[2].find("[values: 2, 1]") != std::string::npos);
  CHECK(log.lines[3].find("[values: 1, 1]") != std::string::npos);
  CHECK_FALSE(em.is_managed(sub));
  CHECK(rows("folder") == 1);
}

namespace {
struct Baskets : Fixture {
  Baskets() {
    auto em = orm.em();
    Basket& b1 = em.persist(Basket{.name = "b1"});
    em.persist(Basket{.name = "b2"});
    em.persist(Item{.name = "x", .basket = b1});
    em.persist(Item{.name = "y", .basket = b1});
    em.flush();
    events.clear();
    log.clear();
  }
};
}  // namespace

TEST_CASE_METHOD(Baskets, "orphan removal: an item taken out of its collection is deleted at flush", "[cascade]") {
  auto em = orm.em();
  Basket& b1 = em.find_one_or_fail<Basket>(1, ctorm::populate<&Basket::items>);
  Item& x = b1.items[0];
  Item& y = b1.items[1];
  CHECK(b1.items.remove(x));
  CHECK(em.state(x) == EntityState::removed);
  CHECK(em.state(y) == EntityState::managed);
  log.clear();
  em.flush();
  CHECK(log.count(R"(delete from "item")") == 1);
  CHECK_FALSE(log.contains(R"(update "item")"));
  CHECK_FALSE(em.is_managed(x));
  CHECK(events == std::vector<std::string>{"before_delete item x", "after_delete item x"});
  CHECK(rows("item") == 1);
  CHECK(b1.items.size() == 1);

  // a new item taken out again is simply forgotten
  Item& z = b1.items.add(Item{.name = "z"});
  b1.items.remove(z);
  CHECK(em.state(z) == EntityState::detached);
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
}

TEST_CASE_METHOD(Baskets, "orphan removal: an item put back or moved to another owner is kept", "[cascade]") {
  auto em = orm.em();
  Basket& b1 = em.find_one_or_fail<Basket>(1, ctorm::populate<&Basket::items>);
  Basket& b2 = em.find_one_or_fail<Basket>(2);
  Item& x = b1.items[0];
  Item& y = b1.items[1];
  b1.items.set({x});  // takes both out, puts x back
  CHECK(em.state(x) == EntityState::managed);
  CHECK(em.state(y) == EntityState::removed);
  b1.items.remove(x);
  b2.items.add(x);  // moved: its Ref now points at b2
  CHECK(em.state(x) == EntityState::managed);
  em.flush();
  CHECK(rows("item") == 1);
  auto check = orm.em();
  CHECK(check.find_one_or_fail<Item>(x.id).basket.id() == 2);
}

TEST_CASE_METHOD(Baskets, "orphan removal: removing the owner removes its items", "[cascade]") {
  auto em = orm.em();
  Basket& b1 = em.find_one_or_fail<Basket>(1);
  Item& x = em.find_one_or_fail<Item>(col<&Item::name> == "x");  // b1.items is not loaded
  em.remove(b1);
  CHECK(em.state(x) == EntityState::removed);
  log.clear();
  em.flush();  // item y was never loaded: orphan_removal makes the foreign key on delete cascade
  CHECK(log.count(R"(delete from "item")") == 1);
  CHECK(events == std::vector<std::string>{"before_delete item x", "after_delete item x"});
  CHECK_FALSE(em.is_managed(x));
  CHECK(rows("item") == 0);
  CHECK(rows("basket") == 1);
}

TEST_CASE_METHOD(Baskets, "orphan removal: a failed flush keeps the orphan's removal pending", "[cascade]") {
  auto em = orm.em();
  Basket& b1 = em.find_one_or_fail<Basket>(1, ctorm::populate<&Basket::items>);
  Item& x = b1.items[0];
  orm.execute("create table guard (item_id integer not null references item(id))");
  orm.execute("insert into guard values (1)");
  b1.items.remove(x);
  CHECK_THROWS_AS(em.flush(), ctorm::ForeignKeyConstraintViolation);
  CHECK(em.state(x) == EntityState::removed);
  CHECK(rows("item") == 2);
  orm.execute("delete from guard");
  em.flush();
  CHECK_FALSE(em.is_managed(x));
  CHECK(rows("item") == 1);
}
