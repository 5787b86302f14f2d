#pragma once
// The errors ctorm throws. Every database error carries the SQL text and the values bound to it.
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ctorm {

// The base of every ctorm error.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string sql = {}, std::string values = {}, int code = 0,
                 std::string_view sql_state = {})
      : std::runtime_error(compose(message, sql, values)), sql_(std::move(sql)), values_(std::move(values)), code_(code) {
    sql_state.copy(sql_state_, sizeof sql_state_ - 1);
  }

  // The statement that failed, with its placeholders (`?` on SQLite, `$1` on PostgreSQL) where values were
  // bound (empty when no statement ran).
  const std::string& sql() const noexcept { return sql_; }
  // The bound values, as the query log prints them.
  const std::string& values() const noexcept { return values_; }
  // SQLite's extended result code, or 0 (always 0 on PostgreSQL: see sql_state()).
  int code() const noexcept { return code_; }
  // PostgreSQL's SQLSTATE, five characters ("23505" for a unique violation, "40001" for a serialization
  // failure); empty on SQLite and for errors that no server reported (a refused value, a read that does not
  // fit, a connection that could not be opened).
  std::string_view sql_state() const noexcept { return sql_state_; }

 private:
  static std::string compose(const std::string& message, const std::string& sql, const std::string& values) {
    std::string m = message;
    if (!sql.empty()) {
      m += "\n  sql: ";
      m += sql;
    }
    if (!values.empty()) {
      m += "\n  values: ";
      m += values;
    }
    return m;
  }
  std::string sql_;
  std::string values_;
  int code_;
  char sql_state_[6] = {};
};

// find_one_or_fail and load found no row.
class NotFoundError : public Error {
 public:
  using Error::Error;
};
// Any error reported by the database that has no more specific type.
class DatabaseError : public Error {
 public:
  using Error::Error;
};
// The database could not do it now, but the same work may succeed when tried again: catch this to retry
// a flush (or a whole transaction of yours) without knowing which database or which cause.
class RetryableError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
// Another connection held a lock for longer than the busy timeout (SQLITE_BUSY), or held a table of a
// shared cache (SQLITE_LOCKED_SHAREDCACHE). A flush that meets it rolls back and can be run again. On
// PostgreSQL: a lock not granted within the busy timeout (55P03, lock_timeout) or a statement cancelled
// (57014, statement_timeout or a cancel request).
class DatabaseBusyError : public RetryableError {
 public:
  using RetryableError::RetryableError;
};
// PostgreSQL could not order this transaction with others that ran at the same time (SQLSTATE 40001, at
// the repeatable read and serializable isolation levels): the transaction was rolled back, and running
// it again from its start may succeed.
class SerializationFailure : public RetryableError {
 public:
  using RetryableError::RetryableError;
};
// PostgreSQL found this transaction and another waiting for each other's locks (SQLSTATE 40P01) and
// rolled this one back; running it again from its start may succeed.
class DeadlockDetected : public RetryableError {
 public:
  using RetryableError::RetryableError;
};
// The connection to the database server could not be opened or was lost (PostgreSQL: the server is
// unreachable, refused the login, shut down or ended the session; SQLSTATE class 08 or 57P01..57P03).
// The connection is unusable afterwards; a transaction that was open on it was rolled back by the server.
class ConnectionError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
class ConstraintViolation : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
class UniqueConstraintViolation : public ConstraintViolation {
 public:
  using ConstraintViolation::ConstraintViolation;
};
class NotNullConstraintViolation : public ConstraintViolation {
 public:
  using ConstraintViolation::ConstraintViolation;
};
class ForeignKeyConstraintViolation : public ConstraintViolation {
 public:
  using ConstraintViolation::ConstraintViolation;
};
class TableNotFoundError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
// A value ctorm will not bind: a NaN (SQLite would store NULL in its place; PostgreSQL, which could store
// it, refuses it too so that both behave alike), or text holding a NUL byte on PostgreSQL (whose text
// cannot hold one). Thrown before the statement
// runs; a flush that meets one rolls back and leaves its unit of work as it was.
class InvalidValueError : public Error {
 public:
  using Error::Error;
};
// A stored value that does not fit the field it is read into: an integer out of the field's range, a real
// that is not a whole number read into an integer, text or a blob read into a number.
class ValueMismatchError : public Error {
 public:
  using Error::Error;
};
// A misuse of the entity manager found at run time (an entity it does not manage, say).
class UsageError : public Error {
 public:
  using Error::Error;
};
// A flush's update or delete found its row changed (another version) or gone, or em.lock() found another
// version: someone else wrote the row since it was loaded. The message names the table, the key and the
// version expected.
class OptimisticLockError : public Error {
 public:
  using Error::Error;
};

// The migrations could not be read or one could not run. Thrown before anything runs for a migrations
// folder that is malformed (a file name not `<timestamp>_<name>.up.sql` / `.down.sql`, a missing down
// file, two migrations with one name), an applied migration whose file changed since, or a `to` no
// migration has; and, after its transaction was rolled back, for a migration whose statement failed.
// migration(): the migration's name (empty when the error is about no single one); sql(): the statement
// that failed; code() and sql_state() are the database error's, and cause() is that error itself.
class MigrationError : public Error {
 public:
  explicit MigrationError(const std::string& message, std::string migration = {}, std::string sql = {}, int code = 0,
                          std::string_view sql_state = {}, std::exception_ptr cause = nullptr)
      : Error(message, std::move(sql), {}, code, sql_state), migration_(std::move(migration)), cause_(std::move(cause)) {}
  const std::string& migration() const noexcept { return migration_; }
  // The database's error (or the exception a compiled migration threw); null when there is none.
  std::exception_ptr cause() const noexcept { return cause_; }

 private:
  std::string migration_;
  std::exception_ptr cause_;
};

}  // namespace ctorm
