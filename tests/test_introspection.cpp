// Reading a live database back (Backend::introspection, db/<backend>/introspection.hpp): the blog schema
// as ctorm creates it, hand-written DDL of what ctorm does not write (a composite key, a view, a unique
// constraint, a foreign key without target columns, an expression index), and the comparisons of types
// and defaults. On SQLite also: a double-quoted name that is no column is an error, never a string.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ctorm/ctorm.hpp>

#include "support/backend.hpp"
#include "support/blog_model.hpp"

namespace introspect_test {

struct Team {
  std::int64_t id{};
  std::string name;
};

// What the blog lacks: defaults, a nullable column, a version, a reference set to null on delete.
struct Member {
  std::int64_t id{};
  std::string name;
  std::string status;
  std::optional<std::string> nickname;
  double score{};
  bool active = true;
  std::int64_t version = 1;
  std::optional<ctorm::Ref<Team>> team;
};

using Schema = ctorm::schema<Team, Member>;

// A mapping onto a table made by hand, whose column name is misspelt.
struct Legacy {
  std::int64_t id{};
  std::string name;
};
using LegacySchema = ctorm::schema<Legacy>;

}  // namespace introspect_test

template <>
struct ctorm::entity_options<introspect_test::Member>
    : ctorm::options<ctorm::length<&introspect_test::Member::name, 80>,
                     ctorm::default_value<&introspect_test::Member::status, "'new'">,
                     ctorm::default_value<&introspect_test::Member::score, "0">,
                     ctorm::version<&introspect_test::Member::version>,
                     ctorm::set_null_on_remove<&introspect_test::Member::team>,
                     ctorm::unique<&introspect_test::Member::name, &introspect_test::Member::status>> {};

template <>
struct ctorm::entity_options<introspect_test::Legacy>
    : ctorm::options<ctorm::column_name<&introspect_test::Legacy::name, "fulname">> {};

using ctorm::ColumnDescription;
using ctorm::ForeignKeyDescription;
using ctorm::IndexDescription;
using ctorm::SchemaDescription;
using ctorm::TableDescription;
using ctorm_test::Backend;
using Introspection = Backend::introspection;
using Strings = std::vector<std::string>;

namespace {

template <class O>
SchemaDescription read_schema(O& orm) {
  auto em = orm.em();
  return Introspection::read(em.connection());
}

template <class O>
void run(O& orm, const std::string& sql) {
  auto em = orm.em();
  em.connection().execute(sql);
}

Strings table_names(const SchemaDescription& s) {
  Strings out;
  for (const auto& t : s.tables) out.push_back(t.name);
  return out;
}
Strings column_names(const TableDescription& t) {
  Strings out;
  for (const auto& c : t.columns) out.push_back(c.name);
  return out;
}
Strings index_names(const TableDescription& t) {
  Strings out;
  for (const auto& i : t.indexes) out.push_back(i.name);
  return out;
}

// The integer type of a key or reference as ctorm writes it, and as the database reports it.
const std::string int_type = ctorm_test::is_sqlite ? "integer" : "bigint";

void check_column(const TableDescription& t, const std::string& name, const std::string& type, bool not_null,
                  std::optional<std::string> dflt = std::nullopt, int pk = 0, bool generated = false) {
  INFO(t.name << "." << name);
  const ColumnDescription* c = t.column(name);
  REQUIRE(c);
  CHECK(c->type == type);
  CHECK(c->not_null == not_null);
  CHECK(c->default_sql == dflt);
  CHECK(c->primary_key == pk);
  CHECK(c->generated == generated);
}

const ForeignKeyDescription* foreign_key_on(const TableDescription& t, const Strings& columns) {
  for (const auto& fk : t.foreign_keys)
    if (fk.columns == columns) return &fk;
  return nullptr;
}

}  // namespace

TEST_CASE("introspection reads the blog schema as ctorm created it", "[introspection]") {
  ctorm_test::Orm<blog_test::Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  const SchemaDescription s = read_schema(orm);

  CHECK(table_names(s) == Strings{"article", "article_tags", "comment", "tag", "user"});
  CHECK(s.views.empty());

  const TableDescription* user = s.table("user");
  REQUIRE(user);
  CHECK(column_names(*user) == Strings{"id", "created_at", "updated_at", "full_name", "email", "password", "bio"});
  check_column(*user, "id", int_type, true, std::nullopt, 1, true);
  check_column(*user, "created_at", int_type, true);
  check_column(*user, "email", "text", true);
  check_column(*user, "bio", "text", true);
  // a unique option is an index a statement made, named as create_index_sql names it
  CHECK(index_names(*user) == Strings{"user_email_unique"});
  CHECK(user->index("user_email_unique")->unique);
  CHECK(user->index("user_email_unique")->columns == Strings{"email"});
  CHECK(user->foreign_keys.empty());

  const TableDescription* article = s.table("article");
  REQUIRE(article);
  // varchar(1000) as each database spells it, and the same type as ctorm writes it
  const ColumnDescription* description = article->column("description");
  REQUIRE(description);
  CHECK(description->type == (ctorm_test::is_sqlite ? "varchar(1000)" : "character varying(1000)"));
  CHECK(Introspection::same_type("varchar(1000)", description->type));
  CHECK(Introspection::same_type(int_type, article->column("author_id")->type));
  CHECK(index_names(*article) == Strings{"article_author_id_index", "article_slug_unique", "article_title_index"});
  CHECK_FALSE(article->index("article_title_index")->unique);
  CHECK(article->index("article_slug_unique")->unique);
  REQUIRE(article->foreign_keys.size() == 1);
  const ForeignKeyDescription& author = article->foreign_keys[0];
  CHECK(author.columns == Strings{"author_id"});
  CHECK(author.target_table == "user");
  CHECK(author.target_columns == Strings{"id"});
  CHECK(author.on_delete == "no action");
  CHECK(author.on_update == "cascade");
  // SQLite keeps no constraint name; PostgreSQL keeps the one create table gave
  CHECK(author.name == (ctorm_test::is_sqlite ? "" : "article_author_id_foreign"));

  const TableDescription* comment = s.table("comment");
  REQUIRE(comment);
  REQUIRE(comment->foreign_keys.size() == 2);
  // in the order the table declares them
  CHECK(comment->foreign_keys[0].columns == Strings{"article_id"});
  CHECK(comment->foreign_keys[0].on_delete == "cascade");  // cascade_remove on the Ref
  CHECK(comment->foreign_keys[1].columns == Strings{"author_id"});
  CHECK(comment->foreign_keys[1].target_table == "user");
  CHECK(comment->foreign_keys[1].on_delete == "no action");

  // the pivot table: a composite key, both references cascading, an index on each side
  const TableDescription* pivot = s.table("article_tags");
  REQUIRE(pivot);
  CHECK(column_names(*pivot) == Strings{"article_id", "tag_id"});
  check_column(*pivot, "article_id", int_type, true, std::nullopt, 1, false);
  check_column(*pivot, "tag_id", int_type, true, std::nullopt, 2, false);
  CHECK(index_names(*pivot) == Strings{"article_tags_article_id_index", "article_tags_tag_id_index"});
  REQUIRE(pivot->foreign_keys.size() == 2);
  for (const auto& fk : pivot->foreign_keys) {
    CHECK(fk.on_delete == "cascade");
    CHECK(fk.on_update == "cascade");
    CHECK(fk.target_columns == Strings{"id"});
  }
  CHECK(pivot->foreign_keys[0].target_table == "article");
  CHECK(pivot->foreign_keys[1].target_table == "tag");
}

TEST_CASE("introspection reads defaults, nullable columns and set null references", "[introspection]") {
  using namespace introspect_test;
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  const SchemaDescription s = read_schema(orm);
  CHECK(table_names(s) == Strings{"member", "team"});

  const TableDescription* member = s.table("member");
  REQUIRE(member);
  check_column(*member, "id", int_type, true, std::nullopt, 1, true);
  check_column(*member, "name", ctorm_test::is_sqlite ? "varchar(80)" : "character varying(80)", true);
  check_column(*member, "nickname", "text", false);
  check_column(*member, "active", ctorm_test::is_sqlite ? "integer" : "boolean", true);
  check_column(*member, "team_id", int_type, false);
  // defaults as each database keeps them, and the same as the entity's
  const ColumnDescription* status = member->column("status");
  REQUIRE(status);
  REQUIRE(status->default_sql);
  CHECK(*status->default_sql == (ctorm_test::is_sqlite ? "'new'" : "'new'::text"));
  CHECK(Introspection::same_default("'new'", *status->default_sql));
  CHECK_FALSE(Introspection::same_default("'old'", *status->default_sql));
  const ColumnDescription* score = member->column("score");
  REQUIRE(score);
  CHECK(score->type == (ctorm_test::is_sqlite ? "real" : "double precision"));
  CHECK(score->default_sql == std::optional<std::string>("0"));
  const ColumnDescription* version = member->column("version");
  REQUIRE(version);
  CHECK(version->default_sql == std::optional<std::string>("1"));  // a version column starts at 1

  // each type as ctorm's create table writes it is the same as the one the database reports
  const bool sqlite = ctorm_test::is_sqlite;
  CHECK(Introspection::same_type("varchar(80)", member->column("name")->type));
  CHECK(Introspection::same_type(sqlite ? "integer" : "boolean", member->column("active")->type));
  CHECK(Introspection::same_type(sqlite ? "real" : "double precision", member->column("score")->type));
  CHECK(Introspection::same_type(sqlite ? "integer" : "bigint", member->column("version")->type));
  CHECK(Introspection::same_type("text", member->column("nickname")->type));
  CHECK_FALSE(Introspection::same_type("text", member->column("score")->type));

  REQUIRE(member->foreign_keys.size() == 1);
  CHECK(member->foreign_keys[0].on_delete == "set null");
  CHECK(member->foreign_keys[0].on_update == "cascade");
  CHECK(member->foreign_keys[0].target_table == "team");

  const IndexDescription* unique = member->index("member_name_status_unique");
  REQUIRE(unique);
  CHECK(unique->unique);
  CHECK(unique->columns == Strings{"name", "status"});
}

TEST_CASE("introspection reads hand-written DDL: composite keys, views, constraints' indexes", "[introspection]") {
  using namespace introspect_test;
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  if constexpr (ctorm_test::is_sqlite) {
    run(orm, R"(create table "pair" ("a" integer not null, "b" text not null, "note" text default 'x', primary key ("a", "b")))");
    // an integer primary key without autoincrement is still the rowid; references that name no target
    // columns take the target's primary key
    run(orm, R"(create table "code" ("id" integer primary key, "code" TEXT not null, "team_id" integer references "team" on delete restrict, )"
             R"("pa" integer, "pb" text, constraint "code_code_team_unique" unique ("code", "team_id"), )"
             R"(foreign key ("pa", "pb") references "pair" on update set null))");
    run(orm, R"(create index "code_lower_index" on "code" (lower("code")))");
    run(orm, R"(create table "kv" ("k" integer primary key, "v" blob) without rowid)");
    // the main schema's tables only: a temporary table of the same name does not hide one
    run(orm, R"(create temp table "team" ("other" text))");
    run(orm, R"(create temp table "scratch" ("x" integer))");
    // a virtual table and its shadow tables are not the user's tables
    if (sqlite3_compileoption_used("ENABLE_FTS5")) run(orm, R"(create virtual table "search" using fts5("body"))");
  } else {
    run(orm, R"(create table "pair" ("a" integer not null, "b" text not null, "note" text default 'x', primary key ("a", "b")))");
    run(orm, R"(create table "code" ("id" bigserial primary key, "code" varchar(20) not null, "team_id" bigint references "team" on delete restrict, )"
             R"("pa" integer, "pb" text, "amount" numeric(10,2) default -1.5, "at" timestamptz default now(), )"
             R"(constraint "code_code_team_unique" unique ("code", "team_id"), )"
             R"(foreign key ("pa", "pb") references "pair" on update set null))");
    run(orm, R"(create index "code_lower_index" on "code" (lower("code")))");
    run(orm, R"(create table "kv" ("k" integer generated always as identity primary key, "v" bytea))");
  }
  run(orm, R"(create view "member_names" as select "name" from "member")");
  run(orm, R"(create table "ctorm_migrations" ("name" text primary key))");
  // names that need quoting reach the pragmas and catalogs whole
  run(orm, R"(create table "odd ""name""" ("x y" integer, "it's" text))");
  run(orm, R"(create index "odd index" on "odd ""name""" ("it's", "x y"))");

  const SchemaDescription s = read_schema(orm);
  // not ctorm_migrations, not the view
  CHECK(table_names(s) == Strings{"code", "kv", "member", "odd \"name\"", "pair", "team"});
  const TableDescription* odd = s.table("odd \"name\"");
  REQUIRE(odd);
  CHECK(column_names(*odd) == Strings{"x y", "it's"});
  CHECK(index_names(*odd) == Strings{"odd index"});
  CHECK(odd->index("odd index")->columns == Strings{"it's", "x y"});
  REQUIRE(s.views.size() == 1);
  CHECK(s.views[0].name == "member_names");
  CHECK(s.view("member_names"));
  CHECK(s.views[0].sql.find(ctorm_test::is_sqlite ? R"(select "name" from "member")" : "FROM member") != std::string::npos);

  if constexpr (ctorm_test::is_sqlite) CHECK(column_names(*s.table("team")) == Strings{"id", "name"});

  const TableDescription* pair = s.table("pair");
  REQUIRE(pair);
  check_column(*pair, "a", "integer", true, std::nullopt, 1, false);
  check_column(*pair, "b", "text", true, std::nullopt, 2, false);
  check_column(*pair, "note", "text", false, ctorm_test::is_sqlite ? "'x'" : "'x'::text");
  CHECK(pair->indexes.empty());  // the key's own index is not one a statement made

  const TableDescription* code = s.table("code");
  REQUIRE(code);
  check_column(*code, "id", int_type, ctorm_test::is_postgres, std::nullopt, 1, true);  // serial: no default
  // the declared type lower-cased
  CHECK(code->column("code")->type == (ctorm_test::is_sqlite ? "text" : "character varying(20)"));
  // the unique constraint's index is the constraint's, not listed
  CHECK(index_names(*code) == Strings{"code_lower_index"});
  CHECK(code->index("code_lower_index")->columns.size() == 1);
  if constexpr (ctorm_test::is_sqlite)
    CHECK(code->index("code_lower_index")->columns[0].empty());  // an expression: pragma index_info has no name
  else
    CHECK(code->index("code_lower_index")->columns[0] == "lower(code::text)");  // pg_get_indexdef's text
  REQUIRE(code->foreign_keys.size() == 2);
  const ForeignKeyDescription* team = foreign_key_on(*code, {"team_id"});
  REQUIRE(team);
  CHECK(team->target_table == "team");
  CHECK(team->target_columns == Strings{"id"});
  CHECK(team->on_delete == "restrict");
  CHECK(team->on_update == "no action");
  const ForeignKeyDescription* to_pair = foreign_key_on(*code, {"pa", "pb"});
  REQUIRE(to_pair);
  CHECK(to_pair->target_table == "pair");
  CHECK(to_pair->target_columns == Strings{"a", "b"});
  CHECK(to_pair->on_update == "set null");
  CHECK(to_pair->on_delete == "no action");
  CHECK(code->foreign_keys[0].columns == Strings{"team_id"});  // declaration order

  const TableDescription* kv = s.table("kv");
  REQUIRE(kv);
  // SQLite: without rowid, so not the rowid; PostgreSQL: an identity column
  CHECK(kv->column("k")->generated == ctorm_test::is_postgres);
  CHECK_FALSE(kv->column("k")->default_sql);

  if constexpr (ctorm_test::is_postgres) {
    const ColumnDescription* amount = code->column("amount");
    REQUIRE(amount);
    CHECK(amount->type == "numeric(10,2)");
    CHECK(Introspection::same_type("decimal(10, 2)", amount->type));
    REQUIRE(amount->default_sql);
    CHECK(Introspection::same_default("-1.5", *amount->default_sql));
    const ColumnDescription* at = code->column("at");
    REQUIRE(at);
    CHECK(at->type == "timestamp with time zone");
    CHECK(Introspection::same_type("timestamptz", at->type));
    CHECK(at->default_sql == std::optional<std::string>("now()"));
  }
}

TEST_CASE("an empty database has no tables", "[introspection]") {
  ctorm_test::Orm<introspect_test::Schema> orm{ctorm_test::fresh_database()};
  const SchemaDescription s = read_schema(orm);
  CHECK(s.tables.empty());
  CHECK(s.views.empty());
}

TEST_CASE("same_type compares types as the database stores them", "[introspection]") {
  if constexpr (ctorm_test::is_sqlite) {
    // SQLite's affinity rules (datatype3.html 3.1)
    CHECK(Introspection::same_type("varchar(255)", "text"));
    CHECK(Introspection::same_type("TEXT", "clob"));
    CHECK(Introspection::same_type("integer", "bigint"));
    CHECK(Introspection::same_type("double", "real"));
    CHECK(Introspection::same_type("", "blob"));
    CHECK(Introspection::same_type("decimal(10,2)", "boolean"));  // both numeric
    CHECK_FALSE(Introspection::same_type("integer", "text"));
    CHECK_FALSE(Introspection::same_type("real", "integer"));
    CHECK_FALSE(Introspection::same_type("blob", "text"));
    CHECK(Introspection::affinity("varchar(255)") == "text");
    CHECK(Introspection::affinity("BIGINT") == "integer");
    CHECK(Introspection::affinity("") == "blob");
    CHECK(Introspection::affinity("float") == "real");
    CHECK(Introspection::affinity("decimal(10,2)") == "numeric");
    CHECK(Introspection::affinity("floating point") == "integer");  // "int" is looked for first (SQLite's example)
  } else {
    CHECK(Introspection::same_type("bigint", "int8"));
    CHECK(Introspection::same_type("integer", "int4"));
    CHECK(Introspection::same_type("int", "integer"));
    CHECK(Introspection::same_type("bool", "boolean"));
    CHECK(Introspection::same_type("float8", "double precision"));
    CHECK(Introspection::same_type("float", "double precision"));
    CHECK(Introspection::same_type("float(10)", "real"));
    CHECK(Introspection::same_type("varchar(255)", "character varying(255)"));
    CHECK(Introspection::same_type("char(3)", "character(3)"));
    CHECK(Introspection::same_type("timestamptz", "timestamp with time zone"));
    CHECK(Introspection::same_type("timestamp", "timestamp without time zone"));
    CHECK(Introspection::same_type("timestamptz(3)", "timestamp(3) with time zone"));
    CHECK(Introspection::same_type("bigserial", "bigint"));
    CHECK(Introspection::same_type("serial", "integer"));
    CHECK(Introspection::same_type("int[]", "integer[]"));
    CHECK(Introspection::same_type("BIGINT", "bigint"));
    CHECK_FALSE(Introspection::same_type("varchar(255)", "text"));
    CHECK_FALSE(Introspection::same_type("varchar(100)", "character varying(255)"));
    CHECK_FALSE(Introspection::same_type("integer", "text"));
    CHECK_FALSE(Introspection::same_type("integer", "bigint"));
    CHECK_FALSE(Introspection::same_type("timestamp", "timestamptz"));
    CHECK(Introspection::affinity("character varying(10)") == "text");
    CHECK(Introspection::affinity("int8") == "integer");
    CHECK(Introspection::affinity("bytea") == "blob");
    CHECK(Introspection::affinity("point") == "point");
  }
}

TEST_CASE("same_default compares defaults as the database keeps them", "[introspection]") {
  CHECK(Introspection::same_default("''", "''"));
  CHECK(Introspection::same_default(" 0 ", "0"));
  CHECK_FALSE(Introspection::same_default("0", "1"));
  CHECK_FALSE(Introspection::same_default("'a'", "'b'"));
  if constexpr (ctorm_test::is_sqlite) {
    // SQLite keeps the text as written: nothing else is the same
    CHECK_FALSE(Introspection::same_default("''", "''::text"));
    CHECK_FALSE(Introspection::same_default("'A'", "'a'"));
  } else {
    CHECK(Introspection::same_default("''", "''::text"));
    CHECK(Introspection::same_default("'x'", "'x'::character varying"));
    CHECK(Introspection::same_default("-1", "'-1'::integer"));
    CHECK(Introspection::same_default("current_timestamp", "CURRENT_TIMESTAMP"));
    CHECK(Introspection::same_default("1+2", "(1 + 2)"));
    CHECK(Introspection::same_default("'{}'::jsonb", "'{}'::jsonb"));
    CHECK(Introspection::same_default("now()", "now()"));
    CHECK(Introspection::same_default("'2020-01-01'", "'2020-01-01 00:00:00'::timestamp without time zone") == false);
    CHECK_FALSE(Introspection::same_default("'A'", "'a'::text"));  // a literal's case counts
    CHECK_FALSE(Introspection::same_default("'a::text'", "'a'"));  // a cast inside a literal is text
  }
}

TEST_CASE("a double-quoted name that is no column is an error (SQLite)", "[introspection][sqlite]") {
  // SQLite alone took an unknown double-quoted name for a string; PostgreSQL never did.
  if constexpr (ctorm_test::is_sqlite) {
    using introspect_test::Legacy;
    ctorm_test::Orm<introspect_test::LegacySchema> orm{ctorm_test::fresh_database()};
    run(orm, R"(create table "legacy" ("id" integer primary key, "full_name" text not null))");
    run(orm, R"(insert into "legacy" ("full_name") values ('Ada'))");
    CHECK_THROWS_AS(run(orm, R"(select "fulname" from "legacy")"), ctorm::DatabaseError);
    // a mapping whose column name is misspelt fails, it does not read the name as the value
    auto em = orm.em();
    CHECK_THROWS_AS(em.find<Legacy>(), ctorm::DatabaseError);
    // DDL too: an index on a misspelt column is not an index on a constant string
    CHECK_THROWS_AS(run(orm, R"(create index "legacy_name_index" on "legacy" ("fulname"))"), ctorm::DatabaseError);
    // (a default's bare name is a string by SQLite's grammar, with or without double quotes)
  }
}
