// Unit of work: change sets, one transaction per flush, only changed columns updated, no-op flushes, and
// failed flushes that roll back and can be retried.
#include <catch2/catch.hpp>

#include "support/query_log.hpp"
#include "support/user_model.hpp"

using ctorm::col;
using ctorm_test::dialect_sql;
using ctorm_test::make_user;
using ctorm_test::QueryLog;
using ctorm_test::Schema;
using ctorm_test::User;

using Fixture = ctorm_test::UserFixture;  // a fresh database, schema created, query log captured

TEST_CASE_METHOD(Fixture, "an update names only the changed columns", "[uow]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  em.flush();
  log.clear();
  u.bio = "...";
  em.flush();
  REQUIRE(log.size() == 3);
  CHECK(log.lines[0].rfind("[query] begin", 0) == 0);
  CHECK(log.lines[1].starts_with(dialect_sql(R"([query] update "user" set "bio" = ? where "id" = ? [values: '...', 1])")));
  CHECK(log.lines[2].rfind("[query] commit", 0) == 0);

  log.clear();
  u.full_name = "Foo Bar";
  u.password = "new";
  em.flush();
  CHECK(log.contains(R"(update "user" set "full_name" = ?, "password" = ? where "id" = ?)"));

  auto check = orm.em();
  User& again = check.find_one_or_fail<User>(u.id);
  CHECK(again.bio == "...");
  CHECK(again.full_name == "Foo Bar");
  CHECK(again.password == "new");
}

TEST_CASE_METHOD(Fixture, "change detection of long text: length changes, last-byte changes, equal values", "[uow]") {
  // The snapshot keeps each text's length and bytes: a value whose length changes, or whose last byte
  // does, is a change; an equal value, however long, is not.
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  u.bio = std::string(255, 'a');
  em.flush();

  auto flush_sets_bio = [&] {
    log.clear();
    em.flush();
    return log.contains(R"(update "user" set "bio" = ? where "id" = ?)");
  };
  u.bio = std::string(255, 'a');
  CHECK_FALSE(flush_sets_bio());
  u.bio = std::string(256, 'a');
  CHECK(flush_sets_bio());
  u.bio = std::string(256, 'a');
  CHECK_FALSE(flush_sets_bio());
  u.bio = std::string(255, 'a') + 'b';  // same length, last byte differs
  CHECK(flush_sets_bio());
  u.bio = std::string(70000, 'x');  // longer than a two-byte length could say
  CHECK(flush_sets_bio());
  u.bio = std::string(70000, 'x');
  CHECK_FALSE(flush_sets_bio());
  u.bio = std::string(255, 'a');
  CHECK(flush_sets_bio());
  u.bio = "";
  CHECK(flush_sets_bio());
  CHECK_FALSE(flush_sets_bio());

  auto check = orm.em();
  CHECK(check.find_one_or_fail<User>(u.id).bio.empty());
  u.bio = std::string(300, 'z');
  em.flush();
  auto again = orm.em();
  CHECK(again.find_one_or_fail<User>(u.id).bio == std::string(300, 'z'));
  // loaded with a long value: unchanged sends nothing, changed is updated
  User& loaded = again.find_one_or_fail<User>(u.id);
  log.clear();
  again.flush();
  CHECK(log.size() == 0);
  loaded.bio.back() = 'y';
  again.flush();
  CHECK(log.contains(R"(update "user" set "bio" = ? where "id" = ?)"));
}

TEST_CASE_METHOD(Fixture, "a flush with nothing to do sends nothing, not even a transaction", "[uow]") {
  auto em = orm.em();
  em.flush();
  CHECK(log.size() == 0);
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  em.flush();
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
  u.bio = "x";
  u.bio = "";  // changed back: no change
  em.flush();
  CHECK(log.size() == 0);
  em.find<User>();
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
}

TEST_CASE_METHOD(Fixture, "one flush writes inserts, updates and deletes in one transaction", "[uow]") {
  auto em = orm.em();
  User& a = em.persist(make_user("A", "a@x.com"));
  User& b = em.persist(make_user("B", "b@x.com"));
  em.flush();
  log.clear();
  em.persist(make_user("C", "c@x.com"));
  a.bio = "changed";
  em.remove(b);
  em.flush();
  REQUIRE(log.size() == 5);
  CHECK(log.lines[0].rfind("[query] begin", 0) == 0);
  CHECK(log.lines[1].rfind("[query] insert", 0) == 0);
  CHECK(log.lines[2].rfind("[query] update", 0) == 0);
  CHECK(log.lines[3].rfind("[query] delete", 0) == 0);
  CHECK(log.lines[4].rfind("[query] commit", 0) == 0);
}

TEST_CASE_METHOD(Fixture, "a failed flush rolls back, keeps the unit of work, and can be retried", "[uow]") {
  auto em = orm.em();
  User& existing = em.persist(make_user("Existing", "taken@x.com"));
  em.flush();

  User& first = em.persist(make_user("First", "first@x.com"));
  User& clash = em.persist(make_user("Clash", "taken@x.com"));
  existing.bio = "updated in the failing flush";
  log.clear();
  try {
    em.flush();
    FAIL("the flush should have failed");
  } catch (const ctorm::UniqueConstraintViolation& e) {
    const std::string what = e.what();
    if constexpr (ctorm_test::is_sqlite)
      CHECK(what.find("UNIQUE constraint failed: user.email") != std::string::npos);
    else
      CHECK(what.find("duplicate key value violates unique constraint") != std::string::npos);
    CHECK(e.sql() == dialect_sql(R"(insert into "user" ("full_name", "email", "password", "bio", "created_at") values (?, ?, ?, ?, ?))") +
                         ctorm_test::returning_key_sql());
    CHECK(e.values().find("'taken@x.com'") != std::string::npos);
    CHECK(what.find(e.sql()) != std::string::npos);
  }
  CHECK(log.count("rollback") == 1);
  CHECK(log.count("commit") == 0);
  // Nothing was written, and nothing was lost.
  CHECK(orm.em().count<User>() == 1);
  CHECK(first.id == 0);
  CHECK(clash.id == 0);
  CHECK(em.state(first) == ctorm::EntityState::new_entity);
  CHECK(em.state(clash) == ctorm::EntityState::new_entity);
  CHECK(orm.em().find_one_or_fail<User>(existing.id).bio.empty());

  clash.email = "clash@x.com";
  first.bio = "changed after the failure";  // the failed flush's snapshot of `first` must not count
  em.flush();
  CHECK(first.id > 0);
  CHECK(clash.id > 0);
  CHECK(orm.em().count<User>() == 3);
  CHECK(orm.em().find_one_or_fail<User>(existing.id).bio == "updated in the failing flush");
  CHECK(orm.em().find_one_or_fail<User>(first.id).bio == "changed after the failure");
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
  // The snapshots are those of the retried inserts: a change is one column, no change is nothing.
  first.bio = "once more";
  em.flush();
  CHECK(log.contains(R"(update "user" set "bio" = ? where "id" = ?)"));
  CHECK(log.count("update") == 1);
}

TEST_CASE_METHOD(Fixture, "a failed update keeps the change for the next flush", "[uow]") {
  auto em = orm.em();
  User& a = em.persist(make_user("A", "a@x.com"));
  em.persist(make_user("B", "b@x.com"));
  em.flush();
  a.email = "b@x.com";
  CHECK_THROWS_AS(em.flush(), ctorm::UniqueConstraintViolation);
  CHECK(a.email == "b@x.com");
  a.email = "a2@x.com";
  em.flush();
  CHECK(orm.em().find_one_or_fail<User>(a.id).email == "a2@x.com");
}

TEST_CASE_METHOD(Fixture, "a failed delete keeps the removal pending", "[uow]") {
  auto em = orm.em();
  User& a = em.persist(make_user("A", "a@x.com"));
  em.flush();
  orm.execute(R"(create table guard (user_id integer not null references "user"(id)))");
  orm.execute("insert into guard values (1)");
  em.remove(a);
  CHECK_THROWS_AS(em.flush(), ctorm::ForeignKeyConstraintViolation);
  CHECK(em.state(a) == ctorm::EntityState::removed);
  CHECK(orm.em().count<User>() == 1);
  orm.execute("delete from guard");
  em.flush();
  CHECK(orm.em().count<User>() == 0);
}

namespace {
struct Strict {
  std::int64_t id{};
  std::optional<std::string> name;
};
}  // namespace

TEST_CASE("errors are typed", "[uow]") {
  ctorm_test::Orm<ctorm::schema<Strict>> orm{ctorm_test::fresh_database()};
  if constexpr (ctorm_test::is_sqlite)
    orm.execute(R"(create table "strict" ("id" integer primary key autoincrement, "name" text not null))");
  else
    orm.execute(R"(create table "strict" ("id" bigint generated by default as identity primary key, "name" text not null))");
  auto em = orm.em();
  em.persist(Strict{});
  CHECK_THROWS_AS(em.flush(), ctorm::NotNullConstraintViolation);

  ctorm_test::Orm<Schema> empty{ctorm_test::fresh_database()};
  auto em2 = empty.em();
  CHECK_THROWS_AS(em2.find<User>(), ctorm::TableNotFoundError);
  try {
    em2.count<User>();
    FAIL("count should have failed");
  } catch (const ctorm::Error& e) {
    CHECK(std::string(e.what()).find(ctorm_test::is_sqlite ? "no such table: user" : R"(relation "user" does not exist)") !=
          std::string::npos);
  }
}

TEST_CASE_METHOD(Fixture, "values are bound, never pasted into SQL", "[uow]") {
  auto em = orm.em();
  const std::string hostile = "'); drop table \"user\"; --";
  User& u = em.persist(make_user(hostile, "evil@x.com"));
  em.flush();
  CHECK(log.contains(R"(values (?, ?, ?, ?, ?))"));
  auto em2 = orm.em();
  CHECK(em2.find_one_or_fail<User>(col<&User::full_name> == hostile).id == u.id);
  CHECK(em2.count<User>() == 1);
}

TEST_CASE_METHOD(Fixture, "an explicit key on a generated-key entity is inserted as given", "[uow]") {
  auto em = orm.em();
  User& u = em.persist(User{.id = 40, .full_name = "Forty", .email = "40@x.com", .password = "p"});
  em.flush();
  CHECK(u.id == 40);
  CHECK(log.contains(R"(insert into "user" ("id", "full_name", "email", "password", "bio", "created_at"))"));
  CHECK(em.find_one<User>(40) == &u);

  // SQLite's next generated key is above the largest key; PostgreSQL's identity sequence is not moved by a
  // key the user gave (docs/entities.md), until it is moved as the docs say
  if constexpr (ctorm_test::is_postgres)
    orm.execute(R"(select setval(pg_get_serial_sequence('"user"', 'id'), (select max("id") from "user")))");
  User& next = em.persist(make_user("Next", "next@x.com"));
  em.flush();
  CHECK(next.id == 41);
}

TEST_CASE_METHOD(Fixture, "a user transaction around flush becomes a savepoint", "[uow]") {
  auto em = orm.em();
  em.connection().execute("begin");  // on the entity manager's connection (PostgreSQL: one of the pool's)
  em.persist(make_user("A", "a@x.com"));
  em.flush();
  CHECK(log.contains("savepoint"));
  em.connection().execute("rollback");
  CHECK(orm.em().count<User>() == 0);
}
