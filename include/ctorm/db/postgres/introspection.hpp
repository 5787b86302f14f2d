#pragma once
// Reading a live PostgreSQL database into db/schema_description.hpp's form (db/sqlite/introspection.hpp
// is SQLite's): the tables of `current_schema()` only (the first schema of search_path that exists), read
// from pg_catalog in one query per kind of fact, whatever the number of tables; and the comparisons of a
// type or default that PostgreSQL's spellings make equal.
//
// What each fact is read from:
// - tables: pg_class, ordinary and partitioned tables (not their partitions), but ctorm_migrations;
// - columns: pg_attribute; `type` format_type's spelling ("bigint", "character varying(100)"),
//   `default_sql` pg_get_expr of the default as the server keeps it (with its casts: `''::text`),
//   `primary_key` the position in the primary key constraint. `generated`: an identity column, a column
//   whose default takes a sequence's nextval (serial), or a generated column; none of these has a
//   default_sql;
// - indexes: pg_index, but those backing a primary key, unique or exclusion constraint (the constraint
//   owns them); columns as their names, an expression as pg_get_indexdef writes it; INCLUDE columns and a
//   partial index's `where` are left out;
// - foreign keys: pg_constraint, in the order they were made, columns in the constraint's order, rules
//   from confdeltype/confupdtype;
// - views: pg_views; `sql` is the view's query as pg_get_viewdef writes it.
// Tables, views and each table's indexes are ordered by name (bytewise), columns as the table orders them.
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../schema_description.hpp"
#include "connection.hpp"
#include "query.hpp"

namespace ctorm::detail {

struct PgIntrospection {
  static SchemaDescription read(PgConnection& conn) {
    SchemaDescription out;
    for (auto& r : rows(conn, tables_sql)) {
      TableDescription t;
      t.name = std::move(*r[0]);
      out.tables.push_back(std::move(t));
    }
    // the tables are ordered bytewise (collate "C"); the other queries' rows may name a table left out
    const auto table_of = [&](const std::string& name) -> TableDescription* {
      const auto it = std::lower_bound(out.tables.begin(), out.tables.end(), name,
                                       [](const TableDescription& t, const std::string& n) { return t.name < n; });
      return it != out.tables.end() && it->name == name ? &*it : nullptr;
    };

    for (auto& r : rows(conn, columns_sql)) {
      TableDescription* t = table_of(*r[0]);
      if (!t) continue;
      ColumnDescription c;
      c.name = std::move(*r[1]);
      c.type = std::move(*r[2]);
      c.not_null = r[3] == "t";
      const bool serial = r[4] && r[4]->starts_with("nextval(");
      c.generated = (r[5] && !r[5]->empty()) || (r[6] && !r[6]->empty()) || serial;
      if (!c.generated) c.default_sql = std::move(r[4]);
      c.primary_key = std::stoi(r[7].value_or("0"));
      t->columns.push_back(std::move(c));
    }

    for (auto& r : rows(conn, indexes_sql)) {
      TableDescription* t = table_of(*r[0]);
      if (!t) continue;
      if (t->indexes.empty() || t->indexes.back().name != *r[1]) {
        IndexDescription ix;
        ix.name = std::move(*r[1]);
        ix.unique = r[2] == "t";
        t->indexes.push_back(std::move(ix));
      }
      t->indexes.back().columns.push_back(r[3].value_or(""));
    }

    std::string constraint;  // the oid of the foreign key being read
    for (auto& r : rows(conn, foreign_keys_sql)) {
      TableDescription* t = table_of(*r[0]);
      if (!t) continue;
      if (t->foreign_keys.empty() || constraint != *r[1]) {
        constraint = *r[1];
        ForeignKeyDescription fk;
        fk.name = std::move(*r[2]);
        fk.target_table = std::move(*r[3]);
        fk.on_update = rule(r[4].value_or("a"));
        fk.on_delete = rule(r[5].value_or("a"));
        t->foreign_keys.push_back(std::move(fk));
      }
      t->foreign_keys.back().columns.push_back(std::move(*r[6]));
      t->foreign_keys.back().target_columns.push_back(std::move(*r[7]));
    }

    for (auto& r : rows(conn, views_sql)) out.views.push_back(ViewDescription{std::move(*r[0]), r[1].value_or("")});
    return out;
  }

  // The type in PostgreSQL's own spelling, format_type's: the aliases and serial forms a create table may
  // write ("int8", "varchar(100)", "timestamptz", "bigserial", "decimal(10,2)", "int[]") as the server
  // reports them ("bigint", "character varying(100)", "timestamp with time zone", "bigint",
  // "numeric(10,2)", "integer[]").
  static std::string canonical_type(std::string_view type) {
    std::string s = squeezed(type);
    std::string arrays;
    while (s.size() >= 2 && s.ends_with("[]")) {
      arrays += "[]";
      s.resize(s.size() - 2);
      while (!s.empty() && s.back() == ' ') s.pop_back();
    }
    std::string zone;
    for (std::string_view z : {"without time zone", "with time zone"}) {
      if (zone.empty() && s.ends_with(z)) {
        zone = " " + std::string(z);
        s.resize(s.size() - z.size());
        while (!s.empty() && s.back() == ' ') s.pop_back();
      }
    }
    std::string mod;  // "(100)", "(10,2)"
    if (const auto open = s.find('('); open != std::string::npos) {
      const auto close = s.find(')', open);
      mod = s.substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
      s = s.substr(0, open) + (close == std::string::npos ? "" : s.substr(close + 1));
      while (!s.empty() && s.back() == ' ') s.pop_back();
    }
    std::string base = s;
    if (s == "int8" || s == "bigserial" || s == "serial8") base = "bigint";
    else if (s == "int" || s == "int4" || s == "serial" || s == "serial4") base = "integer";
    else if (s == "int2" || s == "smallserial" || s == "serial2") base = "smallint";
    else if (s == "bool") base = "boolean";
    else if (s == "float8") base = "double precision";
    else if (s == "float4") base = "real";
    else if (s == "float") {
      // float(p): real up to 24 binary digits, double precision above or without p
      base = !mod.empty() && std::stoi(mod.substr(1)) <= 24 ? "real" : "double precision";
      mod.clear();
    } else if (s == "varchar") base = "character varying";
    else if (s == "char" || s == "bpchar" || s == "character") {
      base = "character";
      if (mod.empty() && s != "bpchar") mod = "(1)";
    } else if (s == "decimal") base = "numeric";
    else if (s == "varbit") base = "bit varying";
    else if (s == "timestamptz" || s == "timetz") {
      base = s == "timestamptz" ? "timestamp" : "time";
      zone = " with time zone";
    }
    if ((base == "timestamp" || base == "time") && zone.empty()) zone = " without time zone";
    return base + mod + zone + arrays;
  }

  static bool same_type(std::string_view entity_type, std::string_view live_type) {
    return canonical_type(entity_type) == canonical_type(live_type);
  }

  // The family a type belongs to, for messages: "integer", "real", "numeric", "text", "boolean", "blob",
  // "time", or else `type` itself.
  static std::string_view affinity(std::string_view type) {
    const std::string t = canonical_type(type);
    if (t.ends_with("[]")) return type;
    const auto is = [&](std::string_view b) { return t == b || t.starts_with(std::string(b) + "("); };
    if (is("bigint") || is("integer") || is("smallint")) return "integer";
    if (is("double precision") || is("real")) return "real";
    if (is("numeric")) return "numeric";
    if (is("text") || is("character varying") || is("character")) return "text";
    if (is("boolean")) return "boolean";
    if (is("bytea")) return "blob";
    if (t.starts_with("time") || t == "date" || t.starts_with("interval")) return "time";
    return type;
  }

  // The server keeps a default with the casts it inferred (`''::text`, `'x'::character varying`,
  // `'-1'::integer`) and its own spacing and parentheses: both sides are compared without casts, with
  // whitespace and the letters' case outside quoted literals normalised, outer parentheses dropped, and a
  // quoted number read as the number.
  static bool same_default(std::string_view entity_default, std::string_view live_default) {
    return normal_default(entity_default) == normal_default(live_default);
  }

  static std::string normal_default(std::string_view text) {
    std::string s = squeezed(without_casts(text));
    while (s.size() >= 2 && s.front() == '(' && s.back() == ')' && closes_at_end(s)) s = s.substr(1, s.size() - 2);
    // '-1' as the server writes a negative constant: the number itself
    if (s.size() >= 3 && s.front() == '\'' && s.back() == '\'') {
      const std::string inner = s.substr(1, s.size() - 2);
      if (is_number(inner)) s = inner;
    }
    return s;
  }

 private:
  using Rows = std::vector<std::vector<std::optional<std::string>>>;

  // `n.nspname = current_schema()`: only the schema unqualified names reach, which is the one ctorm's
  // statements create and use.
  static constexpr std::string_view tables_sql =
      "select c.relname::text from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
      "where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition "
      "and c.relname <> 'ctorm_migrations' order by c.relname::text collate \"C\"";

  static constexpr std::string_view columns_sql =
      "select c.relname::text, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text, "
      "coalesce(array_position(k.conkey, a.attnum), 0) "
      "from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid "
      "join pg_catalog.pg_namespace n on n.oid = c.relnamespace "
      "left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum "
      "left join pg_catalog.pg_constraint k on k.conrelid = c.oid and k.contype = 'p' "
      "where n.nspname = current_schema() and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped "
      "order by c.relname::text collate \"C\", a.attnum";

  // An index that a constraint of its table owns is that constraint's (conindid is also set on a foreign
  // key, naming the referenced table's index: hence conrelid).
  static constexpr std::string_view indexes_sql =
      "select t.relname::text, i.relname::text, x.indisunique, "
      "coalesce(a.attname::text, pg_catalog.pg_get_indexdef(x.indexrelid, k.ord::int, true)) "
      "from pg_catalog.pg_index x join pg_catalog.pg_class i on i.oid = x.indexrelid "
      "join pg_catalog.pg_class t on t.oid = x.indrelid join pg_catalog.pg_namespace n on n.oid = t.relnamespace "
      "cross join lateral unnest(x.indkey::int2[]) with ordinality as k(attnum, ord) "
      "left join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum and k.attnum <> 0 "
      "where n.nspname = current_schema() and t.relkind in ('r', 'p') and not x.indisprimary "
      "and k.ord <= x.indnkeyatts and not exists (select 1 from pg_catalog.pg_constraint o where "
      "o.conindid = x.indexrelid and o.conrelid = x.indrelid and o.contype in ('p', 'u', 'x')) "
      "order by t.relname::text collate \"C\", i.relname::text collate \"C\", k.ord";

  static constexpr std::string_view foreign_keys_sql =
      "select t.relname::text, k.oid::text, k.conname::text, f.relname::text, k.confupdtype::text, "
      "k.confdeltype::text, a.attname::text, fa.attname::text "
      "from pg_catalog.pg_constraint k join pg_catalog.pg_class t on t.oid = k.conrelid "
      "join pg_catalog.pg_namespace n on n.oid = t.relnamespace join pg_catalog.pg_class f on f.oid = k.confrelid "
      "cross join lateral unnest(k.conkey, k.confkey) with ordinality as u(col, fcol, ord) "
      "join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.col "
      "join pg_catalog.pg_attribute fa on fa.attrelid = k.confrelid and fa.attnum = u.fcol "
      "where n.nspname = current_schema() and k.contype = 'f' "
      "order by t.relname::text collate \"C\", k.oid, u.ord";

  static constexpr std::string_view views_sql =
      "select viewname::text, definition from pg_catalog.pg_views where schemaname = current_schema() "
      "order by viewname::text collate \"C\"";

  // Every row of a query, each column as text or NULL.
  static Rows rows(PgConnection& conn, std::string_view sql) {
    PgStatement* st = conn.statement(std::string(sql));
    PgQuery q(conn, st, PgConnection::sql_of(st));
    Rows out;
    while (q.step()) {
      const PgRow r = q.row();
      auto& row = out.emplace_back();
      for (int i = 0, n = PQnfields(r.res); i < n; ++i) {
        if (column_is_null(r, i)) {
          row.emplace_back();
        } else {
          // the codec, not PQgetvalue: a statement's later runs may read results in binary
          std::string text;
          read_value(r, i, text);
          row.emplace_back(std::move(text));
        }
      }
    }
    q.finish_rows();
    return out;
  }

  // confupdtype / confdeltype
  static std::string rule(std::string_view letter) {
    switch (letter.empty() ? 'a' : letter[0]) {
      case 'r': return "restrict";
      case 'c': return "cascade";
      case 'n': return "set null";
      case 'd': return "set default";
      default: return "no action";
    }
  }

  static bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

  // Lower case outside quotes ('literal', "identifier"), one space between two words and none next to
  // punctuation.
  static std::string squeezed(std::string_view s) {
    std::string out;
    char quote = 0;
    bool space = false;
    for (char c : s) {
      if (quote) {
        out += c;
        if (c == quote) quote = 0;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        space = true;
        continue;
      }
      if (space && !out.empty() && ident_char(out.back()) && ident_char(c)) out += ' ';
      space = false;
      if (c == '\'' || c == '"') quote = c;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
  }

  // The text without its `::type` casts (a type of several words, a modifier, array brackets included).
  static std::string without_casts(std::string_view s) {
    static constexpr std::string_view more_words[] = {"varying", "precision", "with", "without", "time", "zone"};
    std::string out;
    char quote = 0;
    for (std::size_t i = 0; i < s.size();) {
      const char c = s[i];
      if (quote) {
        out += c;
        if (c == quote) quote = 0;
        ++i;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        out += c;
        ++i;
        continue;
      }
      if (c != ':' || i + 1 >= s.size() || s[i + 1] != ':') {
        out += c;
        ++i;
        continue;
      }
      i += 2;
      while (i < s.size() && s[i] == ' ') ++i;
      if (i < s.size() && s[i] == '"') {  // a quoted type name
        const auto end = s.find('"', i + 1);
        i = end == std::string_view::npos ? s.size() : end + 1;
      }
      while (i < s.size() && (ident_char(s[i]) || s[i] == '.')) ++i;
      for (bool more = true; more;) {
        more = false;
        for (std::string_view w : more_words) {
          std::size_t j = i;
          while (j < s.size() && s[j] == ' ') ++j;
          if (j > i && s.substr(j, w.size()) == w && (j + w.size() == s.size() || !ident_char(s[j + w.size()]))) {
            i = j + w.size();
            more = true;
          }
        }
      }
      if (i < s.size() && s[i] == '(') {
        const auto end = s.find(')', i);
        i = end == std::string_view::npos ? s.size() : end + 1;
      }
      while (i + 1 < s.size() && s[i] == '[' && s[i + 1] == ']') i += 2;
    }
    return out;
  }

  // The parenthesis that opens `s` closes at its end: `(a) + (b)` is not wrapped.
  static bool closes_at_end(const std::string& s) {
    int depth = 0;
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        return i + 1 == s.size();
      }
    }
    return false;
  }

  static bool is_number(std::string_view s) {
    std::size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < s.size(); ++i) {
      if (std::isdigit(static_cast<unsigned char>(s[i])))
        digits = true;
      else if (s[i] == '.' && !dot)
        dot = true;
      else
        return false;
    }
    return digits;
  }
};

}  // namespace ctorm::detail
