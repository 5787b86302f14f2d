#pragma once
// Captures the statements an Orm runs, so tests can assert on the SQL that was (or was not) sent.
#include <string>
#include <string_view>
#include <vector>

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
    std::size_t n = 0;
    for (const auto& l : lines)
      if (std::string_view(l).substr(0, 8 + prefix.size()) == std::string("[query] ") + std::string(prefix)) ++n;
    return n;
  }
  bool contains(std::string_view text) const {
    for (const auto& l : lines)
      if (l.find(text) != std::string::npos) return true;
    return false;
  }
};

}  // namespace ctorm_test
