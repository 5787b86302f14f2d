// A busy database: two Orms on one file, one holding the write lock. The busy timeout (a default, the
// option, zero), the typed error it ends in, and a failed flush that leaves its unit of work for a retry.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

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
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A new file with the schema and three notes: "keep", "change", "remove".
void fresh(const std::string& file) {
  std::remove(file.c_str());
  ctorm::Orm<Schema> orm(file);
  orm.schema().create();
  auto em = orm.em();
  for (const char* t : {"keep", "change", "remove"}) em.persist(Note{.text = t});
  em.flush();
}

// Takes the write lock, as a writer in the middle of its transaction, until `release`.
void hold_write_lock(ctorm::Orm<Schema>& holder) {
  holder.execute("begin immediate");
  auto em = holder.em();
  em.persist(Note{.text = "holder"});
  em.flush();  // a savepoint inside the holder's transaction
}

std::int64_t rows(const std::string& file) {
  ctorm::Orm<Schema> orm(file);
  return orm.em().count<Note>();
}

}  // namespace

TEST_CASE("the default busy timeout is five seconds", "[busy]") {
  CHECK(ctorm::ConnectionOptions{}.busy_timeout == 5s);
}

TEST_CASE("a flush that meets a lock waits for the timeout, throws DatabaseBusyError, and can be run again",
          "[busy]") {
  const std::string file = "busy.db";
  fresh(file);
  ctorm::Orm<Schema> holder(file);
  ctorm::Orm<Schema> waiter{file, {.busy_timeout = 50ms}};

  auto em = waiter.em();
  Note& change = em.find_one_or_fail<Note>(ctorm::col<&Note::text> == "change");
  Note& remove = em.find_one_or_fail<Note>(ctorm::col<&Note::text> == "remove");
  change.text = "changed";
  em.remove(remove);
  Note& added = em.persist(Note{.text = "added"});

  hold_write_lock(holder);
  const auto start = Clock::now();
  try {
    em.flush();
    FAIL("the flush did not meet the lock");
  } catch (const ctorm::DatabaseBusyError& e) {
    const auto waited = Clock::now() - start;
    CHECK(waited >= 50ms);
    CHECK(waited < 3s);
    CHECK((e.code() & 0xff) == SQLITE_BUSY);
    CHECK_FALSE(e.sql().empty());
  }
  // the flush rolled back: no transaction is left open, and the unit of work is as it was
  CHECK(sqlite3_get_autocommit(waiter.native_handle()) == 1);
  CHECK(em.state(added) == ctorm::EntityState::new_entity);
  CHECK(added.id == 0);
  CHECK(em.state(remove) == ctorm::EntityState::removed);
  CHECK(change.text == "changed");

  holder.execute("commit");
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
  const std::string file = "kinds.db";
  fresh(file);
  ctorm::Orm<Schema> holder(file);
  ctorm::Orm<Schema> waiter{file, {.busy_timeout = 10ms}};
  hold_write_lock(holder);
  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  CHECK_THROWS_AS(em.flush(), ctorm::RetryableError);
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseError);
  CHECK_THROWS_WITH(em.flush(), Catch::Contains("database is locked"));
  holder.execute("rollback");
  em.flush();
  CHECK(rows(file) == 4);
}

TEST_CASE("a default Orm waits for a lock another thread releases after 100 ms", "[busy]") {
  const std::string file = "default.db";
  fresh(file);
  std::latch locked{1};
  std::jthread other([&] {
    ctorm::Orm<Schema> holder(file);
    hold_write_lock(holder);
    locked.count_down();
    std::this_thread::sleep_for(100ms);
    holder.execute("commit");
  });
  locked.wait();

  ctorm::Orm<Schema> waiter(file);
  auto em = waiter.em();
  em.persist(Note{.text = "after"});
  const auto start = Clock::now();
  em.flush();
  CHECK(Clock::now() - start >= 50ms);  // it did meet the lock
  other.join();
  CHECK(rows(file) == 5);
}

TEST_CASE("a busy timeout of zero fails at once", "[busy]") {
  const std::string file = "zero.db";
  fresh(file);
  ctorm::Orm<Schema> holder(file);
  ctorm::Orm<Schema> waiter{file, {.busy_timeout = 0ms}};
  hold_write_lock(holder);

  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  auto start = Clock::now();
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseBusyError);
  CHECK(Clock::now() - start < 1s);  // not the default's five seconds
  CHECK(em.state(*em.find_one<Note>(ctorm::col<&Note::text> == "keep")) == ctorm::EntityState::managed);

  // the same through orm.execute
  start = Clock::now();
  CHECK_THROWS_AS(waiter.execute("begin immediate"), ctorm::DatabaseBusyError);
  CHECK(Clock::now() - start < 1s);
  holder.execute("commit");
  em.flush();
  CHECK(rows(file) == 5);
}

TEST_CASE("a flush inside the user's transaction that meets a lock rolls back to its savepoint only", "[busy]") {
  const std::string file = "nested.db";
  fresh(file);
  ctorm::Orm<Schema> holder(file);
  ctorm::Orm<Schema> waiter{file, {.busy_timeout = 20ms}};
  hold_write_lock(holder);

  waiter.execute("begin");
  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseBusyError);
  CHECK(sqlite3_get_autocommit(waiter.native_handle()) == 0);  // the user's transaction is still open
  holder.execute("commit");
  em.flush();
  waiter.execute("commit");
  CHECK(rows(file) == 5);
}

TEST_CASE("in the user's transaction that has read, a write that meets a lock fails without waiting", "[busy]") {
  const std::string file = "read_first.db";
  fresh(file);
  ctorm::Orm<Schema> holder(file);
  ctorm::Orm<Schema> waiter{file, {.busy_timeout = 3000ms}};
  hold_write_lock(holder);

  waiter.execute("begin");
  auto em = waiter.em();
  CHECK(em.count<Note>() == 3);  // a read lock, which the holder's commit needs gone
  em.persist(Note{.text = "late"});
  const auto start = Clock::now();
  CHECK_THROWS_AS(em.flush(), ctorm::DatabaseBusyError);
  CHECK(Clock::now() - start < 1500ms);  // SQLite does not wait for a deadlock
  waiter.execute("rollback");
  holder.execute("commit");
  em.flush();
  CHECK(rows(file) == 5);
}

TEST_CASE("a table another connection of a shared cache holds is a DatabaseBusyError", "[busy]") {
  fresh("shared.db");
  const std::string uri = "file:shared.db?cache=shared";
  ctorm::Orm<Schema> holder(uri);
  ctorm::Orm<Schema> waiter(uri);
  hold_write_lock(holder);
  auto em = waiter.em();
  em.persist(Note{.text = "late"});
  try {
    em.flush();
    FAIL("the flush did not meet the lock");
  } catch (const ctorm::DatabaseBusyError& e) {
    CHECK(e.code() == SQLITE_LOCKED_SHAREDCACHE);
  }
  holder.execute("commit");
  em.flush();
  CHECK(rows("shared.db") == 5);
}

TEST_CASE("a negative busy timeout is refused", "[busy]") {
  CHECK_THROWS_AS((ctorm::Orm<Schema>{"negative.db", {.busy_timeout = -1ms}}), ctorm::UsageError);
  CHECK_THROWS_WITH((ctorm::Orm<Schema>{"negative.db", {.busy_timeout = -1ms}}),
                    Catch::Contains("busy_timeout is negative"));
}
