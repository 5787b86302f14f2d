#pragma once
// One use of a prepared statement: bind values, step through rows, reset. Binding records where each
// value lives (db/bound_values.hpp) so that the log and error messages can print the values without
// copying them first.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "../bound_values.hpp"
#include "codec.hpp"
#include "connection.hpp"

namespace ctorm::detail {

class SqliteQuery {
 public:
  // `maybe_busy` false: the caller knows the statement is not in use (a loop that found it idle and
  // resets it after each row), which saves asking SQLite once per row.
  SqliteQuery(SqliteConnection& conn, sqlite3_stmt* st, std::string_view sql, bool maybe_busy = true)
      : conn_(conn), st_(st), sql_(sql) {
    // the cached one is in use further up the stack
    if (maybe_busy && CTORM_UNLIKELY(sqlite3_stmt_busy(st_))) prepare_copy();
    if (CTORM_UNLIKELY(conn_.logging())) start_ = std::chrono::steady_clock::now();
  }
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;
  ~SqliteQuery() {
    if (owned_)
      sqlite3_finalize(st_);
    else
      sqlite3_reset(st_);
  }

  sqlite3_stmt* handle() const noexcept { return st_; }
  std::string_view sql() const noexcept { return sql_; }
  // The current row: SQLite reads columns from the statement itself.
  SqliteRow row() const noexcept { return {st_}; }

  // `field` names the entity field the value comes from ("User.score"), for the error about a NaN.
  template <class T>
  void bind(const T& v, std::string_view field = {}) {
    const int i = bound_.add(v);
    const int rc = bind_value(st_, i, v);
    if (CTORM_UNLIKELY(rc != SQLITE_OK)) fail_bind(rc, field);
  }

  // True while there is a row to read.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (CTORM_LIKELY(rc == SQLITE_ROW)) {
      ++rows_;
      return true;
    }
    if (CTORM_LIKELY(rc == SQLITE_DONE)) return false;
    fail(rc);
  }

  // Runs a statement that returns no rows; the number of rows it changed.
  std::int64_t run(bool log_count = true) {
    while (step()) {
    }
    const std::int64_t changed = sqlite3_changes64(conn_.handle());
    if (CTORM_UNLIKELY(conn_.logging())) log(log_count ? changed : -1, false);
    return changed;
  }

  // The key SQLite generated for the row the statement (an insert) just wrote.
  std::int64_t generated_key() const noexcept { return sqlite3_last_insert_rowid(conn_.handle()); }

  // Logs a statement that returned rows, once they are all read.
  void finish_rows() {
    if (CTORM_UNLIKELY(conn_.logging())) log(rows_, true);
  }

  // The bound values, as the log prints them.
  std::string values() const { return bound_.text(); }

  CTORM_COLD [[noreturn]] void fail(int rc) const { throw_database_error(conn_.handle(), rc, sql_, values()); }

  // The value just bound was refused (a NaN: the statement does not run) or SQLite failed to bind it.
  CTORM_COLD [[noreturn]] void fail_bind(int rc, std::string_view field) const {
    if (rc != invalid_value_rc) fail(rc);
    std::string what = field.empty() ? "the value of parameter " + std::to_string(bound_.size()) : std::string(field);
    throw InvalidValueError("ctorm: " + what + " is NaN, which SQLite cannot store or compare (it would bind NULL)",
                            std::string(sql_), values());
  }

 private:
  CTORM_COLD void prepare_copy() {
    st_ = conn_.prepare(sql_, false);
    owned_ = true;
  }
  CTORM_NOINLINE void log(std::int64_t count, bool rows_are_results) const {
    conn_.log(sql_, values(), start_, count, rows_are_results);
  }

  SqliteConnection& conn_;
  sqlite3_stmt* st_;
  std::string_view sql_;
  bool owned_ = false;
  std::int64_t rows_ = 0;
  std::chrono::steady_clock::time_point start_{};
  BoundValues bound_;
};

// A transaction, or a savepoint when one is already open; rolls back unless committed.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteConnection& conn) : conn_(conn) {
    nested_ = conn_.in_transaction();
    run(nested_ ? "savepoint ctorm" : "begin");
  }
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction() {
    if (open_) {
      try {
        if (nested_) {
          run("rollback to ctorm");
          run("release ctorm");
        } else {
          run("rollback");
        }
      } catch (...) {  // nothing more can be done in a destructor; SQLite rolls back on its own errors
      }
    }
  }
  void commit() {
    run(nested_ ? "release ctorm" : "commit");
    open_ = false;
  }

 private:
  void run(const char* sql) {
    const std::string_view text{sql};
    SqliteQuery q(conn_, conn_.statement(std::string{text}), text);
    q.run(false);
  }
  SqliteConnection& conn_;
  bool nested_ = false;
  bool open_ = true;
};

}  // namespace ctorm::detail
