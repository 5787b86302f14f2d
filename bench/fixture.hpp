// ctorm bench: harness side of the fixture -- deterministic data, the schema, template database files,
// expected checksums and the verification of a database after a write workload. Contenders do not need
// this header (they see contender.hpp only).
#pragma once

#include <string>
#include <string_view>

#include "contender.hpp"

namespace ctorm_bench {

// The schema of WORKLOADS.md, exactly.
inline constexpr const char* schema_sql =
    "CREATE TABLE user(id INTEGER PRIMARY KEY AUTOINCREMENT, full_name TEXT NOT NULL, "
    "email TEXT NOT NULL UNIQUE, password TEXT NOT NULL, bio TEXT NOT NULL DEFAULT '', "
    "created_at INTEGER NOT NULL);"
    "CREATE TABLE article(id INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL UNIQUE, "
    "title TEXT NOT NULL, description TEXT NOT NULL, text TEXT NOT NULL, "
    "author_id INTEGER NOT NULL REFERENCES user(id), created_at INTEGER NOT NULL);"
    "CREATE INDEX article_author_id ON article(author_id);";

// Deterministic strings (see fixture.cpp).
std::string make_password(std::size_t i);
std::string make_bio(std::size_t i);
std::string make_new_bio(std::size_t i);
UserSeed make_user(std::size_t i);                               // user with id i (1-based)
ArticleSeed make_article(std::size_t j, std::size_t author_id);  // article with id j (1-based)

enum class Setup { empty, users, populate };

// Creates a database file at path: WAL mode, the schema, and the rows of the setup, then checkpoints and
// closes it so the file alone is the database (copied for each run).
void build_template(const std::string& path, Setup setup, const Data& data);

// Hashes of a database's tables through a fresh connection; also runs PRAGMA quick_check and
// PRAGMA foreign_key_check and throws if either reports a problem.
struct DbChecksum {
  Checksum users;
  Checksum articles;
};
DbChecksum hash_database(const std::string& path);

enum class Workload { W1, W2, W3, W3m, W4, W5, W6, W7, W8, W8m };

struct Expected {
  Checksum produced;  // what the contender must return
  bool ordered;       // whether Checksum::seq is compared
  bool check_db;      // write workloads: whether the database is hashed afterwards
  DbChecksum db;      // expected database contents (if check_db)
};
Expected expected_for(Workload w, const Data& data);

}  // namespace ctorm_bench
