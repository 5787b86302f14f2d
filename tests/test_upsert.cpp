// Upsert: em.upsert and em.upsert_many write `insert ... on conflict ... do update ... returning` at once
// and hand back the managed entities, with the database's values, through the identity map.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "support/query_log.hpp"

namespace {

struct Member {
  std::int64_t id{};
  std::string email;
  std::string name;
  std::string bio;
};

struct Counter {
  std::int64_t id{};
  std::string label;
  std::int64_t hits = 0;
  std::int32_t version = 0;
};

}  // namespace

template <>
struct ctorm::entity_options<Member> : ctorm::options<ctorm::unique<&Member::email>> {};
template <>
struct ctorm::entity_options<Counter> : ctorm::options<ctorm::version<&Counter::version>> {};

namespace {

using Schema = ctorm::schema<Member, Counter>;
using Orm = ctorm_test::Orm<Schema>;

constexpr const char* file = "upsert.db";

// Every test case starts from an empty database (SQLite: a file, removed before the Orm opens it).
struct Fixture {
  Fixture() {
    orm.schema().create();
    log.attach(orm);
  }
  ~Fixture() { ctorm::detail::upsert_max_rows = 512; }
  std::string where = ctorm_test::fresh_database(file);
  Orm orm{where};
  ctorm_test::QueryLog log;
};

// A row of member's upsert: its key, a value or NULL (SQLite makes a key of a NULL; PostgreSQL's identity
// column refuses one, so the dialect writes the column's next value instead), and the other columns.
const std::string member_row =
    std::string("(") +
    (ctorm_test::is_sqlite ? "?" : R"(coalesce(?, nextval(pg_get_serial_sequence('"member"', 'id'))))") + ", ?, ?, ?)";

Member stored(Orm& orm, std::int64_t id) { return orm.em().find_one_or_fail<Member>(id); }

}  // namespace

TEST_CASE_METHOD(Fixture, "upsert inserts a new row and the generated key comes back", "[upsert]") {
  auto em = orm.em();
  Member& m = em.upsert(Member{.email = "a@x", .name = "A", .bio = "one"});
  CHECK(m.id == 1);
  CHECK(em.is_managed(m));
  CHECK(em.state(m) == ctorm::EntityState::managed);
  CHECK(&em.find_one_or_fail<Member>(1) == &m);  // the identity map's object
  CHECK(stored(orm, 1).bio == "one");
  REQUIRE(log.count("insert into \"member\"") == 1);
  CHECK(log.contains(
      "insert into \"member\" (\"id\", \"email\", \"name\", \"bio\") values " + member_row + " on conflict (\"id\") do "
      "update set \"email\" = excluded.\"email\", \"name\" = excluded.\"name\", \"bio\" = excluded.\"bio\" "
      "returning \"id\", \"email\", \"name\", \"bio\""));
  CHECK(log.contains("[values: null, 'a@x', 'A', 'one']"));  // the unset key is not written
  CHECK(log.count("begin") == 0);                    // one statement: atomic on its own
  em.flush();                                        // nothing left to write
  CHECK(log.count("update") == 0);
}

TEST_CASE_METHOD(Fixture, "upsert by key updates the row", "[upsert]") {
  auto em = orm.em();
  const std::int64_t id = em.upsert(Member{.email = "a@x", .name = "A", .bio = "one"}).id;
  auto em2 = orm.em();
  Member& m = em2.upsert(Member{.id = id, .email = "b@x", .name = "B", .bio = "two"});
  CHECK(m.id == id);
  CHECK(em2.find<Member>().size() == 1);
  const Member s = stored(orm, id);
  CHECK(s.email == "b@x");
  CHECK(s.bio == "two");
}

TEST_CASE_METHOD(Fixture, "upsert on a unique member keeps the row's key", "[upsert]") {
  auto em = orm.em();
  em.upsert(Member{.email = "x@x", .name = "X", .bio = ""});
  const std::int64_t id = em.upsert(Member{.email = "a@x", .name = "A", .bio = "one"}).id;
  CHECK(id == 2);
  auto em2 = orm.em();
  log.clear();
  Member& m = em2.upsert(Member{.email = "a@x", .name = "A2", .bio = "changed"}, ctorm::on_conflict<&Member::email>);
  CHECK(m.id == id);  // the database's key, not the 0 given
  CHECK(m.bio == "changed");
  CHECK(log.contains("on conflict (\"email\") do update set \"name\" = excluded.\"name\", \"bio\" = excluded.\"bio\" returning"));
  CHECK(em2.count<Member>() == 2);
  CHECK(stored(orm, id).name == "A2");
}

TEST_CASE_METHOD(Fixture, "upsert hands back the object the identity map already holds, with the row's values", "[upsert]") {
  auto em = orm.em();
  em.upsert(Member{.email = "a@x", .name = "A", .bio = "one"});
  auto em2 = orm.em();
  Member& loaded = em2.find_one_or_fail<Member>(1);
  Member& back = em2.upsert(Member{.email = "a@x", .name = "B", .bio = "two"}, ctorm::on_conflict<&Member::email>);
  CHECK(&back == &loaded);
  CHECK(loaded.name == "B");
  log.clear();
  em2.flush();  // its snapshot is the row: nothing to write
  CHECK(log.size() == 0);
  // a managed entity upserted with its own changes is refreshed in place
  loaded.bio = "three";
  CHECK(&em2.upsert(loaded) == &loaded);
  CHECK(stored(orm, 1).bio == "three");
  log.clear();
  em2.flush();
  CHECK(log.size() == 0);
}

TEST_CASE_METHOD(Fixture, "upsert_many mixes new and existing rows over several statements", "[upsert]") {
  ctorm::detail::upsert_max_rows = 4;
  {
    auto em = orm.em();
    std::vector<Member> first;
    for (int i = 0; i < 5; ++i) first.push_back({.email = "m" + std::to_string(i) + "@x", .name = "old", .bio = "old"});
    em.upsert_many(first);
  }
  auto em = orm.em();
  std::vector<Member> batch;
  for (int i = 0; i < 11; ++i)  // m0..m4 exist, m5..m10 are new
    batch.push_back({.email = "m" + std::to_string(i) + "@x", .name = "new", .bio = "b" + std::to_string(i)});
  log.clear();
  std::vector<Member*> out = em.upsert_many(batch, ctorm::on_conflict<&Member::email>);
  REQUIRE(out.size() == 11);
  for (int i = 0; i < 11; ++i) {
    CHECK(out[i]->email == batch[i].email);
    if (i < 5)
      CHECK(out[i]->id == i + 1);  // existing rows keep their keys
    else  // new ones get new keys (with autoincrement, an insert that became an update used one up)
      CHECK(out[i]->id > out[i - 1]->id);
    CHECK(out[i]->bio == "b" + std::to_string(i));
  }
  CHECK(log.count("begin") == 1);
  CHECK(log.count("commit") == 1);
  CHECK(log.count("insert into") == 4);  // 4 + 4 + 2 + 1 rows
  CHECK(log.lines.size() == 6);
  CHECK(log.contains("values " + member_row + ", " + member_row + ", " + member_row + ", " + member_row + " on conflict"));
  CHECK(em.count<Member>() == 11);
  CHECK(em.managed_count<Member>() == 11);
}

TEST_CASE_METHOD(Fixture, "a failed upsert_many writes nothing and leaves the identity map as it was", "[upsert]") {
  ctorm::detail::upsert_max_rows = 2;
  auto em = orm.em();
  Member& a = em.upsert(Member{.email = "a@x", .name = "A", .bio = "one"});
  // the first statement (two rows) runs, the second fails: a second key with the same email
  std::vector<Member> batch{{.id = 1, .email = "a@x", .name = "A", .bio = "two"},
                            {.email = "n@x", .name = "N", .bio = ""},
                            {.id = 77, .email = "a@x", .name = "dup", .bio = ""},
                            {.email = "z@x", .name = "Z", .bio = ""}};
  log.clear();
  CHECK_THROWS_AS(em.upsert_many(batch), ctorm::UniqueConstraintViolation);
  CHECK(a.bio == "one");  // read again after the rollback
  CHECK(em.count<Member>() == 1);
  CHECK(em.find_one<Member>(2) == nullptr);
  CHECK(log.count("rollback") == 1);
}

TEST_CASE_METHOD(Fixture, "upsert errors are the flush's typed errors", "[upsert]") {
  auto em = orm.em();
  em.upsert(Member{.email = "a@x", .name = "A", .bio = ""});
  // by key, a new key with an email another row has
  CHECK_THROWS_AS(em.upsert(Member{.id = 5, .email = "a@x", .name = "B", .bio = ""}), ctorm::UniqueConstraintViolation);
  CHECK(em.find_one<Member>(5) == nullptr);
  Member& pending = em.persist(Member{.email = "p@x", .name = "P", .bio = ""});
  CHECK_THROWS_AS(em.upsert(pending), ctorm::UsageError);
}

TEST_CASE_METHOD(Fixture, "upsert of a versioned entity increments the version on update", "[upsert]") {
  auto em = orm.em();
  Counter& c = em.upsert(Counter{.label = "c", .hits = 1});
  CHECK(c.version == 1);
  auto em2 = orm.em();
  log.clear();
  Counter& again = em2.upsert(Counter{.id = c.id, .label = "c", .hits = 2});
  CHECK(log.contains("\"version\" = \"counter\".\"version\" + 1 returning"));
  CHECK(again.version == 2);
  CHECK(again.hits == 2);
  again.hits = 3;
  em2.flush();  // the version the row has
  CHECK(orm.em().find_one_or_fail<Counter>(c.id).version == 3);
}
