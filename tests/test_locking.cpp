// Optimistic locking: a version field that every update by a flush increments and checks, so that two
// writers of one row cannot lose each other's updates; em.lock(); and what an update or delete of a row
// that another writer deleted does without a version field.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <latch>
#include <string>
#include <thread>

#include "support/query_log.hpp"

namespace {

struct Account {
  std::int64_t id{};
  std::string owner;
  std::int64_t balance = 0;
  std::int32_t version = 0;
};

// No version field: the unit of work's behaviour without optimistic locking.
struct Note {
  std::int64_t id{};
  std::string text;
};

// A version field and a before_create hook: the flush keeps both the version and the whole entity.
struct Ticket {
  std::int64_t id{};
  std::string title;
  std::int32_t version = 0;

  void before_create(ctorm::ChangeSet<Ticket>&) { title += " (new)"; }
};

}  // namespace

template <>
struct ctorm::entity_options<Account> : ctorm::options<ctorm::version<&Account::version>> {};
template <>
struct ctorm::entity_options<Ticket> : ctorm::options<ctorm::version<&Ticket::version>> {};

namespace {

using Schema = ctorm::schema<Account, Note, Ticket>;
using Orm = ctorm_test::Orm<Schema>;
using ctorm::col;

constexpr const char* file = "locking.db";

// Every test case starts from an empty database (SQLite: a file).
struct FreshFile {
  std::string where = ctorm_test::fresh_database(file);
};

// Two connections to one database, as two processes (or two requests) would have; each waits up to the
// default busy timeout (5 s) for the other's lock.
struct TwoWriters : FreshFile {
  Orm first{where};
  Orm second{where};
  ctorm_test::QueryLog log;
  TwoWriters() {
    first.schema().create();
    log.attach(first);
  }
};

std::int64_t stored_balance(Orm& orm, std::int64_t id) { return orm.em().find_one_or_fail<Account>(id).balance; }

// A new account, flushed (version 1), then updated `updates` times (one version each).
Account& flushed_account(ctorm_test::Em<Schema>& em, int updates = 0) {
  Account& a = em.persist(Account{.owner = "a"});
  em.flush();
  for (int i = 0; i < updates; ++i) {
    a.balance += 1;
    em.flush();
  }
  return a;
}

}  // namespace

static_assert(ctorm::create_table_sql<Account> ==
              R"(create table "account" ("id" integer not null primary key autoincrement, "owner" text not null, )"
              R"("balance" integer not null, "version" integer not null default 1))");

TEST_CASE_METHOD(TwoWriters, "a new entity's version starts at 1, unless it was set", "[locking]") {
  auto em = first.em();
  Account& a = em.persist(Account{.owner = "a"});
  Account& b = em.persist(Account{.owner = "b", .version = 7});
  log.clear();
  em.flush();
  CHECK(log.contains(R"(insert into "account" ("owner", "balance", "version") values (?, ?, ?))" +
                     ctorm_test::returning_key_sql() + R"( [values: 'a', 0, 1])"));
  CHECK(a.version == 1);
  CHECK(b.version == 7);
  CHECK(second.em().find_one_or_fail<Account>(a.id).version == 1);
  CHECK(second.em().find_one_or_fail<Account>(b.id).version == 7);
  // create() may leave the version out, as it may a generated key
  Account& c = em.create<Account>(ctorm::prop<&Account::owner> = "c", ctorm::prop<&Account::balance> = 0);
  em.flush();
  CHECK(c.version == 1);
  // a row inserted by hand gets the column's default
  first.execute(R"(insert into "account" ("owner", "balance") values ('d', 0))");
  CHECK(second.em().find_one_or_fail<Account>(col<&Account::owner> == "d").version == 1);
}

TEST_CASE_METHOD(TwoWriters, "a failed insert leaves the version as it was, with a before_create hook too",
                 "[locking]") {
  first.execute(R"(insert into "ticket" ("id", "title") values (1, 'taken'))");
  auto em = first.em();
  Ticket& t = em.persist(Ticket{.id = 1, .title = "t"});
  CHECK_THROWS_AS(em.flush(), ctorm::UniqueConstraintViolation);
  // the hook's change and the version the flush gave the new entity are both undone
  CHECK(t.title == "t");
  CHECK(t.version == 0);
  CHECK(em.state(t) == ctorm::EntityState::new_entity);
}

TEST_CASE_METHOD(TwoWriters, "an update increments the version and checks the one it expects", "[locking]") {
  auto em = first.em();
  Account& a = em.persist(Account{.owner = "a"});
  em.flush();
  log.clear();
  a.balance = 10;
  em.flush();
  REQUIRE(log.size() == 3);
  CHECK(log.lines[1].starts_with(ctorm_test::dialect_sql(R"([query] update "account" set "balance" = ?, "version" = "version" + 1 )"
                                                        R"(where "id" = ? and "version" = ? [values: 10, 1, 1])")));
  CHECK(a.version == 2);
  CHECK(second.em().find_one_or_fail<Account>(a.id).version == 2);
  // the new version is the snapshot's: nothing changed, nothing is written
  log.clear();
  em.flush();
  CHECK(log.size() == 0);
  a.balance = 11;
  em.flush();
  CHECK(a.version == 3);
  CHECK(log.contains(R"([values: 11, 1, 2])"));
}

TEST_CASE_METHOD(TwoWriters, "the second of two writers of one row fails and keeps its unit of work", "[locking]") {
  std::int64_t id = 0;
  {
    auto em = first.em();
    Account& created = em.persist(Account{.owner = "shared", .balance = 100});
    em.flush();
    id = created.id;
  }
  auto em1 = first.em();
  auto em2 = second.em();
  Account& a1 = em1.find_one_or_fail<Account>(id);
  Account& a2 = em2.find_one_or_fail<Account>(id);
  a1.balance += 10;
  a2.balance += 20;
  em1.flush();
  CHECK(a1.version == 2);

  Note& note = em2.persist(Note{.text = "written with the update"});
  try {
    em2.flush();
    FAIL("the second writer's flush should have failed");
  } catch (const ctorm::OptimisticLockError& e) {
    const std::string what = e.what();
    CHECK(what.find(R"(optimistic lock failed: the update of "account" )" + std::to_string(id) +
                    " expected version 1") != std::string::npos);
    CHECK(e.sql() == ctorm_test::dialect_sql(
                         R"(update "account" set "balance" = ?, "version" = "version" + 1 where "id" = ? and "version" = ?)"));
    CHECK(e.values() == "120, " + std::to_string(id) + ", 1");
  }
  // rolled back: the insert before the update is gone, and the unit of work is as it was
  CHECK(stored_balance(first, id) == 110);
  CHECK(first.em().count<Note>() == 0);
  CHECK(a2.balance == 120);
  CHECK(a2.version == 1);
  CHECK(note.id == 0);
  CHECK(em2.state(note) == ctorm::EntityState::new_entity);
  CHECK_THROWS_AS(em2.flush(), ctorm::OptimisticLockError);  // the same flush fails the same way

  // the retry: reload, apply the change again, flush
  REQUIRE(em2.refresh(a2));
  CHECK(a2.version == 2);
  a2.balance += 20;
  em2.flush();
  CHECK(a2.version == 3);
  CHECK(note.id > 0);
  CHECK(stored_balance(first, id) == 130);
}

TEST_CASE_METHOD(TwoWriters, "a delete of a row updated meanwhile fails", "[locking]") {
  std::int64_t id = 0;
  {
    auto em = first.em();
    Account& created = em.persist(Account{.owner = "doomed"});
    em.flush();
    id = created.id;
  }
  auto em1 = first.em();
  auto em2 = second.em();
  Account& a1 = em1.find_one_or_fail<Account>(id);
  Account& a2 = em2.find_one_or_fail<Account>(id);
  a1.owner = "renamed";
  em1.flush();

  em2.remove(a2);
  try {
    em2.flush();
    FAIL("the delete should have failed");
  } catch (const ctorm::OptimisticLockError& e) {
    CHECK(std::string(e.what()).find(R"(the delete of "account" )" + std::to_string(id) + " expected version 1") !=
          std::string::npos);
    CHECK(e.sql() == ctorm_test::dialect_sql(R"(delete from "account" where "id" = ? and "version" = ?)"));
  }
  CHECK(em2.state(a2) == ctorm::EntityState::removed);
  CHECK(first.em().count<Account>() == 1);
  // with the version it now knows, the delete goes through
  em2.persist(a2);  // undoes the remove
  REQUIRE(em2.refresh(a2));
  em2.remove(a2);
  em2.flush();
  CHECK(first.em().count<Account>() == 0);
}

TEST_CASE_METHOD(TwoWriters, "a removed reference is deleted by its key: it has no version to check", "[locking]") {
  std::int64_t id = 0;
  {
    auto setup = first.em();
    id = flushed_account(setup, 2).id;  // version 3
  }
  auto em = first.em();
  Account& ref = em.get_reference<Account>(id);
  em.remove(ref);
  log.clear();
  em.flush();
  CHECK(log.contains(R"(delete from "account" where "id" = ? [values: )" + std::to_string(id) + "]"));
  CHECK(em.state(ref) == ctorm::EntityState::detached);
  CHECK(second.em().count<Account>() == 0);
  // a row gone already is what the delete asked for, as without a version field
  em.remove(em.get_reference<Account>(id));
  CHECK_NOTHROW(em.flush());
}

TEST_CASE_METHOD(TwoWriters, "an update of a versioned row deleted meanwhile fails", "[locking]") {
  auto em1 = first.em();
  Account& a = em1.persist(Account{.owner = "a"});
  em1.flush();
  second.execute(R"(delete from "account")");
  a.balance = 5;
  CHECK_THROWS_AS(em1.flush(), ctorm::OptimisticLockError);
  CHECK(a.version == 1);
  CHECK_FALSE(em1.refresh(a));
}

TEST_CASE_METHOD(TwoWriters, "a partial load loads the version too", "[locking]") {
  {
    auto em = first.em();
    em.persist(Account{.owner = "a", .balance = 1});
    em.flush();
  }
  auto em = first.em();
  log.clear();
  auto rows = em.find<Account>(col<&Account::owner> == "a", ctorm::fields<&Account::balance>);
  REQUIRE(rows.size() == 1);
  CHECK(log.contains(R"(select "id", "balance", "version" from "account" where "owner" = ?)"));
  Account& a = *rows[0];
  CHECK(a.version == 1);
  a.balance = 2;
  em.flush();
  CHECK(a.version == 2);
  CHECK(stored_balance(second, a.id) == 2);
}

TEST_CASE_METHOD(TwoWriters, "em.lock checks the version a caller expects", "[locking]") {
  auto em = first.em();
  Account& a = flushed_account(em, 1);  // version 2, balance 1
  CHECK_NOTHROW(em.lock(a, 2));
  try {
    em.lock(a, 1);
    FAIL("em.lock should have failed");
  } catch (const ctorm::OptimisticLockError& e) {
    CHECK(std::string(e.what()) == R"(ctorm: optimistic lock failed: "account" )" + std::to_string(a.id) +
                                       " has version 2, expected 1");
  }
  Account stray{.id = a.id, .owner = "a", .version = 2};
  CHECK_THROWS_AS(em.lock(stray, 2), ctorm::UsageError);  // not managed
}

TEST_CASE_METHOD(TwoWriters, "a version the caller sets is the one the flush expects", "[locking]") {
  // A client that read version 1 earlier sends its change: the entity takes that version, and the flush
  // fails because the row has moved on.
  auto em = first.em();
  Account& a = flushed_account(em, 1);  // version 2, balance 1
  a.version = 1;
  a.balance = 2;
  CHECK_THROWS_AS(em.flush(), ctorm::OptimisticLockError);
  a.version = 2;
  em.flush();
  CHECK(a.version == 3);
  CHECK(stored_balance(second, a.id) == 2);
}

TEST_CASE_METHOD(TwoWriters, "without a version field: an update of a deleted row fails, a delete does not", "[locking]") {
  auto em1 = first.em();
  Note& kept = em1.persist(Note{.text = "kept"});
  Note& gone = em1.persist(Note{.text = "gone"});
  em1.flush();
  second.execute(R"(delete from "note")");

  kept.text = "changed";
  try {
    em1.flush();
    FAIL("the update should have failed");
  } catch (const ctorm::OptimisticLockError& e) {
    CHECK(std::string(e.what()).find(R"(ctorm: the update of "note" )" + std::to_string(kept.id) +
                                     " changed no row: it was deleted since it was loaded") != std::string::npos);
  }
  CHECK(em1.state(kept) == ctorm::EntityState::managed);
  CHECK_FALSE(em1.refresh(kept));

  // the row is gone already, which is what the delete asks for
  auto em2 = first.em();
  em2.persist(Note{.text = "again"});
  em2.flush();
  Note& n = em2.find_one_or_fail<Note>(col<&Note::text> == "again");
  second.execute(R"(delete from "note")");
  em2.remove(n);
  CHECK_NOTHROW(em2.flush());
  CHECK(em2.state(n) == ctorm::EntityState::detached);
  (void)gone;
}

TEST_CASE("two threads increment one counter with retries and lose no update", "[locking]") {
  FreshFile fresh;
  const std::string& file = fresh.where;
  std::int64_t id = 0;
  {
    Orm orm{file};
    if constexpr (ctorm_test::is_sqlite) orm.execute("pragma journal_mode = wal");  // readers do not wait for the writer
    orm.schema().create();
    auto em = orm.em();
    Account& created = em.persist(Account{.owner = "counter"});
    em.flush();
    id = created.id;
  }
  constexpr int increments = 200;
  int conflicts[2] = {0, 0};
  std::exception_ptr errors[2];
  auto worker = [&](int w) {
    try {
      Orm orm{file};  // waits up to the default busy timeout (5 s) for the other's lock
      for (int i = 0; i < increments; ++i) {
        auto em = orm.em();
        Account& a = em.find_one_or_fail<Account>(id);
        for (;;) {
          a.balance += 1;
          std::this_thread::sleep_for(std::chrono::microseconds(50));  // the other writer's chance to come between
          try {
            em.flush();
            break;
          } catch (const ctorm::OptimisticLockError&) {
            ++conflicts[w];
            em.refresh(a);  // drops the change: it is applied again to the row as it is now
          }
        }
      }
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::latch start(2);
  auto started = [&](int w) {
    start.arrive_and_wait();
    worker(w);
  };
  std::thread t0(started, 0);
  std::thread t1(started, 1);
  t0.join();
  t1.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  Orm orm{file};
  auto reader = orm.em();  // the entity lives as long as its entity manager
  const Account& a = reader.find_one_or_fail<Account>(id);
  CHECK(a.balance == 2 * increments);
  CHECK(a.version == 1 + 2 * increments);
  // Most runs see dozens of conflicts; none is not a failure (one thread may have had the cores to itself).
  INFO("conflicts: " << conflicts[0] << " + " << conflicts[1]);
}
