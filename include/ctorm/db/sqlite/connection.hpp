#pragma once
// One SQLite connection: its prepared statements, cached for the connection's life, and the query log.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/flat_map.hpp"

#include "../../config.hpp"
#include "../../error.hpp"
#include "../connection_options.hpp"
#include "../query_log.hpp"
#include "../statement_slot.hpp"

namespace ctorm::detail {

CTORM_COLD [[noreturn]] inline void throw_database_error(sqlite3* db, int rc, std::string_view sql, std::string values) {
  const int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text{sql};
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw UniqueConstraintViolation("ctorm: " + msg, std::move(text), std::move(values), ext);
    case SQLITE_CONSTRAINT_NOTNULL:
      throw NotNullConstraintViolation("ctorm: " + msg, std::move(text), std::move(values), ext);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw ForeignKeyConstraintViolation("ctorm: " + msg, std::move(text), std::move(values), ext);
    default:
      break;
  }
  // every SQLITE_BUSY (the timeout ran out, WAL recovery, a stale WAL snapshot); of SQLITE_LOCKED only
  // another connection's hold on a shared cache, the rest being this connection's own conflicts
  if ((ext & 0xff) == SQLITE_BUSY || ext == SQLITE_LOCKED_SHAREDCACHE)
    throw DatabaseBusyError("ctorm: " + msg, std::move(text), std::move(values), ext);
  if ((ext & 0xff) == SQLITE_CONSTRAINT) throw ConstraintViolation("ctorm: " + msg, std::move(text), std::move(values), ext);
  if (msg.rfind("no such table", 0) == 0) throw TableNotFoundError("ctorm: " + msg, std::move(text), std::move(values), ext);
  throw DatabaseError("ctorm: " + msg, std::move(text), std::move(values), ext);
}

struct SqliteDialect;

class SqliteConnection {
 public:
  using Logger = QueryLogger::Logger;

  explicit SqliteConnection(const std::string& path, const ConnectionOptions& options = {}) {
    const int busy_ms = busy_timeout_ms(options.busy_timeout);
    // A connection, like the entity managers on it, is used by one thread at a time, so SQLite's own
    // mutex is pure overhead (10-15% on point lookups): open without it.
    const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw DatabaseError("ctorm: cannot open database '" + path + "': " + msg, {}, {}, rc);
    }
    sqlite3_extended_result_codes(db_, 1);
    // A double-quoted name that matches no column is an error, not SQLite's fallback of reading it as a
    // string literal (which made a misspelt column name come back as its own text). DDL too: a table
    // created on this connection cannot carry such a default or check. (SQLite 3.29 and later.)
#ifdef SQLITE_DBCONFIG_DQS_DML
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
#endif
#ifdef SQLITE_DBCONFIG_DQS_DDL
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
#endif
    // before the first statement, so that every statement on this connection waits, the user's pragmas too
    sqlite3_busy_timeout(db_, busy_ms);
    try {
      execute("pragma foreign_keys = on");
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() {
    for (sqlite3_stmt* st : slots_) sqlite3_finalize(st);
    by_text_.for_each([](const std::string&, sqlite3_stmt* st) { sqlite3_finalize(st); });
    sqlite3_close_v2(db_);
  }

  using dialect = SqliteDialect;

  sqlite3* handle() const noexcept { return db_; }

  // Between `begin` and its commit or rollback (SQLite's autocommit is off).
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
  // A failed statement undoes only itself; the transaction around it goes on.
  static constexpr bool errors_abort_transaction = false;

  // The most values one statement can bind.
  std::size_t max_parameters() const noexcept {
    return static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  }

  // The cached statement of a compile-time text.
  sqlite3_stmt* statement(std::size_t slot, std::string_view sql) {
    if (CTORM_LIKELY(slot < slots_.size() && slots_[slot])) return slots_[slot];
    return prepare_slot(slot, sql);
  }

  // The text a statement was prepared from (SQLite keeps it with the statement).
  static std::string_view sql_of(sqlite3_stmt* st) noexcept { return sqlite3_sql(st); }

  // Whether the statement is being stepped further up the stack (a second use needs its own copy).
  static bool busy(sqlite3_stmt* st) noexcept { return sqlite3_stmt_busy(st) != 0; }

  // The statement cached in a slot, or nullptr: for slot texts built at run time, only on a miss.
  sqlite3_stmt* cached(std::size_t slot) const noexcept { return slot < slots_.size() ? slots_[slot] : nullptr; }

  // The cached statement of a text made at run time (built once per shape by the caller).
  sqlite3_stmt* statement(const std::string& sql) {
    if (sqlite3_stmt** found = by_text_.find(sql)) return *found;
    by_text_.reserve(by_text_.size() + 1);  // so that a prepared statement is never lost to bad_alloc
    sqlite3_stmt* st = prepare(sql, true);
    by_text_.try_emplace(sql, st);
    return st;
  }

  sqlite3_stmt* prepare(std::string_view sql, bool persistent) {
    sqlite3_stmt* st = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, nullptr);
    if (rc != SQLITE_OK) throw_database_error(db_, rc, sql, {});
    return st;
  }

  // Runs statements that take no values (DDL, pragmas), logging each.
  void execute(std::string_view sql) {
    const auto start = std::chrono::steady_clock::now();
    char* err = nullptr;
    const std::string text{sql};
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) throw_database_error(db_, rc, sql, {});
    if (logging()) log(sql, {}, start, -1, false);
  }

  void set_logger(Logger logger) { log_.set_logger(std::move(logger)); }
  bool logging() const noexcept { return log_.logging(); }
  void log(std::string_view sql, std::string_view values, std::chrono::steady_clock::time_point start,
           std::int64_t count, bool rows_are_results) const {
    log_.log(sql, values, start, count, rows_are_results);
  }

 private:
  static int busy_timeout_ms(std::chrono::milliseconds timeout) {
    if (timeout.count() < 0)
      throw UsageError("ctorm: busy_timeout is negative (" + std::to_string(timeout.count()) + " ms); 0 fails at once");
    // SQLite takes an int: longer than 24 days waits that long
    return static_cast<int>(std::min<std::chrono::milliseconds::rep>(timeout.count(), std::numeric_limits<int>::max()));
  }

  // First use of a slot in this connection: out of line, the call sites keep only the lookup.
  CTORM_NOINLINE sqlite3_stmt* prepare_slot(std::size_t slot, std::string_view sql) {
    if (slot >= slots_.size()) slots_.resize(slot + 1, nullptr);
    slots_[slot] = prepare(sql, true);
    return slots_[slot];
  }

  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> slots_;
  FlatMap<std::string, sqlite3_stmt*> by_text_;
  QueryLogger log_;
};

}  // namespace ctorm::detail
