#include "fixture.hpp"

#include <sqlite3.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

namespace ctorm_bench {

std::string Checksum::str() const {
  std::ostringstream o;
  o << "rows=" << rows << " id_sum=" << id_sum << " text_bytes=" << text_bytes << " hash=" << std::hex << hash
    << " seq=" << seq;
  return o.str();
}

Sizes Sizes::scaled(double f) {
  Sizes s;
  auto sc = [f](std::size_t n) { return std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(n * f))); };
  s.users = sc(s.users);
  s.lookups = std::min(sc(s.lookups), s.users);
  s.updates = std::min(sc(s.updates), s.users);
  s.populate_users = std::min(sc(s.populate_users), s.users);
  s.deletes = std::min(sc(s.deletes), s.users);
  s.filter_runs = sc(s.filter_runs);
  s.upserts = std::min(sc(s.upserts), 2 * s.users);
  return s;
}

namespace {

// Appends pseudo-random lowercase words to out until it is exactly len characters long.
void fill_to(std::string& out, std::size_t len, std::uint64_t seed) {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz ";
  static constexpr std::size_t n = sizeof(alphabet) - 1;
  std::uint64_t state = seed;
  while (out.size() < len) {
    std::uint64_t r = mix64(state += 0x9e3779b97f4a7c15ULL);
    for (int k = 0; k < 8 && out.size() < len; ++k, r >>= 8) out.push_back(alphabet[(r & 0xff) % n]);
  }
  out.resize(len);
}

std::vector<std::int64_t> distinct_keys(std::size_t count, std::size_t universe, std::uint64_t seed) {
  std::mt19937_64 rng(seed);  // fully specified engine; modulo instead of a distribution (whose output is
                              // implementation-defined) keeps the keys identical across standard libraries
  std::vector<bool> seen(universe + 1, false);
  std::vector<std::int64_t> keys;
  keys.reserve(count);
  while (keys.size() < count) {
    std::size_t k = static_cast<std::size_t>(rng() % universe) + 1;
    if (!seen[k]) {
      seen[k] = true;
      keys.push_back(static_cast<std::int64_t>(k));
    }
  }
  return keys;
}

struct Db {
  sqlite3* db = nullptr;
  Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db));
  }
  ~Db() { sqlite3_close(db); }
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(std::string("fixture: ") + sql + ": " + msg);
    }
  }
};

struct Stmt {
  sqlite3_stmt* st = nullptr;
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("fixture: prepare ") + sql + ": " + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(st); }
  void text(int i, const std::string& s) {
    sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  void int64(int i, std::int64_t v) { sqlite3_bind_int64(st, i, v); }
  void done(sqlite3* db) {
    if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(std::string("fixture: step: ") + sqlite3_errmsg(db));
    sqlite3_reset(st);
  }
  std::string_view col_text(int i) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
    return {p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, i))};
  }
};

void add_seed(Checksum& c, std::int64_t id, const UserSeed& u) {
  c.add_user(id, u.full_name, u.email, u.password, u.bio, u.created_at);
}

}  // namespace

std::string make_password(std::size_t i) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (std::uint64_t k = 0; k < 4; ++k) {
    std::uint64_t r = mix64(i * 4 + k + 0x1234);
    for (int d = 0; d < 16; ++d, r >>= 4) s.push_back(hex[r & 15]);
  }
  return s;
}

std::string make_bio(std::size_t i) {
  std::string s = "Bio of user " + std::to_string(i) + ". ";
  fill_to(s, 100, i * 0x51ULL + 1);
  return s;
}

std::string make_new_bio(std::size_t i) {
  std::string s = "Updated bio of user " + std::to_string(i) + ". ";
  fill_to(s, 100, i * 0x77ULL + 0xabcdef);
  return s;
}

UserSeed make_user(std::size_t i) {
  UserSeed u;
  u.full_name = "User " + std::to_string(i);
  u.email = "user" + std::to_string(i) + "@example.com";
  u.password = make_password(i);
  u.bio = make_bio(i);
  u.created_at = 1'700'000'000 + static_cast<std::int64_t>(i);
  return u;
}

ArticleSeed make_article(std::size_t j, std::size_t author_id) {
  ArticleSeed a;
  a.slug = "article-" + std::to_string(j);
  a.title = "Article " + std::to_string(j) + " by user " + std::to_string(author_id);
  a.description = "Description of article " + std::to_string(j) + ". ";
  fill_to(a.description, 200, j * 0x3bULL + 7);
  a.text = "Text of article " + std::to_string(j) + ". ";
  fill_to(a.text, 1000, j * 0x95ULL + 11);
  a.author_id = static_cast<std::int64_t>(author_id);
  a.created_at = 1'710'000'000 + static_cast<std::int64_t>(j);
  return a;
}

Data Data::make(const Sizes& s) {
  Data d;
  d.sizes = s;
  d.users.reserve(s.users);
  for (std::size_t i = 1; i <= s.users; ++i) d.users.push_back(make_user(i));
  d.lookup_keys = distinct_keys(s.lookups, s.users, 42);
  for (std::size_t i = 1; i <= s.updates; ++i) {
    d.update_ids.push_back(static_cast<std::int64_t>(i));
    d.new_bios.push_back(make_new_bio(i));
  }
  // Article j belongs to user (j - 1) % P + 1: a user's articles are spread over the table, so attaching
  // them needs the author_id index (or a sort), as in a real blog.
  const std::size_t P = s.populate_users, A = P * s.articles_per_user;
  d.articles.reserve(A);
  for (std::size_t j = 1; j <= A; ++j) d.articles.push_back(make_article(j, (j - 1) % P + 1));
  d.delete_keys = distinct_keys(s.deletes, s.users, 4242);
  // W8: existing user 1 + j * stride at position 2j, new user users + j + 1 at position 2j + 1
  const std::size_t existing = (s.upserts + 1) / 2;
  const std::size_t stride = std::max<std::size_t>(1, s.users / existing);
  std::size_t next_new = s.users + 1;
  for (std::size_t k = 0; k < s.upserts; ++k) {
    if (k % 2 == 0) {
      const std::size_t id = 1 + (k / 2) * stride;
      UserSeed u = d.users[id - 1];
      u.bio = make_new_bio(id);
      d.upserts.push_back(std::move(u));
      d.upsert_ids.push_back(static_cast<std::int64_t>(id));
    } else {
      d.upserts.push_back(make_user(next_new++));
      d.upsert_ids.push_back(static_cast<std::int64_t>(s.users + k + 1));
    }
  }
  return d;
}

void build_template(const std::string& path, Setup setup, const Data& data) {
  Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;");
  db.exec(schema_sql);
  db.exec("BEGIN");
  std::size_t n_users = setup == Setup::users      ? data.sizes.users
                        : setup == Setup::populate ? data.sizes.populate_users
                                                   : 0;
  {
    Stmt ins(db.db, "INSERT INTO user(id, full_name, email, password, bio, created_at) VALUES(?,?,?,?,?,?)");
    for (std::size_t i = 1; i <= n_users; ++i) {
      const UserSeed& u = data.users[i - 1];
      ins.int64(1, static_cast<std::int64_t>(i));
      ins.text(2, u.full_name);
      ins.text(3, u.email);
      ins.text(4, u.password);
      ins.text(5, u.bio);
      ins.int64(6, u.created_at);
      ins.done(db.db);
    }
  }
  if (setup == Setup::populate) {
    Stmt ins(db.db,
             "INSERT INTO article(id, slug, title, description, text, author_id, created_at) VALUES(?,?,?,?,?,?,?)");
    for (std::size_t j = 1; j <= data.articles.size(); ++j) {
      const ArticleSeed& a = data.articles[j - 1];
      ins.int64(1, static_cast<std::int64_t>(j));
      ins.text(2, a.slug);
      ins.text(3, a.title);
      ins.text(4, a.description);
      ins.text(5, a.text);
      ins.int64(6, a.author_id);
      ins.int64(7, a.created_at);
      ins.done(db.db);
    }
  }
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

DbChecksum hash_database(const std::string& path) {
  Db db(path, SQLITE_OPEN_READWRITE);
  DbChecksum out;
  {
    Stmt q(db.db, "PRAGMA quick_check");
    while (sqlite3_step(q.st) == SQLITE_ROW)
      if (q.col_text(0) != "ok") throw std::runtime_error("quick_check of " + path + ": " + std::string(q.col_text(0)));
  }
  {
    Stmt q(db.db, "PRAGMA foreign_key_check");
    if (sqlite3_step(q.st) == SQLITE_ROW)
      throw std::runtime_error("foreign_key_check of " + path + " reports violations");
  }
  {
    Stmt q(db.db, "SELECT id, full_name, email, password, bio, created_at FROM user ORDER BY id");
    while (sqlite3_step(q.st) == SQLITE_ROW)
      out.users.add_user(sqlite3_column_int64(q.st, 0), q.col_text(1), q.col_text(2), q.col_text(3), q.col_text(4),
                         sqlite3_column_int64(q.st, 5));
  }
  {
    Stmt q(db.db, "SELECT id, slug, title, description, text, author_id, created_at FROM article ORDER BY id");
    while (sqlite3_step(q.st) == SQLITE_ROW) {
      std::int64_t author = sqlite3_column_int64(q.st, 5);
      out.articles.add_article(author, sqlite3_column_int64(q.st, 0), q.col_text(1), q.col_text(2), q.col_text(3),
                               q.col_text(4), author, sqlite3_column_int64(q.st, 6));
    }
  }
  return out;
}

namespace {

namespace fs = std::filesystem;

void remove_db(const fs::path& p) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + suffix);
}

class SqliteBackend final : public Backend {
 public:
  explicit SqliteBackend(const std::string& tmpdir) {
    std::string tmpl = (tmpdir.empty() ? fs::temp_directory_path() : fs::path(tmpdir)) / "ctorm_bench.XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary directory in " + tmpl);
    dir_ = tmpl;
    run_path_ = dir_ / "run.db";
  }
  ~SqliteBackend() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string describe() const override { return std::string("SQLite ") + sqlite3_libversion(); }
  std::string json_fields() const override {
    return std::string("\"backend\": \"sqlite\",\n  \"sqlite_version\": \"") + sqlite3_libversion() + "\",\n  ";
  }
  void make_template(Setup setup, const Data& data) override {
    static constexpr const char* names[] = {"empty.db", "users.db", "populate.db"};
    auto& t = templates_[static_cast<int>(setup)];
    t = dir_ / names[static_cast<int>(setup)];
    build_template(t->string(), setup, data);
  }
  Run fresh_run(Setup setup, const Data& data) override {
    remove_db(run_path_);
    fs::copy_file(*templates_[static_cast<int>(setup)], run_path_, fs::copy_options::overwrite_existing);
    return Run{run_path_.string(), data};
  }
  DbChecksum hash_run(const Run& run) override { return hash_database(run.db_path); }
  void drop_run() override { remove_db(run_path_); }

 private:
  fs::path dir_, run_path_;
  std::optional<fs::path> templates_[3];
};

}  // namespace

std::unique_ptr<Backend> make_sqlite_backend(const std::string& tmpdir) {
  return std::make_unique<SqliteBackend>(tmpdir);
}

Expected expected_for(Workload w, const Data& d) {
  Expected e{};
  const auto& s = d.sizes;
  auto all_users = [&](Checksum& c) {
    for (std::size_t i = 1; i <= s.users; ++i) add_seed(c, static_cast<std::int64_t>(i), d.users[i - 1]);
  };
  switch (w) {
    case Workload::W1:
      all_users(e.produced);
      e.ordered = true;  // objects in insertion order, object k got id k + 1
      e.check_db = true;
      e.db.users = e.produced;
      break;
    case Workload::W2:
      all_users(e.produced);
      break;
    case Workload::W3:
    case Workload::W3m:
      for (auto k : d.lookup_keys) add_seed(e.produced, k, d.users[static_cast<std::size_t>(k) - 1]);
      e.ordered = true;
      break;
    case Workload::W4: {
      e.check_db = true;
      std::vector<const std::string*> bio(s.users + 1, nullptr);
      for (std::size_t k = 0; k < d.update_ids.size(); ++k)
        bio[static_cast<std::size_t>(d.update_ids[k])] = &d.new_bios[k];
      for (std::size_t i = 1; i <= s.users; ++i) {
        const UserSeed& u = d.users[i - 1];
        auto id = static_cast<std::int64_t>(i);
        if (bio[i]) {
          e.produced.add_user(id, u.full_name, u.email, u.password, *bio[i], u.created_at);
          e.db.users.add_user(id, u.full_name, u.email, u.password, *bio[i], u.created_at);
        } else {
          add_seed(e.db.users, id, u);
        }
      }
      break;
    }
    case Workload::W5:
      for (std::size_t i = 1; i <= s.populate_users; ++i)
        add_seed(e.produced, static_cast<std::int64_t>(i), d.users[i - 1]);
      for (std::size_t j = 1; j <= d.articles.size(); ++j) {
        const ArticleSeed& a = d.articles[j - 1];
        e.produced.add_article(a.author_id, static_cast<std::int64_t>(j), a.slug, a.title, a.description, a.text,
                               a.author_id, a.created_at);
      }
      break;
    case Workload::W6: {
      e.check_db = true;
      std::vector<bool> gone(s.users + 1, false);
      for (auto k : d.delete_keys) {
        e.produced.add_key(k);
        gone[static_cast<std::size_t>(k)] = true;
      }
      for (std::size_t i = 1; i <= s.users; ++i)
        if (!gone[i]) add_seed(e.db.users, static_cast<std::int64_t>(i), d.users[i - 1]);
      break;
    }
    case Workload::W8:
    case Workload::W8m: {
      e.check_db = true;
      e.ordered = true;
      std::vector<const UserSeed*> upserted(s.users + 1, nullptr);
      for (std::size_t k = 0; k < d.upserts.size(); ++k) {
        add_seed(e.produced, d.upsert_ids[k], d.upserts[k]);
        if (k % 2 == 0) upserted[static_cast<std::size_t>(d.upsert_ids[k])] = &d.upserts[k];
      }
      for (std::size_t i = 1; i <= s.users; ++i)
        add_seed(e.db.users, static_cast<std::int64_t>(i), upserted[i] ? *upserted[i] : d.users[i - 1]);
      for (std::size_t k = 1; k < d.upserts.size(); k += 2) add_seed(e.db.users, d.upsert_ids[k], d.upserts[k]);
      break;
    }
    case Workload::W7: {
      // LIKE 'user1%' is an ASCII case-insensitive prefix match; the emails are lowercase.
      std::string prefix = d.filter_pattern.substr(0, d.filter_pattern.find('%'));
      std::vector<std::size_t> hits;
      for (std::size_t i = 1; i <= s.users && hits.size() < s.filter_limit; ++i)
        if (d.users[i - 1].email.starts_with(prefix)) hits.push_back(i);
      for (std::size_t r = 0; r < s.filter_runs; ++r)
        for (auto i : hits) add_seed(e.produced, static_cast<std::int64_t>(i), d.users[i - 1]);
      e.ordered = true;
      break;
    }
  }
  return e;
}

}  // namespace ctorm_bench
