#pragma once
// The errors ctorm throws. Every database error carries the SQL text and the values bound to it.
#include <stdexcept>
#include <string>
#include <string_view>

namespace ctorm {

// The base of every ctorm error.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string sql = {}, std::string values = {}, int code = 0)
      : std::runtime_error(compose(message, sql, values)), sql_(std::move(sql)), values_(std::move(values)), code_(code) {}

  // The statement that failed, with `?` where values were bound (empty when no statement ran).
  const std::string& sql() const noexcept { return sql_; }
  // The bound values, as the query log prints them.
  const std::string& values() const noexcept { return values_; }
  // SQLite's extended result code, or 0.
  int code() const noexcept { return code_; }

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
};

// find_one_or_fail and load found no row.
class NotFoundError : public Error {
 public:
  using Error::Error;
};
// Any error reported by SQLite that has no more specific type.
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
// shared cache (SQLITE_LOCKED_SHAREDCACHE). A flush that meets it rolls back and can be run again.
class DatabaseBusyError : public RetryableError {
 public:
  using RetryableError::RetryableError;
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
// A value ctorm will not bind: a NaN (SQLite would store NULL in its place). Thrown before the statement
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

}  // namespace ctorm
