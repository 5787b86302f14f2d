#pragma once
// The migrations a program knows: the folder's files and the compiled list, read and checked as a whole
// before any of them runs.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../error.hpp"
#include "migration.hpp"

namespace ctorm::detail {

struct KnownMigration {
  std::string name;
  MigrationStep up;
  MigrationStep down;
  std::string checksum;  // empty when a step is a function
  std::string origin;    // where it comes from, for messages: the up file's path, or "compiled"
};

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MigrationError("ctorm: cannot read the migration file " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every migration of the folder and the compiled list, in name (so time) order. Throws MigrationError
// listing every problem found: a .sql file whose name is not `<timestamp>_<name>.up.sql` or
// `.down.sql`, an up file without its down file or the reverse, a compiled migration with a malformed
// name, two migrations with one name. Files that are not .sql (a README, .gitkeep) are left alone.
inline std::vector<KnownMigration> load_migrations(const MigrationOptions& options) {
  namespace fs = std::filesystem;
  std::vector<std::string> problems;
  std::map<std::string, KnownMigration> known;

  if (!options.folder.empty() && fs::is_directory(options.folder)) {
    struct Files {
      fs::path up, down;
    };
    std::map<std::string, Files> files;
    for (const auto& entry : fs::directory_iterator(options.folder)) {
      const std::string file = entry.path().filename().string();
      if (file.starts_with('.') || !file.ends_with(".sql")) continue;
      std::string name;
      bool up = false;
      if (file.ends_with(".up.sql")) {
        name = file.substr(0, file.size() - 7);
        up = true;
      } else if (file.ends_with(".down.sql")) {
        name = file.substr(0, file.size() - 9);
      }
      if (name.empty() || !valid_migration_name(name) || !entry.is_regular_file()) {
        problems.push_back(entry.path().string() +
                           ": not a migration file (<14-digit UTC timestamp>_<snake_case_name>.up.sql or .down.sql)");
        continue;
      }
      (up ? files[name].up : files[name].down) = entry.path();
    }
    for (auto& [name, f] : files) {
      if (f.up.empty()) {
        problems.push_back(f.down.string() + ": has no up file (" + name + ".up.sql)");
        continue;
      }
      if (f.down.empty()) {
        problems.push_back(f.up.string() + ": has no down file (" + name +
                           ".down.sql; an empty one if the migration cannot be undone)");
        continue;
      }
      std::string up = read_text_file(f.up);
      std::string down = read_text_file(f.down);
      KnownMigration m{name, {}, {}, migration_checksum(up, down), f.up.string()};
      m.up = MigrationStep(std::move(up));
      m.down = MigrationStep(std::move(down));
      known.emplace(name, std::move(m));
    }
  }

  for (const Migration& c : options.compiled) {
    if (!valid_migration_name(c.name)) {
      problems.push_back("compiled migration \"" + c.name +
                         "\": not a migration name (<14-digit UTC timestamp>_<snake_case_name>)");
      continue;
    }
    if (auto it = known.find(c.name); it != known.end()) {
      problems.push_back("two migrations are named " + c.name + ": " + it->second.origin + " and a compiled one");
      continue;
    }
    std::string checksum;
    if (!c.up.is_function() && !c.down.is_function()) checksum = migration_checksum(c.up.sql(), c.down.sql());
    known.emplace(c.name, KnownMigration{c.name, c.up, c.down, std::move(checksum), "compiled"});
  }

  if (!problems.empty()) {
    std::string m = "ctorm: the migrations cannot be read, nothing ran:";
    for (const auto& p : problems) m += "\n  - " + p;
    throw MigrationError(m);
  }
  std::vector<KnownMigration> out;
  out.reserve(known.size());
  for (auto& [name, m] : known) out.push_back(std::move(m));
  return out;
}

}  // namespace ctorm::detail
