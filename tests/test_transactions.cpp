// Transactions: em.transactional on a fork (commit, rollback on an exception, nested savepoints, the
// result), and the parent entity manager left as it was.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include "support/backend.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Item {
  std::int64_t id{};
  std::string name;
  std::int64_t qty = 0;
};

struct Versioned {
  std::int64_t id{};
  std::string name;
  std::int32_t version = 0;
};

}  // namespace

template <>
struct ctorm::entity_options<Versioned> : ctorm::options<ctorm::version<&Versioned::version>> {};

namespace {

using Schema = ctorm::schema<Item, Versioned>;
using Orm = ctorm_test::Orm<Schema>;
using Em = ctorm_test::Em<Schema>;
using ctorm::col;

constexpr const char* file = "transactions.db";

struct Fresh {
  std::string where = ctorm_test::fresh_database(file);
  Orm orm{where};
  Fresh() { orm.schema().create(); }
  // What another connection reads: the rows committed.
  std::int64_t committed_count() { return Orm(where).em().count<Item>(); }
  std::int64_t committed_qty(std::int64_t id) { return Orm(where).em().find_one_or_fail<Item>(id).qty; }
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
  CHECK(!em.connection().in_transaction());
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
  CHECK(!em.connection().in_transaction());
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
  Orm reader(where);
  auto check = reader.em();
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
  em.connection().execute("begin");
  em.transactional([](Em& tem) { tem.persist(Item{.name = "a"}); });
  CHECK(em.connection().in_transaction());  // still the user's
  em.connection().execute("rollback");
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

TEST_CASE_METHOD(Fresh, "begin, flush, commit writes", "[transactions]") {
  auto em = orm.em();
  em.begin();
  CHECK(em.in_transaction());
  Item& a = em.persist(Item{.name = "a"});
  em.flush();
  CHECK(committed_count() == 0);  // not yet visible to another connection
  a.qty = 3;
  em.flush();
  em.commit();
  CHECK_FALSE(em.in_transaction());
  CHECK(!em.connection().in_transaction());
  CHECK(committed_qty(a.id) == 3);
  CHECK(em.is_managed(a));
  a.qty = 4;  // the entity manager goes on as usual
  em.flush();
  CHECK(committed_qty(a.id) == 4);
}

TEST_CASE_METHOD(Fresh, "rollback undoes the flushes since begin, in the database and in the entity manager",
                 "[transactions]") {
  auto em = orm.em();
  Item& updated = em.persist(Item{.name = "updated", .qty = 1});
  Item& deleted = em.persist(Item{.name = "deleted", .qty = 2});
  Item& untouched = em.persist(Item{.name = "untouched", .qty = 3});
  em.flush();
  const std::int64_t deleted_id = deleted.id;

  em.begin();
  Item& inserted = em.persist(Item{.name = "inserted"});
  Item& keyed = em.persist(Item{.id = 100, .name = "keyed"});
  updated.qty = 10;
  updated.name = "changed";
  em.remove(deleted);
  em.flush();
  updated.qty = 11;  // a second flush in the same transaction
  Item& born_and_gone = em.persist(Item{.name = "born and gone"});
  em.flush();
  em.remove(born_and_gone);
  em.flush();
  CHECK(inserted.id > 0);
  CHECK_FALSE(em.is_managed(deleted));
  em.rollback();

  CHECK_FALSE(em.in_transaction());
  CHECK(!em.connection().in_transaction());
  // the database as before begin()
  CHECK(committed_count() == 3);
  CHECK(committed_qty(updated.id) == 1);
  // inserted: no longer managed, the generated key back to 0
  CHECK_FALSE(em.is_managed(inserted));
  CHECK(em.state(inserted) == ctorm::EntityState::detached);
  CHECK(inserted.id == 0);
  CHECK_FALSE(em.is_managed(keyed));
  CHECK(keyed.id == 100);  // a key the user gave stays
  CHECK(em.find_one<Item>(100) == nullptr);
  CHECK_FALSE(em.is_managed(born_and_gone));
  CHECK(born_and_gone.id == 0);
  // updated: the values of its row, and a snapshot to match (nothing to flush)
  CHECK(em.is_managed(updated));
  CHECK(updated.qty == 1);
  CHECK(updated.name == "updated");
  // deleted: managed again, found in the identity map
  CHECK(em.is_managed(deleted));
  CHECK(em.state(deleted) == ctorm::EntityState::managed);
  CHECK(em.find_one<Item>(deleted_id) == &deleted);
  CHECK(untouched.qty == 3);
  CHECK(em.managed_count<Item>() == 3);

  // nothing pending: a flush writes nothing; the entities work as usual afterwards
  em.flush();
  CHECK(committed_count() == 3);
  deleted.qty = 20;
  em.flush();
  CHECK(committed_qty(deleted_id) == 20);
  em.remove(deleted);
  em.flush();
  CHECK(committed_count() == 2);
}

TEST_CASE_METHOD(Fresh, "rollback leaves unflushed work of the entity manager pending", "[transactions]") {
  auto em = orm.em();
  Item& a = em.persist(Item{.name = "a", .qty = 1});
  em.flush();
  em.begin();
  a.qty = 2;
  Item& pending = em.persist(Item{.name = "pending"});
  em.rollback();  // no flush since begin(): nothing to undo
  CHECK(a.qty == 2);
  CHECK(em.state(pending) == ctorm::EntityState::new_entity);
  em.flush();
  CHECK(committed_count() == 2);
  CHECK(committed_qty(a.id) == 2);
}

TEST_CASE_METHOD(Fresh, "a failed flush inside begin() rolls back its savepoint; the transaction goes on", "[transactions]") {
  auto em = orm.em();
  Item& a = em.persist(Item{.name = "a"});
  em.flush();
  em.begin();
  em.persist(Item{.name = "b"});
  em.flush();
  Item& clash = em.persist(Item{.id = a.id, .name = "clash"});
  CHECK_THROWS_AS(em.flush(), ctorm::UniqueConstraintViolation);
  em.remove(clash);  // a new entity removed is forgotten
  em.commit();
  CHECK(committed_count() == 2);
}

TEST_CASE_METHOD(Fresh, "a failed upsert inside begin() undoes only itself; the transaction goes on", "[transactions]") {
  orm.execute(R"(create unique index "item_name_unique" on "item" ("name"))");
  auto em = orm.em();
  em.persist(Item{.name = "a"});
  em.flush();
  em.begin();
  em.upsert(Item{.name = "b"});
  CHECK_THROWS_AS(em.upsert(Item{.id = 50, .name = "a"}), ctorm::UniqueConstraintViolation);  // one statement
  CHECK_THROWS_AS(em.upsert_many(std::vector<Item>{{.name = "c"}, {.id = 51, .name = "a"}}),
                  ctorm::UniqueConstraintViolation);
  em.upsert(Item{.name = "d"});
  em.commit();
  CHECK(committed_count() == 3);  // a, b, d
}

TEST_CASE_METHOD(Fresh, "transactional inside begin() is a savepoint of it", "[transactions]") {
  auto em = orm.em();
  em.begin();
  em.transactional([](Em& tem) { tem.persist(Item{.name = "a"}); });
  CHECK(em.connection().in_transaction());
  em.rollback();
  CHECK(committed_count() == 0);
}

TEST_CASE_METHOD(Fresh, "transaction misuse is a UsageError", "[transactions]") {
  auto em = orm.em();
  CHECK_THROWS_AS(em.commit(), ctorm::UsageError);
  CHECK_THROWS_AS(em.rollback(), ctorm::UsageError);
  em.begin();
  CHECK_THROWS_AS(em.begin(), ctorm::UsageError);
  em.commit();
  CHECK_THROWS_AS(em.commit(), ctorm::UsageError);
  CHECK_THROWS_WITH(em.rollback(), Catch::Contains("ctorm: rollback() without begin()"));
}

TEST_CASE_METHOD(Fresh, "an entity manager's end rolls back its open transaction", "[transactions]") {
  {
    auto em = orm.em();
    em.begin();
    em.persist(Item{.name = "a"});
    em.flush();
  }
  CHECK(!orm.em().connection().in_transaction());
  CHECK(committed_count() == 0);
}

// SQLite-only: its immediate mode takes the database's write lock up front; PostgreSQL has no such lock
// (every mode is a plain begin there, and rows are locked as they are written).
#if !defined(CTORM_TEST_POSTGRES)
TEST_CASE_METHOD(Fresh, "begin(immediate) takes the write lock at begin", "[transactions]") {
  using namespace std::chrono_literals;
  Orm other{where, {.busy_timeout = 10ms}};
  auto em = orm.em();
  em.begin();  // deferred: no lock yet, the other connection can write
  {
    auto oem = other.em();
    oem.persist(Item{.name = "other"});
    oem.flush();
  }
  em.rollback();
  em.begin(ctorm::TransactionMode::immediate);
  {
    auto oem = other.em();
    oem.persist(Item{.name = "blocked"});
    CHECK_THROWS_AS(oem.flush(), ctorm::DatabaseBusyError);
    CHECK_THROWS_AS(oem.transactional([](Em&) {}, ctorm::TransactionMode::immediate), ctorm::DatabaseBusyError);
  }
  em.persist(Item{.name = "mine"});
  em.flush();
  em.commit();
  CHECK(committed_count() == 2);
}
#endif

TEST_CASE_METHOD(Fresh, "rollback puts a version field back, so the next flush's check passes", "[transactions]") {
  auto em = orm.em();
  Versioned& v = em.persist(Versioned{.name = "a"});
  em.flush();
  CHECK(v.version == 1);
  em.begin();
  v.name = "b";
  em.flush();
  CHECK(v.version == 2);
  em.rollback();
  CHECK(v.version == 1);
  CHECK(v.name == "a");
  v.name = "c";
  em.flush();  // checks version 1 against the row: no OptimisticLockError
  CHECK(v.version == 2);
  CHECK(Orm(where).em().find_one_or_fail<Versioned>(v.id).name == "c");
}

TEST_CASE_METHOD(Fresh, "rollback undoes the upserts since begin, as it undoes flushes", "[transactions]") {
  auto em = orm.em();
  Item& existing = em.persist(Item{.name = "existing", .qty = 1});
  em.flush();
  const std::int64_t existing_id = existing.id;

  em.begin();
  Item& added = em.upsert(Item{.name = "added", .qty = 5});
  CHECK(added.id > 0);
  Item& same = em.upsert(Item{.id = existing_id, .name = "changed", .qty = 7});
  CHECK(&same == &existing);
  CHECK(existing.qty == 7);
  em.rollback();

  CHECK(committed_count() == 1);
  // added: no longer managed, its generated key back to 0
  CHECK_FALSE(em.is_managed(added));
  CHECK(added.id == 0);
  // refilled: the values of its row again
  CHECK(em.is_managed(existing));
  CHECK(existing.qty == 1);
  CHECK(existing.name == "existing");
  CHECK(em.managed_count<Item>() == 1);
  em.flush();  // nothing pending
  CHECK(committed_qty(existing_id) == 1);
}
