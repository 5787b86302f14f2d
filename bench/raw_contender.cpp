// ctorm bench: the raw-SQLite contender -- the sqlite3 C API written by hand the fastest sensible way:
// one connection opened with SQLITE_OPEN_NOMUTEX (single-threaded use, no per-call mutex), statements
// prepared once per workload and reused with sqlite3_reset / sqlite3_bind_* / sqlite3_column_*, text bound
// SQLITE_STATIC from the objects, one transaction per write workload, rows read straight into plain structs.
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "contender.hpp"
#include "rows.hpp"

namespace ctorm_bench {
namespace {

using rows::Article;
using rows::User;
using rows::add;

[[noreturn]] void fail(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string("raw: ") + what + ": " + sqlite3_errmsg(db));
}

class Conn {
 public:
  explicit Conn(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      fail(db_, "open");
    exec(Run::connection_pragmas);
  }
  ~Conn() { sqlite3_close(db_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db_, sql);
  }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(const Conn& c, const char* sql) : db_(c.get()) {
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK) fail(db_, sql);
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return st_; }
  void text(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  void int64(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
  bool row() {  // step a query: true on a row, false when done
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(db_, "step");
    return false;
  }
  void run() {  // step a write statement to completion and reset it
    if (sqlite3_step(st_) != SQLITE_DONE) fail(db_, "step");
    sqlite3_reset(st_);
  }
  void reset() { sqlite3_reset(st_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

inline void read_text(sqlite3_stmt* st, int i, std::string& out) {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  if (p)
    out.assign(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i)));
  else
    out.clear();
}

constexpr const char* select_user = "SELECT id, full_name, email, password, bio, created_at FROM user";

inline void read_user(sqlite3_stmt* st, User& u) {
  u.id = sqlite3_column_int64(st, 0);
  read_text(st, 1, u.full_name);
  read_text(st, 2, u.email);
  read_text(st, 3, u.password);
  read_text(st, 4, u.bio);
  u.created_at = sqlite3_column_int64(st, 5);
}

inline void read_article(sqlite3_stmt* st, Article& a) {
  a.id = sqlite3_column_int64(st, 0);
  read_text(st, 1, a.slug);
  read_text(st, 2, a.title);
  read_text(st, 3, a.description);
  read_text(st, 4, a.text);
  a.author_id = sqlite3_column_int64(st, 5);
  a.created_at = sqlite3_column_int64(st, 6);
}

// One pass of W3: a query per key, each row into a fresh object appended to out.
void lookup_pass(Stmt& q, const std::vector<std::int64_t>& keys, std::vector<User>& out) {
  for (std::int64_t k : keys) {
    q.int64(1, k);
    if (!q.row()) throw std::runtime_error("raw: user " + std::to_string(k) + " not found");
    read_user(q.get(), out.emplace_back());
    q.reset();
  }
}

// W8: upsert by email; every column but the key and the email is set from the new row, the id comes back.
constexpr const char* upsert_head = "INSERT INTO user(full_name, email, password, bio, created_at) VALUES";
constexpr const char* upsert_row = "(?, ?, ?, ?, ?)";
constexpr const char* upsert_tail =
    " ON CONFLICT(email) DO UPDATE SET full_name = excluded.full_name, password = excluded.password, "
    "bio = excluded.bio, created_at = excluded.created_at RETURNING id";
constexpr std::size_t upsert_batch = 512;  // rows per multi-row statement (2,560 values)

std::string upsert_sql(std::size_t rows) {
  std::string sql = upsert_head;
  for (std::size_t i = 0; i < rows; ++i) (sql += i ? ", " : " ") += upsert_row;
  return sql + upsert_tail;
}

std::vector<User> upsert_objects(const Run& run) {
  std::vector<User> users;
  users.reserve(run.data.upserts.size());
  for (const UserSeed& s : run.data.upserts)
    users.push_back(User{0, s.full_name, s.email, s.password, s.bio, s.created_at, {}});
  return users;
}

// Binds users [first, first + rows) to st and reads back their ids, in order.
void upsert_rows(Stmt& st, User* first, std::size_t rows) {
  for (std::size_t r = 0; r < rows; ++r) {
    const User& u = first[r];
    const int p = static_cast<int>(r * 5);
    st.text(p + 1, u.full_name);
    st.text(p + 2, u.email);
    st.text(p + 3, u.password);
    st.text(p + 4, u.bio);
    st.int64(p + 5, u.created_at);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (!st.row()) throw std::runtime_error("raw: upsert returned too few rows");
    first[r].id = sqlite3_column_int64(st.get(), 0);
  }
  st.reset();
}

class RawContender final : public Contender {
 public:
  std::string_view name() const override { return "raw"; }

  Checksum w1_insert(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    std::vector<User> users;
    users.reserve(run.data.users.size());
    for (const UserSeed& s : run.data.users)
      users.push_back(User{0, s.full_name, s.email, s.password, s.bio, s.created_at, {}});

    sw.start();
    c.exec("BEGIN");
    {
      Stmt ins(c, "INSERT INTO user(full_name, email, password, bio, created_at) VALUES(?, ?, ?, ?, ?)");
      for (User& u : users) {
        ins.text(1, u.full_name);
        ins.text(2, u.email);
        ins.text(3, u.password);
        ins.text(4, u.bio);
        ins.int64(5, u.created_at);
        ins.run();
        u.id = sqlite3_last_insert_rowid(c.get());
      }
    }
    c.exec("COMMIT");
    sw.stop();

    Checksum cs;
    for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w2_load_all(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    std::vector<User> users;

    sw.start();
    {
      Stmt q(c, select_user);
      while (q.row()) read_user(q.get(), users.emplace_back());
    }
    sw.stop();

    Checksum cs;
    for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w3_lookup(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    std::vector<User> users;
    users.reserve(run.data.lookup_keys.size());

    sw.start();
    {
      Stmt q(c, "SELECT id, full_name, email, password, bio, created_at FROM user WHERE id = ?");
      lookup_pass(q, run.data.lookup_keys, users);
    }
    sw.stop();

    Checksum cs;
    for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w3m_lookup_managed(const Run& run, Stopwatch& sw) override {
    // Raw has no identity map: the second pass queries again, on the warmed connection and statement.
    Conn c(run.db_path);
    Stmt q(c, "SELECT id, full_name, email, password, bio, created_at FROM user WHERE id = ?");
    std::vector<User> first, second;
    first.reserve(run.data.lookup_keys.size());
    second.reserve(run.data.lookup_keys.size());
    lookup_pass(q, run.data.lookup_keys, first);

    sw.start();
    lookup_pass(q, run.data.lookup_keys, second);
    sw.stop();

    Checksum cs;
    for (const User& u : second) add(cs, u);
    return cs;
  }

  Checksum w4_update(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    const auto& ids = run.data.update_ids;
    const auto& bios = run.data.new_bios;
    std::vector<User> users;
    users.reserve(ids.size());
    {  // untimed: load the users to change (ids 1..updates)
      Stmt q(c, "SELECT id, full_name, email, password, bio, created_at FROM user WHERE id = ?");
      lookup_pass(q, ids, users);
    }

    sw.start();
    for (std::size_t k = 0; k < users.size(); ++k) users[k].bio = bios[k];
    c.exec("BEGIN");
    {
      Stmt up(c, "UPDATE user SET bio = ? WHERE id = ?");
      for (const User& u : users) {
        up.text(1, u.bio);
        up.int64(2, u.id);
        up.run();
      }
    }
    c.exec("COMMIT");
    sw.stop();

    Checksum cs;
    for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w5_populate(const Run& run, Stopwatch& sw) override {
    // Two queries: the users in id order, then the articles in author order (served by the author_id
    // index, which also orders by id within an author); one merge walk attaches each article to its user.
    Conn c(run.db_path);
    std::vector<User> users;

    sw.start();
    {
      Stmt qu(c, "SELECT id, full_name, email, password, bio, created_at FROM user ORDER BY id");
      while (qu.row()) read_user(qu.get(), users.emplace_back());
      Stmt qa(c,
              "SELECT id, slug, title, description, text, author_id, created_at FROM article "
              "ORDER BY author_id");
      auto it = users.begin();
      while (qa.row()) {
        std::int64_t author = sqlite3_column_int64(qa.get(), 5);
        while (it != users.end() && it->id < author) ++it;
        if (it == users.end() || it->id != author) throw std::runtime_error("raw: article without its author");
        read_article(qa.get(), it->articles.emplace_back());
      }
    }
    sw.stop();

    Checksum cs;
    for (const User& u : users) rows::add_with_articles(cs, u);
    return cs;
  }

  Checksum w6_delete(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    std::vector<std::int64_t> deleted;
    deleted.reserve(run.data.delete_keys.size());

    sw.start();
    c.exec("BEGIN");
    {
      Stmt del(c, "DELETE FROM user WHERE id = ?");
      for (std::int64_t k : run.data.delete_keys) {
        del.int64(1, k);
        del.run();
        if (sqlite3_changes(c.get()) == 1) deleted.push_back(k);
      }
    }
    c.exec("COMMIT");
    sw.stop();

    Checksum cs;
    for (auto k : deleted) cs.add_key(k);
    return cs;
  }

  Checksum w8_upsert(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    std::vector<User> users = upsert_objects(run);

    sw.start();
    c.exec("BEGIN");
    {
      Stmt up(c, upsert_sql(1).c_str());
      for (User& u : users) upsert_rows(up, &u, 1);
    }
    c.exec("COMMIT");
    sw.stop();

    Checksum cs;
    for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w8m_upsert_batched(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    std::vector<User> users = upsert_objects(run);
    const std::size_t n = users.size(), full = n / upsert_batch, rest = n % upsert_batch;

    sw.start();
    c.exec("BEGIN");
    {
      if (full) {
        Stmt up(c, upsert_sql(upsert_batch).c_str());
        for (std::size_t b = 0; b < full; ++b) upsert_rows(up, users.data() + b * upsert_batch, upsert_batch);
      }
      if (rest) {
        Stmt up(c, upsert_sql(rest).c_str());
        upsert_rows(up, users.data() + full * upsert_batch, rest);
      }
    }
    c.exec("COMMIT");
    sw.stop();

    Checksum cs;
    for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w7_filter(const Run& run, Stopwatch& sw) override {
    Conn c(run.db_path);
    const auto& s = run.data.sizes;
    std::vector<std::vector<User>> results;
    results.reserve(s.filter_runs);

    sw.start();
    {
      Stmt q(c,
             "SELECT id, full_name, email, password, bio, created_at FROM user WHERE email LIKE ? "
             "ORDER BY id LIMIT ?");
      for (std::size_t r = 0; r < s.filter_runs; ++r) {
        q.text(1, run.data.filter_pattern);
        q.int64(2, static_cast<std::int64_t>(s.filter_limit));
        auto& rows = results.emplace_back();
        rows.reserve(s.filter_limit);
        while (q.row()) read_user(q.get(), rows.emplace_back());
        q.reset();
      }
    }
    sw.stop();

    Checksum cs;
    for (const auto& rows : results)
      for (const User& u : rows) add(cs, u);
    return cs;
  }
};

}  // namespace

std::unique_ptr<Contender> make_raw_contender() { return std::make_unique<RawContender>(); }

}  // namespace ctorm_bench
