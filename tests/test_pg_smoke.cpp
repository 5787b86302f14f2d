// First end-to-end run of the entity manager on PostgreSQL (to be folded into the shared suite).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

#include <ctorm/postgres.hpp>

#include "support/blog_model.hpp"

using namespace blog_test;

namespace {
std::string server() {
  const char* uri = std::getenv("CTORM_TEST_PG");
  if (!uri) FAIL("CTORM_TEST_PG is not set");
  return uri;
}
}  // namespace

TEST_CASE("blog on PostgreSQL", "[postgres]") {
  ctorm::Orm<Schema, ctorm::postgres> orm{server()};
  orm.log_queries(std::cout);
  orm.schema().drop();
  orm.schema().create();
  auto em = orm.em();
  auto& u = em.create<User>(ctorm::prop<&User::full_name> = "Ann", ctorm::prop<&User::email> = "ann@x",
                            ctorm::prop<&User::password> = "p", ctorm::prop<&User::bio> = "b");
  auto& a = em.create<Article>(ctorm::prop<&Article::slug> = "s", ctorm::prop<&Article::title> = "T",
                               ctorm::prop<&Article::description> = "d", ctorm::prop<&Article::text> = "x",
                               ctorm::prop<&Article::author> = u);
  auto& t = em.create<Tag>(ctorm::prop<&Tag::name> = "t1");
  a.tags.add(t);
  em.flush();
  CHECK(u.id > 0);
  CHECK(a.id > 0);
  u.bio = "changed";
  em.flush();
  auto em2 = orm.em();
  auto* found = em2.find_one<User>(ctorm::col<&User::email> == "ann@x");
  REQUIRE(found);
  CHECK(found->bio == "changed");
  auto arts = em2.find<Article>(ctorm::col<&Article::id> > 0, ctorm::populate<&Article::author, &Article::tags>);
  REQUIRE(arts.size() == 1);
  CHECK(arts[0]->author->full_name == "Ann");
  CHECK(arts[0]->tags.size() == 1);
  CHECK(em2.count<Article>() == 1);
  em2.remove(*arts[0]);
  em2.flush();
  CHECK(em2.count<Article>() == 0);
}
