// The query builder: selected columns, expressions and aggregates with aliases, group by, having, order,
// paging, sub-queries (selected and in conditions), raw fragments, results into values, tuples, structs
// (virtual entities) and managed entities, and the execution modes all / one / run. Every query is
// compared with the same query written by hand and run through sqlite3 directly.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "support/query_log.hpp"
#include "support/query_model.hpp"

using ctorm::as;
using ctorm::asc;
using ctorm::col;
using ctorm::desc;
using namespace ctorm_qtest;

namespace {

struct Fixture {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  ctorm_test::QueryLog log;
  Fixture() {
    orm.schema().create();
    seed(orm);
    log.attach(orm);
  }
  std::vector<std::vector<std::string>> raw(const std::string& sql) { return raw_rows(orm, sql); }
};

// group_concat written by hand: SQLite's, or PostgreSQL's string_agg (over text, "," by default).
std::string group_concat_sql(const std::string& e, const std::string& separator = "','") {
  if constexpr (ctorm_test::is_sqlite) return "group_concat(" + e + (separator == "','" ? "" : ", " + separator) + ")";
  return "string_agg(" + e + "::text, " + separator + ")";
}

std::string text(std::int64_t v) { return std::to_string(v); }
std::string text(const std::string& v) { return v; }
template <class T>
std::string text(const std::optional<T>& v) {
  return v ? text(*v) : "NULL";
}

// The guide's ArticleListing: a read-only result type, matched to the selected items by name.
struct ArticleListing {
  std::string slug;
  std::string title;
  std::int64_t author_id{};
  std::string author_name;
  std::int64_t total_comments{};
  std::optional<std::string> commenters;
};

// Result structs at namespace scope (local ones work too: see the last test case).
struct PerAuthor {
  std::int64_t author_id;
  std::int64_t n;
  std::int64_t total;
  double average;
  std::int64_t most;
  std::int64_t least;
  std::string slugs;
};

struct Pair {
  std::string first;
  std::int64_t second;
};

struct Named {
  int age;
  std::string email;
};

[[maybe_unused]] auto listing_query() {
  auto author_name = ctorm::query<User>().select(col<&User::full_name>).where(col<&User::id> == col<&Article::author_id>);
  auto total_comments =
      ctorm::query<Comment>().select(ctorm::count()).where(col<&Comment::article_id> == col<&Article::id>);
  auto commenters = ctorm::query<Comment>()
                        .select(ctorm::group_concat(ctorm::distinct(col<&Comment::author_id>)))
                        .where(col<&Comment::article_id> == col<&Article::id>);
  return ctorm::query<Article>().select(col<&Article::slug>, col<&Article::title>, col<&Article::author_id>,
                                        as<"author_name">(author_name), as<"total_comments">(total_comments),
                                        as<"commenters">(commenters));
}

using Listing = decltype(listing_query());
static_assert(Listing::sql() ==
              std::string_view(R"(select "slug", "title", "author_id", )"
                               R"((select "e1_0"."full_name" from "user" as "e1_0" where "e1_0"."id" = "article"."author_id") as "author_name", )"
                               R"((select count(*) from "comment" as "e1_0" where "e1_0"."article_id" = "article"."id") as "total_comments", )"
                               R"((select group_concat(distinct "e1_0"."author_id") from "comment" as "e1_0" where "e1_0"."article_id" = "article"."id") as "commenters" )"
                               R"(from "article")"));

using Grouped = decltype(ctorm::query<Article>()
                             .select(col<&Article::author_id>, as<"n">(ctorm::count()),
                                     as<"total">(ctorm::sum(col<&Article::views>)))
                             .where(col<&Article::views> > 0)
                             .group_by(col<&Article::author_id>)
                             .having(ctorm::count() > 1)
                             .order_by(desc<&Article::author_id>)
                             .limit(5));
static_assert(Grouped::sql() ==
              std::string_view(R"(select "author_id", count(*) as "n", sum("views") as "total" from "article" )"
                               R"(where "views" > ? group by "author_id" having count(*) > ? order by "author_id" desc limit ?)"));

static_assert(decltype(ctorm::query<User>().select(col<&User::role>).distinct())::sql() ==
              std::string_view(R"(select distinct "role" from "user")"));
static_assert(decltype(ctorm::query<User>().update(ctorm::set(col<&User::age>, col<&User::age> + 1)).where(
                  col<&User::id> == 1))::sql() ==
              std::string_view(R"(update "user" set "age" = ("age" + ?) where "id" = ?)"));
static_assert(decltype(ctorm::query<User>().delete_rows().where(col<&User::age> < 18))::sql() ==
              std::string_view(R"(delete from "user" where "age" < ?)"));
static_assert(decltype(ctorm::query<Comment>().insert(ctorm::set(col<&Comment::article_id>, 1),
                                                      ctorm::set(col<&Comment::text>, "x")))::sql() ==
              std::string_view(R"(insert into "comment" ("article_id", "text") values (?, ?))"));

// Aggregates' value types.
static_assert(std::is_same_v<ctorm::value_type_t<decltype(ctorm::count())>, std::int64_t>);
static_assert(std::is_same_v<ctorm::value_type_t<decltype(ctorm::sum(col<&User::age>))>, std::int64_t>);
static_assert(std::is_same_v<ctorm::value_type_t<decltype(ctorm::sum(col<&User::score>))>, double>);
static_assert(std::is_same_v<ctorm::value_type_t<decltype(ctorm::avg(col<&User::age>))>, double>);
static_assert(std::is_same_v<ctorm::value_type_t<decltype(ctorm::max(col<&User::bio>))>, std::optional<std::string>>);
static_assert(std::is_same_v<ctorm::value_type_t<decltype(ctorm::group_concat(col<&User::id>))>, std::string>);
static_assert(ctorm::detail::readable_into<std::int64_t, double>());
static_assert(!ctorm::detail::readable_into<double, std::int64_t>());
static_assert(!ctorm::detail::readable_into<std::string, std::int64_t>());
static_assert(ctorm::detail::readable_into<std::optional<std::string>, std::string>());
static_assert(ctorm::detail::readable_into<std::int64_t, std::optional<int>>());

}  // namespace

TEST_CASE_METHOD(Fixture, "select columns into values and tuples", "[query][builder]") {
  auto em = orm.em();
  std::vector<std::string> emails = em.query<User>().select(col<&User::email>).order_by(asc<&User::id>).all();
  auto expected = raw("select email from \"user\" order by id");
  REQUIRE(emails.size() == expected.size());
  for (std::size_t i = 0; i < emails.size(); ++i) CHECK(emails[i] == expected[i][0]);

  auto rows = em.query<User>()
                  .select(col<&User::id>, col<&User::full_name>, col<&User::bio>)
                  .where(col<&User::age> < 30)
                  .order_by(desc<&User::id>)
                  .all();
  static_assert(std::is_same_v<decltype(rows)::value_type, std::tuple<std::int64_t, std::string, std::optional<std::string>>>);
  auto want = raw("select id, full_name, bio from \"user\" where age < 30 order by id desc");
  REQUIRE(rows.size() == want.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& [id, name, bio] = rows[i];
    CHECK(std::vector<std::string>{text(id), name, text(bio)} == want[i]);
  }

  auto typed = em.query<User>().select(col<&User::id>, col<&User::age>).all<std::tuple<int, double>>();
  CHECK(typed.size() == 12);
}

TEST_CASE_METHOD(Fixture, "aggregates with aliases, group by, having, order by an aggregate", "[query][builder]") {
  auto em = orm.em();
  auto n = as<"n">(ctorm::count());
  auto rows = em.query<Article>()
                  .select(col<&Article::author_id>, n, as<"total">(ctorm::sum(col<&Article::views>)),
                          as<"average">(ctorm::avg(col<&Article::views>)), as<"most">(ctorm::max(col<&Article::views>)),
                          as<"least">(ctorm::min(col<&Article::views>)),
                          as<"slugs">(ctorm::group_concat(col<&Article::slug>, "|")))
                  .group_by(col<&Article::author_id>)
                  .having(ctorm::count() >= 1)
                  .order_by(ctorm::descending(n), asc<&Article::author_id>)
                  .all<PerAuthor>();
  auto want = raw(
      "select author_id, count(*) as n, sum(views), avg(views), max(views), min(views), " + group_concat_sql("slug", "'|'") +
      " "
      "from article group by author_id having count(*) >= 1 order by n desc, author_id asc");
  REQUIRE(rows.size() == want.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const PerAuthor& r = rows[i];
    CHECK(text(r.author_id) == want[i][0]);
    CHECK(text(r.n) == want[i][1]);
    CHECK(text(r.total) == want[i][2]);
    CHECK(r.average == Approx(std::stod(want[i][3])));
    CHECK(text(r.most) == want[i][4]);
    CHECK(text(r.least) == want[i][5]);
    CHECK(r.slugs == want[i][6]);
  }
  CHECK(log.contains(R"(order by "n" desc, "author_id" asc)"));

  // count(e), count(distinct e), sum of reals, min/max of text, over the whole table.
  auto [with_bio, roles, score_sum, first_name, last_name] =
      *em.query<User>()
           .select(ctorm::count(col<&User::bio>), ctorm::count(ctorm::distinct(col<&User::role>)),
                   ctorm::sum(col<&User::score>), ctorm::min(col<&User::full_name>), ctorm::max(col<&User::full_name>))
           .one();
  auto w = raw("select count(bio), count(distinct role), sum(score), min(full_name), max(full_name) from \"user\"")[0];
  CHECK(text(with_bio) == w[0]);
  CHECK(text(roles) == w[1]);
  CHECK(score_sum == Approx(std::stod(w[2])));
  CHECK(first_name == w[3]);
  CHECK(last_name == w[4]);

  // An aggregate over no rows: NULL reads as 0 into a plain field, as nothing into an optional.
  auto empty_sum = em.query<Article>().select(ctorm::sum(col<&Article::views>)).where(col<&Article::id> < 0).one();
  REQUIRE(empty_sum);
  CHECK(*empty_sum == 0);
  auto empty_max = em.query<Article>()
                       .select(ctorm::max(col<&Article::views>))
                       .where(col<&Article::id> < 0)
                       .one<std::optional<std::int64_t>>();
  REQUIRE(empty_max);
  CHECK_FALSE(empty_max->has_value());
}

TEST_CASE_METHOD(Fixture, "having with a value and several conditions; where twice", "[query][builder]") {
  auto em = orm.em();
  auto rows = em.query<Comment>()
                  .select(col<&Comment::article_id>, ctorm::count())
                  .where(col<&Comment::author_id> != 99)
                  .where(col<&Comment::id> > 0)
                  .group_by(col<&Comment::article_id>)
                  .having(ctorm::count() > 1)
                  .having(ctorm::max(col<&Comment::author_id>) < 100)
                  .order_by(asc<&Comment::article_id>)
                  .all();
  auto want = raw(
      "select article_id, count(*) from comment where author_id <> 99 and id > 0 group by article_id "
      "having count(*) > 1 and max(author_id) < 100 order by article_id");
  REQUIRE(rows.size() == want.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    CHECK(std::vector<std::string>{text(std::get<0>(rows[i])), text(std::get<1>(rows[i]))} == want[i]);
  CHECK(log.contains(R"(where ("author_id" <> ? and "id" > ?) group by "article_id" having (count(*) > ? and max("author_id") < ?))"));
}

TEST_CASE_METHOD(Fixture, "a virtual entity from sub-queries, as the guide's article listing", "[query][builder]") {
  auto em = orm.em();
  auto items = em.query<Article>()
                   .select(col<&Article::slug>, col<&Article::title>, col<&Article::author_id>,
                           as<"author_name">(ctorm::query<User>().select(col<&User::full_name>).where(
                               col<&User::id> == col<&Article::author_id>)),
                           as<"total_comments">(ctorm::query<Comment>().select(ctorm::count()).where(
                               col<&Comment::article_id> == col<&Article::id>)),
                           as<"commenters">(ctorm::query<Comment>()
                                                .select(ctorm::group_concat(ctorm::distinct(col<&Comment::author_id>)))
                                                .where(col<&Comment::article_id> == col<&Article::id>)))
                   .order_by(asc<&Article::id>)
                   .all<ArticleListing>();
  auto want = raw(
      "select a.slug, a.title, a.author_id, (select u.full_name from \"user\" u where u.id = a.author_id), "
      "(select count(*) from comment c where c.article_id = a.id), "
      "(select " + group_concat_sql("distinct c.author_id") + " from comment c where c.article_id = a.id) "
      "from article a order by a.id");
  REQUIRE(items.size() == want.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ArticleListing& a = items[i];
    CHECK(std::vector<std::string>{a.slug, a.title, text(a.author_id), a.author_name, text(a.total_comments),
                                   text(a.commenters)} == want[i]);
  }

  // The same listing, paginated with its total, from the query defined once.
  auto page = em.query<Article>()
                  .select(col<&Article::slug>, col<&Article::title>, col<&Article::author_id>,
                          as<"author_name">(ctorm::query<User>().select(col<&User::full_name>).where(
                              col<&User::id> == col<&Article::author_id>)),
                          as<"total_comments">(ctorm::query<Comment>().select(ctorm::count()).where(
                              col<&Comment::article_id> == col<&Article::id>)),
                          as<"commenters">(ctorm::sql<"null", std::optional<std::string>>()))
                  .order_by(asc<&Article::id>)
                  .limit(3)
                  .offset(3)
                  .all_and_count<ArticleListing>();
  CHECK(page.total == 8);
  REQUIRE(page.items.size() == 3);
  CHECK(page.items[0].slug == want[3][0]);
  CHECK(page.items[2].total_comments == std::stoll(want[5][4]));
  CHECK_FALSE(page.items[0].commenters.has_value());
}

TEST_CASE_METHOD(Fixture, "a struct is matched by position when no field is named after a selection", "[query][builder]") {
  auto em = orm.em();
  auto rows = em.query<User>().select(col<&User::email>, col<&User::age>).order_by(asc<&User::id>).all<Pair>();
  auto want = raw("select email, age from \"user\" order by id");
  REQUIRE(rows.size() == want.size());
  CHECK(rows[3].first == want[3][0]);
  CHECK(text(rows[3].second) == want[3][1]);
  using M = ctorm::detail::ResultMapping<Pair, ctorm::Column<&User::email>, ctorm::Column<&User::age>>;
  static_assert(!M::by_name);

  // By name, in any order, with selections the struct does not use.
  auto named = em.query<User>().select(col<&User::email>, col<&User::id>, col<&User::age>).order_by(asc<&User::id>).all<Named>();
  CHECK(named[3].email == want[3][0]);
  CHECK(std::to_string(named[3].age) == want[3][1]);
}

TEST_CASE_METHOD(Fixture, "sub-queries in conditions: exists, in, and a scalar", "[query][builder]") {
  auto em = orm.em();
  auto raw_user_ids = [&](const std::string& where) {
    return raw_ids(orm, "select id from \"user\" where " + where + " order by id");
  };
  // Users who wrote an article.
  CHECK(sorted_ids(em.find<User>(ctorm::exists(ctorm::query<Article>().where(col<&Article::author_id> == col<&User::id>)))) ==
        raw_user_ids("exists (select 1 from article a where a.author_id = \"user\".id)"));
  CHECK(sorted_ids(em.find<User>(!ctorm::exists(ctorm::query<Article>().where(col<&Article::author_id> == col<&User::id>)))) ==
        raw_user_ids("not exists (select 1 from article a where a.author_id = \"user\".id)"));
  // Users who commented on an article with more than 100 views.
  auto popular = ctorm::query<Article>().select(col<&Article::id>).where(col<&Article::views> > 100);
  auto commenters = ctorm::query<Comment>().select(col<&Comment::author_id>).where(ctorm::in(col<&Comment::article_id>, popular));
  CHECK(sorted_ids(em.find<User>(ctorm::in(col<&User::id>, commenters))) ==
        raw_user_ids("id in (select author_id from comment where article_id in (select id from article where views > 100))"));
  CHECK(sorted_ids(em.find<User>(ctorm::not_in(col<&User::id>, commenters))) ==
        raw_user_ids("id not in (select author_id from comment where article_id in (select id from article where views > 100))"));
  CHECK(log.contains(R"(where "id" not in (select "e1_0"."author_id" from "comment" as "e1_0" where "e1_0"."article_id" in (select "e2_0"."id" from "article" as "e2_0" where "e2_0"."views" > ?)) [values: 100])"));
  // Users older than the average, and older than the average of their role (the same entity inside:
  // outer() names the enclosing row).
  CHECK(sorted_ids(em.find<User>(col<&User::age> > ctorm::query<User>().select(ctorm::avg(col<&User::age>)))) ==
        raw_user_ids("age > (select avg(age) from \"user\")"));
  CHECK(sorted_ids(em.find<User>(col<&User::age> > ctorm::query<User>()
                                                        .select(ctorm::avg(col<&User::age>))
                                                        .where(col<&User::role> == ctorm::outer(col<&User::role>)))) ==
        raw_user_ids("age > (select avg(u2.age) from \"user\" u2 where u2.role = \"user\".role)"));
  CHECK(log.contains(R"(where "age" > (select avg("e1_0"."age") from "user" as "e1_0" where "e1_0"."role" = "user"."role"))"));
  // A sub-query with a run-time list inside: the text is built per length.
  auto in_list = ctorm::query<Article>().select(col<&Article::author_id>).where(ctorm::in(col<&Article::id>, {1, 3, 5}));
  CHECK(sorted_ids(em.find<User>(ctorm::in(col<&User::id>, in_list))) ==
        raw_user_ids("id in (select author_id from article where id in (1, 3, 5))"));
}

TEST_CASE_METHOD(Fixture, "raw SQL fragments as selected columns and in grouping", "[query][builder]") {
  auto em = orm.em();
  // The domain: the text after what is left once the trailing letters and dots are cut (a fragment both
  // databases take; SQLite's instr is PostgreSQL's strpos).
  auto domain = as<"domain">(ctorm::sql<"substr(?, length(rtrim(?, 'abcdefghijklmnopqrstuvwxyz.')) + 1)", std::string>(
      col<&User::email>, col<&User::email>));
  auto grouped = em.query<User>()
                     .select(domain, as<"n">(ctorm::count()))
                     .group_by(ctorm::sql<"substr(?, length(rtrim(?, 'abcdefghijklmnopqrstuvwxyz.')) + 1)">(
                         col<&User::email>, col<&User::email>))
                     .order_by(ctorm::ascending(domain))
                     .all();
  auto want = raw(
      "select substr(email, length(rtrim(email, 'abcdefghijklmnopqrstuvwxyz.')) + 1) as d, count(*) from \"user\" "
      "group by d order by d");
  REQUIRE(want.size() == 3);  // example.com, example.net, example.org
  REQUIRE(grouped.size() == want.size());
  for (std::size_t i = 0; i < grouped.size(); ++i)
    CHECK(std::vector<std::string>{std::get<0>(grouped[i]), text(std::get<1>(grouped[i]))} == want[i]);
  auto bound = em.query<User>().select(ctorm::sql<"? || ?", std::string>(col<&User::full_name>, " <x>")).where(col<&User::id> == 1).one();
  REQUIRE(bound);
  CHECK(*bound == "Ann Lee <x>");
}

TEST_CASE_METHOD(Fixture, "entities from the builder are managed, through the identity map", "[query][builder]") {
  auto em = orm.em();
  User* ann = em.find_one<User>(1);
  auto users = em.query<User>().where(col<&User::age> > 30).order_by(asc<&User::id>).all();
  static_assert(std::is_same_v<decltype(users), std::vector<User*>>);
  REQUIRE(!users.empty());
  CHECK(users[0] == ann);
  CHECK(ids_in_order(users) == raw_ids(orm, "select id from \"user\" where age > 30 order by id"));
  User* first = em.query<User>().where(col<&User::age> > 30).order_by(desc<&User::age>).one();
  REQUIRE(first);
  CHECK(first->id == raw_ids(orm, "select id from \"user\" where age > 30 order by age desc")[0]);
  first->bio = "changed";
  log.clear();
  em.flush();
  CHECK(log.contains(R"(update "user" set "bio" = ? where "id" = ?)"));
  CHECK(em.query<User>().where(col<&User::age> > 300).one() == nullptr);
  CHECK(em.query<User>().select(col<&User::id>).where(col<&User::age> > 300).one() == std::nullopt);
}

TEST_CASE_METHOD(Fixture, "distinct, count() and exists() of a builder", "[query][builder]") {
  auto em = orm.em();
  auto roles = em.query<User>().select(col<&User::role>).distinct().order_by(asc<&User::role>).all();
  CHECK(roles == std::vector<Role>{Role::reader, Role::author, Role::admin});
  CHECK(em.query<User>().select(col<&User::role>).distinct().count() == 3);
  CHECK(em.query<User>().where(col<&User::age> > 30).limit(2).count() == 6);
  CHECK(em.query<Comment>().select(col<&Comment::article_id>).group_by(col<&Comment::article_id>).count() == 5);
  CHECK(log.contains(R"(select count(*) from (select "article_id" from "comment" group by "article_id") as "rows")"));
  CHECK(em.query<User>().where(col<&User::age> > 60).exists());
  CHECK_FALSE(em.query<User>().where(col<&User::age> > 70).exists());
}

TEST_CASE_METHOD(Fixture, "run: update, delete and insert with affected rows and insert id", "[query][builder]") {
  auto em = orm.em();
  auto updated = em.query<Article>()
                     .update(ctorm::set(col<&Article::views>, col<&Article::views> + 1),
                             ctorm::set(col<&Article::summary>, std::optional<std::string>("bumped")))
                     .where(col<&Article::author_id> == 3)
                     .run();
  CHECK(updated.affected_rows == 3);
  CHECK(raw("select " + group_concat_sql("views") + ", " + group_concat_sql("summary") + " from article where author_id = 3")[0] ==
        std::vector<std::string>{"121,901,76", "bumped,bumped,bumped"});
  auto inserted = em.query<Comment>()
                      .insert(ctorm::set(col<&Comment::article_id>, 5), ctorm::set(col<&Comment::author_id>, 2),
                              ctorm::set(col<&Comment::text>, "new"))
                      .run();
  CHECK(inserted.affected_rows == 1);
  CHECK(inserted.insert_id == 11);
  CHECK(raw("select text from comment where id = 11")[0][0] == "new");
  auto deleted = em.query<Comment>().delete_rows().where(col<&Comment::article_id> == 4).run();
  CHECK(deleted.affected_rows == 3);
  CHECK(raw("select count(*) from comment")[0][0] == "8");
}

TEST_CASE_METHOD(Fixture, "native_update and native_delete by condition, typed values", "[query][builder]") {
  auto em = orm.em();
  CHECK(em.native_update<User>(ctorm::set(col<&User::bio>, "minor"), col<&User::age> < 18) == 1);
  CHECK(em.native_update<User>(col<&User::age> >= 65, ctorm::set(col<&User::active>, false),
                               ctorm::set(col<&User::score>, col<&User::score> + 0.5)) == 1);
  CHECK(raw("select bio from \"user\" where age < 18") == std::vector<std::vector<std::string>>{{"minor"}});
  CHECK(raw("select active, score from \"user\" where id = 7")[0] == std::vector<std::string>{ctorm_test::is_sqlite ? "0" : "f", "0.5"});
  CHECK(log.contains(R"(update "user" set "active" = ?, "score" = ("score" + ?) where "age" >= ? [values: 0, 0.5, 65])"));
  CHECK(em.native_update<User>(ctorm::set(col<&User::referrer>, std::optional<std::int64_t>())) == 12);
  CHECK(raw("select count(*) from \"user\" where referrer is null")[0][0] == "12");
  CHECK(em.native_delete<Comment>(ctorm::in(col<&Comment::article_id>, {1, 2})) == 5);
}

TEST_CASE_METHOD(Fixture, "a result struct may be a local type", "[query][builder]") {
  struct Local {
    int age;
    std::string email;
  };
  auto em = orm.em();
  auto rows = em.query<User>().select(col<&User::email>, col<&User::age>).where(col<&User::id> == 3).all<Local>();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].email == "cy@example.org");
  CHECK(rows[0].age == 52);
}
