#pragma once
// Creates, drops, checks and updates the tables of a schema: MikroORM's `orm.schema`.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../db/schema_description.hpp"
#include "../db/sqlite/backend.hpp"
#include "../model/schema.hpp"
#include "../sql/ddl.hpp"
#include "entity_schema.hpp"
#include "schema_diff.hpp"
#include "schema_update.hpp"

namespace ctorm {

template <class Schema, class Backend = sqlite>
class SchemaManager {
  using Naming = typename Schema::naming;
  using Connection = typename Backend::connection;
  using ConnectionHandle = typename Backend::connection_source::Handle;

 public:
  explicit SchemaManager(ConnectionHandle conn) : conn_(std::move(conn)) {}

  // Every `create table` and `create index` statement, in the order create() runs them.
  static std::string create_sql() {
    std::string out;
    Schema::for_each([&]<class T>(std::type_identity<T>) {
      out += create_table_sql<T, Naming, Backend>;
      out += ";\n";
      for (std::string_view ix : create_index_sql<T, Naming, Backend>) {
        out += ix;
        out += ";\n";
      }
    });
    for_each_pivot([&]<class T, std::size_t I>() {
      for (std::string_view s : create_pivot_sql<T, I, Naming, Backend>) {
        out += s;
        out += ";\n";
      }
    });
    return out;
  }

  // Every `drop table` statement, in the order drop() runs them.
  static std::string drop_sql() {
    std::string out;
    for_each_pivot([&]<class T, std::size_t I>() {
      out += drop_pivot_sql<T, I, Naming, Backend>;
      out += ";\n";
    });
    Schema::for_each_reverse([&]<class T>(std::type_identity<T>) {
      out += drop_table_sql<T, Naming, Backend>;
      out += ";\n";
    });
    return out;
  }

  // Creates every table and index, in one transaction.
  void create() {
    const auto use = conn_.use();
    typename Backend::transaction tx(*conn_);
    Schema::for_each([&]<class T>(std::type_identity<T>) {
      conn_->execute(create_table_sql<T, Naming, Backend>);
      for (std::string_view ix : create_index_sql<T, Naming, Backend>) conn_->execute(ix);
    });
    for_each_pivot([&]<class T, std::size_t I>() {
      for (std::string_view s : create_pivot_sql<T, I, Naming, Backend>) conn_->execute(s);
    });
    tx.commit();
  }

  // Drops every table of the schema that exists, in one transaction.
  void drop() {
    const auto use = conn_.use();
    typename Backend::transaction tx(*conn_);
    for_each_pivot([&]<class T, std::size_t I>() { conn_->execute(drop_pivot_sql<T, I, Naming, Backend>); });
    Schema::for_each_reverse([&]<class T>(std::type_identity<T>) { conn_->execute(drop_table_sql<T, Naming, Backend>); });
    tx.commit();
  }

  // Drops and creates every table: an empty database with the current schema.
  void refresh_database() {
    drop();
    create();
  }

  // What the entities ask of the database: every table, column, index and foreign key create() makes.
  static SchemaDescription entities() { return detail::describe_entities<Schema, Backend>(); }

  // What the database holds now, read from its catalogue.
  SchemaDescription live() const {
    const auto use = conn_.use();
    return Backend::introspection::read(*conn_);
  }

  // Every difference between the entities and the database, notes included (a table or column no entity
  // maps, an index made by hand): see SchemaDifference::Kind.
  std::vector<SchemaDifference> diff() const { return detail::diff_schema<Backend>(entities(), live()); }

  // The differences that break the entities' reads or writes (diff() without its notes); empty when the
  // database matches, as it does right after create().
  std::vector<SchemaDifference> validate() const {
    std::vector<SchemaDifference> out;
    for (auto& d : diff())
      if (d.is_error()) out.push_back(std::move(d));
    return out;
  }

  // validate(), throwing SchemaMismatchError that lists every difference when there is one (what the Orm
  // constructor taking ctorm::validate_schema runs).
  void check() const {
    auto differences = validate();
    if (!differences.empty()) throw SchemaMismatchError(std::move(differences));
  }

  // The statements update() would run, each followed by ";\n"; empty when the database is up to date.
  // Throws SchemaChangeRefused as update() does.
  std::string update_sql(const UpdateOptions& options = {}) const {
    std::string out;
    for (const auto& s : plan(options)) {
      out += s;
      out += ";\n";
    }
    return out;
  }

  // Takes the database to the entities, in one transaction (Backend::schema_change): new tables, columns
  // and indexes; changed columns, keys and foreign keys (SQLite: by rebuilding the table where its alter
  // table cannot); and, with options.allow_drop, dropped tables and columns. A change that could lose data
  // and is not allowed throws SchemaChangeRefused before anything runs; a statement that fails rolls the
  // whole update back. Runs nothing on an up-to-date database.
  void update(const UpdateOptions& options = {}) {
    const std::vector<std::string> statements = plan(options);
    if (statements.empty()) return;
    const auto use = conn_.use();
    typename Backend::schema_change change(*conn_);
    for (const auto& s : statements) change.execute(s);
    change.commit();
  }

 private:
  std::vector<std::string> plan(const UpdateOptions& options) const {
    const auto use = conn_.use();
    Connection& conn = *conn_;
    const auto has_rows = [&conn](const std::string& table) {
      const std::string sql = "select count(*) from (select 1 from " + detail::quoted(table) + " limit 1) as t";
      typename Backend::query q(conn, conn.statement(sql), sql);
      return q.step() && read_int64(q.row(), 0) != 0;
    };
    return detail::plan_schema_update<Backend>(Backend::introspection::read(conn), entities(), options, has_rows);
  }

  // Calls f.template operator()<T, I>() for each many-to-many pivot (owner T, field I).
  template <class F>
  static void for_each_pivot(F&& f) {
    Schema::for_each([&]<class T>(std::type_identity<T>) {
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        (f.template operator()<T, detail::pivot_fields<T>[K]>(), ...);
      }(std::make_index_sequence<detail::pivot_fields<T>.size()>{});
    });
  }

  ConnectionHandle conn_;
};

}  // namespace ctorm
