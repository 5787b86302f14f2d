// Joins along relations: conditions through a relation (the join made for the user), explicit inner and
// left joins, paths through many-to-one, one-to-many and many-to-many relations and embedded structs,
// each compared with the same query written by hand and run through the database's C library directly.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "support/blog_model.hpp"
#include "support/query_log.hpp"
#include "support/query_model.hpp"

using namespace blog_test;
using ctorm::as;
using ctorm::asc;
using ctorm::col;
using ctorm::desc;
using ctorm::prop;
using ctorm_qtest::ids_in_order;
using ctorm_qtest::raw_ids;
using ctorm_qtest::raw_rows;
using ctorm_qtest::sorted_ids;

namespace {

struct Fixture {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  ctorm_test::QueryLog log;
  Fixture() {
    orm.schema().create();
    seed();
    log.attach(orm);
  }
  // Three users (Cy has no article), four articles, three tags, comments.
  void seed() {
    auto em = orm.em();
    User& ann = em.create<User>(prop<&User::full_name> = "Ann", prop<&User::email> = "ann@x.com", prop<&User::password> = "p");
    User& bob = em.create<User>(prop<&User::full_name> = "Bob", prop<&User::email> = "bob@x.com", prop<&User::password> = "p");
    em.create<User>(prop<&User::full_name> = "Cy", prop<&User::email> = "cy@x.com", prop<&User::password> = "p");
    auto article = [&](const char* slug, User& author) -> Article& {
      return em.create<Article>(prop<&Article::title> = std::string("About ") + slug, prop<&Article::slug> = slug,
                                prop<&Article::text> = "...", prop<&Article::author> = author);
    };
    Article& a1 = article("one", ann);
    Article& a2 = article("two", ann);
    Article& a3 = article("three", bob);
    article("four", bob);
    Tag& t_new = em.create<Tag>(prop<&Tag::name> = "new");
    Tag& t_old = em.create<Tag>(prop<&Tag::name> = "old");
    em.create<Tag>(prop<&Tag::name> = "unused");
    a1.tags.add(t_new, t_old);
    a2.tags.add(t_old);
    a3.tags.add(t_new);
    a1.comments.add(Comment{.text = "nice", .author = bob});
    a1.comments.add(Comment{.text = "thanks", .author = ann});
    a3.comments.add(Comment{.text = "nice", .author = ann});
    em.flush();
  }
  std::vector<std::int64_t> raw(const std::string& sql) { return raw_ids(orm, sql); }
};

template <class Q>
constexpr std::string_view sql_of = Q::sql();

constexpr std::string_view article_columns =
    R"("e0"."id", "e0"."created_at", "e0"."updated_at", "e0"."slug", "e0"."title", "e0"."description", "e0"."author_id")";

using ThroughRef = decltype(ctorm::query<Article>().where(col<&Article::author, &User::full_name> == "Ann"));
static_assert(sql_of<ThroughRef> ==
              R"(select "e0"."id", "e0"."created_at", "e0"."updated_at", "e0"."slug", "e0"."title", "e0"."description", "e0"."author_id" from "article" as "e0" left join "user" as "e1" on "e1"."id" = "e0"."author_id" where "e1"."full_name" = ?)");
static_assert(sql_of<ThroughRef>.substr(7, article_columns.size()) == article_columns);

using Joined = decltype(ctorm::query<Article>()
                            .select(col<&Article::title>, as<"author_name">(col<&Article::author, &User::full_name>))
                            .join<&Article::author>());
static_assert(sql_of<Joined> ==
              R"(select "e0"."title", "e1"."full_name" as "author_name" from "article" as "e0" join "user" as "e1" on "e1"."id" = "e0"."author_id")");

// A plain column of the joined entity resolves to its (only) table.
static_assert(sql_of<decltype(ctorm::query<Article>().select(col<&Article::title>, col<&User::email>).join<&Article::author>())> ==
              R"(select "e0"."title", "e1"."email" from "article" as "e0" join "user" as "e1" on "e1"."id" = "e0"."author_id")");

using ManyToMany = decltype(ctorm::query<Article>().where(col<&Article::tags, &Tag::name> == "new"));
static_assert(sql_of<ManyToMany>.ends_with(
    R"( from "article" as "e0" left join "article_tags" as "p1" on "p1"."article_id" = "e0"."id" left join "tag" as "e1" on "e1"."id" = "p1"."tag_id" where "e1"."name" = ?)"));
static_assert(sql_of<ManyToMany>.starts_with("select distinct "));  // entities once each

using Inverse = decltype(ctorm::query<Tag>().where(col<&Tag::articles, &Article::slug> == "one"));
static_assert(sql_of<Inverse>.ends_with(
    R"( from "tag" as "e0" left join "article_tags" as "p1" on "p1"."tag_id" = "e0"."id" left join "article" as "e1" on "e1"."id" = "p1"."article_id" where "e1"."slug" = ?)"));

using Nested = decltype(ctorm::query<User>().where(col<&User::articles, &Article::comments, &Comment::text> == "nice"));
static_assert(sql_of<Nested>.ends_with(
    R"( from "user" as "e0" left join "article" as "e1" on "e1"."author_id" = "e0"."id" left join "comment" as "e2" on "e2"."article_id" = "e1"."id" where "e2"."text" = ?)"));

using Embedded = decltype(ctorm::query<Article>().select(col<&Article::ts, &Timestamps::created_at>,
                                                         col<&Article::author, &User::ts, &Timestamps::created_at>));
static_assert(sql_of<Embedded> ==
              R"(select "e0"."created_at", "e1"."created_at" from "article" as "e0" left join "user" as "e1" on "e1"."id" = "e0"."author_id")");

using TwoSteps = decltype(ctorm::query<Comment>().select(col<&Comment::article, &Article::author, &User::email>));
static_assert(sql_of<TwoSteps> ==
              R"(select "e2"."email" from "comment" as "e0" left join "article" as "e1" on "e1"."id" = "e0"."article_id" left join "user" as "e2" on "e2"."id" = "e1"."author_id")");

// A relation column itself is its foreign key, compared with the target's key, the target or a Ref.
static_assert(sql_of<decltype(ctorm::query<Article>().where(col<&Article::author> == 1))>.ends_with(
    R"( from "article" where "author_id" = ?)"));
static_assert(std::is_same_v<ctorm::detail::compared_as_t<ctorm::Ref<User>>, std::int64_t>);
static_assert(ctorm::detail::comparable<ctorm::Ref<User>, User>());
static_assert(ctorm::detail::comparable<ctorm::Ref<User>, ctorm::Ref<User>>());
static_assert(!ctorm::detail::comparable<ctorm::Ref<User>, Tag>());
static_assert(!ctorm::detail::comparable<ctorm::Ref<User>, std::string>());
static_assert(!ctorm::detail::readable_into<ctorm::Ref<User>, ctorm::Ref<User>>());
static_assert(ctorm::detail::readable_into<ctorm::Ref<User>, std::int64_t>());

}  // namespace

TEST_CASE_METHOD(Fixture, "a condition through a relation joins it for the user", "[query][joins]") {
  auto em = orm.em();
  CHECK(sorted_ids(em.find<Article>(col<&Article::author, &User::full_name> == "Ann")) ==
        raw("select a.id from article a join \"user\" u on u.id = a.author_id where u.full_name = 'Ann' order by a.id"));
  CHECK(em.count<Article>(col<&Article::author, &User::email> != "ann@x.com") == 2);
  CHECK(sorted_ids(em.find<Comment>(col<&Comment::article, &Article::author, &User::full_name> == "Ann")) ==
        raw("select c.id from comment c join article a on a.id = c.article_id join \"user\" u on u.id = a.author_id "
            "where u.full_name = 'Ann' order by c.id"));
  // Found entities are the identity map's.
  Article* one = em.find_one<Article>(col<&Article::slug> == "one");
  auto by_author = em.find<Article>(col<&Article::author, &User::full_name> == "Ann",
                                    ctorm::order_by(asc<&Article::id>));
  REQUIRE(!by_author.empty());
  CHECK(by_author[0] == one);
}

TEST_CASE_METHOD(Fixture, "paths through collections find each entity once", "[query][joins]") {
  auto em = orm.em();
  CHECK(sorted_ids(em.find<Article>(col<&Article::tags, &Tag::name> == "new")) ==
        raw("select distinct a.id from article a join article_tags p on p.article_id = a.id join tag t on t.id = p.tag_id "
            "where t.name = 'new' order by a.id"));
  auto users = em.find<User>(col<&User::articles, &Article::comments, &Comment::text> == "nice");
  CHECK(sorted_ids(users) ==
        raw("select distinct u.id from \"user\" u join article a on a.author_id = u.id join comment c on c.article_id = a.id "
            "where c.text = 'nice' order by u.id"));
  CHECK(em.count<User>(col<&User::articles, &Article::tags, &Tag::name> == "old") ==
        raw("select count(distinct u.id) from \"user\" u join article a on a.author_id = u.id "
            "join article_tags p on p.article_id = a.id join tag t on t.id = p.tag_id where t.name = 'old'")[0]);
  CHECK(log.contains(R"(select count(distinct "e0"."id") from "user" as "e0")"));
  CHECK(sorted_ids(em.find<Tag>(col<&Tag::articles, &Article::author, &User::full_name> == "Bob")) ==
        raw("select distinct t.id from tag t join article_tags p on p.tag_id = t.id join article a on a.id = p.article_id "
            "join \"user\" u on u.id = a.author_id where u.full_name = 'Bob' order by t.id"));
  auto [items, total] = em.find_and_count<Article>(col<&Article::tags, &Tag::name> != "unused",
                                                   ctorm::order_by(desc<&Article::id>), ctorm::limit(1));
  CHECK(total == 3);
  REQUIRE(items.size() == 1);
  CHECK(items[0]->slug == "three");
}

TEST_CASE_METHOD(Fixture, "explicit inner and left joins, and selecting joined columns", "[query][joins]") {
  auto em = orm.em();
  auto inner = em.query<User>()
                   .select(col<&User::full_name>, col<&User::articles, &Article::slug>)
                   .join<&User::articles>()
                   .order_by(asc<&User::id>, asc<&User::articles, &Article::id>)
                   .all();
  auto want_inner = raw_rows(orm,
                             "select u.full_name, a.slug from \"user\" u join article a on a.author_id = u.id order by u.id, a.id");
  REQUIRE(inner.size() == want_inner.size());
  for (std::size_t i = 0; i < inner.size(); ++i)
    CHECK(std::vector<std::string>{std::get<0>(inner[i]), std::get<1>(inner[i])} == want_inner[i]);

  auto left = em.query<User>()
                  .select(col<&User::full_name>, col<&User::articles, &Article::slug>)
                  .left_join<&User::articles>()
                  .order_by(asc<&User::id>, asc<&Article::id>)
                  .all<std::tuple<std::string, std::optional<std::string>>>();
  auto want_left = raw_rows(
      orm, "select u.full_name, a.slug from \"user\" u left join article a on a.author_id = u.id order by u.id, a.id");
  REQUIRE(left.size() == want_left.size());
  CHECK(left.back() == std::tuple<std::string, std::optional<std::string>>{"Cy", std::nullopt});
  CHECK(want_left.back() == std::vector<std::string>{"Cy", "NULL"});
}

// A column reached through a left join reads NULL where the join matched nothing, whatever its field's
// type, so is_null and is_not_null take it; through an inner join it cannot be NULL.
static_assert(sql_of<decltype(ctorm::query<User>().where(ctorm::is_null(col<&User::articles, &Article::id>)))>.ends_with(
    R"( left join "article" as "e1" on "e1"."author_id" = "e0"."id" where "e1"."id" is null)"));
static_assert(sql_of<decltype(ctorm::query<User>().select(col<&User::full_name>).left_join<&User::articles>().where(
                  ctorm::is_null(col<&Article::id>)))> ==
              R"(select "e0"."full_name" from "user" as "e0" left join "article" as "e1" on "e1"."author_id" = "e0"."id" where "e1"."id" is null)");
static_assert(sql_of<decltype(ctorm::query<User>().left_join<&User::articles>().where(ctorm::is_not_null(col<&Article::slug>)))>
                  .ends_with(R"( where "e1"."slug" is not null)"));
// From a sub-query, a column of the enclosing query's left-joined table, bare or with outer().
static_assert(sql_of<decltype(ctorm::query<User>().left_join<&User::articles>().where(ctorm::exists(
                  ctorm::query<Comment>().where(col<&Comment::author> == col<&User::id> && ctorm::is_null(col<&Article::slug>)))))>
                  .ends_with(R"(where ("e1_0"."author_id" = "e0"."id" and "e1"."slug" is null)))"));
static_assert(sql_of<decltype(ctorm::query<User>().left_join<&User::articles>().where(ctorm::exists(
                  ctorm::query<Article>().where(ctorm::is_not_null(ctorm::outer(col<&Article::slug>))))))>
                  .ends_with(R"(where "e1"."slug" is not null))"));

// qualified() in a joined query writes the alias, and a path in it is joined like any column's.
static_assert(sql_of<decltype(ctorm::query<Article>().select(col<&Article::slug>).where(
                  ctorm::sql<R"(exists (select 1 from "comment" as "c" where "c"."article_id" = ? and "c"."text" = ?))">(
                      ctorm::qualified(col<&Article::id>), ctorm::qualified(col<&Article::author, &User::full_name>))))> ==
              R"(select "e0"."slug" from "article" as "e0" left join "user" as "e1" on "e1"."id" = "e0"."author_id" )"
              R"(where exists (select 1 from "comment" as "c" where "c"."article_id" = "e0"."id" and "c"."text" = "e1"."full_name"))");

TEST_CASE_METHOD(Fixture, "is_null and is_not_null on columns reached through a left join", "[query][joins]") {
  auto em = orm.em();
  // Users with no article (Cy), through the path's own join and through an explicit left join.
  const auto lonely = raw("select u.id from \"user\" u left join article a on a.author_id = u.id where a.id is null");
  CHECK(sorted_ids(em.find<User>(ctorm::is_null(col<&User::articles, &Article::id>))) == lonely);
  CHECK(em.query<User>()
            .select(col<&User::full_name>)
            .left_join<&User::articles>()
            .where(ctorm::is_null(col<&Article::slug>))
            .all() == std::vector<std::string>{"Cy"});
  CHECK(sorted_ids(em.find<User>(ctorm::is_not_null(col<&User::articles, &Article::slug>))) ==
        raw("select distinct u.id from \"user\" u join article a on a.author_id = u.id order by u.id"));
  // Through many-to-many and two steps: the tag no article has, the articles without comments.
  CHECK(em.query<Tag>().select(col<&Tag::name>).where(ctorm::is_null(col<&Tag::articles, &Article::slug>)).all() ==
        std::vector<std::string>{"unused"});
  CHECK(sorted_ids(em.find<User>(ctorm::is_null(col<&User::articles, &Article::comments, &Comment::text>))) ==
        raw("select distinct u.id from \"user\" u left join article a on a.author_id = u.id "
            "left join comment c on c.article_id = a.id where c.text is null order by u.id"));
  // A left-joined Ref's columns too (every article has its author here).
  CHECK(em.count<Article>(ctorm::is_not_null(col<&Article::author, &User::email>)) == 4);
  CHECK(em.query<Article>()
            .select(col<&Article::slug>)
            .left_join<&Article::author>()
            .where(ctorm::is_null(col<&User::email>))
            .all()
            .empty());
}

TEST_CASE_METHOD(Fixture, "grouping and ordering by joined columns", "[query][joins]") {
  auto em = orm.em();
  auto per_author = em.query<Article>()
                        .select(col<&Article::author, &User::full_name>, as<"articles">(ctorm::count()),
                                as<"comments">(ctorm::count(ctorm::distinct(col<&Article::comments, &Comment::id>))))
                        .left_join<&Article::comments>()
                        .group_by(col<&Article::author, &User::full_name>)
                        .order_by(desc<&Article::author, &User::full_name>)
                        .all();
  auto want = raw_rows(orm,
                       "select u.full_name, count(*), count(distinct c.id) from article a join \"user\" u on u.id = a.author_id "
                       "left join comment c on c.article_id = a.id group by u.full_name order by u.full_name desc");
  REQUIRE(per_author.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& [name, n, comments] = per_author[i];
    CHECK(std::vector<std::string>{name, std::to_string(n), std::to_string(comments)} == want[i]);
  }
  auto ordered = em.find<Article>(ctorm::order_by(asc<&Article::author, &User::email>, desc<&Article::slug>));
  CHECK(ids_in_order(ordered) ==
        raw("select a.id from article a join \"user\" u on u.id = a.author_id order by u.email asc, a.slug desc"));
}

TEST_CASE_METHOD(Fixture, "relation columns compare with keys, entities and refs", "[query][joins]") {
  auto em = orm.em();
  User& ann = em.find_one_or_fail<User>(col<&User::email> == "ann@x.com");
  CHECK(sorted_ids(em.find<Article>(col<&Article::author> == ann)) ==
        raw("select id from article where author_id = " + std::to_string(ann.id) + " order by id"));
  CHECK(sorted_ids(em.find<Article>(col<&Article::author> == ann.id)) == sorted_ids(em.find<Article>(col<&Article::author> == ann)));
  Article& a3 = em.find_one_or_fail<Article>(col<&Article::slug> == "three");
  CHECK(sorted_ids(em.find<Article>(col<&Article::author> == a3.author)) ==
        raw("select id from article where author_id = (select author_id from article where slug = 'three') order by id"));
  CHECK(sorted_ids(em.find<Comment>(ctorm::in(col<&Comment::article>, {1, 3}))) ==
        raw("select id from comment where article_id in (1, 3) order by id"));
  // Users with no article, by a correlated sub-query on the relation column.
  CHECK(sorted_ids(em.find<User>(!ctorm::exists(ctorm::query<Article>().where(col<&Article::author> == col<&User::id>)))) ==
        raw("select id from \"user\" u where not exists (select 1 from article a where a.author_id = u.id) order by id"));
  auto ids = em.query<Article>().select(col<&Article::author>).order_by(asc<&Article::id>).all<std::int64_t>();
  CHECK(ids == raw("select author_id from article order by id"));
}

TEST_CASE_METHOD(Fixture, "conditions through relations with populate, and partial loads with relations", "[query][joins]") {
  auto em = orm.em();
  auto found = em.find<Article>(col<&Article::tags, &Tag::name> == "old", ctorm::populate<&Article::author>);
  REQUIRE(found.size() == 2);
  for (auto& a : found) CHECK(a.get<&Article::author>()->full_name == "Ann");
  auto fresh = orm.em();  // em has article two whole already
  auto partial = fresh.find<Article>(col<&Article::slug> == "two", ctorm::fields<&Article::title, &Article::author>);
  REQUIRE(partial.size() == 1);
  CHECK(partial[0]->title == "About two");
  CHECK(partial[0]->author.id() == 1);
  CHECK(partial[0]->slug.empty());
  CHECK(log.contains(R"(select "id", "title", "author_id" from "article" where "slug" = ?)"));
  // A lazy column named in fields<...> is loaded.
  auto with_text = fresh.find<Article>(col<&Article::slug> == "one", ctorm::fields<&Article::text>);
  REQUIRE(with_text.size() == 1);
  CHECK(with_text[0]->text == "...");
}

TEST_CASE_METHOD(Fixture, "options with a populate request (joined falls back to select-in)", "[query][joins]") {
  auto em = orm.em();
  auto page = em.find<Article>(ctorm::populate<&Article::author>, ctorm::order_by(desc<&Article::id>), ctorm::limit(2),
                               ctorm::joined);
  REQUIRE(page.size() == 2);
  CHECK(page[0]->slug == "four");
  CHECK(page[1]->slug == "three");
  CHECK(page[0].get<&Article::author>()->full_name == "Bob");
  CHECK(log.contains(R"(order by "id" desc limit ? [values: 2])"));
  auto first = em.find_one<Article>(col<&Article::author, &User::full_name> == "Ann", ctorm::populate<&Article::tags>,
                                    ctorm::order_by(desc<&Article::slug>));
  REQUIRE(first);
  CHECK((*first)->slug == "two");
  CHECK(first->get<&Article::tags>().size() == 1);
}
