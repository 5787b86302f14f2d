#pragma once
// Migrations: MikroORM's `migration:create`, `migration:up`, `migration:down`, ... Each migration runs in
// its own schema change (Backend::schema_change) and is recorded, in that same transaction, in the table
// `ctorm_migrations` (Backend::migration_table), so a migration either ran and is recorded or did neither.
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../db/sqlite/backend.hpp"
#include "../error.hpp"
#include "entity_schema.hpp"
#include "migration.hpp"
#include "migration_set.hpp"
#include "schema_update.hpp"
#include "sql_script.hpp"

namespace ctorm {

template <class Schema, class Backend = sqlite>
class Migrator {
  using Connection = typename Backend::connection;
  using ConnectionHandle = typename Backend::connection_source::Handle;
  using Table = typename Backend::migration_table;
  using Known = detail::KnownMigration;

 public:
  Migrator(ConnectionHandle conn, MigrationOptions options) : conn_(std::move(conn)), options_(std::move(options)) {}

  const MigrationOptions& options() const noexcept { return options_; }

  // The applied migrations, in the order they ran, each flagged when its file changed since or is gone.
  std::vector<AppliedMigration> list() const {
    const auto use = conn_.use();
    return state().applied;
  }

  // The names of the migrations not yet run, in the order up() runs them.
  std::vector<std::string> pending() const {
    const auto use = conn_.use();
    const State s = state();
    std::vector<std::string> out;
    for (const Known* m : s.pending()) out.push_back(m->name);
    return out;
  }

  // Runs every pending migration, oldest first, each in its own transaction; the names it ran. Throws
  // MigrationError before anything runs when the migrations cannot be read or an applied one changed,
  // and when a migration fails (after rolling it back; those before it stay applied).
  std::vector<std::string> up() { return run_up({}); }
  // The same, up to and including the migration `to`.
  std::vector<std::string> up(std::string_view to) {
    if (to.empty()) throw MigrationError("ctorm: up(to) needs a migration's name");
    return run_up(to);
  }

  // Undoes the last applied migration; its name (nothing when none is applied).
  std::vector<std::string> down() { return run_down(std::nullopt); }
  // Undoes every migration applied after `to`, newest first (`to` stays applied; "0" undoes them all);
  // their names.
  std::vector<std::string> down(std::string_view to) {
    if (to.empty()) throw MigrationError("ctorm: down(to) needs a migration's name, or \"0\" for all");
    return run_down(std::string(to));
  }

  // Writes the next migration into the folder: its up step takes the database to the entities (as
  // orm.schema().update() would), its down step takes the entities back to the database. `name` is put
  // in snake case after the current UTC time. Returns the two paths written (up, then down). Throws
  // MigrationError, writing nothing, while migrations are pending (run up() first: the database must be
  // what the migrations make) and when the database already matches the entities (unless
  // options.blank, which writes two empty files); SchemaChangeRefused as update() does.
  std::vector<std::filesystem::path> create(std::string_view name = "migration", const CreateOptions& options = {}) {
    namespace fs = std::filesystem;
    if (options_.folder.empty())
      throw MigrationError("ctorm: create() writes into MigrationOptions::folder, which is empty; nothing was written");
    const auto use = conn_.use();
    const State s = state();
    s.refuse_changed();
    if (const auto p = s.pending(); !p.empty()) {
      std::string names;
      for (const Known* m : p) names += (names.empty() ? "" : ", ") + m->name;
      throw MigrationError("ctorm: migrations are pending (" + names +
                           "): run up() first, so that the database is what the migrations make; nothing was written");
    }
    std::string up, down;
    if (!options.blank) {
      Connection& conn = *conn_;
      const SchemaDescription live = Backend::introspection::read(conn);
      const SchemaDescription entities = detail::describe_entities<Schema, Backend>();
      const auto has_rows = [&conn](const std::string& table) {
        std::string sql = "select count(*) from (select 1 from \"";
        for (char c : table) sql += c == '"' ? std::string("\"\"") : std::string(1, c);
        sql += "\" limit 1) as t";
        typename Backend::query q(conn, conn.statement(sql), sql);
        return q.step() && read_int64(q.row(), 0) != 0;
      };
      const auto forward = detail::plan_schema_update<Backend>(live, entities, options.update, has_rows);
      if (forward.empty())
        throw MigrationError("ctorm: the database already matches the entities, nothing to migrate "
                             "(CreateOptions{.blank = true} writes an empty migration); nothing was written");
      UpdateOptions back;
      back.allow_drop = true;
      for (const auto& r : options.update.renames) back.renames.push_back({r.table, r.to, r.from});
      up = script_of(forward);
      down = script_of(detail::plan_schema_update<Backend>(entities, live, back));
    }
    const std::string full =
        detail::next_migration_name(name, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                                    s.known.empty() ? std::string_view{} : std::string_view(s.known.back().name));
    fs::create_directories(options_.folder);
    std::vector<fs::path> written{options_.folder / (full + ".up.sql"), options_.folder / (full + ".down.sql")};
    write_file(written[0], up);
    write_file(written[1], down);
    return written;
  }

  // True when the entities differ from what the migrations make: a change that needs a new migration
  // (for CI). Pending migrations are run first, in a transaction that is rolled back, so nothing changes.
  bool check() {
    const auto use = conn_.use();
    const State s = state();
    s.refuse_changed();
    std::vector<std::pair<const Known*, std::vector<detail::SqlStatement>>> plan;
    for (const Known* m : s.pending()) plan.emplace_back(m, statements_of(*m, m->up));
    Connection& conn = *conn_;
    typename Backend::schema_change change(conn);  // never committed
    for (const auto& entry : plan) {  // no structured bindings: Clang 14 cannot capture them
      const Known& m = *entry.first;
      Progress p;
      guarded(m, "up", p, [&] { apply_step(change, m, m.up, entry.second, p); });
    }
    UpdateOptions all;
    all.allow_drop = true;
    return !detail::plan_schema_update<Backend>(Backend::introspection::read(conn),
                                                detail::describe_entities<Schema, Backend>(), all)
                .empty();
  }

  // Drops every table and view of the database (values are lost), then runs every migration; the names
  // it ran.
  std::vector<std::string> fresh() {
    const auto use = conn_.use();
    const std::vector<Known> known = detail::load_migrations(options_);
    std::vector<std::pair<const Known*, std::vector<detail::SqlStatement>>> plan;
    for (const Known& m : known) plan.emplace_back(&m, statements_of(m, m.up));
    Connection& conn = *conn_;
    {
      typename Backend::schema_change change(conn);
      std::vector<std::pair<std::string, std::string>> objects;
      {
        const std::string sql{Table::user_objects};
        typename Backend::query q(conn, conn.statement(sql), sql);
        while (q.step()) {
          std::pair<std::string, std::string> o;
          read_value(q.row(), 0, o.first);
          read_value(q.row(), 1, o.second);
          objects.push_back(std::move(o));
        }
        q.finish_rows();
      }
      for (const auto& [type, name] : objects) change.execute(Table::drop(type, name));
      change.commit();
    }
    std::vector<std::string> ran;
    for (auto& [m, statements] : plan) {
      run_one(*m, m->up, statements, true);
      ran.push_back(m->name);
    }
    return ran;
  }

 private:
  struct State {
    std::vector<Known> known;  // name order
    std::vector<AppliedMigration> applied;

    bool is_applied(std::string_view name) const {
      for (const auto& a : applied)
        if (a.name == name) return true;
      return false;
    }
    const Known* find(std::string_view name) const {
      for (const auto& k : known)
        if (k.name == name) return &k;
      return nullptr;
    }
    std::vector<const Known*> pending() const {
      std::vector<const Known*> out;
      for (const auto& k : known)
        if (!is_applied(k.name)) out.push_back(&k);
      return out;
    }
    // An applied migration whose text changed cannot be trusted to undo, nor the database to be what
    // the migrations make.
    void refuse_changed() const {
      std::string m;
      for (const auto& a : applied)
        if (a.changed) m += "\n  - " + a.name + " (applied with checksum " + a.checksum + ", now " + find(a.name)->checksum + ")";
      if (!m.empty())
        throw MigrationError("ctorm: applied migrations were changed since they ran, nothing ran (restore them, "
                             "and put new changes in a new migration):" + m);
    }
  };

  State state() const {
    State s;
    s.known = detail::load_migrations(options_);
    Connection& conn = *conn_;
    if (!table_exists(conn)) return s;
    const std::string sql{Table::select};
    typename Backend::query q(conn, conn.statement(sql), sql);
    while (q.step()) {
      AppliedMigration a;
      read_value(q.row(), 0, a.name);
      if (!column_is_null(q.row(), 1)) read_value(q.row(), 1, a.checksum);
      read_value(q.row(), 2, a.executed_at);
      s.applied.push_back(std::move(a));
    }
    q.finish_rows();
    for (auto& a : s.applied) {
      const Known* k = s.find(a.name);
      a.missing = k == nullptr;
      a.changed = k && a.checksum != k->checksum;
    }
    return s;
  }

  static bool table_exists(Connection& conn) {
    const std::string sql{Table::exists};
    typename Backend::query q(conn, conn.statement(sql), sql);
    const bool found = q.step() && read_int64(q.row(), 0) != 0;
    while (q.step()) {
    }
    q.finish_rows();
    return found;
  }

  // A step's statements, split before anything runs (an unclosed quote is an error of the file).
  static std::vector<detail::SqlStatement> statements_of(const Known& m, const MigrationStep& step) {
    if (step.is_function()) return {};
    try {
      return detail::split_sql_script(step.sql());
    } catch (const MigrationError& e) {
      throw MigrationError(std::string(e.what()) + " (migration " + m.name + ", " + m.origin + "), nothing ran", m.name);
    }
  }

  std::vector<std::string> run_up(std::string_view to) {
    const auto use = conn_.use();
    const State s = state();
    s.refuse_changed();
    if (!to.empty() && !s.find(to)) throw MigrationError("ctorm: no migration is named " + std::string(to) + ", nothing ran");
    std::vector<std::pair<const Known*, std::vector<detail::SqlStatement>>> plan;
    for (const Known* m : s.pending()) {
      if (!to.empty() && m->name.compare(to) > 0) break;  // not `>`: Clang 14 with libstdc++ 12
      plan.emplace_back(m, statements_of(*m, m->up));
    }
    std::vector<std::string> ran;
    for (auto& [m, statements] : plan) {
      run_one(*m, m->up, statements, true);
      ran.push_back(m->name);
    }
    return ran;
  }

  std::vector<std::string> run_down(const std::optional<std::string>& to) {
    const auto use = conn_.use();
    const State s = state();
    s.refuse_changed();
    std::size_t keep = s.applied.empty() ? 0 : s.applied.size() - 1;  // how many stay applied
    if (to) {
      keep = 0;
      if (*to != "0") {
        bool found = false;
        for (std::size_t i = 0; i < s.applied.size() && !found; ++i)
          if (s.applied[i].name == *to) {
            keep = i + 1;
            found = true;
          }
        if (!found) throw MigrationError("ctorm: no applied migration is named " + *to + ", nothing ran");
      }
    }
    std::vector<std::pair<const Known*, std::vector<detail::SqlStatement>>> plan;
    for (std::size_t i = s.applied.size(); i-- > keep;) {
      const Known* m = s.find(s.applied[i].name);
      if (!m)
        throw MigrationError("ctorm: the applied migration " + s.applied[i].name +
                                 " is neither in the folder nor compiled in, so it cannot be undone; nothing ran",
                             s.applied[i].name);
      plan.emplace_back(m, statements_of(*m, m->down));
    }
    std::vector<std::string> undone;
    for (auto& [m, statements] : plan) {
      run_one(*m, m->down, statements, false);
      undone.push_back(m->name);
    }
    return undone;
  }

  // Where a migration is, for the error when it fails.
  struct Progress {
    std::string where;    // "statement 2 (line 5 of ...)"
    std::string current;  // its text
  };

  // Runs `body`, turning what it throws into a MigrationError naming the migration and the statement.
  template <class F>
  static void guarded(const Known& m, const char* direction, Progress& p, F&& body) {
    try {
      body();
    } catch (const MigrationError&) {
      throw;
    } catch (const Error& e) {
      throw failure(m, direction, p.where, p.current.empty() ? e.sql() : p.current, e.what(), e.code(), e.sql_state());
    } catch (const std::exception& e) {
      throw failure(m, direction, p.where, p.current, e.what(), 0, {});
    }
  }

  // Runs one step of a migration and records it, in one schema change; on failure everything of it
  // is rolled back and MigrationError names the migration and the statement.
  void run_one(const Known& m, const MigrationStep& step, const std::vector<detail::SqlStatement>& statements,
               bool is_up) {
    Connection& conn = *conn_;
    Progress p;
    guarded(m, is_up ? "up" : "down", p, [&] {
      typename Backend::schema_change change(conn);
      change.execute(Table::create);
      apply_step(change, m, step, statements, p);
      p = {"recording it in ctorm_migrations", {}};
      record(conn, m, is_up);
      p.where = "the check before its commit";
      change.commit();
    });
  }

  template <class Change>
  static void apply_step(Change& change, const Known& m, const MigrationStep& step,
                         const std::vector<detail::SqlStatement>& statements, Progress& p) {
    if (step.is_function()) {
      int n = 0;
      p.where = "its function";
      MigrationContext context(m.name, Backend::dialect::name, [&](std::string_view sql) {
        p = {"statement " + std::to_string(++n) + " of its function", std::string(sql)};
        change.execute(sql);
        p = {"its function, after statement " + std::to_string(n), {}};
      });
      step.function()(context);
      return;
    }
    int n = 0;
    for (const auto& s : statements) {
      p = {"statement " + std::to_string(++n) + " (line " + std::to_string(s.line) + " of " + origin_of(m, step) + ")", s.text};
      change.execute(s.text);
    }
  }

  static std::string script_of(const std::vector<std::string>& statements) {
    std::string out;
    for (const auto& st : statements) out += st + ";\n";
    return out;
  }

  static void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw MigrationError("ctorm: cannot write the migration file " + path.string());
  }

  static std::string origin_of(const Known& m, const MigrationStep& step) {
    if (m.origin == "compiled") return &step == &m.up ? "its compiled up step" : "its compiled down step";
    if (&step == &m.up) return m.origin;
    return m.origin.substr(0, m.origin.size() - 7) + ".down.sql";
  }

  static void record(Connection& conn, const Known& m, bool is_up) {
    if (is_up) {
      const std::string sql{Table::insert};
      typename Backend::query q(conn, conn.statement(sql), sql);
      // bound values are read when the statement runs: they must outlive it
      const std::optional<std::string> checksum =
          m.checksum.empty() ? std::nullopt : std::optional<std::string>(m.checksum);
      q.bind(m.name);
      q.bind(checksum);
      q.run();
    } else {
      const std::string sql{Table::remove};
      typename Backend::query q(conn, conn.statement(sql), sql);
      q.bind(m.name);
      q.run();
    }
  }

  static MigrationError failure(const Known& m, const char* direction, const std::string& where, std::string statement,
                                std::string_view cause, int code, std::string_view sql_state) {
    // the cause's first line: its statement is this error's sql()
    const std::string_view first = cause.substr(0, cause.find('\n'));
    return MigrationError("ctorm: migration " + m.name + " (" + direction + ") failed at " + where +
                              " and was rolled back: " + std::string(first),
                          m.name, std::move(statement), code, sql_state, std::current_exception());
  }

  ConnectionHandle conn_;
  MigrationOptions options_;
};

}  // namespace ctorm
