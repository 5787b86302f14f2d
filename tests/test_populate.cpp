// Populate: select-in and joined strategies give the same results; typed loaded state; lazy fields;
// em.populate on entities already loaded.
#include <catch2/catch.hpp>

#include <map>

#include "support/blog_model.hpp"
#include "support/query_log.hpp"

using namespace blog_test;
using ctorm::col;
using ctorm::populate;
using ctorm::prop;
using ctorm_test::QueryLog;

namespace {

struct Fixture {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  QueryLog log;
  Fixture() {
    orm.schema().create();
    auto em = orm.em();
    for (int u = 1; u <= 3; ++u) {
      User& user = em.create<User>(prop<&User::full_name> = "User " + std::to_string(u),
                                   prop<&User::email> = "u" + std::to_string(u) + "@x.com",
                                   prop<&User::password> = "pw" + std::to_string(u));
      for (int a = 1; a <= u; ++a) {
        const std::string slug = "a" + std::to_string(u) + "-" + std::to_string(a);
        user.articles.add(Article{.slug = slug, .title = "Title " + slug, .text = "Text of " + slug});
      }
    }
    em.flush();
    std::vector<Tag*> tags;
    for (const char* name : {"red", "green", "blue"}) tags.push_back(&em.create<Tag>(prop<&Tag::name> = name));
    int k = 0;
    for (Article* a : em.find<Article>(ctorm::order_by(ctorm::asc<&Article::id>))) {
      a->tags.add(*tags[static_cast<std::size_t>(k % 3)]);
      if (k % 2 == 0) a->tags.add(*tags[static_cast<std::size_t>((k + 1) % 3)]);
      a->comments.add(Comment{.text = "comment on " + a->slug, .author = a->author.get()});
      ++k;
    }
    em.flush();
    log.attach(orm);
  }
};

// What a user's graph looks like, as plain values, to compare strategies.
template <class Users>
std::map<std::string, std::string> describe(const Users& users) {
  std::map<std::string, std::string> out;
  for (const auto& u : users) {
    std::string s;
    for (const auto& a : u.template get<&User::articles>()) {
      s += a->slug + "[";
      for (const auto& t : a.template get<&Article::tags>()) s += t->name + ",";
      s += "|";
      for (const auto& c : a.template get<&Article::comments>()) s += c->text + "/" + c.template get<&Comment::author>()->full_name + ",";
      s += "]";
    }
    out[u->email] = s;
  }
  return out;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "select-in populate: one query per relation level", "[populate]") {
  auto em = orm.em();
  log.clear();
  auto articles = em.find<Article>(populate<&Article::author>);
  REQUIRE(articles.size() == 6);
  CHECK(log.count("select") == 2);
  CHECK(log.contains(R"(select "id", "created_at", "updated_at", "full_name", "email", "bio" from "user" where "id" in (?, ?, ?, ?))"));
  for (const auto& a : articles) {
    CHECK(a->author.is_initialized());
    CHECK(a.get<&Article::author>()->email.find("@x.com") != std::string::npos);
  }
}

TEST_CASE_METHOD(Fixture, "select-in and joined strategies give the same graph", "[populate]") {
  constexpr auto request =
      populate<ctorm::path<&User::articles, &Article::tags>, ctorm::path<&User::articles, &Article::comments, &Comment::author>>;
  auto em1 = orm.em();
  log.clear();
  auto select_in = em1.find<User>(request);
  const std::size_t select_in_queries = log.count("select");
  auto em2 = orm.em();
  log.clear();
  auto joined = em2.find<User>(request, ctorm::joined);
  CHECK(log.count("select") == 1);
  CHECK(select_in_queries == 4);  // users, articles, tags, comments (comment authors are managed already)
  CHECK(describe(select_in) == describe(joined));
  CHECK(describe(joined)["u3@x.com"].find("a3-3[") != std::string::npos);

  // an entity whose collection is empty has it loaded (empty) by the joined query too
  auto em5 = orm.em();
  User& lonely = em5.create<User>(prop<&User::full_name> = "Lonely", prop<&User::email> = "lonely@x.com",
                                  prop<&User::password> = "p");
  em5.flush();
  auto em6 = orm.em();
  log.clear();
  auto all = em6.find<User>(populate<&User::articles>, ctorm::joined);
  CHECK(log.count("select") == 1);
  REQUIRE(all.size() == 4);
  CHECK(all[3]->email == lonely.email);
  CHECK(all[3].get<&User::articles>().empty());
  CHECK(all[3]->articles.is_initialized());

  // with a condition, and one entity
  auto em3 = orm.em();
  auto one = em3.find_one<User>(col<&User::email> == "u2@x.com", populate<&User::articles>, ctorm::joined);
  REQUIRE(one);
  CHECK(one->get<&User::articles>().size() == 2);
  auto em4 = orm.em();
  auto filtered = em4.find<User>(col<&User::email> != "u1@x.com", request, ctorm::joined);
  CHECK(filtered.size() == 3);  // u2, u3 and the lonely one
}

TEST_CASE_METHOD(Fixture, "populate skips what is loaded already", "[populate]") {
  auto em = orm.em();
  User& u = em.find_one_or_fail<User>(3);
  u.articles.load_items();
  log.clear();
  auto again = em.find_one_or_fail<User>(3, populate<&User::articles>);
  CHECK(log.count("select") == 0);
  CHECK(again.get<&User::articles>().size() == 3);
}

TEST_CASE_METHOD(Fixture, "lazy fields are not selected unless populated", "[populate]") {
  auto em = orm.em();
  Article& a = em.find_one_or_fail<Article>(col<&Article::slug> == "a2-1");
  CHECK(a.text.empty());
  CHECK(log.contains(R"(select "id", "created_at", "updated_at", "slug", "title", "description", "author_id" from "article")"));
  log.clear();
  auto loaded = em.populate<&Article::text>(a);
  CHECK(log.count(R"(select "id", "text" from "article" where "id" in (?))") == 1);
  CHECK(loaded.get<&Article::text>() == "Text of a2-1");
  CHECK(a.text == "Text of a2-1");
  em.populate<&Article::text>(a);
  CHECK(log.count("select") == 1);  // loaded already

  // a lazy field loaded later keeps unflushed changes of other fields as changes
  a.title = "changed";
  em.populate<&Article::text>(a);
  log.clear();
  em.flush();
  CHECK(log.contains(ctorm_test::dialect_sql(R"("title" = ? where "id" = ?)", 2)));  // after "updated_at"
  CHECK_FALSE(log.contains(R"("text" = ?)"));

  // an unloaded lazy field is never written back as empty
  auto em2 = orm.em();
  Article& b = em2.find_one_or_fail<Article>(col<&Article::slug> == "a3-1");
  b.title = "other";
  em2.flush();
  auto em3 = orm.em();
  auto b2 = em3.find_one_or_fail<Article>(col<&Article::slug> == "a3-1", populate<&Article::text>);
  CHECK(b2->text == "Text of a3-1");
  CHECK(b2->title == "other");
}

TEST_CASE_METHOD(Fixture, "em.populate loads relations of entities already loaded", "[populate]") {
  auto em = orm.em();
  std::vector<Article*> articles = em.find<Article>(ctorm::order_by(ctorm::asc<&Article::id>));
  log.clear();
  em.populate<&Article::tags, &Article::author>(articles);
  CHECK(log.count("select") == 2);
  for (Article* a : articles) {
    CHECK(a->tags.is_initialized());
    CHECK(a->author.is_initialized());
  }
  auto one = em.populate<ctorm::path<&Article::comments, &Comment::author>>(*articles[0]);
  CHECK(one.get<&Article::comments>().size() == 1);
}

TEST_CASE_METHOD(Fixture, "Loaded<T> reads populated relations without a check, and plain members check", "[populate]") {
  auto em = orm.em();
  auto users = em.find<User>(populate<&User::articles>);
  static_assert(std::is_same_v<decltype(users), std::vector<ctorm::Loaded<User, ctorm::detail::PopulatePlan<User, &User::articles>>>>);
  // Not populated: get<&Article::tags>() on these articles would not compile (see compile_fail/), and the
  // plain member throws at run time.
  for (const auto& u : users)
    for (const auto& a : u.get<&User::articles>()) CHECK_THROWS_AS(a->tags.size(), ctorm::NotLoadedError);
  User& plain = users[0];
  CHECK(plain.articles.is_initialized());
}
