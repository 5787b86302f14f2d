#pragma once
// The statements of a flush, row by row. A backend's batch may hold them back and send many at once
// (PostgreSQL's pipeline: db/postgres/batch.hpp); SQLite's runs each at once, in the caller's loop, which
// is as fast as a hand-written loop over one prepared statement: a round trip costs nothing in-process.
#include <cstdint>
#include <string>
#include <string_view>

#include "../statement_slot.hpp"
#include "connection.hpp"
#include "query.hpp"

namespace ctorm::detail {

class SqliteBatch {
 public:
  // What a statement of the batch did, given to its `done` callback.
  struct Result {
    const SqliteQuery& query;
    std::int64_t changed;  // rows inserted, updated or deleted
    std::int64_t key() const noexcept { return query.generated_key(); }
    std::string values() const { return query.values(); }
    std::string_view sql() const noexcept { return query.sql(); }
  };

  explicit SqliteBatch(SqliteConnection& conn) noexcept : conn_(conn) {}
  SqliteBatch(const SqliteBatch&) = delete;
  SqliteBatch& operator=(const SqliteBatch&) = delete;

  // Runs the statement of `text`: bind(query) binds its values, done(result) sees what it did. The
  // statement is looked up, and asked whether it is in use further up the stack, once for a run of rows
  // of one text: each row resets it.
  template <class Bind, class Done>
  void run(const StatementText& text, Bind&& bind, Done&& done) {
    if (&text != text_) {
      text_ = &text;
      statement_ = conn_.statement(text.slot(), text.sql);
      busy_ = SqliteConnection::busy(statement_);
    }
    run(statement_, text.sql, busy_, bind, done);
  }

  // The same with a statement the caller prepared.
  template <class Bind, class Done>
  void run(sqlite3_stmt* st, std::string_view sql, bool busy, Bind&& bind, Done&& done) {
    SqliteQuery q(conn_, st, sql, busy);
    bind(q);
    const std::int64_t changed = q.run();
    done(Result{q, changed});
  }

  // Every statement has run already.
  void finish() noexcept {}

 private:
  SqliteConnection& conn_;
  const StatementText* text_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  bool busy_ = false;
};

}  // namespace ctorm::detail
