#pragma once
// The query log every backend's connection keeps: MikroORM's debug line for each statement it runs.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ctorm::detail {

class QueryLogger {
 public:
  using Logger = std::function<void(std::string_view)>;

  void set_logger(Logger logger) { logger_ = std::move(logger); }
  bool logging() const noexcept { return static_cast<bool>(logger_); }

  // A message of the database's own (a PostgreSQL warning): `[notice] <message>`.
  void notice(std::string_view message) const {
    if (logger_) logger_("[notice] " + std::string(message));
  }

  // `[query] <sql> [values: ...] [took N ms, M results]`, as MikroORM's debug log; `count` < 0 prints none.
  void log(std::string_view sql, std::string_view values, std::chrono::steady_clock::time_point start,
           std::int64_t count, bool rows_are_results) const {
    if (!logger_) return;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::string line = "[query] ";
    line += sql;
    if (!values.empty()) {
      line += " [values: ";
      line += values;
      line += ']';
    }
    line += " [took " + std::to_string(ms.count()) + " ms";
    if (count >= 0) {
      line += ", " + std::to_string(count);
      if (rows_are_results)
        line += count == 1 ? " result" : " results";
      else
        line += count == 1 ? " row affected" : " rows affected";
    }
    line += ']';
    logger_(line);
  }

 private:
  Logger logger_;
};

}  // namespace ctorm::detail
