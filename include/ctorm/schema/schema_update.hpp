#pragma once
// Planning a schema update: the statements that take a database described by `from` to `to` (up: live
// -> entities; a migration's down step: entities -> live). What changes is worked out here, once for
// every database; how is each backend's schema_editor (db/<backend>/schema_editor.hpp). Safe by default:
// a change that could lose values is refused unless the caller allows it.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../db/schema_description.hpp"
#include "../db/table_alteration.hpp"
#include "../error.hpp"
#include "schema_diff.hpp"

namespace ctorm {

// A column whose name changed: `{"user", "name", "full_name"}` moves its values instead of dropping the old
// column and adding an empty one. A hint that no longer applies (the rename is done) is ignored.
struct ColumnRename {
  std::string table;
  std::string from;
  std::string to;
};

// The value existing rows take in a new column that is not null without a default: `{"user", "age", "0"}`.
// `value` is SQL (a literal, or an expression over the table's other columns).
struct ColumnFill {
  std::string table;
  std::string column;
  std::string value;
};

struct UpdateOptions {
  // Drop tables and columns the entities no longer have, and change a column's type where its values
  // may not all fit the new one (SQLite: text into integer; PostgreSQL: bigint into integer, text into
  // varchar(n), ...). Without it such a change throws SchemaChangeRefused and nothing runs.
  bool allow_drop = false;
  std::vector<ColumnRename> renames;
  std::vector<ColumnFill> fills;
};

// An update would lose data and was not allowed to: nothing ran. changes(): one line per refused change,
// naming it and why.
class SchemaChangeRefused : public Error {
 public:
  explicit SchemaChangeRefused(std::vector<std::string> changes)
      : Error(compose(changes)), changes_(std::move(changes)) {}
  const std::vector<std::string>& changes() const noexcept { return changes_; }

 private:
  static std::string compose(const std::vector<std::string>& changes) {
    std::string m = "ctorm: the schema update was refused, nothing ran:";
    for (const auto& c : changes) m += "\n  - " + c;
    return m;
  }
  std::vector<std::string> changes_;
};

namespace detail {

// Tables in an order where each comes after the tables its foreign keys reference (among `tables`), the
// given order kept otherwise; a cycle keeps its given order.
inline std::vector<const TableDescription*> foreign_key_ordered(std::vector<const TableDescription*> tables) {
  std::vector<const TableDescription*> out;
  std::set<std::string> placed;
  while (!tables.empty()) {
    auto ready = tables.begin();
    for (; ready != tables.end(); ++ready) {
      bool ok = true;
      for (const auto& fk : (*ready)->foreign_keys) {
        if (fk.target_table == (*ready)->name || placed.count(fk.target_table)) continue;
        for (const auto* t : tables)
          if (t->name == fk.target_table) ok = false;
      }
      if (ok) break;
    }
    if (ready == tables.end()) ready = tables.begin();
    placed.insert((*ready)->name);
    out.push_back(*ready);
    tables.erase(ready);
  }
  return out;
}

inline std::string quoted_column(std::string_view table, std::string_view column) {
  return detail::quoted(table) + "." + detail::quoted(column);
}

// How table `from` (live) must change to become `to`; refusals go to `refused`.
template <class Backend>
TableAlteration plan_table(const TableDescription& from, const TableDescription& to, const UpdateOptions& options,
                           const std::function<bool(const std::string&)>& table_has_rows,
                           std::vector<std::string>& refused) {
  using Editor = typename Backend::schema_editor;
  TableAlteration a;
  a.from = &from;
  a.to = &to;
  for (const auto& r : options.renames)
    if (r.table == to.name && from.column(r.from) && !from.column(r.to) && to.column(r.to) && !to.column(r.from))
      a.renames.emplace_back(r.from, r.to);
  std::optional<bool> has_rows;
  const auto rows = [&] {
    if (!has_rows) has_rows = table_has_rows(to.name);
    return *has_rows;
  };
  for (const auto& c : to.columns) {
    const ColumnDescription* src = a.source_of(c.name);
    if (!src) {
      std::string fill;
      for (const auto& f : options.fills)
        if (f.table == to.name && f.column == c.name) fill = f.value;
      if (c.not_null && !c.default_sql && !c.generated && fill.empty() && table_has_rows && rows())
        refused.push_back("adding column " + quoted_column(to.name, c.name) +
                          ", not null without a default, to a table that has rows: give the field a default "
                          "(ctorm::default_value) or the update a ColumnFill for it");
      a.added.push_back({&c, std::move(fill)});
      continue;
    }
    ColumnAlteration ch{src, &c};
    ch.type = !Backend::introspection::same_type(c.type, src->type);
    ch.not_null = c.not_null != src->not_null;
    ch.default_value = !same_default<Backend>(c.default_sql, src->default_sql);
    if (ch.type && Editor::narrows(src->type, c.type) && !options.allow_drop)
      refused.push_back("changing the type of " + quoted_column(to.name, c.name) + " from " + src->type + " to " +
                        c.type + " may not keep every value: pass allow_drop to change it");
    if (ch.type || ch.not_null || ch.default_value) a.changed.push_back(ch);
  }
  for (const auto& c : from.columns) {
    if (to.column(a.new_name(c.name))) continue;
    a.dropped.push_back(&c);
    if (!options.allow_drop)
      refused.push_back("dropping column " + quoted_column(from.name, c.name) +
                        " loses its values: pass allow_drop to drop it, or a ColumnRename if it was renamed");
  }
  std::vector<std::string> live_key;
  for (const auto& k : primary_key_columns(from)) live_key.push_back(a.new_name(k));
  a.primary_key = live_key != primary_key_columns(to);

  // indexes and foreign keys of the live table, with renamed columns under their new names
  const auto renamed = [&](std::vector<std::string> names) {
    for (auto& n : names) n = a.new_name(n);
    return names;
  };
  for (const auto& ix : from.indexes) {
    IndexDescription mapped = ix;
    mapped.columns = renamed(ix.columns);
    const IndexDescription* target = to.index(ix.name);
    if (!target || !same_index(mapped, *target)) a.dropped_indexes.push_back(&ix);
  }
  for (const auto& ix : to.indexes) {
    const IndexDescription* live = from.index(ix.name);
    IndexDescription mapped;
    if (live) {
      mapped = *live;
      mapped.columns = renamed(live->columns);
    }
    if (!live || !same_index(mapped, ix)) a.created_indexes.push_back(&ix);
  }
  const auto live_fk = [&](const ForeignKeyDescription& fk) {
    ForeignKeyDescription mapped = fk;
    mapped.columns = renamed(fk.columns);
    return mapped;
  };
  for (const auto& fk : from.foreign_keys) {
    bool kept = false;
    for (const auto& t : to.foreign_keys) kept = kept || same_foreign_key(live_fk(fk), t);
    if (!kept) a.dropped_foreign_keys.push_back(&fk);
  }
  for (const auto& t : to.foreign_keys) {
    bool there = false;
    for (const auto& fk : from.foreign_keys) there = there || same_foreign_key(live_fk(fk), t);
    if (!there) a.added_foreign_keys.push_back(&t);
  }
  return a;
}

inline bool is_empty(const TableAlteration& a) {
  return a.renames.empty() && a.added.empty() && a.dropped.empty() && a.changed.empty() && !a.primary_key &&
         a.dropped_indexes.empty() && a.created_indexes.empty() && a.dropped_foreign_keys.empty() &&
         a.added_foreign_keys.empty();
}

// The statements that take a database described by `from` to `to`, in Backend's dialect: new tables
// (in foreign-key order) with their indexes, then each changed table, then the tables `to` has not (in
// reverse foreign-key order). Empty when nothing differs. Pure: it reads no database, except through
// `table_has_rows` (called with a table's name when a not-null column without a default or fill is
// added to it; without one, no such check is made and the database's own not-null check decides when
// the statements run). Throws SchemaChangeRefused listing every change that could lose data and was not
// allowed.
template <class Backend>
std::vector<std::string> plan_schema_update(const SchemaDescription& from, const SchemaDescription& to,
                                            const UpdateOptions& options = {},
                                            const std::function<bool(const std::string&)>& table_has_rows = {}) {
  using Editor = typename Backend::schema_editor;
  std::vector<std::string> refused;
  std::vector<const TableDescription*> created, dropped;
  std::vector<TableAlteration> altered;
  for (const auto& t : to.tables) {
    const TableDescription* live = from.table(t.name);
    if (!live) {
      created.push_back(&t);
      continue;
    }
    TableAlteration a = plan_table<Backend>(*live, t, options, table_has_rows, refused);
    if (!is_empty(a)) altered.push_back(std::move(a));
  }
  for (const auto& t : from.tables) {
    if (to.table(t.name)) continue;
    dropped.push_back(&t);
    if (!options.allow_drop) refused.push_back("dropping table \"" + t.name + "\" loses its rows: pass allow_drop to drop it");
  }
  if (!refused.empty()) throw SchemaChangeRefused(std::move(refused));

  std::vector<std::string> out;
  for (const auto* t : foreign_key_ordered(created)) {
    out.push_back(Editor::create_table(*t));
    for (const auto& ix : t->indexes) out.push_back(Editor::create_index(t->name, ix));
  }
  for (const auto& a : altered) Editor::alter_table(a, out);
  const auto drop_order = foreign_key_ordered(dropped);
  for (auto it = drop_order.rbegin(); it != drop_order.rend(); ++it) out.push_back(Editor::drop_table((*it)->name));
  return out;
}

}  // namespace detail
}  // namespace ctorm
