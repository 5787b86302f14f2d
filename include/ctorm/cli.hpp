#pragma once
// The command line of a schema: MikroORM's `mikro-orm schema:update --dump`, `migration:create`, ...
// The entities are C++ types, so the tool is a program the user builds with them (as EF Core's design-time
// tool builds the user's project): a small main of their own calls ctorm::cli::run<Schema>(argc, argv).
// Needs CLI11 (Debian: libcli11-dev): link the CMake target ctorm::cli.
//
//   int main(int argc, char** argv) { return ctorm::cli::run<blog::Schema>(argc, argv); }
//
// Exit codes a script can rely on: see ExitCode.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migrations.hpp"
#include "orm.hpp"
#include "reflect/type_name.hpp"

namespace ctorm::cli {

enum ExitCode : int {
  success = 0,
  not_clean = 1,  // schema:validate found differences, migration:check found changes to migrate
  usage = 2,      // a bad command line
  failed = 3,     // the command ran and failed (a database error, a refused change, a failed migration)
};

// A command of the user's own, next to ctorm's (a seeder, a report): `name` as the command line spells it
// ("seeder:run"); `run` gets the Orm the command line opened and returns the exit code.
template <class Schema, class Backend = sqlite>
struct Command {
  std::string name;
  std::string description;
  std::function<int(Orm<Schema, Backend>&)> run;
};

template <class Schema, class Backend = sqlite>
struct Options {
  // The database when --db is not given and CTORM_DATABASE is not set: an SQLite file, or on PostgreSQL a
  // libpq connection string or URI.
  std::string database;
  // The migrations folder when --migrations is not given.
  std::string migrations = "migrations";
  // Migrations compiled into the program, run together with the folder's.
  std::vector<Migration> compiled;
  std::vector<Command<Schema, Backend>> commands;
  std::string program = "ctorm";  // the name --help shows
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
};

namespace detail {

// CLI11 keeps ':' out of command names, MikroORM's commands have one: `schema:update` is parsed as the
// command `schema` with the sub-command `update`, and both spellings work.
inline std::vector<std::string> split_commands(int argc, char** argv, const std::vector<std::string>& groups) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto colon = a.find(':');
    // only a known group's command: an option's value (`--rename user.a:b`, a path) keeps its colon
    const bool command = colon != std::string_view::npos && colon + 1 < a.size() &&
                         std::find(groups.begin(), groups.end(), a.substr(0, colon)) != groups.end();
    if (command) {
      args.emplace_back(a.substr(0, colon));
      args.emplace_back(a.substr(colon + 1));
    } else {
      args.emplace_back(a);
    }
  }
  return args;
}

// Prints statements one per line, each ending with `;`.
inline void print_statements(std::ostream& out, const std::string& sql) {
  out << sql;
  if (!sql.empty() && sql.back() != '\n') out << '\n';
}

}  // namespace detail

// Parses the command line and runs the command; returns an ExitCode (or a user command's code). Errors are
// printed to options.err, never thrown.
template <class Schema, class Backend = sqlite>
int run(int argc, char** argv, Options<Schema, Backend> options = {}) {
  std::ostream& out = *options.out;
  std::ostream& err = *options.err;
  CLI::App app{"The database schema and migrations of this program's entities (ctorm).", options.program};
  app.require_subcommand(1, 1);
  app.fallthrough();

  std::string database = options.database;
  if (const char* env = std::getenv("CTORM_DATABASE"); env && *env) database = env;
  std::string folder = options.migrations;
  app.add_option("--db", database, "The database: an SQLite file, or a PostgreSQL connection string or URI (default: "
                                   "$CTORM_DATABASE, else the program's own)");
  app.add_option("--migrations", folder, "The migrations folder")->capture_default_str();

  // What a command does once the command line is parsed.
  std::function<int()> action;

  auto open = [&] {
    if (database.empty()) throw UsageError("ctorm: no database: give --db, or set CTORM_DATABASE");
    return std::make_unique<Orm<Schema, Backend>>(database);
  };
  auto migrator_options = [&] { return MigrationOptions{.folder = folder, .compiled = options.compiled}; };

  // schema:* -- each needs exactly one of --dump (print the SQL) and --run (execute it).
  CLI::App* schema = app.add_subcommand("schema", "The tables of the entities (schema:create, schema:update, ...)");
  schema->require_subcommand(1, 1);
  struct DumpRun {
    bool dump = false;
    bool run = false;
  };
  auto dump_run = [](CLI::App* c, DumpRun& dr) {
    auto* d = c->add_flag("--dump", dr.dump, "Print the SQL instead of running it");
    auto* r = c->add_flag("--run", dr.run, "Run the SQL");
    d->excludes(r);
  };
  // One of the two, whatever other options the command takes (CLI11's require_option would count them all).
  auto require_dump_or_run = [](const DumpRun& dr, const char* command) {
    if (!dr.dump && !dr.run) throw UsageError(std::string("ctorm: ") + command + " needs --dump or --run");
  };

  DumpRun create_dr, update_dr, drop_dr, fresh_dr;
  auto* create = schema->add_subcommand("create", "Create every table and index of the entities");
  dump_run(create, create_dr);
  create->callback([&] {
    action = [&] {
      require_dump_or_run(create_dr, "schema:create");
      if (create_dr.dump) {
        out << SchemaManager<Schema, Backend>::create_sql();
        return int(success);
      }
      open()->schema().create();
      out << "schema created\n";
      return int(success);
    };
  });

  bool allow_drop = false;
  std::vector<std::string> renames;
  auto* update = schema->add_subcommand("update", "Take the database's tables to the entities");
  dump_run(update, update_dr);
  update->add_flag("--allow-drop", allow_drop, "Allow dropping tables and columns (values are lost)");
  update->add_option("--rename", renames, "A renamed column: TABLE.OLD:NEW (its values move with it)");
  update->callback([&] {
    action = [&] {
      require_dump_or_run(update_dr, "schema:update");
      UpdateOptions uo{.allow_drop = allow_drop};
      for (const std::string& r : renames) {
        const auto dot = r.find('.');
        const auto colon = r.find(':', dot == std::string::npos ? 0 : dot);
        if (dot == std::string::npos || colon == std::string::npos || dot == 0 || colon == dot + 1 || colon + 1 == r.size())
          throw UsageError("ctorm: --rename takes TABLE.OLD:NEW, not '" + r + "'");
        uo.renames.push_back({r.substr(0, dot), r.substr(dot + 1, colon - dot - 1), r.substr(colon + 1)});
      }
      auto orm = open();
      if (update_dr.dump) {
        const std::string sql = orm->schema().update_sql(uo);
        if (sql.empty()) err << "the schema is up to date\n";
        detail::print_statements(out, sql);
        return int(success);
      }
      orm->schema().update(uo);
      out << "schema updated\n";
      return int(success);
    };
  });

  auto* drop = schema->add_subcommand("drop", "Drop every table of the entities");
  dump_run(drop, drop_dr);
  drop->callback([&] {
    action = [&] {
      require_dump_or_run(drop_dr, "schema:drop");
      if (drop_dr.dump) {
        out << SchemaManager<Schema, Backend>::drop_sql();
        return int(success);
      }
      open()->schema().drop();
      out << "schema dropped\n";
      return int(success);
    };
  });

  auto* fresh = schema->add_subcommand("fresh", "Drop and create every table of the entities (values are lost)");
  dump_run(fresh, fresh_dr);
  fresh->callback([&] {
    action = [&] {
      require_dump_or_run(fresh_dr, "schema:fresh");
      if (fresh_dr.dump) {
        out << SchemaManager<Schema, Backend>::drop_sql() << SchemaManager<Schema, Backend>::create_sql();
        return int(success);
      }
      open()->schema().refresh_database();
      out << "schema recreated\n";
      return int(success);
    };
  });

  auto* validate = schema->add_subcommand("validate", "Compare the entities with the database; exit 1 on a difference");
  validate->callback([&] {
    action = [&] {
      const auto differences = open()->schema().validate();
      for (const auto& d : differences) out << d.message() << '\n';
      if (differences.empty()) out << "the database matches the entities\n";
      return int(differences.empty() ? success : not_clean);
    };
  });

  // migration:*
  CLI::App* migration = app.add_subcommand("migration", "Migrations (migration:create, migration:up, ...)");
  migration->require_subcommand(1, 1);

  bool blank = false;
  std::string name = "migration";
  auto* mcreate = migration->add_subcommand("create", "Write a migration from the entities' changes to the database");
  mcreate->add_flag("--blank", blank, "Write empty up and down files");
  mcreate->add_option("--name", name, "The migration's name, after its timestamp")->capture_default_str();
  mcreate->callback([&] {
    action = [&] {
      auto orm = open();
      const auto written = orm->migrations(migrator_options()).create(name, CreateOptions{.blank = blank});
      for (const auto& path : written) out << "wrote " << path.string() << '\n';
      return int(success);
    };
  });

  std::string to;
  auto* mup = migration->add_subcommand("up", "Run the pending migrations (up to --to)");
  mup->add_option("--to", to, "The last migration to run");
  mup->callback([&] {
    action = [&] {
      auto orm = open();
      auto m = orm->migrations(migrator_options());
      const auto ran = to.empty() ? m.up() : m.up(to);
      for (const auto& n : ran) out << "applied " << n << '\n';
      if (ran.empty()) out << "no pending migration\n";
      return int(success);
    };
  });
  auto* mdown = migration->add_subcommand("down", "Undo the last migration (or every one after --to)");
  mdown->add_option("--to", to, "The migration to go back to (it stays applied)");
  mdown->callback([&] {
    action = [&] {
      auto orm = open();
      auto m = orm->migrations(migrator_options());
      const auto undone = to.empty() ? m.down() : m.down(to);
      for (const auto& n : undone) out << "reverted " << n << '\n';
      if (undone.empty()) out << "no applied migration\n";
      return int(success);
    };
  });
  auto* mlist = migration->add_subcommand("list", "The applied migrations, with when they ran");
  mlist->callback([&] {
    action = [&] {
      auto orm = open();
      for (const auto& a : orm->migrations(migrator_options()).list()) {
        out << a.name << "  " << a.executed_at;
        if (a.changed) out << "  (its file changed since it ran)";
        out << '\n';
      }
      return int(success);
    };
  });
  auto* mpending = migration->add_subcommand("pending", "The migrations not yet run");
  mpending->callback([&] {
    action = [&] {
      auto orm = open();
      for (const auto& n : orm->migrations(migrator_options()).pending()) out << n << '\n';
      return int(success);
    };
  });
  auto* mcheck = migration->add_subcommand("check", "Exit 1 when the entities need a new migration (for CI)");
  mcheck->callback([&] {
    action = [&] {
      auto orm = open();
      const bool needed = orm->migrations(migrator_options()).check();
      out << (needed ? "the entities need a new migration\n" : "no changes to migrate\n");
      return int(needed ? not_clean : success);
    };
  });
  auto* mfresh = migration->add_subcommand("fresh", "Drop every table, then run every migration (values are lost)");
  mfresh->callback([&] {
    action = [&] {
      auto orm = open();
      const auto ran = orm->migrations(migrator_options()).fresh();
      for (const auto& n : ran) out << "applied " << n << '\n';
      return int(success);
    };
  });

  // debug: what this program maps, and where.
  auto* debug = app.add_subcommand("debug", "The entities, their tables and the database");
  debug->callback([&] {
    action = [&] {
      out << "backend: " << Backend::name << '\n';
      out << "database: " << (database.empty() ? "(none: give --db or set CTORM_DATABASE)" : database) << '\n';
      out << "migrations: " << folder << '\n';
      out << "entities:\n";
      for (const auto& t : SchemaManager<Schema, Backend>::entities().tables) {
        out << "  " << (t.entity.empty() ? "(pivot)" : t.entity) << " -> " << t.name << " (";
        for (std::size_t i = 0; i < t.columns.size(); ++i) out << (i ? ", " : "") << t.columns[i].name;
        out << ")\n";
      }
      return int(success);
    };
  });

  // The user's own commands: `seeder:run` becomes the command `seeder` with the sub-command `run`.
  for (auto& c : options.commands) {
    CLI::App* parent = &app;
    std::string leaf = c.name;
    if (const auto colon = c.name.find(':'); colon != std::string::npos) {
      const std::string group = c.name.substr(0, colon);
      leaf = c.name.substr(colon + 1);
      try {
        parent = app.get_subcommand(group);  // ctorm's (schema, migration) or an earlier command's group
      } catch (const CLI::OptionNotFound&) {
        parent = app.add_subcommand(group, "");
        parent->require_subcommand(1, 1);
      }
    }
    auto* sub = parent->add_subcommand(leaf, c.description);
    sub->callback([&] {
      action = [&] {
        auto orm = open();
        return c.run(*orm);
      };
    });
  }

  std::vector<std::string> groups;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_subcommands([](const CLI::App*) { return true; }).empty()) groups.push_back(sub->get_name());
  std::vector<std::string> args = detail::split_commands(argc, argv, groups);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return usage;
  }
  try {
    return action ? action() : int(usage);
  } catch (const UsageError& e) {
    err << e.what() << '\n';
    return usage;
  } catch (const std::exception& e) {
    err << e.what() << '\n';
    return failed;
  }
}

}  // namespace ctorm::cli
