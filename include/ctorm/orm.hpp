#pragma once
// The entry point: one database, one schema. `ctorm::Orm<ctorm::schema<User>> orm{"blog.db"};`
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "db/sqlite/backend.hpp"
#include "em/entity_manager.hpp"
#include "schema/schema_manager.hpp"

namespace ctorm {

// Defined in <ctorm/migrations.hpp>, which a program that runs migrations includes: the migrator's
// headers (files, checksums, the SQL splitter) would otherwise cost every translation unit that uses an Orm
// about a second of compile time (C1).
template <class Schema, class Backend>
class Migrator;
struct MigrationOptions;

// Passed to Orm's constructor: check the database against the entities when it is opened.
struct ValidateSchema {
  explicit ValidateSchema() = default;
};
inline constexpr ValidateSchema validate_schema{};

namespace detail {
template <class T, class = void>
inline constexpr bool is_complete = false;
template <class T>
inline constexpr bool is_complete<T, std::void_t<decltype(sizeof(T))>> = true;
}  // namespace detail

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
  explicit Orm(const std::string& where, const ConnectionOptions& options = {}) : source_(where, options) {}

  // The same, then the entities are checked against the database: SchemaMismatchError lists every
  // difference (orm.schema().validate()). `ctorm::Orm<Schema> orm{"app.db", ctorm::validate_schema};`
  // A constructor of its own rather than a flag of ConnectionOptions, so that programs that do not
  // validate do not compile the introspection and the diff.
  Orm(const std::string& where, ValidateSchema, const ConnectionOptions& options = {}) : source_(where, options) {
    schema().check();
  }

  // A fresh entity manager: its own identity map and unit of work, as MikroORM's `em.fork()`.
  EntityManager<Schema, Backend> em() const { return EntityManager<Schema, Backend>(source_.handle()); }

  SchemaManager<Schema, Backend> schema() const { return SchemaManager<Schema, Backend>(source_.handle()); }

  // The migrations of the folder options.folder (`<name>.up.sql`, `<name>.down.sql`) and of
  // options.compiled: create, up, down, list, pending, check, fresh (see Migrator). Needs
  // #include <ctorm/migrations.hpp>.
  template <class O = MigrationOptions>
  auto migrations() const {
    static_assert(detail::is_complete<O>, "ctorm: orm.migrations() needs #include <ctorm/migrations.hpp>");
    return Migrator<Schema, Backend>(source_.handle(), O{});
  }
  template <class O = MigrationOptions>
  auto migrations(std::type_identity_t<O> options) const {
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
