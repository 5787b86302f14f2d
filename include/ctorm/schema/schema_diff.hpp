#pragma once
// The differences between what the entities ask for and what a live database holds, as a typed list:
// what `orm.schema().validate()` returns and SchemaMismatchError carries.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../db/schema_description.hpp"
#include "../db/table_alteration.hpp"
#include "../error.hpp"

namespace ctorm {

struct SchemaDifference {
  enum class Kind {
    missing_table,        // the entity's table is not there
    extra_table,          // a table no entity maps (a note: nothing of ctorm's reads or writes it)
    missing_column,
    extra_column,         // a column no field maps that is not null without a default: ctorm's inserts fail
    unused_column,        // a column no field maps that inserts may leave out (nullable or with a default): a note
    column_type,          // SQLite: compared by affinity (varchar(255) and text are the same)
    column_nullability,
    column_default,
    primary_key,          // the key's columns differ
    missing_index,
    extra_index,          // an index no entity declares (a note: one made by hand for speed is common)
    index_differs,        // same name, other columns or uniqueness
    missing_foreign_key,
    extra_foreign_key,
    foreign_key_differs,  // on the same columns: another target, or other on delete / on update rules
  };

  Kind kind{};
  std::string entity;  // the C++ entity ("User"; "Article.tags" for a pivot table), empty for an extra table
  std::string field;   // the C++ field ("email", "ts.created_at"), for a column's difference
  std::string table;
  std::string column;    // a column, an index or a foreign key (its columns, for an unnamed one)
  std::string expected;  // what the entities ask for
  std::string actual;    // what the database holds

  // Notes are differences nothing ctorm does is hurt by; validate() leaves them out.
  bool is_error() const noexcept {
    return kind != Kind::extra_table && kind != Kind::unused_column && kind != Kind::extra_index;
  }

  // One line: `column "user"."age" (User.age): type integer (integer affinity) expected, the database has
  // text (text affinity)`.
  std::string message() const {
    const std::string t = "\"" + table + "\"";
    const std::string col = t + ".\"" + column + "\"";
    const std::string who = entity.empty() ? std::string() : " (" + (field.empty() ? entity : entity + "." + field) + ")";
    switch (kind) {
      case Kind::missing_table: return "table " + t + who + " is missing";
      case Kind::extra_table: return "table " + t + " is not mapped by any entity";
      case Kind::missing_column: return "column " + col + who + " is missing";
      case Kind::extra_column:
        return "column " + col + " is not mapped by any field and is not null without a default (" + actual +
               "), so inserts fail";
      case Kind::unused_column: return "column " + col + " is not mapped by any field";
      case Kind::column_type:
        return "column " + col + who + ": type " + expected + " expected, the database has " + actual;
      case Kind::column_nullability:
        return "column " + col + who + ": " + expected + " expected, the database has " + actual;
      case Kind::column_default:
        return "column " + col + who + ": default " + expected + " expected, the database has " + actual;
      case Kind::primary_key: return "table " + t + who + ": primary key (" + expected + ") expected, the database has (" + actual + ")";
      case Kind::missing_index: return "index \"" + column + "\" on " + t + who + " is missing: " + expected;
      case Kind::extra_index: return "index \"" + column + "\" on " + t + " is not declared by any entity: " + actual;
      case Kind::index_differs:
        return "index \"" + column + "\" on " + t + who + ": " + expected + " expected, the database has " + actual;
      case Kind::missing_foreign_key: return "foreign key of " + t + who + " is missing: " + expected;
      case Kind::extra_foreign_key: return "foreign key of " + t + " is not declared by any entity: " + actual;
      case Kind::foreign_key_differs:
        return "foreign key of " + t + who + ": " + expected + " expected, the database has " + actual;
    }
    return {};
  }
};

// The database does not match the entities: every difference (validate's list), one per line.
class SchemaMismatchError : public Error {
 public:
  explicit SchemaMismatchError(std::vector<SchemaDifference> differences)
      : Error(compose(differences)), differences_(std::move(differences)) {}
  const std::vector<SchemaDifference>& differences() const noexcept { return differences_; }

 private:
  static std::string compose(const std::vector<SchemaDifference>& ds) {
    std::string m = "ctorm: the database does not match the entities (" + std::to_string(ds.size()) + " difference" +
                    (ds.size() == 1 ? "" : "s") + "):";
    for (const auto& d : ds) m += "\n  - " + d.message();
    return m;
  }
  std::vector<SchemaDifference> differences_;
};

namespace detail {

// Appended piece by piece, not `"(" + joined(...)`: GCC 12 at -O3 takes that for an overlapping copy
// (a false -Wrestrict) and users' -Werror builds would fail.
inline void append_joined(std::string& out, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += names[i];
  }
}

inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  append_joined(out, names);
  return out;
}

inline std::string describe_index(const IndexDescription& ix) {
  std::string out = ix.unique ? "unique (" : "(";
  append_joined(out, ix.columns);
  out += ')';
  return out;
}

inline std::string describe_foreign_key(const ForeignKeyDescription& fk) {
  std::string out = "(";
  append_joined(out, fk.columns);
  out += ") references ";
  out += fk.target_table;
  out += " (";
  append_joined(out, fk.target_columns);
  out += ") on delete ";
  out += fk.on_delete;
  out += " on update ";
  out += fk.on_update;
  return out;
}

inline bool same_index(const IndexDescription& a, const IndexDescription& b) {
  return a.unique == b.unique && a.columns == b.columns;
}

// The same reference: columns, target and rules. A name counts only where both sides keep one (SQLite
// does not).
inline bool same_foreign_key(const ForeignKeyDescription& a, const ForeignKeyDescription& b) {
  return a.columns == b.columns && a.target_table == b.target_table && a.target_columns == b.target_columns &&
         a.on_delete == b.on_delete && a.on_update == b.on_update &&
         (a.name.empty() || b.name.empty() || a.name == b.name);
}

template <class Backend>
bool same_default(const std::optional<std::string>& expected, const std::optional<std::string>& live) {
  if (!expected || !live) return !expected && !live;
  return Backend::introspection::same_default(*expected, *live);
}

// Every difference between `expected` (the entities) and `live`, errors and notes, table by table in
// the entities' order, then the tables no entity maps.
template <class Backend>
std::vector<SchemaDifference> diff_schema(const SchemaDescription& expected, const SchemaDescription& live) {
  using Kind = SchemaDifference::Kind;
  using Editor = typename Backend::schema_editor;
  std::vector<SchemaDifference> out;
  for (const auto& want : expected.tables) {
    const TableDescription* have = live.table(want.name);
    const auto add = [&](Kind k, std::string field, std::string column, std::string exp, std::string act) {
      out.push_back({k, want.entity, std::move(field), want.name, std::move(column), std::move(exp), std::move(act)});
    };
    if (!have) {
      add(Kind::missing_table, {}, {}, {}, {});
      continue;
    }
    for (const auto& c : want.columns) {
      const ColumnDescription* l = have->column(c.name);
      if (!l) {
        add(Kind::missing_column, c.field, c.name, c.type, {});
        continue;
      }
      if (!Backend::introspection::same_type(c.type, l->type))
        add(Kind::column_type, c.field, c.name, Editor::type_label(c.type), Editor::type_label(l->type));
      if (c.not_null != l->not_null)
        add(Kind::column_nullability, c.field, c.name, c.not_null ? "not null" : "nullable",
            l->not_null ? "not null" : "nullable");
      if (!same_default<Backend>(c.default_sql, l->default_sql))
        add(Kind::column_default, c.field, c.name, c.default_sql.value_or("none"), l->default_sql.value_or("none"));
    }
    if (primary_key_columns(want) != primary_key_columns(*have)) add(Kind::primary_key, {}, {}, joined(primary_key_columns(want)), joined(primary_key_columns(*have)));
    for (const auto& l : have->columns) {
      if (want.column(l.name)) continue;
      const bool blocks_inserts = l.not_null && !l.default_sql && !l.generated;
      out.push_back({blocks_inserts ? Kind::extra_column : Kind::unused_column, {}, {}, want.name, l.name, {},
                     l.type + (l.not_null ? " not null" : "")});
    }
    for (const auto& ix : want.indexes) {
      const IndexDescription* l = have->index(ix.name);
      if (!l)
        add(Kind::missing_index, {}, ix.name, describe_index(ix), {});
      else if (!same_index(ix, *l))
        add(Kind::index_differs, {}, ix.name, describe_index(ix), describe_index(*l));
    }
    for (const auto& l : have->indexes)
      if (!want.index(l.name)) out.push_back({Kind::extra_index, {}, {}, want.name, l.name, {}, describe_index(l)});
    for (const auto& fk : want.foreign_keys) {
      const ForeignKeyDescription* on_columns = nullptr;
      bool found = false;
      for (const auto& l : have->foreign_keys) {
        if (same_foreign_key(fk, l)) found = true;
        if (l.columns == fk.columns) on_columns = &l;
      }
      if (found) continue;
      if (on_columns)
        add(Kind::foreign_key_differs, {}, joined(fk.columns), describe_foreign_key(fk), describe_foreign_key(*on_columns));
      else
        add(Kind::missing_foreign_key, {}, joined(fk.columns), describe_foreign_key(fk), {});
    }
    for (const auto& l : have->foreign_keys) {
      bool mapped = false;
      for (const auto& fk : want.foreign_keys) mapped = mapped || fk.columns == l.columns;
      if (!mapped)
        out.push_back({Kind::extra_foreign_key, {}, {}, want.name, joined(l.columns), {}, describe_foreign_key(l)});
    }
  }
  for (const auto& l : live.tables)
    if (!expected.table(l.name)) out.push_back({Kind::extra_table, {}, {}, l.name, {}, {}, {}});
  return out;
}

}  // namespace detail
}  // namespace ctorm
