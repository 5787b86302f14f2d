#pragma once
// The model the query tests run against: the guide's users, articles and comments, with columns of every
// kind (text, integer, real, bool, enum, time, nullable). Relations are plain key columns here
// (`author_id`), so the DSL is tested on its own; joins along Ref<T> have their own tests.
#include <ctorm/ctorm.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend.hpp"

namespace ctorm_qtest {

enum class Role : int { reader = 0, author = 1, admin = 2 };

struct User {
  std::int64_t id{};
  std::string full_name;
  std::string email;
  std::optional<std::string> bio;
  int age{};
  double score{};
  bool active{};
  Role role{};
  std::optional<std::int64_t> referrer;
};

struct Article {
  std::int64_t id{};
  std::string slug;
  std::string title;
  std::int64_t author_id{};
  std::int64_t views{};
  std::optional<std::string> summary;
};

struct Comment {
  std::int64_t id{};
  std::int64_t article_id{};
  std::int64_t author_id{};
  std::string text;
};

using Schema = ctorm::schema<User, Article, Comment>;

// Twelve users with awkward values (NULLs, like wildcards, quotes), eight articles, comments on some.
inline void seed(ctorm_test::Orm<Schema>& orm) {
  auto em = orm.em();
  struct U {
    const char* name;
    const char* email;
    std::optional<std::string> bio;
    int age;
    double score;
    bool active;
    Role role;
    std::optional<std::int64_t> referrer;
  };
  const U users[] = {
      {"Ann Lee", "ann@example.com", "likes C++", 34, 4.5, true, Role::admin, std::nullopt},
      {"Bob Stone", "bob@example.com", std::nullopt, 17, 2.0, false, Role::reader, 1},
      {"Cy Young", "cy@example.org", "", 52, 3.25, true, Role::author, 1},
      {"Dee O'Brien", "dee@example.com", "it's fine", 29, 4.0, true, Role::author, 2},
      {"Eve 100% real", "eve@example.net", "100% sure", 41, 1.5, false, Role::reader, std::nullopt},
      {"Fay under_score", "fay_x@example.com", "a_b", 23, 5.0, true, Role::author, 3},
      {"Gus back\\slash", "gus@example.com", "c:\\dir", 65, 0.0, true, Role::reader, 3},
      {"Hal Jordan", "hal@example.org", std::nullopt, 30, 3.75, false, Role::admin, std::nullopt},
      {"Ivy Green", "ivy@example.com", "plants", 18, 4.25, true, Role::reader, 4},
      {"Jo March", "jo@example.com", "writes", 30, 2.5, true, Role::author, 4},
      {"Kim Park", "kim@example.net", std::nullopt, 45, 3.0, false, Role::reader, 9},
      {"Lu Chen", "lu@example.com", "LIKES c++", 38, 4.75, true, Role::author, std::nullopt},
  };
  for (const U& u : users)
    em.persist(User{0, u.name, u.email, u.bio, u.age, u.score, u.active, u.role, u.referrer});
  struct A {
    const char* slug;
    const char* title;
    std::int64_t author;
    std::int64_t views;
    std::optional<std::string> summary;
  };
  const A articles[] = {
      {"hello", "Hello world", 3, 120, "first"}, {"cpp20", "C++20 ranges", 3, 900, std::nullopt},
      {"orm", "Why an ORM", 4, 45, "opinion"},    {"sqlite", "SQLite tips", 6, 300, "tips"},
      {"misc", "Misc", 10, 0, std::nullopt},       {"ranges", "More ranges", 3, 75, "ranges"},
      {"plants", "Plants", 9, 10, "green"},        {"draft", "Draft", 12, 0, std::nullopt},
  };
  for (const A& a : articles) em.persist(Article{0, a.slug, a.title, a.author, a.views, a.summary});
  em.flush();
  const std::int64_t comments[][2] = {{1, 1}, {1, 2}, {1, 4}, {2, 4}, {2, 5}, {3, 1}, {4, 3}, {4, 3}, {4, 12}, {6, 9}};
  int n = 0;
  for (const auto& c : comments) em.persist(Comment{0, c[0], c[1], "comment " + std::to_string(++n)});
  em.flush();
}

// Hand-written queries to compare with: ctorm_test::raw_ids and raw_rows (support/backend.hpp).
using ctorm_test::raw_ids;
using ctorm_test::raw_rows;

// The keys of found entities, sorted (find without order_by promises no order).
template <class T>
std::vector<std::int64_t> sorted_ids(const std::vector<T*>& found) {
  std::vector<std::int64_t> ids;
  for (const T* e : found) ids.push_back(e->id);
  std::sort(ids.begin(), ids.end());
  return ids;
}
template <class T>
std::vector<std::int64_t> ids_in_order(const std::vector<T*>& found) {
  std::vector<std::int64_t> ids;
  for (const T* e : found) ids.push_back(e->id);
  return ids;
}

}  // namespace ctorm_qtest
