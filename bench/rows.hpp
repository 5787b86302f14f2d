// ctorm bench: the plain structs the raw contenders (raw_contender.cpp, raw_pg_contender.cpp) read rows into.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checksum.hpp"

namespace ctorm_bench::rows {

struct Article {
  std::int64_t id{};
  std::string slug, title, description, text;
  std::int64_t author_id{};
  std::int64_t created_at{};
};

struct User {
  std::int64_t id{};
  std::string full_name, email, password, bio;
  std::int64_t created_at{};
  std::vector<Article> articles;  // filled by W5 only
};

inline void add(Checksum& c, const User& u) {
  c.add_user(u.id, u.full_name, u.email, u.password, u.bio, u.created_at);
}

// W5's checksum: every user, then each article with the id of the user it is attached to.
inline void add_with_articles(Checksum& c, const User& u) {
  add(c, u);
  for (const Article& a : u.articles)
    c.add_article(u.id, a.id, a.slug, a.title, a.description, a.text, a.author_id, a.created_at);
}

}  // namespace ctorm_bench::rows
