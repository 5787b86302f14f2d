#pragma once
// The SQLite backend: `ctorm::Orm<Schema>` (the default) or `ctorm::Orm<Schema, ctorm::sqlite>`. The code
// above db/ reaches the database only through these types.
#include "../shared_connection.hpp"
#include "batch.hpp"
#include "connection.hpp"
#include "dialect.hpp"
#include "introspection.hpp"
#include "migration_table.hpp"
#include "query.hpp"
#include "schema_change.hpp"
#include "schema_editor.hpp"
#include "transaction.hpp"

namespace ctorm {

struct sqlite {
  static constexpr const char* name = "sqlite";  // for messages and the command line
  using dialect = detail::SqliteDialect;
  using connection = detail::SqliteConnection;
  using query = detail::SqliteQuery;
  using row = detail::SqliteRow;  // SQLite reads a row's columns from its statement
  using statement = sqlite3_stmt*;
  using batch = detail::SqliteBatch;
  using transaction = detail::SqliteTransaction;
  using transaction_scope = detail::SqliteTransactionScope;
  using schema_change = detail::SqliteSchemaChange;  // foreign keys off for a rebuild, checked before commit
  using introspection = detail::SqliteIntrospection;  // the live schema, read into db/schema_description.hpp
  using schema_editor = detail::SqliteSchemaEditor;  // run-time DDL of a schema update
  using migration_table = detail::SqliteMigrationTable;  // the table of applied migrations
  using connection_source = detail::SharedConnection<detail::SqliteConnection>;
};

}  // namespace ctorm
