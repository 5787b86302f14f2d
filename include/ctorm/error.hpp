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
