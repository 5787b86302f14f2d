#pragma once
// The PostgreSQL backend: `ctorm::Orm<Schema, ctorm::postgres> orm{"postgresql://user@host/db"};`. Include
// <ctorm/postgres.hpp> and link ctorm::postgres (libpq); SQLite-only programs never see libpq.
#include "../connection_pool.hpp"
#include "batch.hpp"
#include "codec.hpp"
#include "connection.hpp"
#include "dialect.hpp"
#include "introspection.hpp"
#include "migration_table.hpp"
#include "query.hpp"
#include "schema_change.hpp"
#include "schema_editor.hpp"
#include "transaction.hpp"

namespace ctorm {

struct postgres {
  static constexpr const char* name = "postgresql";  // for messages and the command line
  using dialect = detail::PostgresDialect;
  using connection = detail::PgConnection;
  using query = detail::PgQuery;
  using row = detail::PgRow;
  using statement = detail::PgStatement*;
  using batch = detail::PgBatch;
  using transaction = detail::PgTransaction;
  using transaction_scope = detail::PgTransactionScope;
  using schema_change = detail::PgSchemaChange;
  using introspection = detail::PgIntrospection;
  using schema_editor = detail::PgSchemaEditor;  // run-time DDL of a schema update
  using migration_table = detail::PgMigrationTable;  // the table of applied migrations
  using connection_source = detail::ConnectionPool<detail::PgConnection>;
};

}  // namespace ctorm
