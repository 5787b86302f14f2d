#pragma once
// A database schema as plain run-time values: what a live database holds (read by each backend's
// introspection) and what the entities ask for (schema/entity_schema.hpp) share this one form, so that
// validating, diffing and migrating compare like with like.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctorm {

struct ColumnDescription {
  std::string name;
  // The declared type as the table's definition writes it, lower case ("integer", "varchar(100)";
  // PostgreSQL: format_type's spelling, "bigint", "character varying(100)").
  std::string type;
  bool not_null = false;
  std::optional<std::string> default_sql;  // the default's SQL text as the database keeps it, if any
  int primary_key = 0;                     // 1-based position in the primary key; 0 when not part of it
  bool generated = false;                  // the database assigns it (autoincrement, identity)
  // Set on the entities' side only: the entity and field (C++ names) the column maps.
  std::string entity;
  std::string field;
};

struct IndexDescription {
  std::string name;
  bool unique = false;
  std::vector<std::string> columns;
};

struct ForeignKeyDescription {
  std::string name;  // the constraint's name; empty where the database does not keep one (SQLite)
  std::vector<std::string> columns;
  std::string target_table;
  std::vector<std::string> target_columns;
  // Lower case as SQL writes them: "no action", "restrict", "cascade", "set null", "set default".
  std::string on_delete = "no action";
  std::string on_update = "no action";
};

struct TableDescription {
  std::string name;
  std::vector<ColumnDescription> columns;  // in the table's order
  // Indexes a statement created (not those SQLite or PostgreSQL make for a primary key or a constraint).
  std::vector<IndexDescription> indexes;
  std::vector<ForeignKeyDescription> foreign_keys;
  std::string entity;  // set on the entities' side only: the C++ type (or "Owner.field" for a pivot table)

  const ColumnDescription* column(std::string_view n) const {
    auto it = std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.name == n; });
    return it == columns.end() ? nullptr : &*it;
  }
  const IndexDescription* index(std::string_view n) const {
    auto it = std::find_if(indexes.begin(), indexes.end(), [&](const auto& i) { return i.name == n; });
    return it == indexes.end() ? nullptr : &*it;
  }
};

struct ViewDescription {
  std::string name;
  std::string sql;  // the view's query as the database keeps it
};

struct SchemaDescription {
  std::vector<TableDescription> tables;  // user tables only: no sqlite_*, no pg_catalog, no ctorm_migrations
  std::vector<ViewDescription> views;

  const TableDescription* table(std::string_view n) const {
    auto it = std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.name == n; });
    return it == tables.end() ? nullptr : &*it;
  }
  const ViewDescription* view(std::string_view n) const {
    auto it = std::find_if(views.begin(), views.end(), [&](const auto& v) { return v.name == n; });
    return it == views.end() ? nullptr : &*it;
  }
};

}  // namespace ctorm
