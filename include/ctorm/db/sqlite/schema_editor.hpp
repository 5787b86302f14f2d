#pragma once
// SQLite's schema changes as run-time DDL (the update planner, schema/schema_update.hpp, says what changes;
// this says how). SQLite's `alter table` can rename a column, add one that is nullable or has a constant
// default, and drop one that no index or key names; everything else (a column's type, nullability or
// default, the primary key, a foreign key, such a drop or add) is the table rebuild its documentation
// gives (lang_altertable.html, "making other kinds of table schema changes"): create the new definition
// as "<t>__ctorm_new", copy the rows, drop the old table, rename the new one, recreate its indexes. It runs
// inside the backend's schema_change, with foreign keys off and checked before commit.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "../schema_description.hpp"
#include "../table_alteration.hpp"

namespace ctorm::detail {

struct SqliteSchemaEditor {
  // The column's definition as sql/ddl.hpp writes it: `"id" integer not null primary key autoincrement`.
  // `inline_key`: the table's key is this one column, written on it.
  static std::string column_definition(const ColumnDescription& c, bool inline_key) {
    std::string out = detail::quoted(c.name) + " " + c.type;
    if (c.not_null) out += " not null";
    if (inline_key && c.primary_key) out += c.generated ? " primary key autoincrement" : " primary key";
    if (c.default_sql) out += " default " + *c.default_sql;
    return out;
  }

  // `create table "name" (...)`: columns, foreign keys, then a key of several columns.
  static std::string create_table(const TableDescription& t, std::string_view name = {}) {
    return create_table_statement<SqliteSchemaEditor>(t, name);
  }

  static std::string drop_table(std::string_view table) { return "drop table " + detail::quoted(table); }
  static std::string create_index(std::string_view table, const IndexDescription& ix) {
    return create_index_statement(table, ix);
  }
  static std::string drop_index(std::string_view, const IndexDescription& ix) { return "drop index " + detail::quoted(ix.name); }

  static void alter_table(const TableAlteration& a, std::vector<std::string>& out) {
    const std::string table = detail::quoted(a.to->name);
    if (needs_rebuild(a)) {
      rebuild(a, out);
      return;
    }
    for (const auto& [old_name, new_name] : a.renames)
      out.push_back("alter table " + table + " rename column " + detail::quoted(old_name) + " to " + detail::quoted(new_name));
    for (const auto* ix : a.dropped_indexes) out.push_back(drop_index(a.from->name, *ix));
    for (const auto* c : a.dropped) out.push_back("alter table " + table + " drop column " + detail::quoted(c->name));
    for (const auto& added : a.added) {
      out.push_back("alter table " + table + " add column " + column_definition(*added.column, false));
      if (!added.fill.empty()) out.push_back("update " + table + " set " + detail::quoted(added.column->name) + " = " + added.fill);
    }
    for (const auto* ix : a.created_indexes) out.push_back(create_index(a.to->name, *ix));
  }

  // Could a value of `from` be changed by storing it in a column of `to`? SQLite converts by the new
  // column's affinity: numbers become text losslessly, anything fits a column without affinity (blob),
  // an integer fits a real or numeric one; text into a number column, or a real into an integer one, may not.
  static bool narrows(std::string_view from, std::string_view to) {
    const std::string_view f = affinity_of(from), t = affinity_of(to);
    if (f == t || t == "blob") return false;
    if (t == "text") return f == "blob";
    if (f == "integer") return !(t == "real" || t == "numeric");
    if (f == "real") return t != "numeric";
    return true;
  }

  // A type as messages show it: SQLite compares columns by affinity, so it names both.
  static std::string type_label(std::string_view type) {
    return std::string(type) + " (" + std::string(affinity_of(type)) + " affinity)";
  }

  // SQLite's rules for a declared type's affinity (datatype3.html, "determination of column affinity").
  static std::string_view affinity_of(std::string_view declared) {
    std::string t(declared);
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t.find("int") != std::string::npos) return "integer";
    if (t.find("char") != std::string::npos || t.find("clob") != std::string::npos || t.find("text") != std::string::npos)
      return "text";
    if (t.empty() || t.find("blob") != std::string::npos) return "blob";
    if (t.find("real") != std::string::npos || t.find("floa") != std::string::npos || t.find("doub") != std::string::npos)
      return "real";
    return "numeric";
  }

 private:
  static bool needs_rebuild(const TableAlteration& a) {
    if (a.primary_key || !a.changed.empty() || !a.dropped_foreign_keys.empty() || !a.added_foreign_keys.empty())
      return true;
    for (const auto* c : a.dropped) {
      if (c->primary_key) return true;
      for (const auto& ix : a.from->indexes)
        for (const auto& n : ix.columns)
          if (n == c->name) return true;
      for (const auto& fk : a.from->foreign_keys)
        for (const auto& n : fk.columns)
          if (n == c->name) return true;
    }
    for (const auto& added : a.added) {
      const ColumnDescription& c = *added.column;
      // add column takes neither a key nor a not-null column without a default, nor a default that is not
      // a constant (an expression in parentheses, current_time and its kin)
      if (c.primary_key || (c.not_null && !c.default_sql)) return true;
      if (c.default_sql && (c.default_sql->starts_with('(') || c.default_sql->starts_with("current_") ||
                            c.default_sql->starts_with("CURRENT_")))
        return true;
    }
    return false;
  }

  static void rebuild(const TableAlteration& a, std::vector<std::string>& out) {
    const std::string fresh = a.to->name + "__ctorm_new";
    out.push_back(create_table(*a.to, fresh));
    std::string into, select;
    for (const auto& c : a.to->columns) {
      std::string value;
      if (const ColumnDescription* src = a.source_of(c.name))
        value = detail::quoted(src->name);
      else if (const AddedColumn* added = a.added_column(c.name); added && !added->fill.empty())
        value = added->fill;
      else
        continue;  // a new column: its default, or NULL
      if (!into.empty()) into += ", ", select += ", ";
      into += detail::quoted(c.name);
      select += value;
    }
    if (!into.empty())
      out.push_back("insert into " + detail::quoted(fresh) + " (" + into + ") select " + select + " from " + detail::quoted(a.from->name));
    out.push_back(drop_table(a.from->name));
    out.push_back("alter table " + detail::quoted(fresh) + " rename to " + detail::quoted(a.to->name));
    for (const auto& ix : a.to->indexes) out.push_back(create_index(a.to->name, ix));
  }
};

}  // namespace ctorm::detail
