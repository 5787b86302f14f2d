#pragma once
// How one table that the live database and the target schema both hold must change: worked out once for
// every database by the update planner (schema/schema_update.hpp), written as statements by each
// backend's schema_editor, which alone knows whether its `alter table` can do it or the table must be
// rebuilt.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema_description.hpp"

namespace ctorm::detail {

// A column both sides have (under a new name when renamed) whose definition differs.
struct ColumnAlteration {
  const ColumnDescription* from = nullptr;  // the live column, under its old name
  const ColumnDescription* to = nullptr;
  bool type = false;
  bool not_null = false;
  bool default_value = false;
};

struct AddedColumn {
  const ColumnDescription* column = nullptr;
  std::string fill;  // the SQL value existing rows take (UpdateOptions::fills), or empty
};

struct TableAlteration {
  const TableDescription* from = nullptr;  // the live table
  const TableDescription* to = nullptr;    // what it must become
  std::vector<std::pair<std::string, std::string>> renames;  // column renames, old name -> new name
  std::vector<AddedColumn> added;                            // columns of `to` that `from` lacks
  std::vector<const ColumnDescription*> dropped;             // columns of `from` that `to` lacks
  std::vector<ColumnAlteration> changed;
  bool primary_key = false;  // the key's columns differ
  std::vector<const IndexDescription*> dropped_indexes;  // of `from`: gone, or differing from `to`'s
  std::vector<const IndexDescription*> created_indexes;  // of `to`: new, or differing
  std::vector<const ForeignKeyDescription*> dropped_foreign_keys;  // of `from`
  std::vector<const ForeignKeyDescription*> added_foreign_keys;    // of `to`

  // The name column `live` (of `from`) has in `to`: its rename's target, or its own name.
  std::string new_name(const std::string& live) const {
    for (const auto& [old_name, new_name] : renames)
      if (old_name == live) return new_name;
    return live;
  }
  // The live column that becomes `target` (of `to`), or nullptr for an added column.
  const ColumnDescription* source_of(const std::string& target) const {
    for (const auto& [old_name, new_name] : renames)
      if (new_name == target) return from->column(old_name);
    for (const auto& a : added)
      if (a.column->name == target) return nullptr;
    return from->column(target);
  }
  const AddedColumn* added_column(const std::string& target) const {
    for (const auto& a : added)
      if (a.column->name == target) return &a;
    return nullptr;
  }
};

// `"name"`, `"` doubled, for DDL written at run time.
inline std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
  return out;
}

// `"a", "b"`.
inline std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += detail::quoted(n);
  }
  return out;
}

// `create [unique] index "name" on "table" ("a", "b")`, as sql/ddl.hpp writes one.
inline std::string create_index_statement(std::string_view table, const IndexDescription& ix) {
  return std::string(ix.unique ? "create unique index " : "create index ") + detail::quoted(ix.name) + " on " + detail::quoted(table) +
         " (" + quoted_list(ix.columns) + ")";
}

// `, constraint "name" foreign key ("a") references "t" ("id") on update cascade on delete cascade`: the
// rules written only when they are not SQL's default, as sql/ddl.hpp does.
inline std::string foreign_key_clause(const ForeignKeyDescription& fk) {
  std::string out;
  if (!fk.name.empty()) out += "constraint " + detail::quoted(fk.name) + " ";
  out += "foreign key (" + quoted_list(fk.columns) + ") references " + detail::quoted(fk.target_table) + " (" +
         quoted_list(fk.target_columns) + ")";
  if (fk.on_update != "no action") out += " on update " + fk.on_update;
  if (fk.on_delete != "no action") out += " on delete " + fk.on_delete;
  return out;
}

// The primary key's columns, in key order.
inline std::vector<std::string> primary_key_columns(const TableDescription& t) {
  std::vector<std::pair<int, std::string>> keyed;
  for (const auto& c : t.columns)
    if (c.primary_key) keyed.emplace_back(c.primary_key, c.name);
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  for (auto& [pos, name] : keyed) out.push_back(std::move(name));
  return out;
}

// `create table "name" (...)`: columns as the dialect's Editor::column_definition writes them, foreign
// keys, then a key of several columns. `name` empty: the table's own.
template <class Editor>
std::string create_table_statement(const TableDescription& t, std::string_view name = {}) {
  const std::vector<std::string> key = primary_key_columns(t);
  std::string out = "create table " + quoted(name.empty() ? std::string_view(t.name) : name) + " (";
  bool first = true;
  for (const auto& c : t.columns) {
    if (!first) out += ", ";
    first = false;
    out += Editor::column_definition(c, key.size() == 1);
  }
  for (const auto& fk : t.foreign_keys) out += ", " + foreign_key_clause(fk);
  if (key.size() > 1) out += ", primary key (" + quoted_list(key) + ")";
  out += ')';
  return out;
}

}  // namespace ctorm::detail
