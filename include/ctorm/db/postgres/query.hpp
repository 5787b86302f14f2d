#pragma once
// One use of a prepared PostgreSQL statement, the counterpart of db/sqlite/query.hpp's SqliteQuery: bind
// values, run it (one round trip, PQexecPrepared; the first run on a connection also prepares it, in the
// same round trip), walk the rows of its result. Values go in binary where the server inferred a type
// that takes them so, results come in binary when the statement's columns allow it (PgStatement,
// db/postgres/connection.hpp); the first run, before the server said either, is in text. The whole
// result arrives at once, so a statement is never busy: the same one may run again, nested, while a
// result of it is being read.
#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "../bound_values.hpp"
#include "codec.hpp"
#include "connection.hpp"

namespace ctorm::detail {

class PgQuery {
 public:
  // `maybe_busy` is SQLite's (its statements hold their rows); here every statement is free to run.
  PgQuery(PgConnection& conn, PgStatement* st, std::string_view sql, bool maybe_busy = true)
      : conn_(conn), st_(st), sql_(sql) {
    (void)maybe_busy;
    if (CTORM_UNLIKELY(conn_.logging())) start_ = std::chrono::steady_clock::now();
  }
  PgQuery(const PgQuery&) = delete;
  PgQuery& operator=(const PgQuery&) = delete;
  ~PgQuery() { PQclear(res_); }

  PgStatement* handle() const noexcept { return st_; }
  // The current row (after step() returned true).
  PgRow row() const noexcept { return {res_, row_, sql_, binary_}; }

  // `field` names the entity field the value comes from ("User.score"), for the error about a refused
  // value: a NaN, or text with a NUL byte. Thrown here, before the statement runs.
  template <class T>
  void bind(const T& v, std::string_view field = {}) {
    bound_.add(v);
    const PgRefused refused = params_.add(v, st_->param_type(params_.size()));
    if (CTORM_UNLIKELY(refused != PgRefused::none)) fail_bind(refused, field);
  }

  // True while there is a row to read; the first call runs the statement.
  bool step() {
    if (CTORM_UNLIKELY(!res_)) execute();
    if (row_ + 1 < row_count_) {
      ++row_;
      return true;
    }
    return false;
  }

  // Sends the statement with its values, in pipeline mode, without waiting for its result (PgBatch reads
  // it later, and prepared the statement before it bound the values). libpq copies the values: they may
  // go when this query does.
  void send() {
    if (CTORM_UNLIKELY(PQsendQueryPrepared(conn_.handle(), st_->name.c_str(), params_.size(), params_.values(),
                                           params_.lengths(), params_.formats(), st_->result_format()) != 1))
      fail(nullptr);
  }

  // Runs a statement whose rows, if any, are not walked (they stay readable: generated_key()); the
  // number of rows it changed (inserted, updated, deleted), or for a select the rows it returned.
  std::int64_t run(bool log_count = true) {
    if (!res_) execute();
    const char* tuples = PQcmdTuples(res_);  // "" for statements that count nothing
    std::int64_t changed = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), changed);
    if (CTORM_UNLIKELY(conn_.logging())) log(log_count ? changed : -1, false);
    return changed;
  }

  // The key the database generated for the row an insert wrote: the first column of the first row its
  // `returning` clause sent; 0 when it sent none (an insert that wrote no row).
  std::int64_t generated_key() const {
    if (!res_ || PQntuples(res_) == 0 || PQnfields(res_) == 0) return 0;
    return read_int64({res_, 0, sql_, binary_}, 0);
  }

  // Logs a statement that returned rows, once they are all read.
  void finish_rows() {
    if (CTORM_UNLIKELY(conn_.logging())) log(row_ + 1, true);
  }

  // The bound values, as the log prints them.
  std::string values() const { return bound_.text(); }

  // The statement failed: `res` is its result (null when libpq could not send it).
  CTORM_COLD [[noreturn]] void fail(const PGresult* res) const {
    throw_pg_error(conn_.handle(), res, sql_, values());
  }

  // The value just bound was refused: the statement does not run.
  CTORM_COLD [[noreturn]] void fail_bind(PgRefused why, std::string_view field) const {
    std::string what = field.empty() ? "the value of parameter " + std::to_string(bound_.size()) : std::string(field);
    what += why == PgRefused::nan
                ? " is NaN, which ctorm binds on no database (SQLite cannot store it; PostgreSQL, where NaN "
                  "equals NaN and sorts above every number, refuses it too so that both behave alike)"
                : " holds a NUL byte, which PostgreSQL's text cannot store (store such bytes in a ctorm::Blob)";
    throw InvalidValueError("ctorm: " + what, std::string(sql_), values());
  }

 private:
  void execute() {
    PGresult* res;
    if (CTORM_LIKELY(st_->prepared)) {
      res = PQexecPrepared(conn_.handle(), st_->name.c_str(), params_.size(), params_.values(), params_.lengths(),
                           params_.formats(), st_->result_format());
      binary_ = st_->binary_columns();
    } else {
      // the statement's first run on this connection: prepared in the same round trip, results in text
      res = first_run();
    }
    const ExecStatusType s = PQresultStatus(res);  // a null result is PGRES_FATAL_ERROR
    if (CTORM_UNLIKELY(s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK)) {
      const PgResultGuard guard{res};
      fail(res);
    }
    res_ = res;
    row_count_ = PQntuples(res);
  }

  CTORM_NOINLINE PGresult* first_run() {
    return conn_.prepare_and_run(*st_, params_.size(), params_.values(), params_.lengths(), params_.formats());
  }

  CTORM_NOINLINE void log(std::int64_t count, bool rows_are_results) const {
    conn_.log(sql_, values(), start_, count, rows_are_results);
  }

  PgConnection& conn_;
  PgStatement* st_;
  std::string_view sql_;
  PGresult* res_ = nullptr;
  const PgColumn* binary_ = nullptr;  // the columns' types when the result is in binary
  int row_ = -1;
  int row_count_ = 0;
  std::chrono::steady_clock::time_point start_{};
  BoundValues bound_;
  PgParams params_;
};

}  // namespace ctorm::detail
