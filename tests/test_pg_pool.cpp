// One PostgreSQL Orm shared by threads: its pool lends each entity manager a connection of its own, so
// that eight threads work at once, and neither a version field nor a transaction with a row lock loses an
// update. Also: what the pool does when it is exhausted, and with a connection left in a transaction.
#include <catch2/catch.hpp>

#include <ctorm/postgres.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Counter {
  std::int64_t id{};
  std::string name;
  std::int64_t value = 0;
  std::int32_t version = 0;
};

struct Tally {  // no version field: a transaction and a row lock keep it right
  std::int64_t id{};
  std::int64_t value = 0;
};

}  // namespace

template <>
struct ctorm::entity_options<Counter> : ctorm::options<ctorm::version<&Counter::version>> {};

namespace {

using Schema = ctorm::schema<Counter, Tally>;
using Orm = ctorm::Orm<Schema, ctorm::postgres>;
using ctorm::col;
using namespace std::chrono_literals;

constexpr int threads = 8;
constexpr int increments = 50;

std::string server() {
  const char* uri = std::getenv("CTORM_TEST_PG");
  if (!uri) FAIL("CTORM_TEST_PG is not set: run scripts/test.sh, or scripts/pg_server.sh start DIR and source DIR/env");
  return uri;
}

// Each test case in a schema of its own on the test server.
std::string fresh_schema(const std::string& name) {
  ctorm::Orm<Schema, ctorm::postgres> admin{server()};
  admin.execute("drop schema if exists " + name + " cascade; create schema " + name);
  const std::string uri = server();
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name;
}

}  // namespace

TEST_CASE("eight threads with one Orm lose no update: a version field and retries", "[postgres][pool]") {
  Orm orm{fresh_schema("pool_version"), {.pool_size = threads}};
  orm.schema().create();
  {
    auto em = orm.em();
    em.persist(Counter{.name = "c"});
    em.flush();
  }
  std::atomic<int> conflicts{0};
  std::latch start{threads};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < increments; ++i) {
        for (;;) {
          auto em = orm.em();
          Counter* c = em.find_one<Counter>(col<&Counter::name> == "c");
          c->value += 1;
          try {
            em.flush();
            break;
          } catch (const ctorm::OptimisticLockError&) {
            ++conflicts;  // another thread got there first: read again and retry
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  auto em = orm.em();
  const Counter* c = em.find_one<Counter>(col<&Counter::name> == "c");
  CHECK(c->value == threads * increments);
  CHECK(c->version == threads * increments + 1);
  CHECK(conflicts.load() > 0);  // the threads did run at once
}

TEST_CASE("eight threads with one Orm lose no update: transactions that lock the row", "[postgres][pool]") {
  Orm orm{fresh_schema("pool_tx"), {.pool_size = threads}};
  orm.schema().create();
  std::int64_t id = 0;
  {
    auto em = orm.em();
    Tally& t = em.persist(Tally{});
    em.flush();
    id = t.id;
  }
  std::latch start{threads};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      auto em = orm.em();
      for (int i = 0; i < increments; ++i) {
        em.transactional([&](auto& tem) {
          // the update takes the row's lock at once: the others wait for the commit
          tem.template query<Tally>()
              .update(ctorm::set(col<&Tally::value>, col<&Tally::value> + 1))
              .where(col<&Tally::id> == id)
              .run();
        });
      }
    });
  }
  for (auto& w : workers) w.join();
  auto em = orm.em();
  CHECK(em.find_one<Tally>(col<&Tally::id> == id)->value == threads * increments);
}

TEST_CASE("the pool: a connection per operation, held through a transaction", "[postgres][pool]") {
  Orm orm{fresh_schema("pool_lend"), {.pool_size = 2, .pool_timeout = 200ms}};
  orm.schema().create();
  auto pid = [](auto& em) {
    return em.template query<Tally>().select(ctorm::sql<"pg_backend_pid()", std::int64_t>()).limit(1).template one<std::int64_t>();
  };
  // many entity managers alive at once: an idle one holds no connection
  std::vector<std::unique_ptr<decltype(orm.em())>> ems;
  for (int i = 0; i < 10; ++i) {
    ems.emplace_back(new auto(orm.em()));
    ems.back()->persist(Tally{.value = i});
    ems.back()->flush();
  }
  CHECK(orm.em().count<Tally>() == 10);

  auto em1 = orm.em();
  em1.begin();  // pins a connection until commit or rollback
  const auto in_tx = pid(em1);
  em1.persist(Tally{.value = 100});
  em1.flush();
  CHECK(pid(em1) == in_tx);
  CHECK(em1.count<Tally>() == 11);        // its own uncommitted row
  CHECK(ems[0]->count<Tally>() == 10);    // another connection: not yet
  em1.transactional([&](auto& tem) { CHECK(pid(tem) == in_tx); });  // inside: the same connection

  auto em2 = orm.em();
  em2.begin();  // the second connection
  // both are pinned: any other operation waits for the pool_timeout, then fails
  const auto before = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(ems[1]->count<Tally>(), ctorm::ConnectionError);
  CHECK(std::chrono::steady_clock::now() - before >= 150ms);
  em1.commit();
  CHECK(ems[1]->count<Tally>() == 11);  // given back at the commit
  em2.rollback();
}

TEST_CASE("the pool rolls back a transaction left open on a connection it gets back", "[postgres][pool]") {
  Orm orm{fresh_schema("pool_rollback"), {.pool_size = 1}};
  orm.schema().create();
  // a transaction begun through the connection itself, past the entity manager's bookkeeping
  orm.execute(R"(begin; insert into "tally" ("value") values (7))");
  {
    auto em = orm.em();  // the same connection (pool_size 1), back in no transaction
    CHECK(em.count<Tally>() == 0);
    em.persist(Tally{.value = 8});
    em.flush();
  }
  CHECK(orm.em().count<Tally>() == 1);
}

TEST_CASE("a wrong address fails where the Orm is made, with a typed error", "[postgres][pool]") {
  CHECK_THROWS_AS(Orm("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2"), ctorm::ConnectionError);
}
