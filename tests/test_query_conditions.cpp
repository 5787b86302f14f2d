// Conditions: every operator run against the database and compared with the same query written by hand
// (run through the database's C library directly), and its SQL text checked at compile time.
#include <catch2/catch.hpp>

#include <list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/query_log.hpp"
#include "support/query_model.hpp"

using ctorm::col;
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
  std::vector<std::int64_t> raw(const std::string& where) {
    return raw_ids(orm, "select id from \"user\" where " + where + " order by id");
  }
  template <class C>
  std::vector<std::int64_t> found(const C& where) {
    return sorted_ids(orm.em().find<User>(where));
  }
};

template <class Q>
concept has_static_sql = requires { Q::sql(); };
template <class L, class R>
concept and_able = requires(L l, R r) { l && r; };

// The SQL text of `find<User>(where)` for a condition of type C, a compile-time constant.
template <class C>
constexpr std::string_view where_sql = decltype(ctorm::query<User>().where(std::declval<C>()))::sql();

constexpr std::string_view user_columns =
    R"("id", "full_name", "email", "bio", "age", "score", "active", "role", "referrer")";

}  // namespace

// --- texts ------------------------------------------------------------------------------------------

static_assert(where_sql<decltype(col<&User::age> == 30)> ==
              R"(select "id", "full_name", "email", "bio", "age", "score", "active", "role", "referrer" from "user" where "age" = ?)");
static_assert(where_sql<decltype(col<&User::age> != 30)>.ends_with(R"( from "user" where "age" <> ?)"));
static_assert(where_sql<decltype(col<&User::age> < 30)>.ends_with(R"(where "age" < ?)"));
static_assert(where_sql<decltype(col<&User::age> <= 30)>.ends_with(R"(where "age" <= ?)"));
static_assert(where_sql<decltype(col<&User::age> > 30)>.ends_with(R"(where "age" > ?)"));
static_assert(where_sql<decltype(col<&User::age> >= 30)>.ends_with(R"(where "age" >= ?)"));
static_assert(where_sql<decltype(30 < col<&User::age>)>.ends_with(R"(where "age" > ?)"));
static_assert(where_sql<decltype(30 >= col<&User::age>)>.ends_with(R"(where "age" <= ?)"));
static_assert(where_sql<decltype(30 == col<&User::age>)>.ends_with(R"(where "age" = ?)"));
static_assert(where_sql<decltype(30 != col<&User::age>)>.ends_with(R"(where "age" <> ?)"));
static_assert(where_sql<decltype(ctorm::like(col<&User::email>, "%@example.com"))>.ends_with(
    R"(where "email" like ?)"));
static_assert(where_sql<decltype(ctorm::like(col<&User::email>, "%@example.com", ctorm::escaped))>.ends_with(
    R"(where "email" like ? escape '\')"));
static_assert(where_sql<decltype(ctorm::is_null(col<&User::bio>))>.ends_with(R"(where "bio" is null)"));
static_assert(where_sql<decltype(ctorm::is_not_null(col<&User::bio>))>.ends_with(R"(where "bio" is not null)"));
static_assert(where_sql<decltype(ctorm::between(col<&User::age>, 18, 30))>.ends_with(
    R"(where "age" between ? and ?)"));
static_assert(where_sql<decltype(col<&User::age> > 18 && col<&User::active> == true)>.ends_with(
    R"(where ("age" > ? and "active" = ?))"));
static_assert(where_sql<decltype(col<&User::age> > 18 && col<&User::active> == true && col<&User::score> < 3.0)>
                  .ends_with(R"(where ("age" > ? and "active" = ? and "score" < ?))"));
static_assert(where_sql<decltype(col<&User::age> < 18 || col<&User::age> > 60)>.ends_with(
    R"(where ("age" < ? or "age" > ?))"));
static_assert(where_sql<decltype(col<&User::age> > 18 && (col<&User::role> == Role::admin || !col<&User::active>))>
                  .ends_with(R"(where ("age" > ? and ("role" = ? or not "active")))"));
static_assert(where_sql<decltype(!(col<&User::age> > 18))>.ends_with(R"(where not ("age" > ?))"));
static_assert(where_sql<decltype(col<&User::active>)>.ends_with(R"(where "active")"));
static_assert(where_sql<decltype(col<&User::referrer> == col<&User::id>)>.ends_with(R"(where "referrer" = "id")"));
static_assert(where_sql<decltype(ctorm::sql<"lower(?)">(col<&User::email>) == "ann@example.com")>.ends_with(
    R"(where lower("email") = ?)"));
static_assert(where_sql<decltype(ctorm::sql<"length(?) > ?">(col<&User::full_name>, 8))>.ends_with(
    R"(where length("full_name") > ?)"));
static_assert(where_sql<decltype(col<&User::age> + 1 > col<&User::score> * 10)>.ends_with(
    R"(where ("age" + ?) > ("score" * ?))"));

// The SQL of every select above starts with the entity's columns.
static_assert(where_sql<decltype(col<&User::age> == 1)>.substr(7, user_columns.size()) == user_columns);

// An `in` list's text depends on its length: no compile-time text, a run-time one per length.
static_assert(!has_static_sql<decltype(ctorm::query<User>().where(ctorm::in(col<&User::id>, {1, 2})))>);
static_assert(has_static_sql<decltype(ctorm::query<User>().where(col<&User::id> == 1))>);
static_assert(decltype(ctorm::query<User>().where(ctorm::in(col<&User::id>, {1, 2})))::dynamic_count == 1);

// --- type checks (the compile errors themselves are in tests/compile_fail/) ----------------------------

static_assert(ctorm::detail::comparable<std::string, const char*>());
static_assert(ctorm::detail::comparable<std::string, std::string_view>());
static_assert(!ctorm::detail::comparable<std::string, int>());
static_assert(!ctorm::detail::comparable<int, std::string>());
static_assert(!ctorm::detail::comparable<int, bool>());
static_assert(!ctorm::detail::comparable<int, double>());
static_assert(ctorm::detail::comparable<double, int>());
static_assert(ctorm::detail::comparable<std::optional<std::int64_t>, int>());
static_assert(!ctorm::detail::comparable<Role, int>());
static_assert(ctorm::detail::comparable<Role, Role>());
static_assert(ctorm::detail::compatible<std::int64_t, std::optional<std::int64_t>>());
static_assert(ctorm::detail::compatible<std::int64_t, double>());
static_assert(!ctorm::detail::compatible<std::int64_t, std::string>());
static_assert(ctorm::condition<decltype(col<&User::active>)>);
static_assert(!ctorm::condition<decltype(col<&User::age>)>);
static_assert(ctorm::condition<decltype(ctorm::sql<"1 = 1">())>);
static_assert(!ctorm::condition<decltype(ctorm::sql<"1", int>())>);
static_assert(!and_able<decltype(col<&User::age>), decltype(col<&User::active>)>);  // an int column is no condition
static_assert(and_able<decltype(col<&User::active>), decltype(col<&User::active>)>);

// --- against the database ---------------------------------------------------------------------------

TEST_CASE_METHOD(Fixture, "comparison operators", "[query][conditions]") {
  CHECK(found(col<&User::age> == 30) == raw("age = 30"));
  CHECK(found(col<&User::age> != 30) == raw("age <> 30"));
  CHECK(found(col<&User::age> < 30) == raw("age < 30"));
  CHECK(found(col<&User::age> <= 30) == raw("age <= 30"));
  CHECK(found(col<&User::age> > 30) == raw("age > 30"));
  CHECK(found(col<&User::age> >= 30) == raw("age >= 30"));
  CHECK(found(40 <= col<&User::age>) == raw("40 <= age"));
  CHECK(found(col<&User::full_name> == "Dee O'Brien") == raw("full_name = 'Dee O''Brien'"));
  CHECK(found(col<&User::full_name> == std::string("Jo March")) == raw("full_name = 'Jo March'"));
  CHECK(found(col<&User::full_name> > std::string_view("H")) == raw("full_name > 'H'"));
  CHECK(found(col<&User::score> >= 4) == raw("score >= 4"));
  CHECK(found(col<&User::score> < 2.5) == raw("score < 2.5"));
  CHECK(found(col<&User::active> == true) == raw("active = true"));
  CHECK(found(col<&User::active>) == raw("active"));
  CHECK(found(col<&User::role> == Role::author) == raw("role = 1"));
  CHECK(found(col<&User::referrer> == 3) == raw("referrer = 3"));
  CHECK(found(col<&User::referrer> != 3) == raw("referrer <> 3"));  // NULL rows match neither
  CHECK(found(col<&User::bio> == "") == raw("bio = ''"));
  CHECK_FALSE(raw("age = 30").empty());
}

TEST_CASE_METHOD(Fixture, "comparisons of two columns and of expressions", "[query][conditions]") {
  CHECK(found(col<&User::referrer> == col<&User::id>) == raw("referrer = id"));
  CHECK(found(col<&User::referrer> < col<&User::id>) == raw("referrer < id"));
  CHECK(found(col<&User::age> + 1 > col<&User::score> * 10) == raw("(age + 1) > (score * 10)"));
  CHECK(found(col<&User::age> - col<&User::score> >= 30) == raw("age - score >= 30"));
  CHECK(found(col<&User::age> / 10 == 3) == raw("age / 10 = 3"));
}

TEST_CASE_METHOD(Fixture, "and, or, not", "[query][conditions]") {
  CHECK(found(col<&User::age> > 20 && col<&User::active> == true) == raw("age > 20 and active = true"));
  CHECK(found(col<&User::age> < 20 || col<&User::age> > 60) == raw("age < 20 or age > 60"));
  CHECK(found(!(col<&User::age> < 20 || col<&User::age> > 60)) == raw("not (age < 20 or age > 60)"));
  CHECK(found(col<&User::age> > 20 && (col<&User::role> == Role::admin || !col<&User::active>)) ==
        raw("age > 20 and (role = 2 or not active)"));
  CHECK(found((col<&User::age> > 20 || col<&User::score> > 4) && (col<&User::age> < 40 || col<&User::active>)) ==
        raw("(age > 20 or score > 4) and (age < 40 or active)"));
  CHECK(found(!(col<&User::referrer> == 3)) == raw("not (referrer = 3)"));  // NULL stays unmatched
}

TEST_CASE_METHOD(Fixture, "like, with the escaping helper", "[query][conditions]") {
  CHECK(found(ctorm::like(col<&User::email>, "%@example.com")) == raw("email like '%@example.com'"));
  CHECK(found(ctorm::like(col<&User::email>, "_o%")) == raw("email like '_o%'"));
  CHECK(found(ctorm::like(col<&User::bio>, "%c++")) == raw("bio like '%c++'"));  // SQLite's like ignores ASCII case
  // ilike ignores case on both
  CHECK(found(ctorm::ilike(col<&User::bio>, "%C++")) == raw("lower(bio) like '%c++'"));
  CHECK(found(ctorm::ilike(col<&User::bio>, "%C++")).size() == 2);
  CHECK(found(ctorm::ilike(col<&User::full_name>, "%100\\%%", ctorm::escaped)).size() == 1);
  // Wildcards in the user's text are literal once escaped.
  CHECK(found(ctorm::like(col<&User::full_name>, "%100%%")) == raw("full_name like '%100%%'"));
  CHECK(found(ctorm::contains(col<&User::full_name>, "100%")) == raw("full_name like '%100\\%%' escape '\\'"));
  CHECK(found(ctorm::contains(col<&User::full_name>, "100%")).size() == 1);
  CHECK(found(ctorm::like(col<&User::full_name>, "%r_s%")) == raw("full_name like '%r_s%'"));
  CHECK(found(ctorm::contains(col<&User::full_name>, "r_s")) == raw("full_name like '%r\\_s%' escape '\\'"));
  CHECK(found(ctorm::contains(col<&User::full_name>, "\\")) == raw("full_name like '%\\\\%' escape '\\'"));
  CHECK(found(ctorm::contains(col<&User::full_name>, "\\")).size() == 1);
  // Without escaped, nothing escapes: a \ is itself (PostgreSQL's like would take it as its escape).
  CHECK(found(ctorm::like(col<&User::bio>, "c:\\dir")).size() == 1);
  CHECK(found(ctorm::like(col<&User::bio>, "c:\\_ir")).size() == 1);
  CHECK(found(ctorm::starts_with(col<&User::email>, "fay_")) == raw("email like 'fay\\_%' escape '\\'"));
  CHECK(found(ctorm::ends_with(col<&User::email>, ".org")) == raw("email like '%.org' escape '\\'"));
  CHECK(found(!ctorm::like(col<&User::email>, "%.com")) == raw("email not like '%.com'"));
  CHECK(ctorm::escape_like("50%_off\\") == "50\\%\\_off\\\\");
  CHECK(ctorm::escape_like("") == "");
}

TEST_CASE_METHOD(Fixture, "in and not in, with lists of every length", "[query][conditions]") {
  CHECK(found(ctorm::in(col<&User::id>, {2, 4, 6})) == raw("id in (2, 4, 6)"));
  CHECK(found(ctorm::not_in(col<&User::id>, {2, 4, 6})) == raw("id not in (2, 4, 6)"));
  CHECK(found(ctorm::in(col<&User::id>, std::vector<std::int64_t>{7})) == raw("id in (7)"));
  CHECK(found(ctorm::in(col<&User::full_name>, std::vector<std::string>{"Ann Lee", "Dee O'Brien", "nobody"})) ==
        raw("full_name in ('Ann Lee', 'Dee O''Brien', 'nobody')"));
  CHECK(found(ctorm::in(col<&User::role>, std::set<Role>{Role::admin, Role::reader})) == raw("role in (0, 2)"));
  CHECK(found(ctorm::in(col<&User::referrer>, std::list<int>{1, 3})) == raw("referrer in (1, 3)"));
  CHECK(found(ctorm::not_in(col<&User::referrer>, {1, 3})) == raw("referrer not in (1, 3)"));
  CHECK(found(ctorm::in(col<&User::id>, {3, 3, 3})) == raw("id in (3)"));
  // Lists past the exact-length texts: rounded up, the last value repeated.
  for (std::size_t n : {9u, 15u, 16u, 17u, 100u, 1000u, 5000u}) {
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < n; ++i) ids.push_back(static_cast<std::int64_t>(i % 2 == 0 ? i : 1000 + i));
    INFO("length " << n);
    CHECK(found(ctorm::in(col<&User::id>, ids)) == raw("id % 2 = 0 and id < " + std::to_string(n)));
    CHECK(found(ctorm::not_in(col<&User::id>, ids)) == raw("not (id % 2 = 0 and id < " + std::to_string(n) + ")"));
  }
}

TEST_CASE_METHOD(Fixture, "in of an empty list matches nothing, not in everything (NULLs too)", "[query][conditions]") {
  const std::vector<std::int64_t> none;
  CHECK(found(ctorm::in(col<&User::id>, none)).empty());
  CHECK(found(ctorm::not_in(col<&User::id>, none)) == raw("true"));
  CHECK(found(ctorm::in(col<&User::referrer>, none)).empty());
  CHECK(found(ctorm::not_in(col<&User::referrer>, none)) == raw("true"));  // rows whose referrer is NULL as well
  CHECK(found(!ctorm::in(col<&User::referrer>, none)) == raw("true"));
  CHECK(orm.em().count<User>(ctorm::in(col<&User::id>, none) || col<&User::id> == 1) == 1);
  CHECK(orm.em().count<User>(ctorm::not_in(col<&User::id>, none) && col<&User::id> == 1) == 1);
}

TEST_CASE_METHOD(Fixture, "in lists share one statement per rounded length", "[query][conditions]") {
  auto em = orm.em();
  auto q9 = ctorm::query<User>().where(ctorm::in(col<&User::id>, std::vector<int>(9, 1)));
  auto q12 = ctorm::query<User>().where(ctorm::in(col<&User::id>, std::vector<int>(12, 1)));
  auto q3 = ctorm::query<User>().where(ctorm::in(col<&User::id>, std::vector<int>{1, 2, 3}));
  auto q0 = ctorm::query<User>().where(ctorm::in(col<&User::id>, std::vector<int>{}));
  CHECK(q9.sql_text() == q12.sql_text());
  CHECK(q9.sql_text().ends_with(R"(where "id" in (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))"));
  CHECK(q3.sql_text().ends_with(R"(where "id" in (?, ?, ?))"));
  CHECK(q0.sql_text().ends_with(R"(where "id" in ())"));
  // Same text, same cached string.
  CHECK(q9.sql_text().data() != nullptr);
  log.clear();
  em.find<User>(ctorm::in(col<&User::id>, std::vector<int>(9, 1)));
  REQUIRE(log.size() == 1);
  CHECK(log.contains("[values: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"));
}

TEST_CASE_METHOD(Fixture, "is null and is not null", "[query][conditions]") {
  CHECK(found(ctorm::is_null(col<&User::bio>)) == raw("bio is null"));
  CHECK(found(ctorm::is_not_null(col<&User::bio>)) == raw("bio is not null"));
  CHECK(found(ctorm::is_null(col<&User::referrer>) && col<&User::active>) == raw("referrer is null and active"));
  CHECK(found(!ctorm::is_null(col<&User::bio>)) == raw("bio is not null"));
  CHECK(found(ctorm::is_null(col<&User::bio>)).size() == 3);
}

TEST_CASE_METHOD(Fixture, "between", "[query][conditions]") {
  CHECK(found(ctorm::between(col<&User::age>, 18, 30)) == raw("age between 18 and 30"));
  CHECK(found(ctorm::between(col<&User::score>, 2, 4.25)) == raw("score between 2 and 4.25"));
  CHECK(found(ctorm::between(col<&User::full_name>, "B", "E")) == raw("full_name between 'B' and 'E'"));
  CHECK(found(!ctorm::between(col<&User::age>, 18, 30)) == raw("age not between 18 and 30"));
  CHECK(found(ctorm::between(col<&User::age>, col<&User::score>, 30)) == raw("age between score and 30"));
}

TEST_CASE_METHOD(Fixture, "raw SQL fragments, values still bound", "[query][conditions]") {
  CHECK(found(ctorm::sql<"lower(?)">(col<&User::email>) == "ANN@example.com") == raw("false"));
  CHECK(found(ctorm::sql<"lower(?)">(col<&User::full_name>) == ctorm::sql<"lower(?)">("ANN LEE")) ==
        raw("lower(full_name) = lower('ANN LEE')"));
  CHECK(found(ctorm::sql<"length(?) > ?">(col<&User::full_name>, 8)) == raw("length(full_name) > 8"));
  CHECK(found(ctorm::sql<"? % 2 = 0">(col<&User::age>)) == raw("age % 2 = 0"));
  CHECK(found(ctorm::sql<"substr(?, 1, 3) = ?">(col<&User::email>, "'; drop table user; --")).empty());
  CHECK(orm.em().count<User>() == 12);
  log.clear();
  orm.em().find<User>(ctorm::sql<"? = ?">(col<&User::email>, "x'y"));
  CHECK(log.contains(R"(where "email" = ? [values: 'x''y'])"));
}

// A raw fragment with a sub-query of its own: a bare column written into it names the fragment's table
// (SQL resolves a name to the innermost table that has it), qualified() the query's own.
using ArticlesBy = decltype(ctorm::sql<R"(exists (select 1 from "article" as "a" where "a"."author_id" = ?))">(
    ctorm::qualified(col<&User::id>)));
static_assert(where_sql<ArticlesBy>.ends_with(
    R"( from "user" where exists (select 1 from "article" as "a" where "a"."author_id" = "user"."id"))"));
static_assert(where_sql<decltype(ctorm::qualified(col<&User::age>) > 30)>.ends_with(R"( where "user"."age" > ?)"));
static_assert(decltype(ctorm::query<Article>().where(ctorm::exists(
                  ctorm::query<User>().where(col<&User::id> == col<&Article::author_id> &&
                                             ctorm::sql<R"(? > (select count(*) from "comment" as "c"))">(
                                                 ctorm::qualified(col<&User::age>))))))::sql()
                  .ends_with(R"(where ("e1_0"."id" = "article"."author_id" and "e1_0"."age" > (select count(*) from "comment" as "c"))))"));

TEST_CASE_METHOD(Fixture, "a raw sub-query names the query's columns with qualified()", "[query][conditions]") {
  const auto authors = raw("exists (select 1 from article a where a.author_id = \"user\".id)");
  REQUIRE_FALSE(authors.empty());
  const auto fragment = [](auto column) {
    return ctorm::sql<R"(exists (select 1 from "article" as "a" where "a"."author_id" = ?))">(column);
  };
  CHECK(found(fragment(ctorm::qualified(col<&User::id>))) == authors);
  // Bare, the column is the article's own id: the trap qualified() avoids.
  CHECK(found(fragment(col<&User::id>)) == raw("exists (select 1 from article a where a.author_id = a.id)"));
  CHECK(found(fragment(col<&User::id>)) != authors);
  // In update and delete statements too.
  auto em = orm.em();
  CHECK(em.native_update<User>(ctorm::set(col<&User::bio>, "author"), fragment(ctorm::qualified(col<&User::id>))) ==
        static_cast<std::int64_t>(authors.size()));
  CHECK(raw("bio = 'author'") == authors);
  const std::string on_articles_of_3 =
      "exists (select 1 from article a where a.id = comment.article_id and a.author_id = 3)";
  const auto comment_count = [&](const std::string& where) {
    return ctorm_test::raw_int(orm, "select count(*) from comment where " + where);
  };
  const std::int64_t doomed = comment_count(on_articles_of_3);
  REQUIRE(doomed > 0);
  CHECK(em.native_delete<Comment>(ctorm::sql<R"(exists (select 1 from "article" as "a" where "a"."id" = ? and "a"."author_id" = 3))">(
            ctorm::qualified(col<&Comment::article_id>))) == doomed);
  CHECK(comment_count(on_articles_of_3) == 0);
  CHECK(comment_count("true") > 0);
}

TEST_CASE_METHOD(Fixture, "conditions work for count, exists, find_one and native_delete", "[query][conditions]") {
  auto em = orm.em();
  CHECK(em.count<User>(ctorm::in(col<&User::id>, {1, 2, 99})) == 2);
  CHECK(em.count<User>(ctorm::is_null(col<&User::bio>)) == 3);
  CHECK(em.exists<User>(ctorm::like(col<&User::email>, "%.org")));
  CHECK_FALSE(em.exists<User>(ctorm::like(col<&User::email>, "%.gov")));
  User* one = em.find_one<User>(ctorm::in(col<&User::full_name>, {"Ivy Green"}));
  REQUIRE(one);
  CHECK(one->age == 18);
  CHECK(em.native_delete<Comment>(ctorm::in(col<&Comment::author_id>, {3, 12})) == 3);
  CHECK(ctorm_test::raw_int(orm, "select count(*) from comment") == 7);
}
