// Transactions: em.transactional on a fork (commit, rollback on an exception, nested savepoints, the
// result), and the parent entity manager left as it was.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace {

struct Item {
  std::int64_t id{};
  std::string name;
  std::int64_t qty = 0;
};

using Schema = ctorm::schema<Item>;
using Orm = ctorm::Orm<Schema>;
using Em = ctorm::EntityManager<Schema>;
using ctorm::col;

constexpr const char* file = "transactions.db";

struct Fresh {
  Orm orm{[] {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((std::string(file) + suffix).c_str());
    return file;
  }()};
  Fresh() { orm.schema().create(); }
  // What another connection reads: the rows committed.
  std::int64_t committed_count() { return Orm(file).em().count<Item>(); }
  std::int64_t committed_qty(std::int64_t id) { return Orm(file).em().find_one_or_fail<Item>(id).qty; }
};

}  // namespace

TEST_CASE_METHOD(Fresh, "transactional flushes the fork and commits", "[transactions]") {
  auto em = orm.em();
  em.transactional([](Em& tem) {
    tem.persist(Item{.name = "a"});
    tem.persist(Item{.name = "b"});
  });
  CHECK(committed_count() == 2);
  CHECK(em.managed_count<Item>() == 0);  // the fork's entities are not the parent's
  CHECK(sqlite3_get_autocommit(orm.native_handle()) == 1);
}

TEST_CASE_METHOD(Fresh, "transactional returns the function's result", "[transactions]") {
  auto em = orm.em();
  const std::int64_t id = em.transactional([](Em& tem) {
    Item& it = tem.persist(Item{.name = "a"});
    tem.flush();
    return it.id;
  });
  CHECK(id > 0);
  CHECK(em.find_one_or_fail<Item>(id).name == "a");
  const std::string name = em.transactional([&](Em& tem) { return tem.find_one_or_fail<Item>(id).name; });
  CHECK(name == "a");
}

TEST_CASE_METHOD(Fresh, "an exception in transactional rolls back everything and goes on", "[transactions]") {
  auto em = orm.em();
  Item& kept = em.persist(Item{.name = "kept", .qty = 1});
  em.flush();
  kept.qty = 5;  // an unflushed change of the parent's
  CHECK_THROWS_AS(em.transactional([&](Em& tem) {
                    tem.persist(Item{.name = "new"});
                    tem.find_one_or_fail<Item>(kept.id).qty = 9;
                    tem.flush();  // written inside the transaction, then rolled back
                    tem.persist(Item{.name = "newer"});
                    throw std::runtime_error("no");
                  }),
                  std::runtime_error);
  CHECK(sqlite3_get_autocommit(orm.native_handle()) == 1);
  CHECK(committed_count() == 1);
  CHECK(committed_qty(kept.id) == 1);
  // the parent: as it was, its unflushed change still there and still pending
  CHECK(em.managed_count<Item>() == 1);
  CHECK(kept.qty == 5);
  em.flush();
  CHECK(committed_qty(kept.id) == 5);
}

TEST_CASE_METHOD(Fresh, "a flush that fails in transactional rolls back the whole transaction", "[transactions]") {
  auto em = orm.em();
  Item& a = em.persist(Item{.name = "a"});
  em.flush();
  const std::int64_t id = a.id;
  CHECK_THROWS_AS(em.transactional([&](Em& tem) {
                    tem.persist(Item{.name = "b"});
                    tem.flush();
                    tem.persist(Item{.id = id, .name = "same key"});  // the flush at the end fails
                  }),
                  ctorm::UniqueConstraintViolation);
  CHECK(committed_count() == 1);
}

TEST_CASE_METHOD(Fresh, "a nested transactional is a savepoint: an inner failure caught rolls back only the inner work",
                 "[transactions]") {
  auto em = orm.em();
  em.transactional([](Em& tem) {
    tem.persist(Item{.name = "outer"});
    tem.flush();
    CHECK_THROWS_AS(tem.transactional([](Em& inner) {
                      inner.persist(Item{.name = "inner"});
                      inner.flush();
                      // a deeper one that succeeds is rolled back with its parent
                      inner.transactional([](Em& deeper) { deeper.persist(Item{.name = "deeper"}); });
                      throw std::runtime_error("inner");
                    }),
                    std::runtime_error);
    tem.transactional([](Em& inner) { inner.persist(Item{.name = "inner ok"}); });
    tem.persist(Item{.name = "outer 2"});
  });
  CHECK(committed_count() == 3);
  auto check = Orm(file).em();
  CHECK(check.count<Item>(col<&Item::name> == "inner") == 0);
  CHECK(check.count<Item>(col<&Item::name> == "deeper") == 0);
  CHECK(check.count<Item>(col<&Item::name> == "inner ok") == 1);
}

TEST_CASE_METHOD(Fresh, "an outer failure rolls back the inner transactional's committed savepoint", "[transactions]") {
  auto em = orm.em();
  CHECK_THROWS_AS(em.transactional([](Em& tem) {
                    tem.transactional([](Em& inner) { inner.persist(Item{.name = "inner"}); });
                    throw std::runtime_error("outer");
                  }),
                  std::runtime_error);
  CHECK(committed_count() == 0);
}

TEST_CASE_METHOD(Fresh, "transactional inside a transaction the user opened is a savepoint", "[transactions]") {
  auto em = orm.em();
  orm.execute("begin");
  em.transactional([](Em& tem) { tem.persist(Item{.name = "a"}); });
  CHECK(sqlite3_get_autocommit(orm.native_handle()) == 0);  // still the user's
  orm.execute("rollback");
  CHECK(committed_count() == 0);
}

TEST_CASE_METHOD(Fresh, "after transactional, entities the parent holds keep their values until refreshed",
                 "[transactions]") {
  auto em = orm.em();
  Item& a = em.persist(Item{.name = "a", .qty = 1});
  em.flush();
  em.transactional([&](Em& tem) { tem.find_one_or_fail<Item>(a.id).qty = 2; });
  CHECK(a.qty == 1);  // the parent's copy is its own
  CHECK(em.refresh(a));
  CHECK(a.qty == 2);
}
