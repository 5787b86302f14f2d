// find() options: order_by, limit, offset, fields (partial loading and the unit of work), and
// find_and_count, count, exists; each compared with the same query written by hand.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "support/query_log.hpp"
#include "support/query_model.hpp"

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
  std::vector<std::int64_t> raw(const std::string& rest) {
    return raw_ids(orm, "select id from \"user\" " + rest);
  }
};

constexpr std::string_view cols =
    R"("id", "full_name", "email", "bio", "age", "score", "active", "role", "referrer")";

using Ordered = decltype(ctorm::query<User>().apply(ctorm::order_by(desc<&User::id>, asc<&User::email>),
                                                    ctorm::limit(10), ctorm::offset(20)));
static_assert(Ordered::sql() == std::string_view(R"(select "id", "full_name", "email", "bio", "age", "score", "active", "role", "referrer" from "user" order by "id" desc, "email" asc limit ? offset ?)"));
static_assert(Ordered::sql().substr(7, cols.size()) == cols);

using WhereOrdered = decltype(ctorm::query<User>().where(col<&User::age> > 1).apply(ctorm::order_by(desc<&User::age>)));
static_assert(WhereOrdered::sql().ends_with(R"( from "user" where "age" > ? order by "age" desc)"));

using OffsetOnly = decltype(ctorm::query<User>().apply(ctorm::offset(5)));
static_assert(OffsetOnly::sql().ends_with(R"( from "user" limit -1 offset ?)"));

using Partial = decltype(ctorm::query<User>().where(col<&User::age> > 1).fields<&User::email, &User::age>());
static_assert(Partial::sql() == std::string_view(R"(select "id", "email", "age" from "user" where "age" > ?)"));
using PartialOption = decltype(ctorm::query<User>().apply(ctorm::fields<&User::full_name>));
static_assert(PartialOption::sql() == std::string_view(R"(select "id", "full_name" from "user")"));

using OrderByExpression =
    decltype(ctorm::query<User>().order_by(ctorm::descending(col<&User::score> * col<&User::age>), col<&User::id>));
static_assert(OrderByExpression::sql().ends_with(R"(order by ("score" * "age") desc, "id" asc)"));

}  // namespace

TEST_CASE_METHOD(Fixture, "order_by with several columns, asc and desc", "[query][options]") {
  auto em = orm.em();
  CHECK(ids_in_order(em.find<User>(ctorm::order_by(desc<&User::age>, asc<&User::id>))) ==
        raw("order by age desc, id asc"));
  CHECK(ids_in_order(em.find<User>(col<&User::active> == true, ctorm::order_by(asc<&User::score>))) ==
        raw("where active = true order by score asc"));
  CHECK(ids_in_order(em.find<User>(ctorm::order_by(asc<&User::bio>, desc<&User::id>))) ==
        raw("order by bio asc, id desc"));  // NULLs first on SQLite, last on PostgreSQL
  CHECK(ids_in_order(em.find<User>(ctorm::order_by(ctorm::descending(col<&User::score> * col<&User::age>)))) ==
        raw("order by score * age desc"));
  CHECK(ids_in_order(em.find<User>(ctorm::order_by(ctorm::ascending(ctorm::sql<"length(?)">(col<&User::email>)),
                                                   desc<&User::id>))) ==
        raw("order by length(email), id desc"));
}

TEST_CASE_METHOD(Fixture, "limit and offset, bound, one statement for every page", "[query][options]") {
  auto em = orm.em();
  for (int page = 0; page < 4; ++page) {
    INFO("page " << page);
    CHECK(ids_in_order(em.find<User>(ctorm::order_by(asc<&User::full_name>), ctorm::limit(5),
                                     ctorm::offset(page * 5))) ==
          raw("order by full_name limit 5 offset " + std::to_string(page * 5)));
  }
  CHECK(ids_in_order(em.find<User>(col<&User::age> >= 18, ctorm::order_by(desc<&User::id>), ctorm::limit(3))) ==
        raw("where age >= 18 order by id desc limit 3"));
  CHECK(ids_in_order(em.find<User>(ctorm::order_by(asc<&User::id>), ctorm::offset(10))) ==
        raw(ctorm_test::is_sqlite ? "order by id limit -1 offset 10" : "order by id offset 10"));
  CHECK(em.find<User>(ctorm::limit(0)).empty());
  CHECK(log.contains(R"(order by "full_name" asc limit ? offset ? [values: 5, 15])"));
}

TEST_CASE_METHOD(Fixture, "find_one takes options: the first row in that order", "[query][options]") {
  auto em = orm.em();
  User* oldest = em.find_one<User>(col<&User::active> == true, ctorm::order_by(desc<&User::age>));
  REQUIRE(oldest);
  CHECK(oldest->id == raw("where active = true order by age desc limit 1")[0]);
  CHECK(log.contains(R"(where "active" = ? order by "age" desc limit 1)"));
  CHECK(em.find_one<User>(col<&User::age> > 100, ctorm::order_by(desc<&User::age>)) == nullptr);
}

TEST_CASE_METHOD(Fixture, "find_and_count: a page and the total without paging", "[query][options]") {
  auto em = orm.em();
  auto [items, total] = em.find_and_count<User>(col<&User::age> >= 18, ctorm::order_by(asc<&User::id>),
                                                ctorm::limit(4), ctorm::offset(2));
  CHECK(ids_in_order(items) == raw("where age >= 18 order by id limit 4 offset 2"));
  CHECK(total == ctorm_test::raw_int(orm, "select count(*) from \"user\" where age >= 18"));
  CHECK(log.contains(R"(select count(*) from "user" where "age" >= ? [values: 18])"));

  auto all = em.find_and_count<User>(ctorm::limit(2));
  CHECK(all.items.size() == 2);
  CHECK(all.total == 12);
  auto none = em.find_and_count<User>(col<&User::age> > 100);
  CHECK(none.items.empty());
  CHECK(none.total == 0);
}

TEST_CASE_METHOD(Fixture, "count and exists with a condition", "[query][options]") {
  auto em = orm.em();
  CHECK(em.count<User>(col<&User::role> == Role::author) ==
        ctorm_test::raw_int(orm, "select count(*) from \"user\" where role = 1"));
  CHECK(em.exists<User>());
  CHECK(em.exists<User>(col<&User::email> == "jo@example.com"));
  CHECK_FALSE(em.exists<User>(col<&User::email> == "nobody@example.com"));
  CHECK(log.contains(R"(select 1 from "user" where "email" = ? limit 1)"));
  em.native_delete<Comment>(col<&Comment::id> > 0);
  CHECK_FALSE(em.exists<Comment>());
}

TEST_CASE_METHOD(Fixture, "fields<...> loads the key and the named columns only", "[query][options][partial]") {
  auto em = orm.em();
  auto found = em.find<User>(col<&User::age> > 40, ctorm::fields<&User::email>, ctorm::order_by(asc<&User::id>));
  CHECK(ids_in_order(found) == raw("where age > 40 order by id"));
  CHECK(log.contains(R"(select "id", "email" from "user" where "age" > ? order by "id" asc)"));
  for (User* u : found) {
    CHECK(u->id != 0);
    CHECK(!u->email.empty());
    CHECK(u->full_name.empty());
    CHECK(u->age == 0);
    CHECK(em.is_initialized(*u));
  }
}

TEST_CASE_METHOD(Fixture, "flush never writes the columns a partial load left out", "[query][options][partial]") {
  auto em = orm.em();
  User& u = *em.find_one<User>(col<&User::id> == 4, ctorm::fields<&User::email>);
  CHECK(u.full_name.empty());
  log.clear();
  em.flush();
  CHECK(log.size() == 0);  // nothing changed: the defaults of unloaded columns are not changes

  u.full_name = "written to an unloaded field";
  u.age = 99;
  em.flush();
  CHECK(log.size() == 0);

  u.email = "dee@new.example";
  em.flush();
  CHECK(log.contains(R"(update "user" set "email" = ? where "id" = ? [values: 'dee@new.example', 4])"));
  const auto row = raw_rows(orm, "select full_name, email, age from \"user\" where id = 4");
  CHECK(row[0] == std::vector<std::string>{"Dee O'Brien", "dee@new.example", "29"});
}

TEST_CASE_METHOD(Fixture, "a later query fills in what a partial load left out, keeping edits", "[query][options][partial]") {
  auto em = orm.em();
  User& u = *em.find_one<User>(col<&User::id> == 4, ctorm::fields<&User::email, &User::age>);
  u.email = "edited@example.com";  // a loaded column, edited and not flushed
  u.bio = "lost";                  // an unloaded column: overwritten when loaded

  User& again = *em.find_one<User>(col<&User::id> == 4);
  CHECK(&again == &u);
  CHECK(u.full_name == "Dee O'Brien");
  CHECK(u.bio == "it's fine");
  CHECK(u.email == "edited@example.com");
  CHECK(u.age == 29);

  log.clear();
  em.flush();
  REQUIRE(log.size() == 3);
  CHECK(log.lines[1].find(ctorm_test::dialect_sql(R"(update "user" set "email" = ? where "id" = ?)")) != std::string::npos);

  u.full_name = "Dee Changed";  // now loaded: written
  log.clear();
  em.flush();
  CHECK(log.contains(R"(update "user" set "full_name" = ? where "id" = ?)"));

  // A second partial load of columns already there changes nothing.
  u.age = 30;
  em.find<User>(col<&User::id> == 4, ctorm::fields<&User::age>);
  CHECK(u.age == 30);
  log.clear();
  em.flush();
  CHECK(log.contains(R"(update "user" set "age" = ? where "id" = ? [values: 30, 4])"));
}

TEST_CASE_METHOD(Fixture, "partial loads in steps, then refresh loads everything", "[query][options][partial]") {
  auto em = orm.em();
  User& u = *em.find_one<User>(col<&User::id> == 6, ctorm::fields<&User::full_name>);
  em.find<User>(col<&User::id> == 6, ctorm::fields<&User::score, &User::bio>);
  CHECK(u.full_name == "Fay under_score");
  CHECK(u.score == 5.0);
  CHECK(u.bio == "a_b");
  CHECK(u.email.empty());
  u.email = "not loaded";
  u.score = 1.0;
  log.clear();
  em.flush();
  CHECK(log.contains(R"(update "user" set "score" = ? where "id" = ?)"));
  REQUIRE(em.refresh(u));
  CHECK(u.email == "fay_x@example.com");
  u.email = "now@loaded";
  log.clear();
  em.flush();
  CHECK(log.contains(R"(update "user" set "email" = ? where "id" = ?)"));
}

TEST_CASE_METHOD(Fixture, "fields through the query builder, and references filled in", "[query][options][partial]") {
  auto em = orm.em();
  User& ref = em.get_reference<User>(2);
  CHECK_FALSE(em.is_initialized(ref));
  auto rows = em.query<User>().where(col<&User::id> <= 3).order_by(asc<&User::id>).fields<&User::age>().all();
  REQUIRE(rows.size() == 3);
  CHECK(rows[1] == &ref);
  CHECK(em.is_initialized(ref));
  CHECK(ref.age == 17);
  CHECK(ref.email.empty());
}
