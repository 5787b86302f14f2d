#pragma once
// A transaction the user opens (em.transactional, em.begin): `begin`, or a savepoint named after its
// depth when a transaction is already open, so that an inner one rolls back only its own work.
#include <sqlite3.h>

#include <string>

#include "connection.hpp"

namespace ctorm {

// How `begin` takes SQLite's locks. `deferred` (SQLite's default) takes the write lock at the first
// write, which fails at once with DatabaseBusyError when another writer got in after this transaction
// read; `immediate` takes it at `begin`, where a busy database waits under the busy timeout instead.
// Inside an open transaction (a savepoint) the mode does not apply.
enum class TransactionMode { deferred, immediate, exclusive };

namespace detail {

class TransactionScope {
 public:
  TransactionScope(Connection& conn, int depth, TransactionMode mode) : conn_(conn) {
    if (sqlite3_get_autocommit(conn_.handle()) == 0) {
      savepoint_ = "ctorm_tx" + std::to_string(depth);
      conn_.execute("savepoint " + savepoint_);
    } else {
      conn_.execute(mode == TransactionMode::immediate   ? "begin immediate"
                    : mode == TransactionMode::exclusive ? "begin exclusive"
                                                         : "begin");
    }
  }
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;
  ~TransactionScope() {
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
      if (sqlite3_get_autocommit(conn_.handle()) == 0) conn_.execute("rollback");
    } else {
      conn_.execute("rollback to " + savepoint_);
      conn_.execute("release " + savepoint_);
    }
  }

 private:
  Connection& conn_;
  std::string savepoint_;  // empty: the outermost transaction
  bool open_ = true;
};

}  // namespace detail
}  // namespace ctorm
