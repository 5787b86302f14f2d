#pragma once
// One PostgreSQL connection (libpq), the counterpart of db/sqlite/connection.hpp: its prepared statements,
// prepared once per connection (with their first run, in the same round trip) and kept by slot or by
// text, the query log, and PostgreSQL's errors (SQLSTATE) turned into ctorm's typed errors.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/flat_map.hpp"

#include "../../config.hpp"
#include "../../error.hpp"
#include "../connection_options.hpp"
#include "../query_log.hpp"
#include "../statement_slot.hpp"
#include "codec.hpp"
#include "dialect.hpp"

namespace ctorm::detail {

// Frees a libpq result when it goes out of scope.
struct PgResultGuard {
  PGresult* res;
  explicit PgResultGuard(PGresult* r) noexcept : res(r) {}
  PgResultGuard(const PgResultGuard&) = delete;
  PgResultGuard& operator=(const PgResultGuard&) = delete;
  ~PgResultGuard() { PQclear(res); }
};

// libpq's messages end with a newline; ctorm's do not.
inline std::string pg_trimmed(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

template <class E>
CTORM_COLD [[noreturn]] inline void throw_pg_as(const std::string& msg, std::string& sql, std::string& values,
                                                std::string_view state) {
  throw E(msg, std::move(sql), std::move(values), 0, state);
}

// Throws the typed error for a failed statement: `res` is its result (null when libpq could not send it,
// and then the connection's message is the error's), `conn` the connection, to tell a lost one.
CTORM_COLD [[noreturn]] inline void throw_pg_error(PGconn* conn, const PGresult* res, std::string_view sql,
                                                    std::string values) {
  const char* field = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = field ? field : "";
  std::string msg = "ctorm: ";
  if (const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr) {
    msg += primary;
    if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
      msg += "\n  detail: ";
      msg += detail;
    }
  } else {
    // an error of libpq's own (the connection broke, no memory): no SQLSTATE
    msg += pg_trimmed(res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  }
  std::string text{sql};
  const std::string_view cls = state.substr(0, std::min<std::size_t>(2, state.size()));
  if (state == "23505") throw_pg_as<UniqueConstraintViolation>(msg, text, values, state);
  if (state == "23503") throw_pg_as<ForeignKeyConstraintViolation>(msg, text, values, state);
  if (state == "23502") throw_pg_as<NotNullConstraintViolation>(msg, text, values, state);
  if (cls == "23") throw_pg_as<ConstraintViolation>(msg, text, values, state);  // 23514 (check) and the rest
  if (state == "40001") throw_pg_as<SerializationFailure>(msg, text, values, state);
  if (state == "40P01") throw_pg_as<DeadlockDetected>(msg, text, values, state);
  // lock_timeout (the busy timeout) ran out; statement_timeout or a cancel request ended the statement
  if (state == "55P03" || state == "57014") throw_pg_as<DatabaseBusyError>(msg, text, values, state);
  if (state == "42P01") throw_pg_as<TableNotFoundError>(msg, text, values, state);
  // connection exceptions (but 08P01, a protocol violation such as a statement given too few values,
  // after which the session goes on), the server ending the session (administrator command, crash,
  // shutdown), and libpq's own finding that the connection broke
  if ((cls == "08" && state != "08P01") || state == "57P01" || state == "57P02" || state == "57P03" ||
      (conn && PQstatus(conn) == CONNECTION_BAD))
    throw_pg_as<ConnectionError>(msg, text, values, state);
  throw_pg_as<DatabaseError>(msg, text, values, state);
}

// A statement prepared on one connection: its server-side name and its text (for the log, errors and
// the upsert's families, which read the text back from the statement), and what the server said of it
// when it was prepared: its parameters' types, which decide which values are bound in binary, and its
// result columns' types when its results come in binary (db/postgres/codec.hpp, PgColumn).
struct PgStatement {
  std::string name;
  std::string sql;
  std::vector<Oid> params = {};
  std::vector<PgColumn> columns = {};  // empty: results in text
  bool prepared = false;               // on the server; until then, what the server said is not known

  Oid param_type(int i) const noexcept {
    return static_cast<std::size_t>(i) < params.size() ? params[static_cast<std::size_t>(i)] : 0;
  }
  int result_format() const noexcept { return columns.empty() ? 0 : 1; }
  const PgColumn* binary_columns() const noexcept { return columns.empty() ? nullptr : columns.data(); }
};

// A prepared statement and its text: SQLite's PreparedText for PostgreSQL.
struct PgPreparedText {
  PgStatement* statement;
  std::string_view sql;
};

class PgConnection {
 public:
  using Logger = QueryLogger::Logger;
  using dialect = PostgresDialect;

  // `conninfo`: a libpq connection string ("host=db dbname=app user=app") or URI
  // ("postgresql://app@db/app"); empty takes libpq's defaults and PG* environment variables. The session
  // is set up so that the server's notices stay quiet (client_min_messages = warning), values are read in
  // the forms the codec expects (UTF-8, bytea in hex, doubles in their shortest exact form), and a lock
  // another session holds is waited for at most the busy timeout (lock_timeout), after which the
  // statement fails with DatabaseBusyError, as on SQLite.
  explicit PgConnection(const std::string& conninfo, const ConnectionOptions& options = {}) {
    const long long lock_ms = lock_timeout_ms(options.busy_timeout);
    conn_ = PQconnectdb(conninfo.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      // the connection string is left out of the message: it may hold a password
      std::string msg = conn_ ? pg_trimmed(PQerrorMessage(conn_)) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw ConnectionError("ctorm: cannot connect to PostgreSQL: " + msg);
    }
    // the server's warnings go to the query log (libpq would print them on stderr)
    PQsetNoticeProcessor(
        conn_,
        [](void* self, const char* message) {
          auto* c = static_cast<PgConnection*>(self);
          if (c->logging()) c->log_.notice(pg_trimmed(message));
        },
        this);
    try {
      execute("set client_min_messages = warning; set client_encoding = 'UTF8'; set bytea_output = hex; "
              "set extra_float_digits = 3; set lock_timeout = " +
              std::to_string(lock_ms));
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  // Closing the session frees its prepared statements on the server.
  ~PgConnection() { PQfinish(conn_); }

  PGconn* handle() const noexcept { return conn_; }

  // Between `begin` and its commit or rollback, also when an error aborted the transaction (PostgreSQL
  // then refuses every statement but a rollback). False on a lost connection: the server ended its
  // transaction with the session.
  bool in_transaction() const noexcept {
    const PGTransactionStatusType s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
  }
  // Any error inside a transaction aborts it (until it, or a savepoint taken before, is rolled back): work
  // that must fail alone there runs in a savepoint.
  static constexpr bool errors_abort_transaction = true;
  // An error aborted the open transaction: nothing runs until it (or a savepoint) is rolled back.
  bool transaction_aborted() const noexcept { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }
  // The connection broke (the server ended the session, the network failed): every statement fails.
  bool lost() const noexcept { return PQstatus(conn_) == CONNECTION_BAD; }

  // Whether the pool may lend the connection again.
  bool healthy() const noexcept { return !lost() && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF; }

  // The text a statement was prepared from.
  static std::string_view sql_of(const PgStatement* st) noexcept { return st->sql; }

  // A statement is never in use further up the stack: its result is fetched whole when it runs.
  static bool busy(const PgStatement*) noexcept { return false; }

  // The most values one statement can bind: the protocol counts them in 16 bits.
  std::size_t max_parameters() const noexcept { return 65535; }

  // Called before a statement is prepared: an open pipeline (db/postgres/batch.hpp) completes first,
  // since a prepare waits for its reply.
  void set_before_prepare(void* owner, void (*hook)(void*)) noexcept {
    before_prepare_owner_ = owner;
    before_prepare_ = hook;
  }

  // The statement of a compile-time text. It is prepared on the server when it first runs (PgQuery, in
  // the same round trip) or before a batch sends it (prepare()).
  PgStatement* statement(std::size_t slot, std::string_view sql) {
    if (CTORM_LIKELY(slot < slots_.size() && slots_[slot])) return slots_[slot];
    return add_slot(slot, sql);
  }

  // The statement in a slot, or nullptr: for slot texts built at run time, only on a miss.
  PgStatement* cached(std::size_t slot) const noexcept { return slot < slots_.size() ? slots_[slot] : nullptr; }

  // The statement of a text made at run time (built once per shape by the caller).
  PgStatement* statement(const std::string& sql) {
    if (PgStatement** found = by_text_.find(sql)) return *found;
    by_text_.reserve(by_text_.size() + 1);  // so that a statement is never lost to bad_alloc
    statements_.push_back(PgStatement{"ctorm_t" + std::to_string(by_text_.size()), sql});
    by_text_.try_emplace(sql, &statements_.back());
    return &statements_.back();
  }

  // Prepares the statement on the server unless it is already: one round trip, the statement parsed and
  // described in one pipeline (Parse, Describe, Sync). Throws the server's error for a text it refuses;
  // the statement then stays unprepared.
  void prepare(PgStatement& st) {
    if (st.prepared) return;
    if (CTORM_UNLIKELY(before_prepare_ != nullptr)) before_prepare_(before_prepare_owner_);
    PGresult* results[2] = {};
    const bool ok = pipeline(st, nullptr, results);
    const PgResultGuard failed{results[0]}, described{results[1]};
    if (CTORM_UNLIKELY(!ok)) throw_pg_error(conn_, results[0], st.sql, {});
  }

  // The first run of a statement not prepared yet: Parse, Describe, Bind and Execute, Sync, in one round
  // trip. Its values were bound without the parameters' types (as text, blobs in binary) and its results
  // come in text. Returns the execution's result, or the result of the first command that failed (a
  // statement the server refused stays unprepared); the caller frees it.
  PGresult* prepare_and_run(PgStatement& st, int n, const char* const* values, const int* lengths, const int* formats) {
    if (CTORM_UNLIKELY(before_prepare_ != nullptr)) before_prepare_(before_prepare_owner_);
    const Execution run{n, values, lengths, formats};
    PGresult* results[3] = {};
    pipeline(st, &run, results);
    if (results[0]) {  // a failure
      PQclear(results[1]);
      PQclear(results[2]);
      return results[0];
    }
    PQclear(results[1]);
    return results[2];
  }

  // Runs statements that take no values (DDL, settings, transaction control), several at once when
  // separated by `;`, logging them as one.
  void execute(std::string_view sql) {
    const auto start = std::chrono::steady_clock::now();
    const std::string text{sql};
    PgResultGuard res{PQexec(conn_, text.c_str())};
    const ExecStatusType s = PQresultStatus(res.res);
    if (CTORM_UNLIKELY(s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY))
      throw_pg_error(conn_, res.res, sql, {});
    if (logging()) log(sql, {}, start, -1, false);
  }

  void set_logger(Logger logger) { log_.set_logger(std::move(logger)); }
  bool logging() const noexcept { return log_.logging(); }
  void log(std::string_view sql, std::string_view values, std::chrono::steady_clock::time_point start,
           std::int64_t count, bool rows_are_results) const {
    log_.log(sql, values, start, count, rows_are_results);
  }

 private:
  static long long lock_timeout_ms(std::chrono::milliseconds timeout) {
    if (timeout.count() < 0)
      throw UsageError("ctorm: busy_timeout is negative (" + std::to_string(timeout.count()) + " ms); 0 fails at once");
    // PostgreSQL's lock_timeout takes an int of milliseconds, and 0 means no limit: 1 ms is "at once"
    return std::clamp<long long>(timeout.count(), 1, std::numeric_limits<int>::max());
  }

  struct Execution {
    int n;
    const char* const* values;
    const int* lengths;
    const int* formats;
  };

  // Parse and Describe the statement, then run it when `run` is given, and Sync, in one pipeline. Sets
  // results[0] to the first failure (or a null pointer), results[1] to the description, results[2] to
  // the execution's result; the caller frees them. True when the statement is now prepared, and then
  // its parameters' types and its result format are known. The parameters' types are left to the
  // server, which infers them from where each `$n` stands; results come in binary when the codec reads
  // every column's type in binary, else in text.
  bool pipeline(PgStatement& st, const Execution* run, PGresult** results) {
    const char* name = st.name.c_str();
    const bool sent =
        PQenterPipelineMode(conn_) == 1 && PQsendPrepare(conn_, name, st.sql.c_str(), 0, nullptr) == 1 &&
        PQsendDescribePrepared(conn_, name) == 1 &&
        (!run || PQsendQueryPrepared(conn_, name, run->n, run->values, run->lengths, run->formats, 0) == 1) &&
        PQpipelineSync(conn_) == 1;
    const int commands = run ? 3 : 2;
    bool synced = false;
    // each command's result, then a null pointer; then the sync's
    for (int command = 0; sent && command < commands; ++command) {
      while (PGresult* r = PQgetResult(conn_)) {
        const ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_FATAL_ERROR && !results[0])
          results[0] = r;
        else if (command > 0 && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) && !results[command])
          results[command] = r;
        else
          PQclear(r);
      }
    }
    while (sent && !synced) {
      PGresult* r = PQgetResult(conn_);
      if (!r) break;  // the connection broke
      synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      PQclear(r);
    }
    const bool left = PQexitPipelineMode(conn_) == 1;
    if (CTORM_UNLIKELY(!sent || !synced || !left)) {
      // the connection broke: its error, unless the server sent one
      if (!results[0]) results[0] = PQmakeEmptyPGresult(conn_, PGRES_FATAL_ERROR);
      return false;
    }
    const PGresult* described = results[1];
    if (!described) return false;  // the Parse failed: the Describe was skipped
    st.params.resize(static_cast<std::size_t>(PQnparams(described)));
    for (std::size_t i = 0; i < st.params.size(); ++i) st.params[i] = PQparamtype(described, static_cast<int>(i));
    const int columns = PQnfields(described);
    st.columns.resize(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) {
      st.columns[static_cast<std::size_t>(i)] = pg_column_of(PQftype(described, i));
      if (st.columns[static_cast<std::size_t>(i)] == PgColumn::other) {
        st.columns.clear();
        break;
      }
    }
    st.prepared = true;
    return true;
  }

  // First use of a slot in this connection: out of line, the call sites keep only the lookup.
  CTORM_NOINLINE PgStatement* add_slot(std::size_t slot, std::string_view sql) {
    if (slot >= slots_.size()) slots_.resize(slot + 1, nullptr);
    statements_.push_back(PgStatement{"ctorm_" + std::to_string(slot), std::string(sql)});
    slots_[slot] = &statements_.back();
    return slots_[slot];
  }

  PGconn* conn_ = nullptr;
  std::deque<PgStatement> statements_;  // a deque: the statements stay where they are as it grows
  std::vector<PgStatement*> slots_;
  FlatMap<std::string, PgStatement*> by_text_;
  QueryLogger log_;
  void* before_prepare_owner_ = nullptr;
  void (*before_prepare_)(void*) = nullptr;
};

}  // namespace ctorm::detail
