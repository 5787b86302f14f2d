// Entity manager: persist, flush, find, find_one, find_one_or_fail, count, remove, native_delete,
// get_reference, refresh, clear, fork; the identity map.
#include <catch2/catch.hpp>

#include "support/query_log.hpp"
#include "support/user_model.hpp"

using ctorm::col;
using ctorm_test::make_user;
using ctorm_test::QueryLog;
using ctorm_test::Schema;
using ctorm_test::User;

using Fixture = ctorm_test::UserFixture;  // a fresh database, schema created, query log captured

TEST_CASE_METHOD(Fixture, "persist and flush insert, and the generated key comes back", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo Bar", "foo@bar.com"));
  CHECK(u.id == 0);
  CHECK(em.state(u) == ctorm::EntityState::new_entity);
  CHECK(log.size() == 0);  // persist alone sends nothing
  em.flush();
  CHECK(u.id == 1);
  CHECK(em.state(u) == ctorm::EntityState::managed);
  CHECK(log.count("begin") == 1);
  CHECK(log.count("insert into \"user\"") == 1);
  CHECK(log.count("commit") == 1);
  User& second = em.persist(make_user("Second", "second@bar.com"));
  em.flush();
  CHECK(second.id == 2);
}

TEST_CASE_METHOD(Fixture, "find_one by key answers from the identity map without a query", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo Bar", "foo@bar.com"));
  em.flush();
  log.clear();
  User* again = em.find_one<User>(u.id);
  CHECK(again == &u);
  CHECK(log.size() == 0);
  CHECK(&em.find_one_or_fail<User>(u.id) == &u);
  CHECK(log.size() == 0);
}

TEST_CASE_METHOD(Fixture, "find_one by condition queries, and gives the same object", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo Bar", "foo@bar.com"));
  em.flush();
  log.clear();
  User* by_email = em.find_one<User>(col<&User::email> == "foo@bar.com");
  CHECK(by_email == &u);
  CHECK(log.count("select") == 1);
  CHECK(em.find_one<User>(col<&User::email> == "nobody@bar.com") == nullptr);
  CHECK_THROWS_AS(em.find_one_or_fail<User>(col<&User::email> == "nobody@bar.com"), ctorm::NotFoundError);
  CHECK_THROWS_AS(em.find_one_or_fail<User>(99), ctorm::NotFoundError);
}

TEST_CASE_METHOD(Fixture, "find all and by condition; the same key twice gives the same object", "[em]") {
  auto em = orm.em();
  for (int i = 1; i <= 5; ++i) em.persist(make_user("User " + std::to_string(i), "user" + std::to_string(i) + "@x.com"));
  em.flush();
  auto fresh = orm.em();
  std::vector<User*> all = fresh.find<User>(ctorm::order_by(ctorm::asc<&User::id>));
  REQUIRE(all.size() == 5);
  CHECK(all[0]->full_name == "User 1");
  std::vector<User*> some =
      fresh.find<User>(col<&User::id> > 2 && col<&User::id> <= 4, ctorm::order_by(ctorm::asc<&User::id>));
  REQUIRE(some.size() == 2);
  CHECK(some[0] == all[2]);
  CHECK(some[1] == all[3]);
  CHECK(fresh.find<User>(col<&User::email> == "user1@x.com" || col<&User::email> == "user5@x.com").size() == 2);
  CHECK(fresh.managed_count<User>() == 5);
}

TEST_CASE_METHOD(Fixture, "a loaded entity keeps its unflushed changes when found again", "[em]") {
  auto em = orm.em();
  em.persist(make_user("Foo", "foo@bar.com"));
  em.flush();
  auto em2 = orm.em();
  User& u = em2.find_one_or_fail<User>(col<&User::email> == "foo@bar.com");
  u.bio = "edited, not flushed";
  std::vector<User*> all = em2.find<User>();
  REQUIRE(all.size() == 1);
  CHECK(all[0] == &u);
  CHECK(u.bio == "edited, not flushed");
}

TEST_CASE_METHOD(Fixture, "count with and without a condition", "[em]") {
  auto em = orm.em();
  CHECK(em.count<User>() == 0);
  em.persist(make_user("A", "a@x.com"));
  em.persist(make_user("B", "b@x.com"));
  em.flush();
  CHECK(em.count<User>() == 2);
  CHECK(em.count<User>(col<&User::full_name> == "B") == 1);
}

TEST_CASE_METHOD(Fixture, "forks do not share entities", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  em.flush();
  auto em2 = em.fork();
  log.clear();
  User& u2 = em2.find_one_or_fail<User>(u.id);
  CHECK(&u2 != &u);
  CHECK(log.count("select") == 1);
  CHECK(u2.email == u.email);
  u2.bio = "from the fork";
  em.flush();  // em knows nothing of u2's change
  CHECK(log.count("update") == 0);
  em2.flush();
  CHECK(log.count("update") == 1);
  CHECK(u.bio.empty());  // em's copy is its own
}

TEST_CASE_METHOD(Fixture, "refresh reloads and drops unflushed changes", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  u.bio = "...";
  em.flush();
  u.bio = "changed";
  log.clear();
  CHECK(em.refresh(u));
  CHECK(u.bio == "...");
  CHECK(log.count("select") == 1);
  em.flush();
  CHECK(log.count("update") == 0);
  orm.em().native_delete<User>(col<&User::id> == u.id);
  CHECK_FALSE(em.refresh(u));
}

TEST_CASE_METHOD(Fixture, "remove deletes at flush", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  User& keep = em.persist(make_user("Keep", "keep@bar.com"));
  em.flush();
  const auto id = u.id;
  em.remove(u);
  CHECK(em.state(u) == ctorm::EntityState::removed);
  log.clear();
  em.flush();
  CHECK(log.count("delete from \"user\" where \"id\" = ?") == 1);
  CHECK(em.find_one<User>(id) == nullptr);
  CHECK(em.count<User>() == 1);
  CHECK(em.find_one<User>(keep.id) == &keep);
}

TEST_CASE_METHOD(Fixture, "removing a new entity forgets it without a query", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  em.remove(u);
  em.flush();
  CHECK(log.size() == 0);
  CHECK(em.count<User>() == 0);
}

TEST_CASE_METHOD(Fixture, "persist after remove cancels the removal", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  em.flush();
  em.remove(u);
  em.persist(u);
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
  CHECK(em.count<User>() == 1);
}

TEST_CASE_METHOD(Fixture, "get_reference gives an uninitialized entity with only its key", "[em]") {
  {
    auto em = orm.em();
    em.persist(make_user("Foo", "foo@bar.com"));
    em.flush();
  }
  auto em = orm.em();
  log.clear();
  User& ref = em.get_reference<User>(1);
  CHECK(log.size() == 0);
  CHECK(ref.id == 1);
  CHECK(ref.email.empty());
  CHECK_FALSE(em.is_initialized(ref));
  CHECK(&em.get_reference<User>(1) == &ref);
  em.flush();  // an uninitialized reference is never an update
  CHECK(log.size() == 0);

  em.load(ref);
  CHECK(em.is_initialized(ref));
  CHECK(ref.email == "foo@bar.com");
  CHECK(log.count("select") == 1);

  // find_one through the identity map fills in a reference, and then answers without a query
  User& ref2 = orm.em().get_reference<User>(1);
  (void)ref2;
  auto em3 = orm.em();
  User& r3 = em3.get_reference<User>(1);
  log.clear();
  User* found = em3.find_one<User>(1);
  CHECK(found == &r3);
  CHECK(em3.is_initialized(r3));
  CHECK(r3.full_name == "Foo");
  CHECK(log.count("select") == 1);

  auto em4 = orm.em();
  User& missing = em4.get_reference<User>(42);
  CHECK_THROWS_AS(em4.load(missing), ctorm::NotFoundError);
}

TEST_CASE_METHOD(Fixture, "remove a reference without loading it", "[em]") {
  {
    auto em = orm.em();
    em.persist(make_user("Foo", "foo@bar.com"));
    em.flush();
  }
  auto em = orm.em();
  log.clear();
  em.remove(em.get_reference<User>(1));
  em.flush();
  CHECK(log.count("select") == 0);
  CHECK(log.count("delete") == 1);
  CHECK(em.count<User>() == 0);
}

TEST_CASE_METHOD(Fixture, "native_delete runs a delete at once and reports the rows", "[em]") {
  auto em = orm.em();
  em.persist(make_user("A", "a@x.com"));
  em.persist(make_user("B", "b@x.com"));
  em.persist(make_user("C", "c@x.com"));
  em.flush();
  log.clear();
  CHECK(em.native_delete<User>(col<&User::email> == "a@x.com" || col<&User::email> == "c@x.com") == 2);
  CHECK(log.count("begin") == 0);
  CHECK(log.contains(R"(delete from "user" where ("email" = ? or "email" = ?) [values: 'a@x.com', 'c@x.com'])"));
  CHECK(orm.em().count<User>() == 1);
}

TEST_CASE_METHOD(Fixture, "clear empties the identity map", "[em]") {
  auto em = orm.em();
  User& u = em.persist(make_user("Foo", "foo@bar.com"));
  em.flush();
  const auto id = u.id;
  em.clear();
  CHECK(em.managed_count<User>() == 0);
  log.clear();
  User* again = em.find_one<User>(id);
  REQUIRE(again);
  CHECK(log.count("select") == 1);
}

TEST_CASE_METHOD(Fixture, "an entity the manager does not hold is a usage error", "[em]") {
  auto em = orm.em();
  User stranger = make_user("X", "x@x.com");
  CHECK_THROWS_AS(em.remove(stranger), ctorm::UsageError);
  CHECK_THROWS_AS(em.refresh(stranger), ctorm::UsageError);
  CHECK_FALSE(em.is_managed(stranger));
  auto other = orm.em();
  User& theirs = other.persist(make_user("Y", "y@x.com"));
  CHECK_THROWS_AS(em.remove(theirs), ctorm::UsageError);
}

TEST_CASE("a database file keeps its data between Orm instances", "[em]") {
  const std::string path = ctorm_test::fresh_database("ctorm_test_em_file.db");
  {
    ctorm_test::Orm<Schema> orm{path};
    orm.schema().create();
    auto em = orm.em();
    em.persist(make_user("Foo", "foo@bar.com"));
    em.flush();
  }
  {
    ctorm_test::Orm<Schema> orm{path};
    auto em = orm.em();
    CHECK(em.find_one_or_fail<User>(1).email == "foo@bar.com");
  }
  if constexpr (ctorm_test::is_sqlite) std::remove(path.c_str());
}
