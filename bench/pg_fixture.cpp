// ctorm bench: the PostgreSQL side of the harness (ctorm_bench --backend postgres). One template database
// per setup, filled once with COPY and frozen; every run gets a fresh copy of it (CREATE DATABASE ...
// TEMPLATE, about 50 ms for the 100,000 users on the test server), so every contender and repetition starts
// from the same tables, and the copy is hashed through the harness's own connection after a write workload.
#include <unistd.h>  // getpid

#include <cstdio>
#include <stdexcept>
#include <string>

#include "fixture.hpp"
#include "pg.hpp"

namespace ctorm_bench {
namespace {

// COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped.
void copy_text(std::string& out, const std::string& v) {
  for (char ch : v) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
}

// Runs `copy <target> from stdin` and feeds it the rows row(i, line) writes for i in [1, n].
template <class Row>
void copy_in(PGconn* c, const char* target, std::size_t n, Row&& row) {
  const std::string sql = std::string("copy ") + target + " from stdin";
  pg::check(c, PQexec(c, sql.c_str()), PGRES_COPY_IN, sql.c_str());
  std::string buf;
  auto put = [&] {
    if (PQputCopyData(c, buf.data(), static_cast<int>(buf.size())) != 1) pg::fail(c, sql);
    buf.clear();
  };
  for (std::size_t i = 1; i <= n; ++i) {
    row(i, buf);
    if (buf.size() > (1u << 20)) put();
  }
  if (!buf.empty()) put();
  if (PQputCopyEnd(c, nullptr) != 1) pg::fail(c, sql);
  pg::check(c, PQgetResult(c), PGRES_COMMAND_OK, sql.c_str());
  pg::Result end{PQgetResult(c)};  // the NULL that ends the command
}

pg::Result query(PGconn* c, const std::string& sql) {
  return pg::check(c, PQexecParams(c, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1), PGRES_TUPLES_OK,
                   sql.c_str());
}

std::string quoted_name(const std::string& name) { return "\"" + name + "\""; }

class PostgresBackend final : public Backend {
 public:
  explicit PostgresBackend(std::string conninfo)
      : conninfo_(std::move(conninfo)), prefix_("ctorm_bench_" + std::to_string(getpid())), owner_(getpid()) {
    PGconn* c = admin();
    server_version_ = PQparameterStatus(c, "server_version");
    server_version_num_ = PQserverVersion(c);
    where_ = std::string(PQhost(c)) + ":" + PQport(c);
  }
  ~PostgresBackend() override {
    if (getpid() != owner_) return;  // a forked child leaves the databases to the harness
    try {
      drop(run_name());
      for (const char* s : setup_names) drop(prefix_ + "_" + s);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ctorm_bench: cannot drop the bench's databases %s_*: %s\n", prefix_.c_str(), e.what());
    }
  }

  std::string describe() const override {
    return "PostgreSQL " + server_version_ + " at " + where_ + " (libpq " + std::to_string(PQlibVersion()) + ")";
  }
  std::string json_fields() const override {
    return "\"backend\": \"postgres\",\n  \"server_version\": \"" + server_version_ + "\",\n  \"libpq_version\": " +
           std::to_string(PQlibVersion()) + ",\n  ";
  }

  void make_template(Setup setup, const Data& data) override {
    const std::string name = template_name(setup);
    drop(name);
    pg::exec(admin(), ("create database " + quoted_name(name)).c_str());
    {
      pg::Conn conn = pg::connect(pg::with_dbname(conninfo_, name));
      PGconn* c = conn.get();
      pg::exec(c, pg_schema_sql);
      const std::size_t n_users = setup == Setup::users      ? data.sizes.users
                                  : setup == Setup::populate ? data.sizes.populate_users
                                                             : 0;
      copy_in(c, "\"user\"(id, full_name, email, password, bio, created_at)", n_users,
              [&](std::size_t i, std::string& line) {
                const UserSeed& u = data.users[i - 1];
                line += std::to_string(i);
                for (const std::string* v : {&u.full_name, &u.email, &u.password, &u.bio}) {
                  line += '\t';
                  copy_text(line, *v);
                }
                (line += '\t') += std::to_string(u.created_at);
                line += '\n';
              });
      const std::size_t n_articles = setup == Setup::populate ? data.articles.size() : 0;
      copy_in(c, "article(id, slug, title, description, text, author_id, created_at)", n_articles,
              [&](std::size_t j, std::string& line) {
                const ArticleSeed& a = data.articles[j - 1];
                line += std::to_string(j);
                for (const std::string* v : {&a.slug, &a.title, &a.description, &a.text}) {
                  line += '\t';
                  copy_text(line, *v);
                }
                ((line += '\t') += std::to_string(a.author_id)) += '\t';
                (line += std::to_string(a.created_at)) += '\n';
              });
      // The rows came with their ids: the identity sequences go on after them, as SQLite's autoincrement does.
      if (n_users) query(c, "select setval(pg_get_serial_sequence('\"user\"', 'id'), " + std::to_string(n_users) + ")");
      if (n_articles)
        query(c, "select setval(pg_get_serial_sequence('article', 'id'), " + std::to_string(n_articles) + ")");
      // Frozen and analysed once here, so that no run's first reader pays for setting hint bits and every
      // copy has the planner's statistics.
      pg::exec(c, "vacuum (freeze, analyze)");
    }
    // No connection (autovacuum's included) may hold a template while CREATE DATABASE copies it.
    pg::exec(admin(), ("alter database " + quoted_name(name) + " allow_connections false").c_str());
  }

  Run fresh_run(Setup setup, const Data& data) override {
    const std::string run = run_name();
    drop(run);
    // PostgreSQL 15's default strategy (wal_log) writes the whole copy to the WAL; file_copy copies the files,
    // which is faster for a database this size.
    std::string sql = "create database " + quoted_name(run) + " template " + quoted_name(template_name(setup));
    if (server_version_num_ >= 150000) sql += " strategy file_copy";
    pg::exec(admin(), sql.c_str());
    return Run{"", data, pg::with_dbname(conninfo_, run)};
  }

  DbChecksum hash_run(const Run& run) override {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    PGconn* c = conn.get();
    DbChecksum out;
    const pg::Result users = query(c, "select id, full_name, email, password, bio, created_at from \"user\" order by id");
    std::string full_name, email, password, bio;
    for (int i = 0, n = PQntuples(users.get()); i < n; ++i) {
      const PGresult* r = users.get();
      pg::text(r, i, 1, full_name);
      pg::text(r, i, 2, email);
      pg::text(r, i, 3, password);
      pg::text(r, i, 4, bio);
      out.users.add_user(pg::int8(r, i, 0), full_name, email, password, bio, pg::int8(r, i, 5));
    }
    const pg::Result articles =
        query(c, "select id, slug, title, description, text, author_id, created_at from article order by id");
    std::string slug, title, description, text;
    for (int i = 0, n = PQntuples(articles.get()); i < n; ++i) {
      const PGresult* r = articles.get();
      pg::text(r, i, 1, slug);
      pg::text(r, i, 2, title);
      pg::text(r, i, 3, description);
      pg::text(r, i, 4, text);
      const std::int64_t author = pg::int8(r, i, 5);
      out.articles.add_article(author, pg::int8(r, i, 0), slug, title, description, text, author, pg::int8(r, i, 6));
    }
    return out;
  }

  void drop_run() override { drop(run_name()); }

 private:
  static constexpr const char* setup_names[] = {"empty", "users", "populate"};

  // The harness's connection to the database conninfo names, one per process: a forked child must not talk
  // over its parent's socket, so it opens its own (and leaves the parent's alone).
  PGconn* admin() {
    if (!admin_ || admin_pid_ != getpid()) {
      if (admin_pid_ != getpid()) (void)admin_.release();
      admin_ = pg::connect(conninfo_);
      admin_pid_ = getpid();
      pg::exec(admin_.get(), "set client_min_messages = warning");  // no notice for a missing database
    }
    return admin_.get();
  }
  void drop(const std::string& name) {
    pg::exec(admin(), ("drop database if exists " + quoted_name(name) + " with (force)").c_str());
  }
  std::string template_name(Setup s) const { return prefix_ + "_" + setup_names[static_cast<int>(s)]; }
  std::string run_name() const { return prefix_ + "_run"; }

  std::string conninfo_;
  std::string prefix_;
  pid_t owner_;
  pg::Conn admin_;
  pid_t admin_pid_ = 0;
  std::string server_version_, where_;
  int server_version_num_ = 0;
};

}  // namespace

std::unique_ptr<Backend> make_postgres_backend(const std::string& conninfo) {
  return std::make_unique<PostgresBackend>(conninfo);
}

}  // namespace ctorm_bench
