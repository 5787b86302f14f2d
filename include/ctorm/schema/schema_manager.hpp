#pragma once
// Creates and drops the tables of a schema: MikroORM's `orm.schema`.
#include <memory>
#include <string>
#include <string_view>

#include "../db/sqlite/backend.hpp"
#include "../model/schema.hpp"
#include "../sql/ddl.hpp"

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

 private:
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
