#pragma once
// What the entities ask of the database, in the run-time form introspection reads a live database into
// (db/schema_description.hpp): the tables, columns, indexes and foreign keys that create_table_sql,
// create_index_sql and create_pivot_sql write, named and typed by the same code, so that a database the
// schema created describes the same as its entities.
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../db/schema_description.hpp"
#include "../model/schema.hpp"
#include "../sql/ddl.hpp"
#include "../text/static_text.hpp"

namespace ctorm::detail {

// Lower case, as introspection gives a declared type (a column_type option may be written in capitals).
inline std::string lower_sql(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A column's type as Backend's create table writes it.
template <class Backend>
std::string described_type(const ColumnInfo& col) {
  std::string out;
  StringWriter<typename Backend::dialect> w{out};
  put_column_type(w, col);
  return lower_sql(std::move(out));
}

// Runs a name builder (put_index_name, ...) into a string.
template <class F>
std::string written_name(F&& put) {
  std::string out;
  StringWriter<NoDialect> w{out};
  put(w);
  return out;
}

// Column C of T, and its foreign key when it is a Ref.
template <class Naming, class Backend, class T, std::size_t C>
void describe_column(TableDescription& t) {
  constexpr ColumnInfo col = EntityMeta<T>::columns[C];
  ColumnDescription d;
  d.name = column_names<Naming, T>[C];
  d.type = described_type<Backend>(col);
  d.not_null = !col.nullable;
  if (!col.default_sql.empty()) d.default_sql = std::string(col.default_sql);
  d.primary_key = col.primary_key ? 1 : 0;
  d.generated = col.generated;
  d.entity = type_name<T>;
  const std::string_view label = field_label<T, C>;  // "User.ts.created_at"
  d.field = label.substr(type_name<T>.size() + 1);
  t.columns.push_back(std::move(d));
  if constexpr (col.ref) {
    using Target = ref_target<field_type<T, col.field>>;
    ForeignKeyDescription fk;
    fk.name = written_name([](auto& w) { put_foreign_key_name<Naming, T, C>(w); });
    fk.columns = {std::string(column_names<Naming, T>[C])};
    fk.target_table = table_name_of<Naming, Target>;
    fk.target_columns = {std::string(column_names<Naming, Target>[EntityMeta<Target>::pk_column])};
    fk.on_delete = foreign_key_on_delete<T, C>();
    fk.on_update = "cascade";
    t.foreign_keys.push_back(std::move(fk));
  }
}

// T's index K (its unique and index options, then its foreign keys' indexes), as create_index_sql.
template <class Naming, class T, std::size_t K>
void describe_index(TableDescription& t) {
  constexpr OptionEntry o = index_option<T>(K);
  IndexDescription ix;
  ix.name = written_name([](auto& w) { put_index_name<Naming, T, K>(w); });
  ix.unique = o.kind == OptionKind::unique;
  for (std::size_t i = 0; i < o.field_count; ++i) ix.columns.emplace_back(column_names<Naming, T>[column_of_field<T>(o.fields[i])]);
  t.indexes.push_back(std::move(ix));
}

template <class Naming, class Backend, class T, std::size_t... C, std::size_t... K>
TableDescription describe_entity(std::index_sequence<C...>, std::index_sequence<K...>) {
  TableDescription t;
  t.name = table_name_of<Naming, T>;
  t.entity = type_name<T>;
  (describe_column<Naming, Backend, T, C>(t), ...);
  (describe_index<Naming, T, K>(t), ...);
  return t;
}

template <class Schema, class Backend, class T>
TableDescription describe_entity() {
  return describe_entity<typename Schema::naming, Backend, T>(std::make_index_sequence<EntityMeta<T>::column_count>{},
                                                              std::make_index_sequence<index_count<T>()>{});
}

// The pivot table of T's many-to-many field I, as create_pivot_sql writes it.
template <class Schema, class Backend, class T, std::size_t I>
TableDescription describe_pivot() {
  using Naming = typename Schema::naming;
  TableDescription t;
  t.name = pivot_table_of<Naming, T, I>;
  t.entity = std::string(type_name<T>) + "." + std::string(field_name<T, I>);
  auto side = [&]<int Side, class X>() {
    ColumnDescription d;
    d.name = pivot_column_of<Naming, T, I, Side>;
    d.type = described_type<Backend>(EntityMeta<X>::columns[EntityMeta<X>::pk_column]);
    d.not_null = true;
    d.primary_key = Side + 1;
    d.entity = t.entity;
    t.columns.push_back(std::move(d));
    ForeignKeyDescription fk;
    fk.name = written_name([](auto& w) { put_pivot_name<Naming, T, I, Side>(w, "_foreign"); });
    fk.columns = {std::string(pivot_column_of<Naming, T, I, Side>)};
    fk.target_table = table_name_of<Naming, X>;
    fk.target_columns = {std::string(column_names<Naming, X>[EntityMeta<X>::pk_column])};
    fk.on_delete = "cascade";
    fk.on_update = "cascade";
    t.foreign_keys.push_back(std::move(fk));
    IndexDescription ix;
    ix.name = written_name([](auto& w) { put_pivot_name<Naming, T, I, Side>(w, "_index"); });
    ix.columns = {std::string(pivot_column_of<Naming, T, I, Side>)};
    t.indexes.push_back(std::move(ix));
  };
  side.template operator()<0, T>();
  side.template operator()<1, relation_target<T, I>>();
  return t;
}

// Every table of the schema as the entities define it for Backend, in the order create() makes them
// (foreign-key order, then the pivot tables).
template <class Schema, class Backend>
SchemaDescription describe_entities() {
  SchemaDescription s;
  Schema::for_each([&]<class T>(std::type_identity<T>) { s.tables.push_back(describe_entity<Schema, Backend, T>()); });
  Schema::for_each([&]<class T>(std::type_identity<T>) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (s.tables.push_back(describe_pivot<Schema, Backend, T, pivot_fields<T>[K]>()), ...);
    }(std::make_index_sequence<pivot_fields<T>.size()>{});
  });
  return s;
}

}  // namespace ctorm::detail
