// A busy database: two Orms on one database, one holding a lock the other's writes wait for. The busy
// timeout (a default, the option, zero), the typed error it ends in, and a failed flush that leaves its
// unit of work for a retry. SQLite: the file's write lock; PostgreSQL: a table lock and lock_timeout. Only
// SQLite has a shared cache and gives up at once on a deadlock of its locks (those cases are its own).
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include "support/backend.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <latch>
#include <string>
#include <thread>

namespace {

struct Note {
  std::int64_t id{};
  std::string text;
};

using Schema = ctorm::schema<Note>;
using Orm = ctorm_test::Orm<Schema>;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A new database (SQLite: the file) with the schema and three notes: "keep", "change", "remove".
std::string fresh(const std::string& file) {
  std::string where = ctorm_test::fresh_database(file);
  Orm orm(where);
  orm.schema().create();
  auto em = orm.em();
  for (const char* t : {"keep", "change", "remove"}) em.persist(Note{.text = t});
  em.flush();
  return where;
}

// A writer in the middle of its transaction, which has written a note, holding the lock others' writes
// wait for until commit() or rollback(): SQLite's write lock of the file, PostgreSQL's lock of the table
// (in exclusive mode: others may read it, not write it).
class Holder {
 public:
  explicit Holder(Orm& orm) : em_(orm.em()) {
    if constexpr (ctorm_test::is_sqlite)
      em_.connection().execute("begin immediate");
    else
      em_.connection().execute(R"(begin; lock table "note" in exclusive mode)");
    em_.persist(Note{.text = "holder"});
    em_.flush();  // a savepoint inside the holder's transaction
  }
  void commit() { em_.connection().execute("commit"); }
  void rollback() { em_.connection().execute("rollback"); }

 private:
  ctorm_test::Em<Schema> em_;
};

std::int64_t rows(const std::string& where) {
  Orm orm(where);
  return orm.em().count<Note>();
}

}  // namespace

TEST_CASE("the default busy timeout is five seconds", "[busy]") {
  CHECK(ctorm::ConnectionOptions{}.busy_timeout == 5s);
}

TEST_CASE("a flush that meets a lock waits for the timeout, throws DatabaseBusyError, and can be run again",
          "[busy]") {
  const std::string file = fresh("busy.db");
  Orm holder(file);
  Orm waiter{file, {.busy_timeout = 50ms}};

  auto em = waiter.em();
  Note& change = em.find_one_or_fail<Note>(ctorm::col<&Note::text> == "change");
  Note& remove = em.find_one_or_fail<Note>(ctorm::col<&Note::text> == "remove");
  change.text = "changed";
  em.remove(remove);
  Note& added = em.persist(Note{.text = "added"});

  Holder lock(holder);
  const auto start = Clock::now();
  try {
    em.flush();
    FAIL("the flush did not meet the lock");
  } catch (const ctorm::DatabaseBusyError& e) {
    const auto waited = Clock::now() - start;
    CHECK(waited >= 50ms);
    CHECK(waited < 3s);
    if constexpr (ctorm_test::is_sqlite)
      CHECK((e.code() & 0xff) == SQLITE_BUSY);
    else
      CHECK(e.sql_state() == "55P03");  // lock_not_available
    CHECK_FALSE(e.sql().empty());
  }
  // the flush rolled back: no transaction is left open, and the unit of work is as it was
  CHECK_FALSE(em.connection().in_transaction());
  CHECK(em.state(added) == ctorm::EntityState::new_entity);
  CHECK(added.id == 0);
  CHECK(em.state(remove) == ctorm::EntityState::removed);
  CHECK(change.text == "changed");

  lock.commit();
  em.flush();
  CHECK(em.state(added) == ctorm::EntityState::managed);
  CHECK(added.id != 0);
  CHECK(em.state(remove) == ctorm::EntityState::detached);

  auto check = waiter.em();
  CHECK(check.count<Note>() == 4);  // keep, changed, added, holder
  CHECK(check.count<Note>(ctorm::col<&Note::text> == "changed") == 1);
  CHECK(check.count<Note>(ctorm::col<&Note::text> == "remove") == 0);
  CHECK(check.count<Note>(ctorm::col<&Note::text> == "added") == 1);
}

TEST_CASE("the error is a RetryableError and a DatabaseError", "[busy]") {
  const std::string file = fresh("kinds.db");
  Orm holder(file);
  Orm waiter{file, {.busy_timeout = 10ms}};
  Holder lock(holder);
  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  CHECK_THROWS_AS(em.flush(), ctorm::RetryableError);
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseError);
  CHECK_THROWS_WITH(em.flush(), Catch::Contains(ctorm_test::is_sqlite ? "database is locked"
                                                                       : "canceling statement due to lock timeout"));
  lock.rollback();
  em.flush();
  CHECK(rows(file) == 4);
}

TEST_CASE("a default Orm waits for a lock another thread releases after 100 ms", "[busy]") {
  const std::string file = fresh("default.db");
  std::latch locked{1};
  std::jthread other([&] {
    Orm holder(file);
    Holder lock(holder);
    locked.count_down();
    std::this_thread::sleep_for(100ms);
    lock.commit();
  });
  locked.wait();

  Orm waiter(file);
  auto em = waiter.em();
  em.persist(Note{.text = "after"});
  const auto start = Clock::now();
  em.flush();
  CHECK(Clock::now() - start >= 50ms);  // it did meet the lock
  other.join();
  CHECK(rows(file) == 5);
}

TEST_CASE("a busy timeout of zero fails at once", "[busy]") {
  const std::string file = fresh("zero.db");
  Orm holder(file);
  Orm waiter{file, {.busy_timeout = 0ms}};
  Holder lock(holder);

  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  auto start = Clock::now();
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseBusyError);
  CHECK(Clock::now() - start < 1s);  // not the default's five seconds
  CHECK(em.state(*em.find_one<Note>(ctorm::col<&Note::text> == "keep")) == ctorm::EntityState::managed);

  // the same through orm.execute
  start = Clock::now();
  CHECK_THROWS_AS(waiter.execute(ctorm_test::is_sqlite ? "begin immediate" : R"(update "note" set "text" = "text")"),
                  ctorm::DatabaseBusyError);
  CHECK(Clock::now() - start < 1s);
  lock.commit();
  em.flush();
  CHECK(rows(file) == 5);
}

TEST_CASE("a flush inside the user's transaction that meets a lock rolls back to its savepoint only", "[busy]") {
  const std::string file = fresh("nested.db");
  Orm holder(file);
  Orm waiter{file, {.busy_timeout = 20ms}};
  Holder lock(holder);

  auto em = waiter.em();
  em.connection().execute("begin");
  em.persist(Note{.text = "late"});
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseBusyError);
  CHECK(em.connection().in_transaction());  // the user's transaction is still open, and usable
  lock.commit();
  em.flush();
  em.connection().execute("commit");
  CHECK(rows(file) == 5);
}

// SQLite-only: a reader that wants to write while another connection holds the write lock is a deadlock
// of SQLite's locks, which it reports at once. PostgreSQL's reader holds no lock the writer needs.
#if !defined(CTORM_TEST_POSTGRES)
TEST_CASE("in the user's transaction that has read, a write that meets a lock fails without waiting", "[busy]") {
  const std::string file = fresh("read_first.db");
  Orm holder(file);
  Orm waiter{file, {.busy_timeout = 3000ms}};
  Holder lock(holder);

  waiter.execute("begin");
  auto em = waiter.em();
  CHECK(em.count<Note>() == 3);  // a read lock, which the holder's commit needs gone
  em.persist(Note{.text = "late"});
  const auto start = Clock::now();
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseBusyError);
  CHECK(Clock::now() - start < 1500ms);  // SQLite does not wait for a deadlock
  waiter.execute("rollback");
  lock.commit();
  em.flush();
  CHECK(rows(file) == 5);
}

// SQLite-only: its shared cache.
TEST_CASE("a table another connection of a shared cache holds is a DatabaseBusyError", "[busy]") {
  fresh("shared.db");
  const std::string uri = "file:shared.db?cache=shared";
  Orm holder(uri);
  Orm waiter(uri);
  Holder lock(holder);
  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  try {
    em.flush();
    FAIL("the flush did not meet the lock");
  } catch (const ctorm::DatabaseBusyError& e) {
    CHECK(e.code() == SQLITE_LOCKED_SHAREDCACHE);
  }
  lock.commit();
  em.flush();
  CHECK(rows("shared.db") == 5);
}
#endif

TEST_CASE("a negative busy timeout is refused", "[busy]") {
  const std::string where = ctorm_test::fresh_database("negative.db");
  CHECK_THROWS_AS((Orm{where, {.busy_timeout = -1ms}}), ctorm::UsageError);
  CHECK_THROWS_WITH((Orm{where, {.busy_timeout = -1ms}}),
                    Catch::Contains("busy_timeout is negative"));
}
