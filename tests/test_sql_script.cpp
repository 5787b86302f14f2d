// Splitting a migration file into statements (schema/sql_script.hpp): what a `;` inside a string, an
// identifier, a comment, a dollar quote or a trigger's body does not end.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>
#include <ctorm/migrations.hpp>

#include <string>
#include <vector>

using ctorm::detail::split_sql_script;

namespace {
std::vector<std::string> texts(std::string_view sql) {
  std::vector<std::string> out;
  for (auto& s : split_sql_script(sql)) out.push_back(s.text);
  return out;
}
}  // namespace

TEST_CASE("statements end at ; outside quotes and comments", "[sql_script]") {
  CHECK(texts("") == std::vector<std::string>{});
  CHECK(texts("  ;; \n -- only a comment\n /* and another; */ ;") == std::vector<std::string>{});
  CHECK(texts("create table a (x integer);\ncreate table b (y integer)") ==
        std::vector<std::string>{"create table a (x integer)", "create table b (y integer)"});
  CHECK(texts("insert into a values ('x;y', 'it''s; fine');") ==
        std::vector<std::string>{"insert into a values ('x;y', 'it''s; fine')"});
  CHECK(texts(R"(create table "a;b" ("c""; d" integer); select 1)") ==
        std::vector<std::string>{R"(create table "a;b" ("c""; d" integer))", "select 1"});
  CHECK(texts("select 1 -- a comment; not a split\n+ 1; select /* ; */ 2;") ==
        std::vector<std::string>{"select 1 -- a comment; not a split\n+ 1", "select /* ; */ 2"});
  CHECK(texts("select `a;b`, [c;d] from t;") == std::vector<std::string>{"select `a;b`, [c;d] from t"});
  // PostgreSQL's escape strings take \' as a quote
  CHECK(texts(R"(select E'it\'s; here', 'a\'; select 2)") ==
        std::vector<std::string>{R"(select E'it\'s; here', 'a\')", "select 2"});
}

TEST_CASE("dollar quotes hold a function body", "[sql_script]") {
  const char* sql = R"(create function f() returns trigger as $body$
begin
  new.x := 'a;b'; -- $$ inside is text
  return new;
end;
$body$ language plpgsql;
create function g() returns int as $$ select 1; $$ language sql;
select $1, x$y from t;)";
  const auto s = texts(sql);
  REQUIRE(s.size() == 3);
  CHECK(s[0].starts_with("create function f()"));
  CHECK(s[0].ends_with("$body$ language plpgsql"));
  CHECK(s[1] == "create function g() returns int as $$ select 1; $$ language sql");
  CHECK(s[2] == "select $1, x$y from t");
}

TEST_CASE("a trigger's begin ... end body is one statement", "[sql_script]") {
  const char* sql = R"(create table t (x integer, y text);
CREATE TEMP TRIGGER t_ai AFTER INSERT ON t
WHEN new.x > 0
BEGIN
  update t set y = case when new.x > 1 then 'big;' else 'small' end where rowid = new.rowid;
  insert into t (x) values (0);
END;
insert into t (x) values (2);
begin;
commit;)";
  const auto s = texts(sql);
  REQUIRE(s.size() == 5);
  CHECK(s[1].starts_with("CREATE TEMP TRIGGER"));
  CHECK(s[1].ends_with("END"));
  CHECK(s[2] == "insert into t (x) values (2)");
  CHECK(s[3] == "begin");

  // the statements run: the trigger is whole
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  for (std::size_t i = 0; i < 3; ++i) CHECK(sqlite3_exec(db, s[i].c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "select count(*), max(y) from t", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == 2);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))) == "big;");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_CASE("begin atomic bodies (PostgreSQL) are one statement", "[sql_script]") {
  const auto s = texts("create or replace function f(a int) returns int language sql begin atomic select a + 1; end;\nselect f(1);");
  REQUIRE(s.size() == 2);
  CHECK(s[0].ends_with("select a + 1; end"));
}

TEST_CASE("each statement knows its line", "[sql_script]") {
  const auto s = split_sql_script("-- header\n\nselect 1;\n/* two\nlines */ select\n'a\nb';\n\n  select 3");
  REQUIRE(s.size() == 3);
  CHECK(s[0].line == 3);
  CHECK(s[1].line == 5);
  CHECK(s[1].text == "select\n'a\nb'");
  CHECK(s[2].line == 9);
}

TEST_CASE("an unclosed quote or comment is an error naming its line", "[sql_script]") {
  CHECK_THROWS_WITH(split_sql_script("select 1;\nselect 'abc;"), Catch::Contains("'...' string opened on line 2"));
  CHECK_THROWS_AS(split_sql_script("select \"abc;"), ctorm::MigrationError);
  CHECK_THROWS_WITH(split_sql_script("select 1 /* x"), Catch::Contains("/* comment opened on line 1"));
  CHECK_THROWS_WITH(split_sql_script("\n\nselect $x$ abc $y$;"), Catch::Contains("dollar quote opened on line 3"));
}

TEST_CASE("migration names", "[sql_script][migrations]") {
  using namespace ctorm::detail;
  CHECK(valid_migration_name("20261202103000_add_social"));
  CHECK_FALSE(valid_migration_name("20261202103000_"));
  CHECK_FALSE(valid_migration_name("2026120210300_add"));
  CHECK_FALSE(valid_migration_name("20261202103000_Add"));
  CHECK_FALSE(valid_migration_name("20261202103000-add"));
  CHECK(migration_snake_name("AddSocial") == "add_social");
  CHECK(migration_snake_name(" add  social-links!") == "add_social_links");
  CHECK(migration_snake_name("v2Users") == "v2_users");
  CHECK(migration_snake_name("--") == "migration");
  const auto t = migration_time("20261202103000_x");
  CHECK(migration_timestamp(t) == "20261202103000");
  CHECK(next_migration_name("Add Social", t, "") == "20261202103000_add_social");
  CHECK(next_migration_name("b", t, "20261202103000_a") == "20261202103001_b");
  CHECK(next_migration_name("b", t, "20261231235959_a") == "20270101000000_b");
  CHECK(next_migration_name("b", t + std::chrono::seconds{5}, "20261202103000_a") == "20261202103005_b");
  CHECK(migration_checksum("a", "b") != migration_checksum("ab", ""));
  CHECK(migration_checksum("", "") == "af63bd4c8601b7df");  // FNV-1a 64 of one NUL byte
}
