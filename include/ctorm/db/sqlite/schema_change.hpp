#pragma once
// The transaction a schema change (update, a migration) runs in. SQLite's table rebuild
// (lang_altertable.html, "other kinds of table schema changes") drops a table that other rows may
// reference, which with foreign keys enforced would delete or refuse them; and `pragma foreign_keys`
// does nothing inside a transaction. So enforcement is turned off before `begin`, every reference is
// checked with `pragma foreign_key_check` before `commit`, and enforcement comes back on however the
// change ends.
#include <sqlite3.h>

#include <string>

#include "../../error.hpp"
#include "connection.hpp"

namespace ctorm::detail {

class SqliteSchemaChange {
 public:
  explicit SqliteSchemaChange(SqliteConnection& conn) : conn_(conn) {
    if (conn_.in_transaction())
      throw UsageError(
          "ctorm: a schema change cannot run inside a transaction on SQLite (it turns foreign-key enforcement "
          "off for the table rebuild, which SQLite allows only outside one); commit or roll back first");
    conn_.execute("pragma foreign_keys = off");
    try {
      conn_.execute("begin immediate");
    } catch (...) {
      enforce();
      throw;
    }
  }
  SqliteSchemaChange(const SqliteSchemaChange&) = delete;
  SqliteSchemaChange& operator=(const SqliteSchemaChange&) = delete;
  ~SqliteSchemaChange() {
    if (open_) {
      try {
        if (conn_.in_transaction()) conn_.execute("rollback");
      } catch (...) {  // nothing more can be done in a destructor
      }
    }
    enforce();
  }

  // Runs one statement of the change.
  void execute(std::string_view sql) { conn_.execute(sql); }

  // Checks every foreign key, then commits; a dangling reference throws ForeignKeyConstraintViolation
  // naming the table and row, and the change rolls back.
  void commit() {
    check_foreign_keys();
    conn_.execute("commit");
    open_ = false;
  }

 private:
  void check_foreign_keys() {
    static constexpr std::string_view sql = "pragma foreign_key_check";
    sqlite3_stmt* st = conn_.prepare(sql, false);
    std::string found;
    int rows = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      if (rows++ < 5) {
        if (!found.empty()) found += "; ";
        found += "a row of \"";
        found += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        found += '"';
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) found += " (rowid " + std::to_string(sqlite3_column_int64(st, 1)) + ")";
        found += " references a missing row of \"";
        found += reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
        found += '"';
      }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw_database_error(conn_.handle(), rc, sql, {});
    if (rows)
      throw ForeignKeyConstraintViolation("ctorm: the schema change leaves " + std::to_string(rows) +
                                              " dangling reference(s), so it was rolled back: " + found,
                                          std::string(sql));
  }
  void enforce() noexcept {
    try {
      conn_.execute("pragma foreign_keys = on");
    } catch (...) {  // the connection is closing or broken: nothing left to protect
    }
  }

  SqliteConnection& conn_;
  bool open_ = true;
};

}  // namespace ctorm::detail
