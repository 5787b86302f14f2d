#pragma once
// PostgreSQL's transactions, the counterparts of SQLite's: PgTransaction (a flush's own, as
// SqliteTransaction in db/sqlite/query.hpp) and PgTransactionScope (the user's em.begin/em.transactional,
// as db/sqlite/transaction.hpp). Each is a `begin`, or a savepoint when a transaction is already open,
// and rolls back unless committed.
//
// What differs from SQLite: after an error inside a transaction, PostgreSQL refuses every statement until
// the transaction, or a savepoint taken before the error, is rolled back. The rollbacks here work in that
// state; a commit of an aborted transaction (which PostgreSQL would turn into a silent rollback) throws.
// A lost connection needs no rollback: the server ended its transaction with the session.
#include <libpq-fe.h>

#include <string>

#include "../../error.hpp"
#include "../transaction_mode.hpp"
#include "connection.hpp"

namespace ctorm::detail {

// Commits the outermost transaction. It throws, changing nothing, when an error aborted the transaction
// (PostgreSQL would turn the commit into a silent rollback) or when there is none any more (a failed
// commit ends it on the server): only a rollback ends either, so that the entity manager's rollback()
// puts its entities back in step with the database, and a second commit() never reports a success.
inline void pg_commit(PgConnection& conn) {
  if (CTORM_UNLIKELY(conn.transaction_aborted()))
    throw DatabaseError(
        "ctorm: the transaction cannot commit: an error aborted it (PostgreSQL runs nothing after an error "
        "in a transaction until it is rolled back); roll it back",
        "commit", {}, 0, "25P02");
  if (CTORM_UNLIKELY(!conn.in_transaction()))
    throw DatabaseError(
        "ctorm: the transaction cannot commit: it is over (a commit that failed, or the server, ended it "
        "and rolled it back); roll it back",
        "commit", {}, 0, "25P01");
  conn.execute("commit");
}

// Undoes the outermost transaction, or the work since savepoint `name`, which it also releases.
inline void pg_rollback(PgConnection& conn, const std::string& savepoint) {
  if (conn.lost()) return;
  if (savepoint.empty()) {
    // a failed commit has ended the transaction already
    if (conn.in_transaction()) conn.execute("rollback");
  } else {
    conn.execute("rollback to " + savepoint);  // also ends the aborted state
    conn.execute("release " + savepoint);
  }
}

// A transaction, or a savepoint when one is already open; rolls back unless committed.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) {
    if (conn_.in_transaction()) savepoint_ = "ctorm";
    conn_.execute(savepoint_.empty() ? "begin" : "savepoint ctorm");
  }
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction() {
    if (open_) {
      try {
        pg_rollback(conn_, savepoint_);
      } catch (...) {  // nothing more can be done in a destructor
      }
    }
  }
  void commit() {
    if (savepoint_.empty())
      pg_commit(conn_);
    else
      conn_.execute("release ctorm");
    open_ = false;
  }

 private:
  PgConnection& conn_;
  std::string savepoint_;  // empty: the outermost transaction
  bool open_ = true;
};

// A transaction the user opens: `begin`, or a savepoint named after its depth when a transaction is
// already open, so that an inner one rolls back only its own work. Every TransactionMode is a plain
// `begin` (read committed): PostgreSQL has no database lock to take up front, and rows are locked as they
// are written whatever the mode.
class PgTransactionScope {
 public:
  PgTransactionScope(PgConnection& conn, int depth, TransactionMode mode) : conn_(conn) {
    (void)mode;
    if (conn_.in_transaction()) {
      savepoint_ = "ctorm_tx" + std::to_string(depth);
      conn_.execute("savepoint " + savepoint_);
    } else {
      conn_.execute("begin");
    }
  }
  PgTransactionScope(const PgTransactionScope&) = delete;
  PgTransactionScope& operator=(const PgTransactionScope&) = delete;
  ~PgTransactionScope() {
    if (open_) {
      try {
        rollback();
      } catch (...) {  // nothing more can be done in a destructor
      }
    }
  }

  void commit() {
    if (savepoint_.empty())
      pg_commit(conn_);
    else
      conn_.execute("release " + savepoint_);
    open_ = false;
  }
  void rollback() {
    open_ = false;
    pg_rollback(conn_, savepoint_);
  }

 private:
  PgConnection& conn_;
  std::string savepoint_;  // empty: the outermost transaction
  bool open_ = true;
};

}  // namespace ctorm::detail
