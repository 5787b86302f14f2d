#pragma once
// The backend a portable test runs against: SQLite, or PostgreSQL when the file is compiled with
// -DCTORM_TEST_POSTGRES (tests/CMakeLists.txt builds every stem of CTORM_PORTABLE_TESTS a second time that
// way, as <stem>_pg). A portable test names its Orm and entity managers through the aliases here, takes a
// fresh database per test case from fresh_database(), writes the SQL it expects in the log the SQLite way
// (`?`) and lets dialect_sql() renumber it, and keeps what only SQLite has behind `if constexpr
// (ctorm_test::is_sqlite)` with a comment saying why.
//
// PostgreSQL: the server is the one CTORM_TEST_PG names (a libpq URI or connection string); a test without
// it fails, it does not skip. Each fresh database is a schema of its own on that server, named after the
// test (CTORM_TEST_NAME), the process and a counter, and reached by setting search_path in the connection
// string; the schemas a process made are dropped when it ends.
#include <ctorm/ctorm.hpp>

#if defined(CTORM_TEST_POSTGRES)
#include <ctorm/postgres.hpp>

#include <libpq-fe.h>
#include <unistd.h>
#else
#include <sqlite3.h>
#endif

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ctorm_test {

#if defined(CTORM_TEST_POSTGRES)
using Backend = ctorm::postgres;
inline constexpr bool is_postgres = true;
#else
using Backend = ctorm::sqlite;
inline constexpr bool is_postgres = false;
#endif
inline constexpr bool is_sqlite = !is_postgres;

template <class Schema>
using Orm = ctorm::Orm<Schema, Backend>;
template <class Schema>
using Em = ctorm::EntityManager<Schema, Backend>;
template <class Schema>
using SchemaManager = ctorm::SchemaManager<Schema, Backend>;

// Expected SQL written the SQLite way, in the test's dialect: on PostgreSQL each `?` outside a quoted
// string or identifier becomes `$1`, `$2`, ... in order, starting at `first` (for a fragment that starts
// after the statement's first placeholders). A log line's `[values: 'a?']` is quoted, so left alone.
inline std::string dialect_sql(std::string_view sqlite_text, int first = 1) {
  if constexpr (is_sqlite) {
    (void)first;
    return std::string(sqlite_text);
  } else {
    std::string out;
    out.reserve(sqlite_text.size() + 8);
    char quote = 0;  // the quote character of the literal or identifier we are in
    int n = first;
    for (char c : sqlite_text) {
      if (quote) {
        if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '?') {
        out += '$';
        out += std::to_string(n++);
        continue;
      }
      out += c;
    }
    return out;
  }
}

// What an insert of an entity with a generated key ends with: PostgreSQL returns the key (` returning
// "id"`), SQLite asks sqlite3_last_insert_rowid and adds nothing.
inline std::string returning_key_sql(std::string_view key_column = "id") {
  if constexpr (is_sqlite) return {};
  return " returning \"" + std::string(key_column) + "\"";
}

namespace detail {

#if defined(CTORM_TEST_POSTGRES)
// The server the PostgreSQL tests use.
inline std::string server() {
  const char* uri = std::getenv("CTORM_TEST_PG");
  if (uri == nullptr || *uri == '\0')
    throw std::runtime_error(
        "CTORM_TEST_PG is not set: the PostgreSQL tests need a server. Run them through scripts/test.sh, which "
        "starts a private one, or start one with `bash scripts/pg_server.sh start DIR && source DIR/env`, or "
        "set CTORM_TEST_PG to a libpq URI of your own server");
  return uri;
}

// `conninfo` with search_path set to `schema` (a plain lowercase name): as a URI parameter, or a keyword
// of a key=value string.
inline std::string with_search_path(const std::string& conninfo, const std::string& schema) {
  const bool uri = conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://");
  if (uri) return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  return conninfo + " options='-csearch_path=" + schema + "'";
}

// Makes the schemas of this process on one connection of its own, and drops them at exit.
class Schemas {
 public:
  static Schemas& instance() {
    static Schemas s;
    return s;
  }

  std::string create() {
    std::lock_guard lock(mutex_);
    if (!conn_) conn_ = std::make_unique<ctorm::detail::PgConnection>(server());
    std::string name = prefix() + std::to_string(made_.size() + 1);
    conn_->execute("create schema \"" + name + "\"");
    made_.push_back(name);
    return with_search_path(server(), name);
  }

  ~Schemas() {
    if (!conn_) return;
    for (const std::string& name : made_) {
      try {
        conn_->execute("drop schema if exists \"" + name + "\" cascade");
      } catch (...) {  // a session still holding a lock: the server is a throw-away one
      }
    }
  }

 private:
  // t_<test>_<pid>_: lowercase letters, digits and `_` only, within PostgreSQL's 63 bytes of a name.
  static std::string prefix() {
    const char* test = std::getenv("CTORM_TEST_NAME");
    std::string name = "t_";
    for (const char* p = test && *test ? test : "ctorm"; *p && name.size() < 40; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      name += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
    }
    return name + "_" + std::to_string(::getpid()) + "_";
  }

  std::mutex mutex_;
  std::unique_ptr<ctorm::detail::PgConnection> conn_;
  std::vector<std::string> made_;
};
#endif

}  // namespace detail

// A fresh, empty database for one test case, as the string an Orm opens: SQLite `sqlite_where`
// (":memory:", or a file, removed first with its journal files) and PostgreSQL a new schema on the
// CTORM_TEST_PG server. Open it as often as the test needs: every Orm of the returned string sees the same
// database (but two SQLite Orms of ":memory:" have one each).
inline std::string fresh_database(const std::string& sqlite_where = ":memory:") {
#if defined(CTORM_TEST_POSTGRES)
  (void)sqlite_where;
  return detail::Schemas::instance().create();
#else
  if (sqlite_where != ":memory:" && !sqlite_where.starts_with("file:")) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((sqlite_where + suffix).c_str());
  }
  return sqlite_where;
#endif
}

// Every row of a hand-written query, each column as text ("NULL" for NULL), run on a connection of the
// Orm's (SQLite: its shared one; PostgreSQL: one of its pool). What differs is the database's own text:
// PostgreSQL writes a boolean `t` or `f` and a real without `.0`; SQLite a boolean 1 or 0 and 4.0.
template <class O>
std::vector<std::vector<std::string>> raw_rows(O& orm, const std::string& sql) {
  auto em = orm.em();
  std::vector<std::vector<std::string>> out;
#if defined(CTORM_TEST_POSTGRES)
  PGconn* c = em.connection().handle();
  std::unique_ptr<PGresult, void (*)(PGresult*)> res{PQexec(c, sql.c_str()), PQclear};
  if (PQresultStatus(res.get()) != PGRES_TUPLES_OK && PQresultStatus(res.get()) != PGRES_COMMAND_OK)
    throw std::runtime_error("raw_rows: " + std::string(PQerrorMessage(c)) + " in " + sql);
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    std::vector<std::string> row;
    for (int i = 0; i < PQnfields(res.get()); ++i)
      row.emplace_back(PQgetisnull(res.get(), r, i)
                           ? std::string("NULL")
                           : std::string(PQgetvalue(res.get(), r, i), static_cast<std::size_t>(PQgetlength(res.get(), r, i))));
    out.push_back(std::move(row));
  }
#else
  sqlite3* db = em.connection().handle();
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error("raw_rows: " + std::string(sqlite3_errmsg(db)) + " in " + sql);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      row.emplace_back(p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i))) : "NULL");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw std::runtime_error("raw_rows: " + std::string(sqlite3_errmsg(db)) + " in " + sql);
#endif
  return out;
}

// The first column of every row of a hand-written query, as integers.
template <class O>
std::vector<std::int64_t> raw_ids(O& orm, const std::string& sql) {
  std::vector<std::int64_t> out;
  for (const auto& row : raw_rows(orm, sql)) out.push_back(row.at(0) == "NULL" ? 0 : std::stoll(row.at(0)));
  return out;
}

// The one integer a hand-written query returns (a count).
template <class O>
std::int64_t raw_int(O& orm, const std::string& sql) {
  const auto ids = raw_ids(orm, sql);
  if (ids.size() != 1) throw std::runtime_error("raw_int: " + std::to_string(ids.size()) + " rows from " + sql);
  return ids[0];
}

}  // namespace ctorm_test
