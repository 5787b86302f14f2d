#pragma once
// The entry point: one database, one schema. `ctorm::Orm<ctorm::schema<User>> orm{"blog.db"};`
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "db/sqlite/backend.hpp"
#include "em/entity_manager.hpp"
#include "schema/schema_manager.hpp"

namespace ctorm {

template <class Schema, class Backend = sqlite>
class Orm {
  using Connection = typename Backend::connection;

 public:
  // Opens (or creates) the database at `path`; ":memory:" for an in-memory one. Foreign keys are on.
  // `options`: how long a statement waits for another connection's lock, see ConnectionOptions.
  explicit Orm(const std::string& path, const ConnectionOptions& options = {})
      : conn_(std::make_shared<Connection>(path, options)) {}

  // A fresh entity manager: its own identity map and unit of work, as MikroORM's `em.fork()`.
  EntityManager<Schema, Backend> em() const { return EntityManager<Schema, Backend>(conn_); }

  SchemaManager<Schema, Backend> schema() const { return SchemaManager<Schema, Backend>(conn_); }

  // Runs SQL that takes no values (pragmas, DDL).
  void execute(std::string_view sql) { conn_->execute(sql); }

  // Each statement, as it runs, goes to the logger: `[query] select ... [took 0 ms, 1 result]`.
  void set_logger(typename Connection::Logger logger) { conn_->set_logger(std::move(logger)); }
  // Prints each statement to `out`, one per line.
  void log_queries(std::ostream& out) {
    conn_->set_logger([&out](std::string_view line) { out << line << '\n'; });
  }

  // The database library's own handle: a sqlite3*, or libpq's PGconn*.
  auto native_handle() const noexcept { return conn_->handle(); }

 private:
  std::shared_ptr<Connection> conn_;
};

}  // namespace ctorm
