// orm.schema().validate(), update_sql() and update(): the entities compared with the live database, and the
// database taken to the entities. Each change is made from an older version of an entity (two C++ structs
// mapped to one table) and checked three ways: the SQL text, the database's schema after it, the rows kept.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "support/blog_model.hpp"
#include "support/query_log.hpp"

using ctorm_test::is_sqlite;
using ctorm_test::raw_rows;
using Kind = ctorm::SchemaDifference::Kind;

namespace su {

// validate: version 1 of a member, and version 2 that differs in every way validate reports
struct MemberV1 {
  std::int64_t id{};
  std::string name;
  std::optional<std::string> nick;
  std::string legacy;  // not null, no default: V2 drops it
  std::string age;     // text: V2 makes it an integer
  std::int64_t team_id{};
};
struct Team {
  std::int64_t id{};
  std::string name;
};
struct MemberV2 {
  std::int64_t id{};
  std::string name;  // varchar(255): the same affinity as text on SQLite, another type on PostgreSQL
  std::string nick;  // now not null
  std::int64_t age{};
  ctorm::Ref<Team> team;              // the same column, now a foreign key (and its index)
  std::optional<std::string> email;  // new
};

// update: versions of "item"
struct ItemA {  // the base
  std::int64_t id{};
  std::string name;
};
struct ItemB {  // + a nullable column, a column with a default
  std::int64_t id{};
  std::string name;
  std::optional<std::string> nick;
  std::int64_t score{};
};
struct ItemC {  // + a not-null column without a default
  std::int64_t id{};
  std::string name;
  std::string code;
};
struct ItemD {  // + an indexed column
  std::int64_t id{};
  std::string name;
  std::string code;
};
struct ItemE {  // an integer rank
  std::int64_t id{};
  std::string name;
  std::int64_t rank{};
};
struct ItemF {  // the rank as text
  std::int64_t id{};
  std::string name;
  std::string rank;
};
struct ItemG {  // a nullable nick
  std::int64_t id{};
  std::string name;
  std::optional<std::string> nick;
};
struct ItemH {  // the nick required
  std::int64_t id{};
  std::string name;
  std::string nick;
};
struct ItemI {  // the base + an index on name
  std::int64_t id{};
  std::string name;
};
struct Owner {
  std::int64_t id{};
  std::string name;
};
struct ItemJ {  // an owner's key as a plain number
  std::int64_t id{};
  std::string name;
  std::int64_t owner_id{};
};
struct ItemK {  // the same column as a Ref: a foreign key and its index
  std::int64_t id{};
  std::string name;
  ctorm::Ref<Owner> owner;
};
struct ItemL {  // name renamed to title
  std::int64_t id{};
  std::string title;
};
struct Note {  // a new table that references item
  std::int64_t id{};
  std::string text;
  ctorm::Ref<ItemA> item;
};

}  // namespace su

template <>
struct ctorm::entity_options<su::MemberV1> : ctorm::options<ctorm::table_name<"member">> {};
template <>
struct ctorm::entity_options<su::MemberV2>
    : ctorm::options<ctorm::table_name<"member">, ctorm::length<&su::MemberV2::name, 255>, ctorm::index<&su::MemberV2::name>> {};
template <>
struct ctorm::entity_options<su::ItemA> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemB>
    : ctorm::options<ctorm::table_name<"item">, ctorm::default_value<&su::ItemB::score, "0">> {};
template <>
struct ctorm::entity_options<su::ItemC> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemD> : ctorm::options<ctorm::table_name<"item">, ctorm::index<&su::ItemD::code>> {};
template <>
struct ctorm::entity_options<su::ItemE> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemF> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemG> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemH> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemI> : ctorm::options<ctorm::table_name<"item">, ctorm::index<&su::ItemI::name>> {};
template <>
struct ctorm::entity_options<su::ItemJ> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemK> : ctorm::options<ctorm::table_name<"item">> {};
template <>
struct ctorm::entity_options<su::ItemL> : ctorm::options<ctorm::table_name<"item">> {};

namespace {

using namespace su;
using ctorm_test::Orm;

// A database made by schema S, holding `rows` (SQL inserts) when given.
template <class S>
std::string database_of(std::initializer_list<std::string> rows = {}) {
  const std::string where = ctorm_test::fresh_database("schema_update.db");
  Orm<S> orm{where};
  orm.schema().create();
  for (const auto& r : rows) orm.execute(r);
  return where;
}

std::set<std::pair<Kind, std::string>> kinds(const std::vector<ctorm::SchemaDifference>& ds) {
  std::set<std::pair<Kind, std::string>> out;
  for (const auto& d : ds) out.emplace(d.kind, d.column);
  return out;
}

// The live table's column names, in order.
template <class O>
std::vector<std::string> columns_of(O& orm, const std::string& table) {
  std::vector<std::string> out;
  const auto live = orm.schema().live();
  const auto* t = live.table(table);
  REQUIRE(t != nullptr);
  for (const auto& c : t->columns) out.push_back(c.name);
  return out;
}

// The column's type, SQLite (affinity) or PostgreSQL spelling.
inline std::string int_type() { return is_sqlite ? "integer" : "bigint"; }

}  // namespace

TEST_CASE("describing the entities matches the database create() made", "[schema_update]") {
  Orm<blog_test::Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  const auto entities = orm.schema().entities();
  const auto live = orm.schema().live();
  REQUIRE(entities.tables.size() == live.tables.size());
  for (const auto& want : entities.tables) {
    INFO(want.name);
    const auto* have = live.table(want.name);
    REQUIRE(have != nullptr);
    REQUIRE(want.columns.size() == have->columns.size());
    for (std::size_t i = 0; i < want.columns.size(); ++i) {
      const auto& w = want.columns[i];
      const auto& h = have->columns[i];
      INFO(w.name);
      CHECK(w.name == h.name);
      CHECK(ctorm_test::Backend::introspection::same_type(w.type, h.type));
      CHECK(w.not_null == h.not_null);
      CHECK(w.default_sql.has_value() == h.default_sql.has_value());
      CHECK(w.primary_key == h.primary_key);
      CHECK(w.generated == h.generated);
    }
    CHECK(want.indexes.size() == have->indexes.size());
    for (const auto& ix : want.indexes) {
      INFO(ix.name);
      REQUIRE(have->index(ix.name) != nullptr);
      CHECK(have->index(ix.name)->unique == ix.unique);
      CHECK(have->index(ix.name)->columns == ix.columns);
    }
    REQUIRE(want.foreign_keys.size() == have->foreign_keys.size());
    for (const auto& fk : want.foreign_keys) {
      const bool found = std::any_of(have->foreign_keys.begin(), have->foreign_keys.end(),
                                     [&](const auto& l) { return ctorm::detail::same_foreign_key(fk, l); });
      CHECK(found);
    }
  }
  // the C++ names ride along
  const auto* user = entities.table("user");
  REQUIRE(user != nullptr);
  CHECK(user->entity == "User");
  CHECK(user->column("created_at")->field == "ts.created_at");
  CHECK(entities.table("article_tags")->entity == "Article.tags");

  CHECK(orm.schema().validate().empty());
  CHECK(orm.schema().diff().empty());
  CHECK(orm.schema().update_sql().empty());
}

TEST_CASE("validate lists every difference between the entities and the database", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<MemberV1>>();
  Orm<ctorm::schema<Team, MemberV2>> orm{where};
  const auto ds = orm.schema().validate();
  std::set<std::pair<Kind, std::string>> expected{
      {Kind::missing_table, ""},
      {Kind::column_nullability, "nick"},
      {Kind::column_type, "age"},
      {Kind::missing_column, "email"},
      {Kind::missing_foreign_key, "team_id"},
      {Kind::missing_index, "member_name_index"},
      {Kind::missing_index, "member_team_id_index"},
      {Kind::extra_column, "legacy"},
  };
  // SQLite compares by affinity: varchar(255) and text are both text; PostgreSQL has two types
  if constexpr (!is_sqlite) expected.emplace(Kind::column_type, "name");
  CHECK(kinds(ds) == expected);

  for (const auto& d : ds) {
    if (d.kind == Kind::column_type && d.column == "age") {
      CHECK(d.entity == "MemberV2");
      CHECK(d.field == "age");
      if constexpr (is_sqlite) {
        CHECK(d.message() ==
              "column \"member\".\"age\" (MemberV2.age): type integer (integer affinity) expected, the database has "
              "text (text affinity)");
      }
    }
    if (d.kind == Kind::missing_table) CHECK(d.message() == "table \"team\" (Team) is missing");
    if (d.kind == Kind::column_nullability) CHECK(d.actual == "nullable");
  }
}

TEST_CASE("validate_schema makes opening an Orm on a database that differs throw", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<MemberV1>>();
  using Bad = Orm<ctorm::schema<Team, MemberV2>>;
  try {
    Bad orm{where, ctorm::validate_schema};
    FAIL("no SchemaMismatchError");
  } catch (const ctorm::SchemaMismatchError& e) {
    CHECK(e.differences().size() >= 8);
    const std::string what = e.what();
    CHECK(what.find("table \"team\" (Team) is missing") != std::string::npos);
    CHECK(what.find("column \"member\".\"email\" (MemberV2.email) is missing") != std::string::npos);
    CHECK(what.find("column \"member\".\"legacy\" is not mapped") != std::string::npos);
  }
  // the matching entities open
  Orm<ctorm::schema<MemberV1>> good{where, ctorm::validate_schema};
  CHECK(good.schema().validate().empty());
}

TEST_CASE("update on an up-to-date database runs nothing", "[schema_update]") {
  Orm<blog_test::Schema> orm{ctorm_test::fresh_database("schema_update.db")};
  orm.schema().create();
  ctorm_test::QueryLog log;
  log.attach(orm);
  CHECK(orm.schema().update_sql().empty());
  orm.schema().update();
  for (const auto& line : log.lines) {
    CHECK(line.find("begin") == std::string::npos);
    CHECK(line.find("alter") == std::string::npos);
    CHECK(line.find("create") == std::string::npos);
  }
}

TEST_CASE("update creates a new table in foreign-key order, with its indexes", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<ItemA>>({"insert into \"item\" (\"name\") values ('a')"});
  Orm<ctorm::schema<ItemA, Note>> orm{where};
  using B = ctorm_test::Backend;
  const std::string expected = std::string(ctorm::create_table_sql<Note, ctorm::UnderscoreNaming, B>) + ";\n" +
                               std::string(ctorm::create_index_sql<Note, ctorm::UnderscoreNaming, B>[0]) + ";\n";
  CHECK(orm.schema().update_sql() == expected);
  orm.schema().update();
  CHECK(orm.schema().validate().empty());
  CHECK(orm.schema().update_sql().empty());
  CHECK(raw_rows(orm, "select \"name\" from \"item\"") == std::vector<std::vector<std::string>>{{"a"}});
}

TEST_CASE("update adds a nullable column and one with a default by alter table", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<ItemA>>({"insert into \"item\" (\"name\") values ('a')"});
  Orm<ctorm::schema<ItemB>> orm{where};
  CHECK(orm.schema().update_sql() == "alter table \"item\" add column \"nick\" text;\n"
                                     "alter table \"item\" add column \"score\" " + int_type() + " not null default 0;\n");
  orm.schema().update();
  CHECK(orm.schema().validate().empty());
  CHECK(raw_rows(orm, "select \"name\", \"nick\", \"score\" from \"item\"") ==
        std::vector<std::vector<std::string>>{{"a", "NULL", "0"}});
}

TEST_CASE("a new not-null column without a default needs an empty table or a fill", "[schema_update]") {
  SECTION("refused on a table with rows, then filled") {
    const std::string where = database_of<ctorm::schema<ItemA>>({"insert into \"item\" (\"name\") values ('a')"});
    Orm<ctorm::schema<ItemC>> orm{where};
    try {
      orm.schema().update();
      FAIL("no SchemaChangeRefused");
    } catch (const ctorm::SchemaChangeRefused& e) {
      REQUIRE(e.changes().size() == 1);
      CHECK(e.changes()[0].find("adding column \"item\".\"code\", not null without a default, to a table that has rows") == 0);
    }
    CHECK(columns_of(orm, "item") == std::vector<std::string>{"id", "name"});

    const ctorm::UpdateOptions fill{.fills = {{"item", "code", "'c' || \"id\""}}};
    if constexpr (is_sqlite) {
      CHECK(orm.schema().update_sql(fill) ==
            "create table \"item__ctorm_new\" (\"id\" integer not null primary key autoincrement, \"name\" text not null, "
            "\"code\" text not null);\n"
            "insert into \"item__ctorm_new\" (\"id\", \"name\", \"code\") select \"id\", \"name\", 'c' || \"id\" from \"item\";\n"
            "drop table \"item\";\n"
            "alter table \"item__ctorm_new\" rename to \"item\";\n");
    } else {
      CHECK(orm.schema().update_sql(fill) == "alter table \"item\" add column \"code\" text;\n"
                                             "update \"item\" set \"code\" = 'c' || \"id\";\n"
                                             "alter table \"item\" alter column \"code\" set not null;\n");
    }
    orm.schema().update(fill);
    CHECK(orm.schema().validate().empty());
    CHECK(raw_rows(orm, "select \"name\", \"code\" from \"item\"") == std::vector<std::vector<std::string>>{{"a", "c1"}});
    // the key keeps counting where it was
    orm.execute("insert into \"item\" (\"name\", \"code\") values ('b', 'x')");
    CHECK(raw_rows(orm, "select \"id\" from \"item\" where \"name\" = 'b'") == std::vector<std::vector<std::string>>{{"2"}});
  }
  SECTION("done on an empty table") {
    Orm<ctorm::schema<ItemC>> orm{database_of<ctorm::schema<ItemA>>()};
    orm.schema().update();
    CHECK(orm.schema().validate().empty());
  }
}

TEST_CASE("update drops a column only when allowed", "[schema_update]") {
  SECTION("a plain column: alter table drop column") {
    const std::string where =
        database_of<ctorm::schema<ItemB>>({"insert into \"item\" (\"name\", \"nick\", \"score\") values ('a', 'n', 3)"});
    Orm<ctorm::schema<ItemA>> orm{where};
    try {
      (void)orm.schema().update_sql();
      FAIL("no SchemaChangeRefused");
    } catch (const ctorm::SchemaChangeRefused& e) {
      CHECK(e.changes().size() == 2);
      CHECK(std::string(e.what()).find("dropping column \"item\".\"nick\" loses its values: pass allow_drop") !=
            std::string::npos);
    }
    CHECK(orm.schema().update_sql({.allow_drop = true}) == "alter table \"item\" drop column \"nick\";\n"
                                                           "alter table \"item\" drop column \"score\";\n");
    orm.schema().update({.allow_drop = true});
    CHECK(columns_of(orm, "item") == std::vector<std::string>{"id", "name"});
    CHECK(raw_rows(orm, "select \"id\", \"name\" from \"item\"") == std::vector<std::vector<std::string>>{{"1", "a"}});
  }
  SECTION("an indexed column: SQLite rebuilds the table") {
    const std::string where = database_of<ctorm::schema<ItemD>>({"insert into \"item\" (\"name\", \"code\") values ('a', 'c')"});
    Orm<ctorm::schema<ItemA>> orm{where};
    CHECK_THROWS_AS(orm.schema().update(), ctorm::SchemaChangeRefused);
    if constexpr (is_sqlite) {
      CHECK(orm.schema().update_sql({.allow_drop = true}) ==
            "create table \"item__ctorm_new\" (\"id\" integer not null primary key autoincrement, \"name\" text not null);\n"
            "insert into \"item__ctorm_new\" (\"id\", \"name\") select \"id\", \"name\" from \"item\";\n"
            "drop table \"item\";\n"
            "alter table \"item__ctorm_new\" rename to \"item\";\n");
    } else {
      CHECK(orm.schema().update_sql({.allow_drop = true}) == "drop index \"item_code_index\";\n"
                                                             "alter table \"item\" drop column \"code\";\n");
    }
    orm.schema().update({.allow_drop = true});
    CHECK(orm.schema().diff().empty());
    CHECK(raw_rows(orm, "select \"id\", \"name\" from \"item\"") == std::vector<std::vector<std::string>>{{"1", "a"}});
  }
  SECTION("a table") {
    const std::string where = database_of<ctorm::schema<ItemA, Note>>();
    Orm<ctorm::schema<ItemA>> orm{where};
    CHECK_THROWS_WITH(orm.schema().update_sql(), Catch::Contains("dropping table \"note\" loses its rows"));
    CHECK(orm.schema().update_sql({.allow_drop = true}) == "drop table \"note\";\n");
    orm.schema().update({.allow_drop = true});
    CHECK(orm.schema().live().table("note") == nullptr);
  }
}

TEST_CASE("update changes a column's type, refusing a narrowing unless allowed", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<ItemE>>({"insert into \"item\" (\"name\", \"rank\") values ('a', 5)"});
  {
    Orm<ctorm::schema<ItemF>> orm{where};
    if constexpr (is_sqlite) {
      CHECK(orm.schema().update_sql() ==
            "create table \"item__ctorm_new\" (\"id\" integer not null primary key autoincrement, \"name\" text not null, "
            "\"rank\" text not null);\n"
            "insert into \"item__ctorm_new\" (\"id\", \"name\", \"rank\") select \"id\", \"name\", \"rank\" from \"item\";\n"
            "drop table \"item\";\n"
            "alter table \"item__ctorm_new\" rename to \"item\";\n");
    } else {
      CHECK(orm.schema().update_sql() == "alter table \"item\" alter column \"rank\" type text using \"rank\"::text;\n");
    }
    orm.schema().update();
    CHECK(orm.schema().validate().empty());
    CHECK(raw_rows(orm, "select \"rank\" from \"item\"") == std::vector<std::vector<std::string>>{{"5"}});
  }
  Orm<ctorm::schema<ItemE>> back{where};
  CHECK_THROWS_WITH(back.schema().update(),
                    Catch::Contains("changing the type of \"item\".\"rank\" from text to " + int_type() + " may not keep every value"));
  back.schema().update({.allow_drop = true});
  CHECK(back.schema().validate().empty());
  CHECK(raw_rows(back, "select \"rank\" + 1 from \"item\"") == std::vector<std::vector<std::string>>{{"6"}});
}

TEST_CASE("update changes nullability; a failing update rolls back and leaves the database as it was", "[schema_update]") {
  SECTION("every row has a value") {
    const std::string where = database_of<ctorm::schema<ItemG>>({"insert into \"item\" (\"name\", \"nick\") values ('a', 'n')"});
    Orm<ctorm::schema<ItemH>> orm{where};
    if constexpr (is_sqlite) {
      CHECK(orm.schema().update_sql().starts_with("create table \"item__ctorm_new\" ("));
    } else {
      CHECK(orm.schema().update_sql() == "alter table \"item\" alter column \"nick\" set not null;\n");
    }
    orm.schema().update();
    CHECK(orm.schema().validate().empty());
    // and back
    Orm<ctorm::schema<ItemG>> back{where};
    if constexpr (!is_sqlite) CHECK(back.schema().update_sql() == "alter table \"item\" alter column \"nick\" drop not null;\n");
    back.schema().update();
    CHECK(back.schema().validate().empty());
    CHECK(raw_rows(back, "select \"name\", \"nick\" from \"item\"") == std::vector<std::vector<std::string>>{{"a", "n"}});
  }
  SECTION("a NULL row: the update fails, nothing changed") {
    const std::string where = database_of<ctorm::schema<ItemG>>(
        {"insert into \"item\" (\"name\", \"nick\") values ('a', 'n')", "insert into \"item\" (\"name\") values ('b')"});
    Orm<ctorm::schema<ItemH>> orm{where};
    const auto before = orm.schema().live();
    CHECK_THROWS_AS(orm.schema().update(), ctorm::ConstraintViolation);
    const auto after = orm.schema().live();
    REQUIRE(after.table("item") != nullptr);
    CHECK(after.table("item")->column("nick")->not_null == false);
    CHECK(after.tables.size() == before.tables.size());
    CHECK(after.table("item__ctorm_new") == nullptr);
    CHECK(raw_rows(orm, "select \"name\", \"nick\" from \"item\" order by \"id\"") ==
          std::vector<std::vector<std::string>>{{"a", "n"}, {"b", "NULL"}});
    // the connection is usable and foreign keys are enforced again
    orm.execute("insert into \"item\" (\"name\") values ('c')");
  }
}

TEST_CASE("update creates and drops indexes", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<ItemA>>({"insert into \"item\" (\"name\") values ('a')"});
  {
    Orm<ctorm::schema<ItemI>> orm{where};
    CHECK(orm.schema().update_sql() == "create index \"item_name_index\" on \"item\" (\"name\");\n");
    orm.schema().update();
    const auto live = orm.schema().live();
    REQUIRE(live.table("item")->index("item_name_index") != nullptr);
    CHECK(live.table("item")->index("item_name_index")->columns == std::vector<std::string>{"name"});
  }
  Orm<ctorm::schema<ItemA>> back{where};
  // an index no entity declares is a note, not an error; update drops it (no data is lost)
  CHECK(back.schema().validate().empty());
  CHECK(kinds(back.schema().diff()) == std::set<std::pair<Kind, std::string>>{{Kind::extra_index, "item_name_index"}});
  CHECK(back.schema().update_sql() == "drop index \"item_name_index\";\n");
  back.schema().update();
  CHECK(back.schema().diff().empty());
  CHECK(raw_rows(back, "select \"name\" from \"item\"") == std::vector<std::vector<std::string>>{{"a"}});
}

TEST_CASE("update adds a foreign key", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<Owner, ItemJ>>(
      {"insert into \"owner\" (\"name\") values ('o')", "insert into \"item\" (\"name\", \"owner_id\") values ('a', 1)"});
  Orm<ctorm::schema<Owner, ItemK>> orm{where};
  const auto before = kinds(orm.schema().validate());
  CHECK(before == std::set<std::pair<Kind, std::string>>{{Kind::missing_foreign_key, "owner_id"},
                                                          {Kind::missing_index, "item_owner_id_index"}});
  if constexpr (is_sqlite) {
    CHECK(orm.schema().update_sql() ==
          "create table \"item__ctorm_new\" (\"id\" integer not null primary key autoincrement, \"name\" text not null, "
          "\"owner_id\" integer not null, constraint \"item_owner_id_foreign\" foreign key (\"owner_id\") references "
          "\"owner\" (\"id\") on update cascade);\n"
          "insert into \"item__ctorm_new\" (\"id\", \"name\", \"owner_id\") select \"id\", \"name\", \"owner_id\" from \"item\";\n"
          "drop table \"item\";\n"
          "alter table \"item__ctorm_new\" rename to \"item\";\n"
          "create index \"item_owner_id_index\" on \"item\" (\"owner_id\");\n");
  } else {
    CHECK(orm.schema().update_sql() ==
          "alter table \"item\" add constraint \"item_owner_id_foreign\" foreign key (\"owner_id\") references \"owner\" "
          "(\"id\") on update cascade;\n"
          "create index \"item_owner_id_index\" on \"item\" (\"owner_id\");\n");
  }
  orm.schema().update();
  CHECK(orm.schema().diff().empty());
  CHECK(raw_rows(orm, "select \"name\", \"owner_id\" from \"item\"") == std::vector<std::vector<std::string>>{{"a", "1"}});
  // enforced
  CHECK_THROWS_AS(orm.execute("insert into \"item\" (\"name\", \"owner_id\") values ('b', 9)"),
                  ctorm::ForeignKeyConstraintViolation);
}

TEST_CASE("a foreign key that a rebuild would leave dangling fails the update", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<Owner, ItemJ>>(
      {"insert into \"owner\" (\"name\") values ('o')", "insert into \"item\" (\"name\", \"owner_id\") values ('a', 7)"});
  Orm<ctorm::schema<Owner, ItemK>> orm{where};
  CHECK_THROWS_AS(orm.schema().update(), ctorm::ForeignKeyConstraintViolation);
  CHECK(kinds(orm.schema().validate()).count({Kind::missing_foreign_key, "owner_id"}) == 1);
  CHECK(raw_rows(orm, "select \"name\", \"owner_id\" from \"item\"") == std::vector<std::vector<std::string>>{{"a", "7"}});
}

TEST_CASE("a rename hint keeps a renamed column's values", "[schema_update]") {
  const std::string where = database_of<ctorm::schema<ItemA>>({"insert into \"item\" (\"name\") values ('a')"});
  Orm<ctorm::schema<ItemL>> orm{where};
  // without the hint: a drop and an add, refused
  CHECK_THROWS_AS(orm.schema().update_sql(), ctorm::SchemaChangeRefused);
  const ctorm::UpdateOptions rename{.renames = {{"item", "name", "title"}}};
  CHECK(orm.schema().update_sql(rename) == "alter table \"item\" rename column \"name\" to \"title\";\n");
  orm.schema().update(rename);
  CHECK(orm.schema().diff().empty());
  CHECK(raw_rows(orm, "select \"title\" from \"item\"") == std::vector<std::vector<std::string>>{{"a"}});
  // the hint no longer applies: nothing to do
  CHECK(orm.schema().update_sql(rename).empty());
}

TEST_CASE("the planner runs both ways between two descriptions", "[schema_update]") {
  using S1 = ctorm_test::SchemaManager<ctorm::schema<ItemA>>;
  using S2 = ctorm_test::SchemaManager<ctorm::schema<ItemB>>;
  using B = ctorm_test::Backend;
  const auto up = ctorm::detail::plan_schema_update<B>(S1::entities(), S2::entities());
  CHECK(up.size() == 2);
  CHECK_THROWS_AS(ctorm::detail::plan_schema_update<B>(S2::entities(), S1::entities()), ctorm::SchemaChangeRefused);
  const auto down = ctorm::detail::plan_schema_update<B>(S2::entities(), S1::entities(), {.allow_drop = true});
  CHECK(down == std::vector<std::string>{"alter table \"item\" drop column \"nick\"", "alter table \"item\" drop column \"score\""});
}
