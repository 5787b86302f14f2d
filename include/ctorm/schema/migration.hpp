#pragma once
// What a migration is: a name ordered by time (`20261202103000_add_social`: a UTC timestamp, `_`, a snake
// case name) and an up and a down step, each SQL text or a function. The options of
// `orm.migrations(...)` and what list() reports.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema_update.hpp"

namespace ctorm {

// What a compiled migration's function is given: the statements it runs go into the migration's
// transaction.
class MigrationContext {
 public:
  MigrationContext(std::string_view migration, std::string_view backend, std::function<void(std::string_view)> run)
      : migration_(migration), backend_(backend), run_(std::move(run)) {}

  // Runs one statement (no values bound) inside the migration's transaction.
  void execute(std::string_view sql) { run_(sql); }
  // The migration's name.
  std::string_view name() const noexcept { return migration_; }
  // The database's name, as its dialect spells it: "SQLite" or "PostgreSQL".
  std::string_view backend() const noexcept { return backend_; }

 private:
  std::string_view migration_;
  std::string_view backend_;
  std::function<void(std::string_view)> run_;
};

// One step of a migration: SQL text (one or more statements separated by `;`), or a function that runs
// its statements through the context. An empty step does nothing.
class MigrationStep {
 public:
  MigrationStep() = default;
  MigrationStep(std::string sql) : sql_(std::move(sql)) {}  // NOLINT: implicit, `{name, "sql", "sql"}`
  MigrationStep(const char* sql) : sql_(sql) {}              // NOLINT
  MigrationStep(std::string_view sql) : sql_(sql) {}         // NOLINT
  template <class F>
    requires(std::invocable<F&, MigrationContext&> && !std::convertible_to<F, std::string_view>)
  MigrationStep(F f) : function_(std::move(f)) {}  // NOLINT

  bool is_function() const noexcept { return static_cast<bool>(function_); }
  const std::string& sql() const noexcept { return sql_; }
  const std::function<void(MigrationContext&)>& function() const noexcept { return function_; }

 private:
  std::string sql_;
  std::function<void(MigrationContext&)> function_;
};

// A migration compiled into the program: `{"20261202103000_add_social", "alter table ...", "alter table
// ..."}`, or with functions `[](ctorm::MigrationContext& m) { m.execute("..."); }` as its steps.
struct Migration {
  std::string name;
  MigrationStep up;
  MigrationStep down;
};

struct MigrationOptions {
  // The folder of migration files, two per migration: `<name>.up.sql` and `<name>.down.sql`. A folder
  // that does not exist holds none (create() makes it); empty: no folder.
  std::filesystem::path folder = "migrations";
  // Migrations compiled into the program, run in name order together with the folder's.
  std::vector<Migration> compiled;
};

struct CreateOptions {
  // Write empty up and down files, whatever the entities' changes (for changes to rows, say).
  bool blank = false;
  // How the up step is planned, as for orm.schema().update(): allow_drop to drop what the entities no
  // longer have, renames, fills. The down step may always drop what the up step adds, and reverses the
  // renames.
  UpdateOptions update = {};
};

// An applied migration, as list() reports it.
struct AppliedMigration {
  std::string name;
  std::string checksum;     // of its up and down text when it ran; empty for a migration of functions
  std::string executed_at;  // UTC, "2026-12-02 10:30:00"
  bool changed = false;     // its file (or compiled text) is not what ran: edited since
  bool missing = false;     // neither the folder nor the compiled list has it any more
};

namespace detail {

// `<14 digits>_<lower case letters, digits and _>`.
inline bool valid_migration_name(std::string_view name) {
  if (name.size() < 16 || name[14] != '_') return false;
  for (std::size_t i = 0; i < 14; ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  for (std::size_t i = 15; i < name.size(); ++i) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// A migration's checksum: 64-bit FNV-1a over its up text, a NUL, and its down text, in hex.
inline std::string migration_checksum(std::string_view up, std::string_view down) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  const auto add = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ull;
  };
  for (char c : up) add(static_cast<unsigned char>(c));
  add(0);
  for (char c : down) add(static_cast<unsigned char>(c));
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 0xf];
  return out;
}

// `AddSocial`, `add social`, `add-social` -> `add_social`; "migration" when nothing is left.
inline std::string migration_snake_name(std::string_view name) {
  std::string out;
  char prev = 0;
  for (char c : name) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool word = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word) {
      if (!out.empty() && out.back() != '_') out += '_';
    } else {
      if (upper && ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9')) && out.back() != '_') out += '_';
      out += upper ? static_cast<char>(c - 'A' + 'a') : c;
    }
    prev = c;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "migration" : out;
}

// `20261202103000` for 2026-12-02 10:30:00 UTC.
inline std::string migration_timestamp(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

// The time of a migration name's timestamp.
inline std::chrono::sys_seconds migration_time(std::string_view name) {
  using namespace std::chrono;
  const auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (name[i] - '0');
    return v;
  };
  const sys_days day{year{num(0, 4)} / month{static_cast<unsigned>(num(4, 2))} / std::chrono::day{static_cast<unsigned>(num(6, 2))}};
  return day + hours{num(8, 2)} + minutes{num(10, 2)} + seconds{num(12, 2)};
}

// A new migration's full name: `now`'s timestamp and the snake case `name`, its time moved past `latest`
// (the newest known migration's name) so that it sorts after it.
inline std::string next_migration_name(std::string_view name, std::chrono::sys_seconds now, std::string_view latest) {
  std::string stamp = migration_timestamp(now);
  if (valid_migration_name(latest) && stamp <= latest.substr(0, 14))
    stamp = migration_timestamp(migration_time(latest) + std::chrono::seconds{1});
  return stamp + "_" + migration_snake_name(name);
}

}  // namespace detail
}  // namespace ctorm
