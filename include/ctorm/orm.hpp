#pragma once
// The entry point: one database, one schema. `ctorm::Orm<ctorm::schema<User>> orm{"blog.db"};`
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "db/sqlite/backend.hpp"
#include "em/entity_manager.hpp"
#include "schema/migrator.hpp"
#include "schema/schema_manager.hpp"

namespace ctorm {

template <class Schema, class Backend = sqlite>
class Orm {
  using Connection = typename Backend::connection;
  using Source = typename Backend::connection_source;

 public:
  // SQLite: opens (or creates) the database file at `where`, ":memory:" for an in-memory one; every entity
  // manager shares the connection. PostgreSQL: `where` is a libpq connection string or URI
  // (`postgresql://user@host:5432/db`); the Orm keeps a pool of connections, from which an entity manager
  // takes one for each operation or transaction.
  // Foreign keys are enforced either way. `options`: see ConnectionOptions.
  // With options.validate_schema, the entities are checked against the database first: SchemaMismatchError
  // lists every difference.
  explicit Orm(const std::string& where, const ConnectionOptions& options = {}) : source_(where, options) {
    if (options.validate_schema) {
      auto differences = schema().validate();
      if (!differences.empty()) throw SchemaMismatchError(std::move(differences));
    }
  }

  // A fresh entity manager: its own identity map and unit of work, as MikroORM's `em.fork()`.
  EntityManager<Schema, Backend> em() const { return EntityManager<Schema, Backend>(source_.handle()); }

  SchemaManager<Schema, Backend> schema() const { return SchemaManager<Schema, Backend>(source_.handle()); }

  // The migrations of the folder options.folder (`<name>.up.sql`, `<name>.down.sql`) and of
  // options.compiled: create, up, down, list, pending, check, fresh (see Migrator).
  Migrator<Schema, Backend> migrations(MigrationOptions options = {}) const {
    return Migrator<Schema, Backend>(source_.handle(), std::move(options));
  }

  // Runs SQL that takes no values (pragmas, DDL).
  void execute(std::string_view sql) { source_.acquire()->execute(sql); }

  // Each statement, as it runs, goes to the logger: `[query] select ... [took 0 ms, 1 result]`.
  void set_logger(typename Connection::Logger logger) { source_.set_logger(std::move(logger)); }
  // Prints each statement to `out`, one per line.
  void log_queries(std::ostream& out) {
    source_.set_logger([&out](std::string_view line) { out << line << '\n'; });
  }

  // SQLite's own handle (sqlite3*) of the Orm's connection.
  auto native_handle() const noexcept
    requires requires(const Source& s) { s.native_handle(); }
  {
    return source_.native_handle();
  }

 private:
  Source source_;
};

}  // namespace ctorm
