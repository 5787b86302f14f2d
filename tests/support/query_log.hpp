#pragma once
// Captures the statements an Orm runs, so tests can assert on the SQL that was (or was not) sent. The
// expected text is written the SQLite way (`?`): count and contains renumber it for PostgreSQL
// (dialect_sql, support/backend.hpp), counting from the statement's first placeholder.
#include <string>
#include <string_view>
#include <vector>

#include "backend.hpp"

namespace ctorm_test {

struct QueryLog {
  std::vector<std::string> lines;

  template <class Orm>
  void attach(Orm& orm) {
    orm.set_logger([this](std::string_view line) { lines.emplace_back(line); });
  }
  void clear() { lines.clear(); }
  std::size_t size() const { return lines.size(); }
  // How many logged statements start with `[query] <prefix>`.
  std::size_t count(std::string_view prefix) const {
    const std::string start = "[query] " + dialect_sql(prefix);
    std::size_t n = 0;
    for (const auto& l : lines)
      if (l.starts_with(start)) ++n;
    return n;
  }
  // Whether a logged line holds `text` (a whole statement or its start, when it has placeholders).
  bool contains(std::string_view text) const {
    const std::string expected = dialect_sql(text);
    for (const auto& l : lines)
      if (l.find(expected) != std::string::npos) return true;
    return false;
  }
};

}  // namespace ctorm_test
