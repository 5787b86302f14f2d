#pragma once
// Reading a live SQLite database (its `main` schema) into db/schema_description.hpp's form, from SQLite's
// own pragmas (as table-valued functions, the table or index name bound) and sqlite_schema; and the
// comparisons of a declared type or default that SQLite's rules make equal.
//
// What each fact is read from:
// - tables: those of the main schema (pragma table_list, or sqlite_schema before SQLite 3.37), but
//   SQLite's own (sqlite_*), ctorm_migrations, virtual tables and (from 3.37) their shadow tables;
// - columns: pragma table_xinfo; `type` the declared type lower-cased ("" when none is declared),
//   `default_sql` the default's text as SQLite keeps it (as written), `primary_key` the position in the
//   primary key. `generated`: the column is the table's rowid alias, which SQLite fills when an insert
//   does not (lang_createtable.html#rowid: the only key column, declared exactly INTEGER, of a rowid
//   table, and not `integer primary key desc`; the last two are the tables that have an automatic index
//   for their key), with or without AUTOINCREMENT, which no pragma reports; and a generated column
//   (`generated always as`);
// - indexes: pragma index_list, only those a `create index` made (origin 'c'; not the automatic indexes
//   of a primary key or a unique constraint), columns from pragma index_info (an expression is "");
//   partial indexes are listed without their `where`;
// - foreign keys: pragma foreign_key_list in the order the table declares them, a reference that names no
//   target columns taking the target's primary key; SQLite keeps no constraint name;
// - views: sqlite_schema; `sql` is the whole `create view` statement as SQLite keeps it.
// Tables and views are ordered by name, indexes by name, columns as the table orders them.
#include <sqlite3.h>

#include <optional>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "../schema_description.hpp"
#include "connection.hpp"
#include "query.hpp"

namespace ctorm::detail {

struct SqliteIntrospection {
  static SchemaDescription read(SqliteConnection& conn) {
    SchemaDescription out;
    // pragma table_list (SQLite 3.37) tells virtual tables and their shadow tables from the rest; before
    // it, sqlite_master (sqlite_schema's older name), where a virtual table has no root page
    const bool table_list = sqlite3_libversion_number() >= 3037000;
    for (auto& row : rows(conn, table_list ? "select name from pragma_table_list where schema = 'main' and type = 'table' "
                                             "and name not like 'sqlite\\_%' escape '\\' and name <> 'ctorm_migrations' "
                                             "order by name"
                                           : "select name from sqlite_master where type = 'table' and rootpage > 0 "
                                             "and name not like 'sqlite\\_%' escape '\\' and name <> 'ctorm_migrations' "
                                             "order by name"))
      out.tables.push_back(read_table(conn, std::move(*row[0])));
    for (auto& row : rows(conn, "select name, sql from sqlite_master where type = 'view' order by name"))
      out.views.push_back(ViewDescription{std::move(*row[0]), row[1].value_or("")});
    return out;
  }

  // SQLite's type affinity of a declared type (datatype3.html, 3.1), the rules in their order:
  // "integer", "text", "blob", "real" or "numeric".
  static std::string_view affinity(std::string_view type) {
    const std::string t = lower(type);
    const auto has = [&](std::string_view s) { return t.find(s) != std::string::npos; };
    if (has("int")) return "integer";
    if (has("char") || has("clob") || has("text")) return "text";
    if (has("blob") || t.find_first_not_of(" \t\n\r") == std::string::npos) return "blob";
    if (has("real") || has("floa") || has("doub")) return "real";
    return "numeric";
  }

  // Two declared types are the same when SQLite stores and compares their values alike: the same
  // affinity ("varchar(255)" and "text" are; "integer" and "text" are not).
  static bool same_type(std::string_view entity_type, std::string_view live_type) {
    return affinity(entity_type) == affinity(live_type);
  }

  // SQLite keeps a default's text as it was written, so an entity's default_value and the one its
  // create table wrote compare as text, spaces around them aside.
  static bool same_default(std::string_view entity_default, std::string_view live_default) {
    return trimmed(entity_default) == trimmed(live_default);
  }

 private:
  using Rows = std::vector<std::vector<std::optional<std::string>>>;

  // Every row of a query, each column as text or NULL, its values bound.
  template <class... V>
  static Rows rows(SqliteConnection& conn, std::string_view sql, const V&... values) {
    sqlite3_stmt* st = conn.statement(std::string(sql));
    SqliteQuery q(conn, st, SqliteConnection::sql_of(st));
    (q.bind(values), ...);
    Rows out;
    while (q.step()) {
      auto& row = out.emplace_back();
      for (int i = 0, n = sqlite3_column_count(q.handle()); i < n; ++i) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q.handle(), i));
        if (p)
          row.emplace_back(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(q.handle(), i))));
        else
          row.emplace_back();
      }
    }
    q.finish_rows();
    return out;
  }

  static TableDescription read_table(SqliteConnection& conn, std::string name) {
    TableDescription t;
    t.name = std::move(name);

    bool key_index = false;  // an automatic index for the primary key: no rowid alias
    for (auto& ix : rows(conn, "select name, \"unique\", origin from pragma_index_list(?, 'main') order by name", t.name)) {
      if (ix[2] == "pk") key_index = true;
      if (ix[2] != "c") continue;
      IndexDescription d;
      d.name = std::move(*ix[0]);
      d.unique = ix[1] == "1";
      for (auto& c : rows(conn, "select name from pragma_index_info(?, 'main') order by seqno", d.name))
        d.columns.push_back(c[0].value_or(""));
      t.indexes.push_back(std::move(d));
    }

    int key_columns = 0;
    for (auto& c : rows(conn,
                        "select name, type, \"notnull\", dflt_value, pk, hidden from pragma_table_xinfo(?, 'main') order by cid",
                        t.name)) {
      if (c[5] == "1") continue;  // a virtual table's hidden column
      ColumnDescription d;
      d.name = std::move(*c[0]);
      d.type = lower(c[1].value_or(""));
      d.not_null = c[2] == "1";
      d.default_sql = std::move(c[3]);
      d.primary_key = std::stoi(c[4].value_or("0"));
      d.generated = c[5] == "2" || c[5] == "3";
      if (d.primary_key) ++key_columns;
      t.columns.push_back(std::move(d));
    }
    if (key_columns == 1 && !key_index) {
      for (auto& c : t.columns)
        if (c.primary_key && c.type == "integer") c.generated = true;
    }

    // ids count from the last declared: in reverse, the table's order
    Rows fks = rows(conn,
                    "select id, \"table\", \"from\", \"to\", on_update, on_delete from pragma_foreign_key_list(?, 'main') "
                    "order by id desc, seq",
                    t.name);
    for (std::size_t i = 0; i < fks.size();) {
      ForeignKeyDescription fk;
      fk.target_table = fks[i][1].value_or("");
      fk.on_update = lower(fks[i][4].value_or("no action"));
      fk.on_delete = lower(fks[i][5].value_or("no action"));
      bool names_targets = true;
      const auto id = fks[i][0];
      for (; i < fks.size() && fks[i][0] == id; ++i) {
        fk.columns.push_back(fks[i][2].value_or(""));
        if (fks[i][3])
          fk.target_columns.push_back(*fks[i][3]);
        else
          names_targets = false;
      }
      if (!names_targets) {
        fk.target_columns.clear();
        for (auto& k : rows(conn, "select name from pragma_table_info(?, 'main') where pk > 0 order by pk", fk.target_table))
          fk.target_columns.push_back(std::move(*k[0]));
      }
      t.foreign_keys.push_back(std::move(fk));
    }
    return t;
  }

  static std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  static std::string_view trimmed(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\n\r");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\n\r") - b + 1);
  }
};

}  // namespace ctorm::detail
