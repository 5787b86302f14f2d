// PostgreSQL's edges, found in review: a flush's `done` callbacks that run after the update shapes moved,
// a commit after a failed one, forks inside a transaction, a transaction begun on the connection by hand,
// a connection kept past its operation, and a version conflict in the middle of a pipeline.
#include <catch2/catch.hpp>

#include <ctorm/postgres.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

namespace {

struct Wide {  // 13 sets of changed columns: more update shapes than the shape cache starts with
  std::int64_t id{};
  std::int64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0, c10 = 0, c11 = 0,
               c12 = 0;
};

struct Acct {
  std::int64_t id{};
  std::string code;
  std::int64_t n = 0;
};

struct Ver {
  std::int64_t id{};
  std::int64_t n = 0;
  std::int32_t version = 0;
};

}  // namespace

template <>
struct ctorm::entity_options<Acct> : ctorm::options<ctorm::unique<&Acct::code>> {};
template <>
struct ctorm::entity_options<Ver> : ctorm::options<ctorm::version<&Ver::version>> {};

namespace {

using Schema = ctorm::schema<Wide, Acct, Ver>;
using Orm = ctorm::Orm<Schema, ctorm::postgres>;
using ctorm::col;
using namespace std::chrono_literals;

std::string fresh_schema(const std::string& name) {
  const char* uri = std::getenv("CTORM_TEST_PG");
  if (!uri) FAIL("CTORM_TEST_PG is not set: run scripts/test.sh, or scripts/pg_server.sh start DIR and source DIR/env");
  Orm admin{uri};
  admin.execute("drop schema if exists " + name + " cascade; create schema " + name);
  const std::string base = uri;
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name;
}

std::int64_t& column(Wide& w, std::int64_t i) { return *(&w.c0 + i % 13); }

}  // namespace

TEST_CASE("an update that fails after later update shapes were added reports its own text", "[postgres][edges]") {
  Orm orm{fresh_schema("edges_shapes"), {.pool_size = 1}};
  orm.schema().create();
  {
    // a first entity manager prepares the 13 update statements on the pool's only connection, so that
    // the next one's flush prepares nothing and keeps every update in flight
    auto em = orm.em();
    for (int i = 0; i < 13; ++i) em.persist(Wide{});
    em.flush();
    for (Wide* w : em.find<Wide>()) column(*w, w->id) = 1;
    em.flush();
  }
  auto em = orm.em();  // its shape cache starts empty and grows while the updates are in flight
  auto all = em.find<Wide>();
  REQUIRE(all.size() == 13);
  orm.execute(R"(delete from "wide")");  // another writer deletes every row
  for (Wide* w : all) column(*w, w->id) = 7;
  try {
    em.flush();
    FAIL("the flush should fail: the rows are gone");
  } catch (const ctorm::OptimisticLockError& e) {
    CHECK(e.sql().rfind(R"(update "wide" set)", 0) == 0);
  }
}

TEST_CASE("a commit after a failed one fails too, until the transaction is rolled back", "[postgres][edges]") {
  Orm orm{fresh_schema("edges_commit")};
  orm.schema().create();
  {
    auto em = orm.em();
    em.persist(Acct{.code = "taken"});
    em.flush();
  }
  auto em = orm.em();
  em.begin();
  Acct& a = em.persist(Acct{.code = "mine", .n = 1});
  em.flush();
  // a failed statement outside a flush aborts PostgreSQL's transaction
  CHECK_THROWS_AS(em.native_update<Acct>(ctorm::set(col<&Acct::code>, "taken"), col<&Acct::id> == a.id),
                  ctorm::UniqueConstraintViolation);
  CHECK_THROWS_AS(em.commit(), ctorm::DatabaseError);
  CHECK(em.in_transaction());
  CHECK_THROWS_AS(em.commit(), ctorm::DatabaseError);  // never a success that wrote nothing
  em.rollback();
  CHECK_FALSE(em.in_transaction());
  CHECK_FALSE(em.is_managed(a));  // the journal undid the flush
  CHECK(orm.em().count<Acct>(col<&Acct::code> == "mine") == 0);
}

TEST_CASE("a fork made inside a transaction works on the transaction's connection", "[postgres][edges]") {
  Orm orm{fresh_schema("edges_fork"), {.pool_size = 1, .pool_timeout = 300ms}};
  orm.schema().create();
  auto em = orm.em();
  em.begin();
  em.persist(Acct{.code = "uncommitted"});
  em.flush();
  {
    auto fork = em.fork();  // with one connection in the pool, a fork on another would wait for it
    CHECK(fork.count<Acct>() == 1);
  }
  em.rollback();
  CHECK(em.count<Acct>() == 0);
}

TEST_CASE("a transaction begun on the connection by hand is kept, not rolled back by the pool",
          "[postgres][edges]") {
  Orm orm{fresh_schema("edges_manual"), {.pool_size = 2}};
  orm.schema().create();
  auto em = orm.em();
  em.connection().execute("begin");
  em.persist(Acct{.code = "manual"});
  em.flush();
  CHECK(orm.em().count<Acct>() == 0);  // not yet committed: another connection does not see it
  em.connection().execute("commit");
  CHECK(orm.em().count<Acct>() == 1);
}

TEST_CASE("a version conflict in the middle of a pipeline rolls the whole flush back", "[postgres][edges]") {
  Orm orm{fresh_schema("edges_lock"), {.pool_size = 1}};
  orm.schema().create();
  {
    auto em = orm.em();
    for (int i = 0; i < 300; ++i) em.persist(Ver{.n = i});
    em.flush();
  }
  auto em = orm.em();
  auto all = em.find<Ver>(ctorm::order_by(ctorm::asc<&Ver::id>));
  orm.execute(R"(update "ver" set "version" = "version" + 1 where "id" = 150)");  // another writer
  for (Ver* v : all) v->n += 1000;
  CHECK_THROWS_AS(em.flush(), ctorm::OptimisticLockError);
  CHECK(em.count<Ver>(col<&Ver::n> >= 1000) == 0);
  CHECK_FALSE(em.connection().in_transaction());
  em.refresh(*all[149]);  // the stale one read again (its change is lost, as refresh() says)
  all[149]->n += 1000;
  em.flush();
  CHECK(em.count<Ver>(col<&Ver::n> >= 1000) == 300);
}
