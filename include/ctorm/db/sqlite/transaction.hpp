#pragma once
// A transaction the user opens (em.transactional, em.begin): `begin`, or a savepoint named after its
// depth when a transaction is already open, so that an inner one rolls back only its own work.
#include <sqlite3.h>

#include <string>

#include "../transaction_mode.hpp"
#include "connection.hpp"

namespace ctorm {

namespace detail {

class SqliteTransactionScope {
 public:
  SqliteTransactionScope(SqliteConnection& conn, int depth, TransactionMode mode) : conn_(conn) {
    if (conn_.in_transaction()) {
      savepoint_ = "ctorm_tx" + std::to_string(depth);
      conn_.execute("savepoint " + savepoint_);
    } else {
      conn_.execute(mode == TransactionMode::immediate   ? "begin immediate"
                    : mode == TransactionMode::exclusive ? "begin exclusive"
                                                         : "begin");
    }
  }
  SqliteTransactionScope(const SqliteTransactionScope&) = delete;
  SqliteTransactionScope& operator=(const SqliteTransactionScope&) = delete;
  ~SqliteTransactionScope() {
    if (open_) {
      try {
        rollback();
      } catch (...) {  // nothing more can be done in a destructor; SQLite rolls back on its own errors
      }
    }
  }

  void commit() {
    conn_.execute(savepoint_.empty() ? std::string("commit") : "release " + savepoint_);
    open_ = false;
  }
  void rollback() {
    open_ = false;
    if (savepoint_.empty()) {
      // SQLite may have rolled back already (some errors do): then there is nothing to undo.
      if (conn_.in_transaction()) conn_.execute("rollback");
    } else {
      conn_.execute("rollback to " + savepoint_);
      conn_.execute("release " + savepoint_);
    }
  }

 private:
  SqliteConnection& conn_;
  std::string savepoint_;  // empty: the outermost transaction
  bool open_ = true;
};

}  // namespace detail
}  // namespace ctorm
