#pragma once
// The transaction a schema change (update, a migration) runs in. PostgreSQL's DDL is transactional and
// its `alter table` does what SQLite needs a table rebuild for, so a change is a plain transaction (a
// savepoint inside the caller's): every reference is checked as each statement runs.
#include <string_view>

#include "connection.hpp"
#include "transaction.hpp"

namespace ctorm::detail {

class PgSchemaChange {
 public:
  explicit PgSchemaChange(PgConnection& conn) : conn_(conn), tx_(conn) {}

  // Runs one statement of the change.
  void execute(std::string_view sql) { conn_.execute(sql); }
  void commit() { tx_.commit(); }

 private:
  PgConnection& conn_;
  PgTransaction tx_;
};

}  // namespace ctorm::detail
