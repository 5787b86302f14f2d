// The SQL printed in docs/query.md, checked at compile time: every example of that page is here with the
// text it shows, so the page cannot drift from what ctorm sends. Keep the two in step.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blog {

struct User {
  std::int64_t id{};
  std::string full_name;
  std::string email;
  std::optional<std::string> bio;
  int age{};
};

struct Article {
  std::int64_t id{};
  std::string slug;
  std::string title;
  std::int64_t author_id{};
  std::int64_t views{};
};

struct Comment {
  std::int64_t id{};
  std::int64_t article_id{};
  std::int64_t author_id{};
  std::string text;
};

}  // namespace blog

#include <ctorm/ctorm.hpp>

#include "support/backend.hpp"

using ctorm::as;
using ctorm::asc;
using ctorm::col;
using ctorm::desc;
using namespace blog;

namespace {

template <class Q>
constexpr std::string_view sql_of(const Q&) {
  return Q::sql();
}

// `em.find<User>(where)` runs the text of `ctorm::query<User>().where(where)`.
template <class C>
constexpr std::string_view find_sql = decltype(ctorm::query<User>().where(std::declval<C>()))::sql();

constexpr std::string_view select_user = R"(select "id", "full_name", "email", "bio", "age" from "user")";

constexpr bool where_is(std::string_view text, std::string_view where) {
  return text.substr(0, select_user.size()) == select_user && text.substr(select_user.size()) == where;
}

// --- conditions -------------------------------------------------------------------------------------

static_assert(find_sql<decltype(col<&User::email> == "foo@bar.com")> ==
              R"(select "id", "full_name", "email", "bio", "age" from "user" where "email" = ?)");
static_assert(where_is(find_sql<decltype(col<&User::age> != 18)>, R"( where "age" <> ?)"));
static_assert(where_is(find_sql<decltype(col<&User::age> < 18)>, R"( where "age" < ?)"));
static_assert(where_is(find_sql<decltype(col<&User::age> <= 18)>, R"( where "age" <= ?)"));
static_assert(where_is(find_sql<decltype(col<&User::age> > 18)>, R"( where "age" > ?)"));
static_assert(where_is(find_sql<decltype(col<&User::age> >= 18)>, R"( where "age" >= ?)"));
static_assert(where_is(find_sql<decltype(18 <= col<&User::age>)>, R"( where "age" >= ?)"));
static_assert(where_is(find_sql<decltype(col<&User::age> > col<&User::id>)>, R"( where "age" > "id")"));
static_assert(where_is(find_sql<decltype(col<&User::age> + 1 >= 21)>, R"( where ("age" + ?) >= ?)"));
static_assert(where_is(find_sql<decltype(ctorm::like(col<&User::email>, "%@bar.com"))>,
                       R"( where "email" like ?)"));
static_assert(where_is(find_sql<decltype(ctorm::like(col<&User::email>, "%@bar.com", ctorm::escaped))>,
                       R"( where "email" like ? escape '\')"));
static_assert(where_is(find_sql<decltype(ctorm::contains(col<&User::full_name>, "50%"))>,
                       R"( where "full_name" like ? escape '\')"));
static_assert(where_is(find_sql<decltype(!ctorm::like(col<&User::email>, "%.org"))>,
                       R"( where not ("email" like ?))"));
static_assert(where_is(find_sql<decltype(ctorm::is_null(col<&User::bio>))>, R"( where "bio" is null)"));
static_assert(where_is(find_sql<decltype(ctorm::is_not_null(col<&User::bio>))>, R"( where "bio" is not null)"));
static_assert(where_is(find_sql<decltype(ctorm::between(col<&User::age>, 18, 65))>, R"( where "age" between ? and ?)"));
static_assert(where_is(find_sql<decltype(col<&User::age> >= 18 && col<&User::age> < 65 && ctorm::is_not_null(col<&User::bio>))>,
                       R"( where ("age" >= ? and "age" < ? and "bio" is not null))"));
static_assert(where_is(find_sql<decltype(col<&User::age> < 18 || col<&User::age> >= 65)>, R"( where ("age" < ? or "age" >= ?))"));
static_assert(where_is(find_sql<decltype(!(col<&User::age> < 18 || ctorm::is_null(col<&User::bio>)))>,
                       R"( where not ("age" < ? or "bio" is null))"));
static_assert(where_is(find_sql<decltype(ctorm::is_null(col<&User::bio>) == false)>, R"( where ("bio" is null) = ?)"));
static_assert(where_is(find_sql<decltype(ctorm::in(col<&User::id>, ctorm::query<Article>()
                                                                       .select(col<&Article::author_id>)
                                                                       .where(col<&Article::views> > 100)))>,
                       R"( where "id" in (select "e1_0"."author_id" from "article" as "e1_0" where "e1_0"."views" > ?))"));
static_assert(where_is(find_sql<decltype(ctorm::exists(ctorm::query<Article>().where(col<&Article::author_id> == col<&User::id>)))>,
                       R"( where exists (select 1 from "article" as "e1_0" where "e1_0"."author_id" = "user"."id"))"));
static_assert(where_is(find_sql<decltype(!ctorm::exists(ctorm::query<Article>().where(col<&Article::author_id> == col<&User::id>)))>,
                       R"( where not exists (select 1 from "article" as "e1_0" where "e1_0"."author_id" = "user"."id"))"));
static_assert(where_is(find_sql<decltype(col<&User::age> > ctorm::query<User>().select(ctorm::avg(col<&User::age>)))>,
                       R"( where "age" > (select avg("e1_0"."age") from "user" as "e1_0"))"));
static_assert(where_is(find_sql<decltype(ctorm::sql<"lower(?)">(col<&User::email>) == "foo@bar.com")>,
                       R"( where lower("email") = ?)"));
static_assert(where_is(find_sql<decltype(ctorm::sql<"instr(?, ?) > 0">(col<&User::email>, "@bar."))>,
                       R"( where instr("email", ?) > 0)"));

using SameAuthor = decltype(ctorm::query<Article>().where(
    col<&Article::views> >
    ctorm::query<Article>().select(ctorm::avg(col<&Article::views>)).where(col<&Article::author_id> == ctorm::outer(col<&Article::author_id>))));
static_assert(SameAuthor::sql() ==
              R"(select "id", "slug", "title", "author_id", "views" from "article" where "views" > (select avg("e1_0"."views") from "article" as "e1_0" where "e1_0"."author_id" = "article"."author_id"))");

// Raw SQL fragments: a sub-query of the fragment's own names the query's column with qualified().
static_assert(find_sql<decltype(ctorm::sql<R"(exists (select 1 from "article" as "a" where "a"."author_id" = ?))">(
                  ctorm::qualified(col<&User::id>)))> ==
              R"(select "id", "full_name", "email", "bio", "age" from "user" where exists (select 1 from "article" as "a" where "a"."author_id" = "user"."id"))");
static_assert(find_sql<decltype(ctorm::sql<R"(exists (select 1 from "article" as "a" where "a"."author_id" = ?))">(
                  col<&User::id>))>.ends_with(R"("a"."author_id" = "id"))"));

// --- options ----------------------------------------------------------------------------------------

static_assert(decltype(ctorm::query<User>()
                           .where(col<&User::age> >= 18)
                           .apply(ctorm::order_by(desc<&User::id>, asc<&User::email>), ctorm::limit(10),
                                  ctorm::offset(20)))::sql() ==
              R"(select "id", "full_name", "email", "bio", "age" from "user" where "age" >= ? order by "id" desc, "email" asc limit ? offset ?)");
static_assert(where_is(decltype(ctorm::query<User>().apply(ctorm::offset(20)))::sql(), R"( limit -1 offset ?)"));
static_assert(where_is(decltype(ctorm::query<User>().order_by(
                           ctorm::descending(ctorm::sql<"length(?)">(col<&User::full_name>)), asc<&User::id>))::sql(),
                       R"( order by length("full_name") desc, "id" asc)"));
static_assert(decltype(ctorm::query<User>().where(col<&User::age> >= 18).fields<&User::email>())::sql() ==
              R"(select "id", "email" from "user" where "age" >= ?)");
static_assert(where_is(decltype(ctorm::query<User>().where(col<&User::email> == "x").limit<1>())::sql(),
                       R"( where "email" = ? limit 1)"));

// --- the query builder ------------------------------------------------------------------------------

static_assert(decltype(ctorm::query<User>().select(col<&User::id>, col<&User::email>).where(col<&User::age> >= 18))::sql() ==
              R"(select "id", "email" from "user" where "age" >= ?)");

using PerAuthor = decltype(ctorm::query<Article>()
                               .select(col<&Article::author_id>, as<"articles">(ctorm::count()),
                                       as<"views">(ctorm::sum(col<&Article::views>)),
                                       as<"average">(ctorm::avg(col<&Article::views>)),
                                       as<"best">(ctorm::max(col<&Article::views>)),
                                       as<"slugs">(ctorm::group_concat(col<&Article::slug>, ", ")))
                               .group_by(col<&Article::author_id>)
                               .having(ctorm::count() > 1)
                               .order_by(ctorm::descending(as<"views">(ctorm::sum(col<&Article::views>)))));
static_assert(PerAuthor::sql() ==
              R"(select "author_id", count(*) as "articles", sum("views") as "views", avg("views") as "average", max("views") as "best", group_concat("slug", ?) as "slugs" from "article" group by "author_id" having count(*) > ? order by "views" desc)");

static_assert(decltype(ctorm::query<Comment>().select(ctorm::count(ctorm::distinct(col<&Comment::author_id>)),
                                                      ctorm::min(col<&Comment::id>)))::sql() ==
              R"(select count(distinct "author_id"), min("id") from "comment")");
static_assert(decltype(ctorm::query<Comment>().select(col<&Comment::author_id>).distinct())::sql() ==
              R"(select distinct "author_id" from "comment")");

auto listing() {
  auto author_name = ctorm::query<User>().select(col<&User::full_name>).where(col<&User::id> == col<&Article::author_id>);
  auto total_comments =
      ctorm::query<Comment>().select(ctorm::count()).where(col<&Comment::article_id> == col<&Article::id>);
  return ctorm::query<Article>().select(col<&Article::slug>, col<&Article::title>, as<"author_name">(author_name),
                                        as<"total_comments">(total_comments));
}
static_assert(decltype(listing())::sql() ==
              R"(select "slug", "title", (select "e1_0"."full_name" from "user" as "e1_0" where "e1_0"."id" = "article"."author_id") as "author_name", (select count(*) from "comment" as "e1_0" where "e1_0"."article_id" = "article"."id") as "total_comments" from "article")");

static_assert(decltype(ctorm::query<Article>()
                           .update(ctorm::set(col<&Article::views>, col<&Article::views> + 1))
                           .where(col<&Article::slug> == "hello"))::sql() ==
              R"(update "article" set "views" = ("views" + ?) where "slug" = ?)");
static_assert(decltype(ctorm::query<User>().update(ctorm::set(col<&User::bio>, std::nullopt)).where(col<&User::age> < 18))::sql() ==
              R"(update "user" set "bio" = ? where "age" < ?)");
static_assert(decltype(ctorm::query<Comment>().delete_rows().where(col<&Comment::article_id> == 3))::sql() ==
              R"(delete from "comment" where "article_id" = ?)");
static_assert(decltype(ctorm::query<Comment>().insert(ctorm::set(col<&Comment::article_id>, 3),
                                                      ctorm::set(col<&Comment::author_id>, 1),
                                                      ctorm::set(col<&Comment::text>, "Nice!")))::sql() ==
              R"(insert into "comment" ("article_id", "author_id", "text") values (?, ?, ?))");

}  // namespace

TEST_CASE("texts of the docs that depend on list lengths", "[query][docs]") {
  CHECK(where_is(ctorm::query<User>().where(ctorm::in(col<&User::id>, {1, 2, 3})).sql_text(), R"( where "id" in (?, ?, ?))"));
  CHECK(where_is(ctorm::query<User>().where(ctorm::not_in(col<&User::id>, std::vector<int>{})).sql_text(),
                 R"( where "id" not in ())"));
  CHECK(where_is(ctorm::query<User>().where(ctorm::in(col<&User::id>, std::vector<int>(10, 1))).sql_text(),
                 R"( where "id" in (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))"));
  auto q = ctorm::query<User>().where(col<&User::age> > 1);
  CHECK(where_is(sql_of(q), R"( where "age" > ?)"));
}

TEST_CASE("the docs' examples run", "[query][docs]") {
  ctorm_test::Orm<ctorm::schema<User, Article, Comment>> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  User& ann = em.persist(User{.full_name = "Ann", .email = "ann@bar.com", .age = 30});
  em.flush();
  em.persist(Article{.slug = "hello", .title = "Hello", .author_id = ann.id, .views = 10});
  em.persist(Article{.slug = "again", .title = "Again", .author_id = ann.id, .views = 30});
  em.flush();
  em.persist(Comment{.article_id = 1, .author_id = ann.id, .text = "Nice!"});
  em.flush();

  auto rows = listing().order_by(asc<&Article::id>);
  CHECK(rows.sql_text().ends_with(R"( from "article" order by "id" asc)"));
  auto items = em.query<Article>()
                   .select(col<&Article::slug>, as<"total_comments">(ctorm::query<Comment>().select(ctorm::count()).where(
                                                     col<&Comment::article_id> == col<&Article::id>)))
                   .order_by(asc<&Article::id>)
                   .all();
  REQUIRE(items.size() == 2);
  CHECK(std::get<1>(items[0]) == 1);
  CHECK(std::get<1>(items[1]) == 0);
  auto [page, total] = em.find_and_count<Article>(ctorm::order_by(desc<&Article::views>), ctorm::limit(1));
  CHECK(total == 2);
  CHECK(page[0]->slug == "again");
  CHECK(em.native_update<Article>(ctorm::set(col<&Article::views>, col<&Article::views> + 1),
                                  col<&Article::slug> == "hello") == 1);
  auto r = em.query<Comment>().delete_rows().where(col<&Comment::article_id> == 1).run();
  CHECK(r.affected_rows == 1);
}
