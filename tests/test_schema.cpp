// Schema generator: create table / create index text as compile-time constants, create, drop, refresh.
#include <catch2/catch.hpp>
#include <ctorm/ctorm.hpp>

#include "support/query_log.hpp"

namespace {

struct User {
  std::int64_t id{};
  std::string full_name;
  std::string email;
  std::string password;
  std::string bio;
  ctorm::TimePoint created_at = ctorm::now();
};

struct Product {
  std::string sku;  // a string key the user sets
  std::string title;
  std::int64_t price_cents{};
  double weight{};
  std::optional<std::string> note;
  bool active = true;
};

struct BlogPost {
  std::int64_t id{};
  std::string title;
  std::string slug;
};

// Names that map onto an existing database.
struct LegacyNaming {
  template <class W>
  static constexpr void table(std::string_view type_name, W& w) {
    w.put("tbl_");
    ctorm::write_snake_case(type_name, w);
  }
  template <class W>
  static constexpr void column(std::string_view field, W& w) {
    w.put(field);
  }
};

}  // namespace

template <>
struct ctorm::entity_options<User>
    : ctorm::options<ctorm::unique<&User::email>, ctorm::length<&User::full_name, 100>,
                     ctorm::default_value<&User::bio, "''">, ctorm::index<&User::full_name>> {};

template <>
struct ctorm::entity_options<Product>
    : ctorm::options<ctorm::primary_key<&Product::sku>, ctorm::table_name<"products">,
                     ctorm::column_name<&Product::price_cents, "price">,
                     ctorm::column_type<&Product::weight, "decimal(10,2)">,
                     ctorm::unique<&Product::title, &Product::price_cents>> {};

static_assert(ctorm::create_table_sql<User> ==
              R"(create table "user" ("id" integer not null primary key autoincrement, "full_name" varchar(100) not null, )"
              R"("email" text not null, "password" text not null, "bio" text not null default '', )"
              R"("created_at" integer not null))");
static_assert(ctorm::create_index_sql<User>.size() == 2);
static_assert(ctorm::create_index_sql<User>[0] == R"(create unique index "user_email_unique" on "user" ("email"))");
static_assert(ctorm::create_index_sql<User>[1] == R"(create index "user_full_name_index" on "user" ("full_name"))");

static_assert(ctorm::create_table_sql<Product> ==
              R"(create table "products" ("sku" text not null primary key, "title" text not null, )"
              R"("price" integer not null, "weight" decimal(10,2) not null, "note" text, "active" integer not null))");
static_assert(ctorm::create_index_sql<Product>[0] ==
              R"(create unique index "products_title_price_unique" on "products" ("title", "price"))");

static_assert(ctorm::create_table_sql<BlogPost> ==
              R"(create table "blog_post" ("id" integer not null primary key autoincrement, "title" text not null, "slug" text not null))");
static_assert(ctorm::create_table_sql<BlogPost, LegacyNaming> ==
              R"(create table "tbl_blog_post" ("id" integer not null primary key autoincrement, "title" text not null, "slug" text not null))");
static_assert(ctorm::drop_table_sql<User> == R"(drop table if exists "user")");

using Schema = ctorm::schema<User, Product, BlogPost>;

namespace {
// The tables of the database (PostgreSQL: of the test's schema), by name.
template <class O>
std::vector<std::string> tables(O& orm) {
  std::vector<std::string> out;
  const char* sql = ctorm_test::is_sqlite
                        ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
                        : "select table_name::text from information_schema.tables where table_schema = current_schema() "
                          "order by table_name";
  for (const auto& row : ctorm_test::raw_rows(orm, sql)) out.push_back(row.at(0));
  return out;
}
}  // namespace

TEST_CASE("schema create, drop and refresh_database", "[schema]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  CHECK(tables(orm).empty());
  orm.schema().create();
  CHECK(tables(orm) == std::vector<std::string>{"blog_post", "products", "user"});

  auto em = orm.em();
  em.persist(BlogPost{.title = "t", .slug = "s"});
  em.flush();
  CHECK(orm.em().count<BlogPost>() == 1);

  orm.schema().refresh_database();
  CHECK(orm.em().count<BlogPost>() == 0);

  orm.schema().drop();
  CHECK(tables(orm).empty());
  orm.schema().drop();  // drops only what exists
}

TEST_CASE("create_sql lists every statement in order", "[schema]") {
  const std::string sql = ctorm::SchemaManager<Schema>::create_sql();
  CHECK(sql.find(std::string(ctorm::create_table_sql<User>)) == 0);
  CHECK(sql.find("create unique index \"user_email_unique\"") != std::string::npos);
  CHECK(sql.find("create table \"products\"") < sql.find("create table \"blog_post\""));
  CHECK(ctorm::SchemaManager<Schema>::drop_sql().find("drop table if exists \"blog_post\"") == 0);
}

TEST_CASE("unique index, length and default take effect in the database", "[schema]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  orm.execute(R"(insert into "user" ("full_name", "email", "password", "created_at") values ('a', 'a@x', 'p', 0))");
  auto em = orm.em();
  User& u = em.find_one_or_fail<User>(1);
  CHECK(u.bio.empty());  // the default '' applied
  CHECK_THROWS_AS(orm.execute(R"(insert into "user" ("full_name", "email", "password", "created_at") values ('b', 'a@x', 'p', 0))"),
                  ctorm::UniqueConstraintViolation);
}

TEST_CASE("a naming strategy names every table of a schema", "[schema]") {
  using Legacy = ctorm::basic_schema<LegacyNaming, BlogPost>;
  ctorm_test::Orm<Legacy> orm{ctorm_test::fresh_database()};
  ctorm_test::QueryLog log;
  log.attach(orm);
  orm.schema().create();
  auto em = orm.em();
  auto& p = em.persist(BlogPost{.title = "Hello", .slug = "hello"});
  em.flush();
  CHECK(log.contains(R"(insert into "tbl_blog_post" ("title", "slug") values (?, ?))"));
  auto em2 = orm.em();
  auto* found = em2.find_one<BlogPost>(ctorm::col<&BlogPost::slug> == "hello");
  REQUIRE(found);
  CHECK(found->id == p.id);
  CHECK(log.contains(R"(select "id", "title", "slug" from "tbl_blog_post" where "slug" = ? limit 1)"));
}
