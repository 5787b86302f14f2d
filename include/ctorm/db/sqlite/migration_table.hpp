#pragma once
// SQLite's side of the migrations: the table of applied migrations, written SQLite's way (the time as
// ISO text, which SQLite has no type for), and the catalogue queries a fresh start needs.
#include <string>
#include <string_view>

namespace ctorm::detail {

struct SqliteMigrationTable {
  static constexpr std::string_view create =
      R"(create table if not exists "ctorm_migrations" ("id" integer primary key autoincrement, "name" varchar(255) not null unique, "checksum" varchar(16), "executed_at" text not null default (strftime('%Y-%m-%d %H:%M:%S', 'now'))))";
  static constexpr std::string_view exists =
      "select count(*) from sqlite_master where type = 'table' and name = 'ctorm_migrations'";
  static constexpr std::string_view select = R"(select "name", "checksum", "executed_at" from "ctorm_migrations" order by "id")";
  static constexpr std::string_view insert = R"(insert into "ctorm_migrations" ("name", "checksum") values (?, ?))";
  static constexpr std::string_view remove = R"(delete from "ctorm_migrations" where "name" = ?)";
  // Every view, then every table of the database (SQLite's own aside): what fresh() drops.
  static constexpr std::string_view user_objects =
      "select type, name from sqlite_master where type in ('view', 'table') and name not like 'sqlite\\_%' escape '\\' "
      "order by type = 'table'";
  // Foreign keys are off in a schema change, so the order of the drops does not matter.
  static std::string drop(std::string_view type, std::string_view name) {
    std::string out = "drop ";
    out += type;
    out += " if exists \"";
    for (char c : name) out += c == '"' ? std::string_view("\"\"") : std::string_view(&c, 1);
    out += '"';
    return out;
  }
};

}  // namespace ctorm::detail
