// to_json: loaded relations nested, unloaded ones as keys, hidden fields never written, lazy fields only
// when the type says they were populated.
#include <catch2/catch.hpp>
#include <ctorm/json.hpp>

#include "support/blog_model.hpp"

using namespace blog_test;
using ctorm::prop;

TEST_CASE("to_json writes an entity with its populated relations", "[json]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  {
    auto em = orm.em();
    User& u = em.create<User>(prop<&User::full_name> = "Foo Bar", prop<&User::email> = "foo@bar.com",
                              prop<&User::password> = "secret");
    Article& a = em.create<Article>(prop<&Article::slug> = "foo", prop<&Article::title> = "Foo",
                                    prop<&Article::text> = "Lorem ipsum", prop<&Article::author> = u);
    a.tags.add(em.create<Tag>(prop<&Tag::name> = "new"));
    em.flush();
  }
  auto em = orm.em();

  Article& plain = em.find_one_or_fail<Article>(1);
  nlohmann::json j = ctorm::to_json(plain);
  CHECK(j["title"] == "Foo");
  CHECK(j["author"] == 1);         // not loaded: its key
  CHECK_FALSE(j.contains("tags"));  // not loaded: left out
  CHECK_FALSE(j.contains("text"));  // lazy, not known to be loaded
  CHECK(j["ts"]["created_at"].get<std::string>().size() == 24);  // ISO 8601, UTC, milliseconds

  auto loaded = em.find_one_or_fail<Article>(1, ctorm::populate<&Article::author, &Article::tags, &Article::text>);
  nlohmann::json full = ctorm::to_json(loaded);
  CHECK(full["text"] == "Lorem ipsum");
  CHECK(full["author"]["full_name"] == "Foo Bar");
  CHECK_FALSE(full["author"].contains("password"));  // hidden
  REQUIRE(full["tags"].size() == 1);
  CHECK(full["tags"][0]["name"] == "new");
  CHECK_FALSE(full["tags"][0].contains("articles"));  // the tag's own collection is not loaded
}

TEST_CASE("to_json stops at cycles", "[json]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  User& u = em.create<User>(prop<&User::full_name> = "U", prop<&User::email> = "u@x.com", prop<&User::password> = "p");
  Article& a = em.create<Article>(prop<&Article::title> = "T", prop<&Article::text> = "x", prop<&Article::author> = u);
  (void)a;
  em.flush();
  // u.articles is loaded (new entity), and each article's author is u again
  nlohmann::json j = ctorm::to_json(u);
  REQUIRE(j["articles"].size() == 1);
  CHECK(j["articles"][0]["author"] == u.id);
}
