// C1 (../../../shared/bench/WORKLOADS.md), raw side: the blog's four entities and 20 typical queries written
// by hand against the sqlite3 C API. run.sh times `g++ -std=c++20 -O2 -c` of this file; `run.sh --check`
// also builds it into a program and runs it (main() at the bottom executes every query and checks the
// results, exit status 0 on success).
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace blog {

// ---- entities ------------------------------------------------------------------------------------------
struct Article;
struct Comment;

struct User {
  std::int64_t id{};
  std::string full_name, email, password, bio;
  std::int64_t created_at{}, updated_at{};
  std::vector<Article> articles;  // one-to-many, filled by populate_user_articles
};

struct Tag {
  std::int64_t id{};
  std::string name;
  std::vector<Article> articles;  // many-to-many (inverse side), filled by populate_tag_articles
};

struct Article {
  std::int64_t id{};
  std::string slug, title, description, text;
  std::int64_t author_id{};
  std::int64_t created_at{}, updated_at{};
  std::shared_ptr<User> author;   // many-to-one, filled by populate_article_authors
  std::vector<Tag> tags;          // many-to-many (owning side, pivot article_tags)
  std::vector<Comment> comments;  // one-to-many, filled by populate_article_comments
};

struct Comment {
  std::int64_t id{};
  std::string text;
  std::int64_t article_id{}, author_id{};
  std::int64_t created_at{};
  std::shared_ptr<Article> article;  // many-to-one
  std::shared_ptr<User> author;      // many-to-one
};

constexpr const char* schema =
    "CREATE TABLE user(id INTEGER PRIMARY KEY AUTOINCREMENT, full_name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,"
    " password TEXT NOT NULL, bio TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE tag(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE article(id INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
    " description TEXT NOT NULL, text TEXT NOT NULL, author_id INTEGER NOT NULL REFERENCES user(id),"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE INDEX article_author_id ON article(author_id);"
    "CREATE TABLE article_tags(article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,"
    " tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE, PRIMARY KEY(article_id, tag_id));"
    "CREATE INDEX article_tags_tag_id ON article_tags(tag_id);"
    "CREATE TABLE comment(id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL,"
    " article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,"
    " author_id INTEGER NOT NULL REFERENCES user(id), created_at INTEGER NOT NULL);"
    "CREATE INDEX comment_article_id ON comment(article_id);"
    "CREATE INDEX comment_author_id ON comment(author_id);";

// ---- a thin layer over sqlite3, as hand-written code has one ---------------------------------------------
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Db {
 public:
  explicit Db(const char* path) {
    if (sqlite3_open_v2(path, &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      throw Error(std::string("open: ") + sqlite3_errmsg(db_));
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  }
  ~Db() {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      throw Error(std::string(sql) + ": " + m);
    }
  }
  // Prepared once per SQL text, reset for reuse.
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
      throw Error(sql + ": " + sqlite3_errmsg(db_));
    cache_.emplace(sql, st);
    return st;
  }
  bool step(sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) throw Error(std::string(sqlite3_sql(st)) + ": " + sqlite3_errmsg(db_));
    return false;
  }
  std::int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

void bind(sqlite3_stmt* st, int i, const std::string& s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}
void bind(sqlite3_stmt* st, int i, std::int64_t v) { sqlite3_bind_int64(st, i, v); }

std::string text(sqlite3_stmt* st, int i) {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i))) : std::string();
}

std::string placeholders(std::size_t n) {  // "?,?,?"
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

constexpr const char* user_cols = "id, full_name, email, password, bio, created_at, updated_at";
constexpr const char* article_cols = "id, slug, title, description, text, author_id, created_at, updated_at";
constexpr const char* comment_cols = "id, text, article_id, author_id, created_at";

User read_user(sqlite3_stmt* st, int c = 0) {
  User u;
  u.id = sqlite3_column_int64(st, c + 0);
  u.full_name = text(st, c + 1);
  u.email = text(st, c + 2);
  u.password = text(st, c + 3);
  u.bio = text(st, c + 4);
  u.created_at = sqlite3_column_int64(st, c + 5);
  u.updated_at = sqlite3_column_int64(st, c + 6);
  return u;
}

Article read_article(sqlite3_stmt* st, int c = 0) {
  Article a;
  a.id = sqlite3_column_int64(st, c + 0);
  a.slug = text(st, c + 1);
  a.title = text(st, c + 2);
  a.description = text(st, c + 3);
  a.text = text(st, c + 4);
  a.author_id = sqlite3_column_int64(st, c + 5);
  a.created_at = sqlite3_column_int64(st, c + 6);
  a.updated_at = sqlite3_column_int64(st, c + 7);
  return a;
}

Comment read_comment(sqlite3_stmt* st, int c = 0) {
  Comment m;
  m.id = sqlite3_column_int64(st, c + 0);
  m.text = text(st, c + 1);
  m.article_id = sqlite3_column_int64(st, c + 2);
  m.author_id = sqlite3_column_int64(st, c + 3);
  m.created_at = sqlite3_column_int64(st, c + 4);
  return m;
}

// ---- the 20 queries -------------------------------------------------------------------------------------

// 1. find a user by primary key
std::optional<User> find_user(Db& db, std::int64_t id) {
  auto st = db.prepare(std::string("SELECT ") + user_cols + " FROM user WHERE id = ?");
  bind(st, 1, id);
  if (!db.step(st)) return std::nullopt;
  return read_user(st);
}

// 2. find an article by primary key
std::optional<Article> find_article(Db& db, std::int64_t id) {
  auto st = db.prepare(std::string("SELECT ") + article_cols + " FROM article WHERE id = ?");
  bind(st, 1, id);
  if (!db.step(st)) return std::nullopt;
  return read_article(st);
}

// 3. find one user by a unique column
std::optional<User> find_user_by_email(Db& db, const std::string& email) {
  auto st = db.prepare(std::string("SELECT ") + user_cols + " FROM user WHERE email = ?");
  bind(st, 1, email);
  if (!db.step(st)) return std::nullopt;
  return read_user(st);
}

// 4. filtered find with order, limit and offset
std::vector<Article> find_articles_titled(Db& db, const std::string& pattern, std::int64_t limit, std::int64_t offset) {
  auto st = db.prepare(std::string("SELECT ") + article_cols +
                       " FROM article WHERE title LIKE ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
  bind(st, 1, pattern);
  bind(st, 2, limit);
  bind(st, 3, offset);
  std::vector<Article> out;
  while (db.step(st)) out.push_back(read_article(st));
  return out;
}

// 5. filtered find on two conditions, ordered by a text column
std::vector<User> find_users_since(Db& db, std::int64_t since, const std::string& name_prefix, std::int64_t limit) {
  auto st = db.prepare(std::string("SELECT ") + user_cols +
                       " FROM user WHERE created_at >= ? AND full_name LIKE ? ORDER BY full_name LIMIT ?");
  bind(st, 1, since);
  bind(st, 2, name_prefix + "%");
  bind(st, 3, limit);
  std::vector<User> out;
  while (db.step(st)) out.push_back(read_user(st));
  return out;
}

// 6. populate Article::author (many-to-one)
void populate_article_authors(Db& db, std::vector<Article>& articles) {
  if (articles.empty()) return;
  std::vector<std::int64_t> keys;
  std::unordered_map<std::int64_t, std::shared_ptr<User>> by_id;
  for (auto& a : articles)
    if (by_id.emplace(a.author_id, nullptr).second) keys.push_back(a.author_id);
  auto st =
      db.prepare(std::string("SELECT ") + user_cols + " FROM user WHERE id IN (" + placeholders(keys.size()) + ")");
  for (std::size_t i = 0; i < keys.size(); ++i) bind(st, static_cast<int>(i + 1), keys[i]);
  while (db.step(st)) {
    auto u = std::make_shared<User>(read_user(st));
    by_id[u->id] = u;
  }
  for (auto& a : articles) a.author = by_id[a.author_id];
}

// 7. populate User::articles (one-to-many)
void populate_user_articles(Db& db, std::vector<User>& users) {
  if (users.empty()) return;
  std::unordered_map<std::int64_t, User*> by_id;
  for (auto& u : users) by_id[u.id] = &u;
  auto st = db.prepare(std::string("SELECT ") + article_cols + " FROM article WHERE author_id IN (" +
                       placeholders(users.size()) + ") ORDER BY author_id, id");
  for (std::size_t i = 0; i < users.size(); ++i) bind(st, static_cast<int>(i + 1), users[i].id);
  while (db.step(st)) {
    Article a = read_article(st);
    by_id.at(a.author_id)->articles.push_back(std::move(a));
  }
}

// 8. populate Article::tags (many-to-many, owning side)
void populate_article_tags(Db& db, std::vector<Article>& articles) {
  if (articles.empty()) return;
  std::unordered_map<std::int64_t, Article*> by_id;
  for (auto& a : articles) by_id[a.id] = &a;
  auto st = db.prepare(
      "SELECT p.article_id, t.id, t.name FROM article_tags p JOIN tag t ON t.id = p.tag_id "
      "WHERE p.article_id IN (" +
      placeholders(articles.size()) + ") ORDER BY p.article_id, t.name");
  for (std::size_t i = 0; i < articles.size(); ++i) bind(st, static_cast<int>(i + 1), articles[i].id);
  while (db.step(st)) {
    Tag t;
    t.id = sqlite3_column_int64(st, 1);
    t.name = text(st, 2);
    by_id.at(sqlite3_column_int64(st, 0))->tags.push_back(std::move(t));
  }
}

// 9. populate Tag::articles (many-to-many, inverse side)
void populate_tag_articles(Db& db, std::vector<Tag>& tags) {
  if (tags.empty()) return;
  std::unordered_map<std::int64_t, Tag*> by_id;
  for (auto& t : tags) by_id[t.id] = &t;
  auto st =
      db.prepare(std::string("SELECT p.tag_id, a.id, a.slug, a.title, a.description, a.text, a.author_id, "
                             "a.created_at, a.updated_at FROM article_tags p JOIN article a ON a.id = p.article_id "
                             "WHERE p.tag_id IN (") +
                 placeholders(tags.size()) + ") ORDER BY p.tag_id, a.id");
  for (std::size_t i = 0; i < tags.size(); ++i) bind(st, static_cast<int>(i + 1), tags[i].id);
  while (db.step(st)) by_id.at(sqlite3_column_int64(st, 0))->articles.push_back(read_article(st, 1));
}

// 10. populate Article::comments (one-to-many)
void populate_article_comments(Db& db, std::vector<Article>& articles) {
  if (articles.empty()) return;
  std::unordered_map<std::int64_t, Article*> by_id;
  for (auto& a : articles) by_id[a.id] = &a;
  auto st = db.prepare(std::string("SELECT ") + comment_cols + " FROM comment WHERE article_id IN (" +
                       placeholders(articles.size()) + ") ORDER BY article_id, id");
  for (std::size_t i = 0; i < articles.size(); ++i) bind(st, static_cast<int>(i + 1), articles[i].id);
  while (db.step(st)) {
    Comment c = read_comment(st);
    by_id.at(c.article_id)->comments.push_back(std::move(c));
  }
}

// 11. populate Comment::author (many-to-one)
void populate_comment_authors(Db& db, std::vector<Comment>& comments) {
  if (comments.empty()) return;
  std::vector<std::int64_t> keys;
  std::unordered_map<std::int64_t, std::shared_ptr<User>> by_id;
  for (auto& c : comments)
    if (by_id.emplace(c.author_id, nullptr).second) keys.push_back(c.author_id);
  auto st =
      db.prepare(std::string("SELECT ") + user_cols + " FROM user WHERE id IN (" + placeholders(keys.size()) + ")");
  for (std::size_t i = 0; i < keys.size(); ++i) bind(st, static_cast<int>(i + 1), keys[i]);
  while (db.step(st)) {
    auto u = std::make_shared<User>(read_user(st));
    by_id[u->id] = u;
  }
  for (auto& c : comments) c.author = by_id[c.author_id];
}

// 12. populate Comment::article (many-to-one)
void populate_comment_articles(Db& db, std::vector<Comment>& comments) {
  if (comments.empty()) return;
  std::vector<std::int64_t> keys;
  std::unordered_map<std::int64_t, std::shared_ptr<Article>> by_id;
  for (auto& c : comments)
    if (by_id.emplace(c.article_id, nullptr).second) keys.push_back(c.article_id);
  auto st = db.prepare(std::string("SELECT ") + article_cols + " FROM article WHERE id IN (" +
                       placeholders(keys.size()) + ")");
  for (std::size_t i = 0; i < keys.size(); ++i) bind(st, static_cast<int>(i + 1), keys[i]);
  while (db.step(st)) {
    auto a = std::make_shared<Article>(read_article(st));
    by_id[a->id] = a;
  }
  for (auto& c : comments) c.article = by_id[c.article_id];
}

// 13. count all users
std::int64_t count_users(Db& db) {
  auto st = db.prepare("SELECT count(*) FROM user");
  db.step(st);
  return sqlite3_column_int64(st, 0);
}

// 14. count with a condition
std::int64_t count_articles_by(Db& db, std::int64_t author_id) {
  auto st = db.prepare("SELECT count(*) FROM article WHERE author_id = ?");
  bind(st, 1, author_id);
  db.step(st);
  return sqlite3_column_int64(st, 0);
}

// 15. insert a user, id back into the object
void insert_user(Db& db, User& u) {
  auto st =
      db.prepare("INSERT INTO user(full_name, email, password, bio, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?)");
  bind(st, 1, u.full_name);
  bind(st, 2, u.email);
  bind(st, 3, u.password);
  bind(st, 4, u.bio);
  bind(st, 5, u.created_at);
  bind(st, 6, u.updated_at);
  db.step(st);
  u.id = db.last_id();
}

// 16. insert an article with its tags (new tags created, existing ones reused), in one transaction
void insert_article(Db& db, Article& a) {
  db.exec("BEGIN");
  try {
    auto st = db.prepare(
        "INSERT INTO article(slug, title, description, text, author_id, created_at, updated_at) "
        "VALUES(?, ?, ?, ?, ?, ?, ?)");
    bind(st, 1, a.slug);
    bind(st, 2, a.title);
    bind(st, 3, a.description);
    bind(st, 4, a.text);
    bind(st, 5, a.author_id);
    bind(st, 6, a.created_at);
    bind(st, 7, a.updated_at);
    db.step(st);
    a.id = db.last_id();
    for (Tag& t : a.tags) {
      if (t.id == 0) {
        auto ins = db.prepare(
            "INSERT INTO tag(name) VALUES(?) ON CONFLICT(name) DO UPDATE SET name = excluded.name "
            "RETURNING id");
        bind(ins, 1, t.name);
        db.step(ins);
        t.id = sqlite3_column_int64(ins, 0);
        db.step(ins);
      }
      auto link = db.prepare("INSERT INTO article_tags(article_id, tag_id) VALUES(?, ?)");
      bind(link, 1, a.id);
      bind(link, 2, t.id);
      db.step(link);
    }
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

// 17. insert a comment
void insert_comment(Db& db, Comment& c) {
  auto st = db.prepare("INSERT INTO comment(text, article_id, author_id, created_at) VALUES(?, ?, ?, ?)");
  bind(st, 1, c.text);
  bind(st, 2, c.article_id);
  bind(st, 3, c.author_id);
  bind(st, 4, c.created_at);
  db.step(st);
  c.id = db.last_id();
}

// 18. update one column of a loaded user
bool update_user_bio(Db& db, User& u, const std::string& bio, std::int64_t now) {
  u.bio = bio;
  u.updated_at = now;
  auto st = db.prepare("UPDATE user SET bio = ?, updated_at = ? WHERE id = ?");
  bind(st, 1, u.bio);
  bind(st, 2, u.updated_at);
  bind(st, 3, u.id);
  db.step(st);
  return db.changes() == 1;
}

// 19. update several columns of a loaded article
bool update_article(Db& db, Article& a, const std::string& title, const std::string& description, std::int64_t now) {
  a.title = title;
  a.description = description;
  a.updated_at = now;
  auto st = db.prepare("UPDATE article SET title = ?, description = ?, updated_at = ? WHERE id = ?");
  bind(st, 1, a.title);
  bind(st, 2, a.description);
  bind(st, 3, a.updated_at);
  bind(st, 4, a.id);
  db.step(st);
  return db.changes() == 1;
}

// 20. delete an article by key (its comments and pivot rows go by ON DELETE CASCADE)
bool delete_article(Db& db, std::int64_t id) {
  auto st = db.prepare("DELETE FROM article WHERE id = ?");
  bind(st, 1, id);
  db.step(st);
  return db.changes() == 1;
}

}  // namespace blog

// ---- run every query once and check the answers ---------------------------------------------------------
namespace {

void expect(bool ok, const char* what) {
  if (!ok) throw blog::Error(std::string("check failed: ") + what);
}

}  // namespace

int main(int argc, char** argv) try {
  using namespace blog;
  Db db(argc > 1 ? argv[1] : ":memory:");
  db.exec(schema);

  std::vector<User> users;
  for (int i = 1; i <= 3; ++i) {
    User u;
    u.full_name = "User " + std::to_string(i);
    u.email = "user" + std::to_string(i) + "@example.com";
    u.password = std::string(64, 'a');
    u.bio = "bio " + std::to_string(i);
    u.created_at = u.updated_at = 1000 + i;
    insert_user(db, u);  // 15
    users.push_back(std::move(u));
  }
  expect(users[2].id == 3, "user ids");

  std::vector<Article> articles;
  for (int j = 1; j <= 4; ++j) {
    Article a;
    a.slug = "article-" + std::to_string(j);
    a.title = j % 2 ? "Odd article " + std::to_string(j) : "Even article " + std::to_string(j);
    a.description = "about " + std::to_string(j);
    a.text = std::string(100, 'x');
    a.author_id = users[static_cast<std::size_t>(j % 2)].id;  // users 2 and 1
    a.created_at = a.updated_at = 2000 + j;
    a.tags.push_back(Tag{0, "cpp", {}});
    if (j > 2) a.tags.push_back(Tag{0, "sqlite", {}});
    insert_article(db, a);  // 16
    articles.push_back(std::move(a));
  }
  for (int k = 1; k <= 5; ++k) {
    Comment c;
    c.text = "comment " + std::to_string(k);
    c.article_id = articles[static_cast<std::size_t>(k % 4)].id;
    c.author_id = users[2].id;
    c.created_at = 3000 + k;
    insert_comment(db, c);  // 17
  }

  expect(find_user(db, 2)->email == "user2@example.com", "find_user");  // 1
  expect(!find_user(db, 99), "find_user missing");
  expect(find_article(db, 3)->slug == "article-3", "find_article");                    // 2
  expect(find_user_by_email(db, "user3@example.com")->id == 3, "find_user_by_email");  // 3
  auto odd = find_articles_titled(db, "Odd%", 10, 0);                                  // 4
  expect(odd.size() == 2 && odd[0].id == 3 && odd[1].id == 1, "find_articles_titled");
  auto recent = find_users_since(db, 1002, "User", 10);  // 5
  expect(recent.size() == 2 && recent[0].full_name == "User 2", "find_users_since");

  auto all = find_articles_titled(db, "%", 100, 0);
  populate_article_authors(db, all);  // 6
  expect(all.size() == 4 && all[0].author && all[0].author->id == all[0].author_id, "populate article authors");
  std::vector<User> authors{*find_user(db, 1), *find_user(db, 2)};
  populate_user_articles(db, authors);  // 7
  expect(authors[0].articles.size() == 2 && authors[1].articles.size() == 2, "populate user articles");
  populate_article_tags(db, all);  // 8
  expect(all[0].tags.size() == 2 && all[3].tags.size() == 1, "populate article tags");
  std::vector<Tag> tags = all[0].tags;
  populate_tag_articles(db, tags);  // 9
  expect(tags[0].name == "cpp" && tags[0].articles.size() == 4 && tags[1].articles.size() == 2,
         "populate tag articles");
  populate_article_comments(db, all);  // 10
  std::size_t n_comments = 0;
  for (auto& a : all) n_comments += a.comments.size();
  expect(n_comments == 5, "populate article comments");
  std::vector<Comment> comments = all[0].comments;
  populate_comment_authors(db, comments);   // 11
  populate_comment_articles(db, comments);  // 12
  expect(!comments.empty() && comments[0].author->id == 3 && comments[0].article->id == all[0].id,
         "populate comment author and article");

  expect(count_users(db) == 3, "count_users");                 // 13
  expect(count_articles_by(db, 1) == 2, "count_articles_by");  // 14

  expect(update_user_bio(db, users[0], "new bio", 5000), "update_user_bio");  // 18
  expect(find_user(db, users[0].id)->bio == "new bio", "bio written");
  expect(update_article(db, articles[1], "Retitled", "new description", 5001), "update_article");  // 19
  expect(find_article(db, articles[1].id)->title == "Retitled", "title written");
  expect(delete_article(db, articles[0].id), "delete_article");  // 20
  expect(!find_article(db, articles[0].id) && count_articles_by(db, articles[0].author_id) == 1, "article deleted");

  std::printf("C1 raw: 20 queries ran and returned the expected results\n");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "C1 raw: %s\n", e.what());
  return 1;
}
