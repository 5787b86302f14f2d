// Migrations (schema/migrator.hpp): folder and compiled migrations, up/down/to, list/pending, checksums,
// failures that leave everything as it was, malformed folders, create() from the entities' changes and
// check(). Runs on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <ctorm/migrations.hpp>

#include "support/backend.hpp"

namespace fs = std::filesystem;
using ctorm::MigrationError;
using ctorm::MigrationOptions;

namespace {

struct Note {
  std::int64_t id{};
  std::string text;
};
using Schema = ctorm::schema<Note>;

// A folder of its own for one test case, removed at its end.
struct TempFolder {
  fs::path path;
  TempFolder() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("ctorm_migrations_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path / file, std::ios::binary) << text;
  }
  void add(const std::string& name, const std::string& up, const std::string& down) const {
    write(name + ".up.sql", up);
    write(name + ".down.sql", down);
  }
};

constexpr const char* m1 = "20260101000000_create_note";
constexpr const char* m2 = "20260102000000_add_tag";
constexpr const char* m3 = "20260103000000_seed";

void add_three(const TempFolder& f) {
  f.add(m1, "create table \"note\" (\"id\" integer primary key, \"text\" text not null);\n",
        "drop table \"note\";\n");
  f.add(m2, "-- a tag per note\nalter table \"note\" add column \"tag\" varchar(20);\ncreate index \"note_tag\" on \"note\" (\"tag\");",
        "drop index \"note_tag\";\nalter table \"note\" drop column \"tag\";");
  f.add(m3, "insert into \"note\" (\"id\", \"text\", \"tag\") values (1, 'it''s; here', 'a');\ninsert into \"note\" (\"id\", \"text\") values (2, 'b');",
        "delete from \"note\" where \"id\" in (1, 2);");
}

template <class O>
bool has_table(O& orm, const std::string& name) {
  if constexpr (ctorm_test::is_sqlite)
    return ctorm_test::raw_int(orm, "select count(*) from sqlite_master where type = 'table' and name = '" + name + "'") == 1;
  else
    return ctorm_test::raw_int(orm, "select count(*) from pg_tables where schemaname = current_schema() and tablename = '" +
                                        name + "'") == 1;
}

template <class O>
bool has_column(O& orm, const std::string& table, const std::string& column) {
  if constexpr (ctorm_test::is_sqlite)
    return ctorm_test::raw_int(orm, "select count(*) from pragma_table_info('" + table + "') where name = '" + column + "'") == 1;
  else
    return ctorm_test::raw_int(orm, "select count(*) from information_schema.columns where table_schema = current_schema() "
                                    "and table_name = '" + table + "' and column_name = '" + column + "'") == 1;
}

template <class O>
std::vector<std::string> applied_names(O& orm) {
  std::vector<std::string> out;
  for (const auto& row : ctorm_test::raw_rows(orm, "select name from ctorm_migrations order by id")) out.push_back(row[0]);
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("folder migrations: up, list, pending, down", "[migrations]") {
  TempFolder folder;
  add_three(folder);
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  auto m = orm.migrations(MigrationOptions{.folder = folder.path});

  CHECK(m.list().empty());
  CHECK(m.pending() == Names{m1, m2, m3});
  CHECK_FALSE(has_table(orm, "ctorm_migrations"));  // reading creates nothing

  CHECK(m.up() == Names{m1, m2, m3});
  CHECK(m.pending().empty());
  CHECK(m.up().empty());
  CHECK(ctorm_test::raw_rows(orm, "select text, tag from note order by id") ==
        std::vector<std::vector<std::string>>{{"it's; here", "a"}, {"b", "NULL"}});
  const auto applied = m.list();
  REQUIRE(applied.size() == 3);
  CHECK(applied[0].name == m1);
  CHECK(applied[0].checksum.size() == 16);
  CHECK(applied[0].checksum != applied[1].checksum);
  CHECK(applied[2].executed_at.size() == 19);  // "2026-12-02 10:30:00"
  CHECK(applied[2].executed_at[4] == '-');
  CHECK_FALSE(applied[0].changed);
  CHECK_FALSE(applied[0].missing);

  // the entities read what the migrations made
  auto em = orm.em();
  CHECK(em.find_one_or_fail<Note>(1).text == "it's; here");

  CHECK(m.down() == Names{m3});
  CHECK(ctorm_test::raw_int(orm, "select count(*) from note") == 0);
  CHECK(m.pending() == Names{m3});
  CHECK(m.down() == Names{m2});
  CHECK_FALSE(has_column(orm, "note", "tag"));
  CHECK(m.down() == Names{m1});
  CHECK_FALSE(has_table(orm, "note"));
  CHECK(m.down().empty());
  CHECK(applied_names(orm).empty());
}

TEST_CASE("up(to) and down(to)", "[migrations]") {
  TempFolder folder;
  add_three(folder);
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  auto m = orm.migrations(MigrationOptions{.folder = folder.path});

  CHECK(m.up(m2) == Names{m1, m2});
  CHECK(m.pending() == Names{m3});
  CHECK(m.up(m2).empty());
  CHECK(m.up(m3) == Names{m3});
  CHECK(m.down(m1) == Names{m3, m2});
  CHECK(applied_names(orm) == Names{m1});
  CHECK(m.up() == Names{m2, m3});
  CHECK(m.down("0") == Names{m3, m2, m1});
  CHECK_FALSE(has_table(orm, "note"));

  CHECK_THROWS_AS(m.up("20990101000000_nothing"), MigrationError);
  CHECK_THROWS_WITH(m.down(m2), Catch::Contains("no applied migration is named " + std::string(m2)));
  CHECK(m.pending().size() == 3);
}

TEST_CASE("compiled migrations, alone and with a folder", "[migrations]") {
  TempFolder folder;
  folder.add(m1, "create table \"note\" (\"id\" integer primary key, \"text\" text not null);", "drop table \"note\";");
  std::string seen_backend;
  std::vector<ctorm::Migration> compiled{
      {"20260105000000_seed", "insert into \"note\" (\"id\", \"text\") values (1, 'one'); insert into \"note\" (\"id\", \"text\") values (2, 'two');",
       "delete from \"note\";"},
      {"20260104000000_upper",
       [&](ctorm::MigrationContext& c) {
         seen_backend = std::string(c.backend());
         CHECK(c.name() == "20260104000000_upper");
         c.execute("alter table \"note\" add column \"upper\" text");
       },
       [](ctorm::MigrationContext& c) { c.execute("alter table \"note\" drop column \"upper\""); }},
  };
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  auto m = orm.migrations(MigrationOptions{.folder = folder.path, .compiled = compiled});
  CHECK(m.pending() == Names{m1, "20260104000000_upper", "20260105000000_seed"});
  CHECK(m.up().size() == 3);
  CHECK(seen_backend == (ctorm_test::is_sqlite ? "SQLite" : "PostgreSQL"));
  CHECK(has_column(orm, "note", "upper"));
  const auto applied = m.list();
  REQUIRE(applied.size() == 3);
  CHECK(applied[1].checksum.empty());     // functions have none
  CHECK(applied[2].checksum.size() == 16);  // compiled text has one
  CHECK(m.down(m1) == Names{"20260105000000_seed", "20260104000000_upper"});
  CHECK_FALSE(has_column(orm, "note", "upper"));

  // compiled only: no folder
  ctorm_test::Orm<Schema> other{ctorm_test::fresh_database()};
  auto only = other.migrations(MigrationOptions{.folder = {}, .compiled = {{m1, "create table \"note\" (\"id\" integer primary key, \"text\" text)", ""}}});
  CHECK(only.up() == Names{m1});
  CHECK(has_table(other, "note"));
  CHECK(only.down() == Names{m1});  // an empty down step undoes nothing but the record
  CHECK(has_table(other, "note"));
  CHECK(only.pending() == Names{m1});
}

TEST_CASE("an applied migration whose file changed is reported", "[migrations]") {
  TempFolder folder;
  add_three(folder);
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  auto m = orm.migrations(MigrationOptions{.folder = folder.path});
  m.up(m2);
  folder.write(std::string(m1) + ".down.sql", "drop table \"note\"; -- edited\n");

  const auto applied = m.list();
  REQUIRE(applied.size() == 2);
  CHECK(applied[0].changed);
  CHECK_FALSE(applied[1].changed);
  try {
    m.up();
    FAIL("up() ran over a changed migration");
  } catch (const MigrationError& e) {
    CHECK(std::string(e.what()).find(m1) != std::string::npos);
    CHECK(std::string(e.what()).find("changed since they ran") != std::string::npos);
  }
  CHECK_THROWS_AS(m.down(), MigrationError);
  CHECK(applied_names(orm) == Names{m1, m2});  // nothing ran

  // a migration whose files are gone
  fs::remove(folder.path / (std::string(m2) + ".up.sql"));
  fs::remove(folder.path / (std::string(m2) + ".down.sql"));
  folder.write(std::string(m1) + ".down.sql", "drop table \"note\";\n");  // restored
  const auto now = m.list();
  REQUIRE(now.size() == 2);
  CHECK_FALSE(now[0].changed);
  CHECK(now[1].missing);
  CHECK_THROWS_WITH(m.down(), Catch::Contains("cannot be undone"));
}

TEST_CASE("a failing migration rolls back and leaves the applied table unchanged", "[migrations]") {
  TempFolder folder;
  add_three(folder);
  const std::string bad = "20260104000000_bad";
  folder.add(bad, "insert into \"note\" (\"id\", \"text\") values (3, 'c');\nalter table \"note\" add column \"extra\" integer;\n\ninsert into \"missing_table\" values (1);\n",
             "");
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  auto m = orm.migrations(MigrationOptions{.folder = folder.path});
  try {
    m.up();
    FAIL("the bad migration ran");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == bad);
    CHECK(e.sql() == "insert into \"missing_table\" values (1)");
    const std::string what = e.what();
    CHECK(what.find("statement 3 (line 4 of") != std::string::npos);
    CHECK(what.find("missing_table") != std::string::npos);
    CHECK(e.cause() != nullptr);
    CHECK_THROWS_AS(std::rethrow_exception(e.cause()), ctorm::DatabaseError);
    if constexpr (ctorm_test::is_postgres) CHECK(e.sql_state() == "42P01");
  }
  // the three before it stay applied; nothing of the bad one is left
  CHECK(applied_names(orm) == Names{m1, m2, m3});
  CHECK(ctorm_test::raw_int(orm, "select count(*) from note") == 2);
  CHECK_FALSE(has_column(orm, "note", "extra"));
  CHECK(m.pending() == Names{bad});

  // the first migration failing: not even ctorm_migrations is made
  TempFolder f2;
  f2.add(m1, "create table \"note\" (\"id\" integer primary key);\ncreate table \"note\" (\"id\" integer primary key);", "");
  ctorm_test::Orm<Schema> orm2{ctorm_test::fresh_database()};
  CHECK_THROWS_AS(orm2.migrations(MigrationOptions{.folder = f2.path}).up(), MigrationError);
  CHECK_FALSE(has_table(orm2, "ctorm_migrations"));
  CHECK_FALSE(has_table(orm2, "note"));

  // a compiled function that throws
  ctorm_test::Orm<Schema> orm3{ctorm_test::fresh_database()};
  auto m3x = orm3.migrations(MigrationOptions{
      .folder = {},
      .compiled = {{m1,
                    [](ctorm::MigrationContext& c) {
                      c.execute("create table \"note\" (\"id\" integer primary key)");
                      throw std::runtime_error("no more");
                    },
                    ""}}});
  CHECK_THROWS_WITH(m3x.up(), Catch::Contains("its function, after statement 1") && Catch::Contains("no more"));
  CHECK_FALSE(has_table(orm3, "note"));
}

TEST_CASE("a malformed folder is an error before anything runs", "[migrations]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  const auto nothing_ran = [&] {
    CHECK_FALSE(has_table(orm, "note"));
    CHECK_FALSE(has_table(orm, "ctorm_migrations"));
  };
  {
    TempFolder f;
    add_three(f);
    fs::remove(f.path / (std::string(m3) + ".down.sql"));
    CHECK_THROWS_WITH(orm.migrations(MigrationOptions{.folder = f.path}).up(),
                      Catch::Contains("has no down file") && Catch::Contains(m3));
    nothing_ran();
  }
  {
    TempFolder f;
    add_three(f);
    f.write("2026_bad.up.sql", "select 1");
    f.write("README.md", "not a migration, left alone");
    f.write(".gitkeep", "");
    CHECK_THROWS_WITH(orm.migrations(MigrationOptions{.folder = f.path}).pending(),
                      Catch::Contains("2026_bad.up.sql: not a migration file"));
    CHECK_THROWS_AS(orm.migrations(MigrationOptions{.folder = f.path}).up(), MigrationError);
    nothing_ran();
  }
  {
    TempFolder f;
    add_three(f);
    f.write("20260101000000_Upper.up.sql", "select 1");
    f.write("20260101000000_x.sql", "select 1");
    f.write("20260109000000_only_down.down.sql", "select 1");
    try {
      orm.migrations(MigrationOptions{.folder = f.path}).up();
      FAIL("ran");
    } catch (const MigrationError& e) {
      const std::string what = e.what();
      CHECK(what.find("_Upper.up.sql: not a migration file") != std::string::npos);
      CHECK(what.find("20260101000000_x.sql: not a migration file") != std::string::npos);
      CHECK(what.find("has no up file") != std::string::npos);
    }
    nothing_ran();
  }
  {
    TempFolder f;
    add_three(f);
    CHECK_THROWS_WITH(orm.migrations(MigrationOptions{.folder = f.path, .compiled = {{m2, "select 1", "select 1"}}}).up(),
                      Catch::Contains("two migrations are named " + std::string(m2)));
    CHECK_THROWS_WITH(orm.migrations(MigrationOptions{.folder = {}, .compiled = {{"add_x", "select 1", ""}}}).up(),
                      Catch::Contains("\"add_x\": not a migration name"));
    nothing_ran();
  }
  {
    // an unclosed quote in the last file: the first two do not run either
    TempFolder f;
    add_three(f);
    f.add("20260104000000_broken", "update \"note\" set \"text\" = 'x;", "");
    CHECK_THROWS_WITH(orm.migrations(MigrationOptions{.folder = f.path}).up(),
                      Catch::Contains("20260104000000_broken") && Catch::Contains("opened on line 1"));
    nothing_ran();
  }
}

TEST_CASE("fresh drops everything and runs every migration", "[migrations]") {
  TempFolder folder;
  add_three(folder);
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.execute("create table \"other\" (\"id\" integer primary key)");
  orm.execute("create view \"other_view\" as select \"id\" from \"other\"");
  auto m = orm.migrations(MigrationOptions{.folder = folder.path});
  m.up(m1);
  orm.execute("insert into \"note\" (\"id\", \"text\") values (9, 'gone')");
  CHECK(m.fresh() == Names{m1, m2, m3});
  CHECK_FALSE(has_table(orm, "other"));
  CHECK(ctorm_test::raw_ids(orm, "select id from note order by id") == std::vector<std::int64_t>{1, 2});
  CHECK(applied_names(orm) == Names{m1, m2, m3});
  CHECK(m.fresh().size() == 3);  // again, over its own tables
}

namespace {
struct NoteV1 {
  std::int64_t id{};
  std::string text;
};
struct NoteV2 {
  std::int64_t id{};
  std::string text;
  std::optional<std::string> tag;
  std::int64_t score{};
};
}  // namespace
template <>
struct ctorm::entity_options<NoteV1> : ctorm::options<ctorm::table_name<"note">> {};
template <>
struct ctorm::entity_options<NoteV2>
    : ctorm::options<ctorm::table_name<"note">, ctorm::default_value<&NoteV2::score, "0">, ctorm::index<&NoteV2::tag>> {};

namespace {
std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("create writes migrations from the entities' changes; check finds what needs one", "[migrations]") {
  TempFolder folder;
  const std::string db = ctorm_test::fresh_database("migrations_create.db");
  const MigrationOptions options{.folder = folder.path};
  {
    ctorm_test::Orm<ctorm::schema<NoteV1>> v1{db};
    auto m = v1.migrations(options);
    CHECK(m.check());  // no table yet
    const auto written = m.create("Create note");
    REQUIRE(written.size() == 2);
    CHECK(written[0].filename().string().ends_with("_create_note.up.sql"));
    CHECK(file_text(written[0]).starts_with("create table \"note\""));
    CHECK(file_text(written[1]) == "drop table \"note\";\n");
    CHECK_FALSE(m.check());  // the pending migration makes what the entities ask
    CHECK_FALSE(has_table(v1, "note"));  // and check() changed nothing
    CHECK_THROWS_WITH(m.create("again"), Catch::Contains("migrations are pending"));
    CHECK(m.up().size() == 1);
    CHECK_FALSE(m.check());
    CHECK_THROWS_WITH(m.create("again"), Catch::Contains("already matches the entities"));
    auto em = v1.em();
    em.create<NoteV1>(ctorm::prop<&NoteV1::text> = "kept");
    em.create<NoteV1>(ctorm::prop<&NoteV1::text> = "also kept");
    em.flush();
  }
  ctorm_test::Orm<ctorm::schema<NoteV2>> v2{db};
  auto m = v2.migrations(options);
  CHECK(m.check());
  const auto written = m.create("add tag");
  REQUIRE(written.size() == 2);
  const std::string up = file_text(written[0]);
  const std::string down = file_text(written[1]);
  INFO(up << "\n--\n" << down);
  CHECK(up.find("\"tag\"") != std::string::npos);
  CHECK(up.find("\"score\"") != std::string::npos);
  CHECK(up.find("create index") != std::string::npos);
  CHECK(down.find("drop") != std::string::npos);  // SQLite rebuilds the table, PostgreSQL drops the columns
  CHECK(m.pending().size() == 1);
  CHECK_FALSE(m.check());

  CHECK(m.up().size() == 1);
  CHECK_FALSE(m.check());
  CHECK(v2.schema().validate().empty());
  {
    auto em = v2.em();
    auto notes = em.query<NoteV2>().order_by(ctorm::asc<&NoteV2::id>).all();
    REQUIRE(notes.size() == 2);
    CHECK(notes[0]->text == "kept");
    CHECK_FALSE(notes[0]->tag);
    CHECK(notes[1]->score == 0);
  }

  // blank: two empty files, whatever the entities say
  const auto blank = m.create("fix rows", ctorm::CreateOptions{.blank = true});
  CHECK(file_text(blank[0]).empty());
  CHECK(file_text(blank[1]).empty());
  CHECK(blank[0].filename().string() > written[0].filename().string());
  CHECK(m.up().size() == 1);

  // back down to the first version: rows kept, the old entities match again
  CHECK(m.down(m.list().front().name).size() == 2);
  CHECK_FALSE(has_column(v2, "note", "tag"));
  CHECK(ctorm_test::raw_rows(v2, "select text from note order by id") ==
        std::vector<std::vector<std::string>>{{"kept"}, {"also kept"}});
  {
    ctorm_test::Orm<ctorm::schema<NoteV1>> v1{db};
    CHECK(v1.schema().validate().empty());
    CHECK_FALSE(v1.migrations(MigrationOptions{.folder = folder.path}).check() == false);  // pending: V2's
  }
  CHECK(m.up().size() == 2);
  CHECK(has_column(v2, "note", "tag"));
}

TEST_CASE("create: what could lose data is refused unless allowed", "[migrations]") {
  TempFolder folder;
  const std::string db = ctorm_test::fresh_database("migrations_refuse.db");
  {
    ctorm_test::Orm<ctorm::schema<NoteV2>> v2{db};
    v2.schema().create();
  }
  ctorm_test::Orm<ctorm::schema<NoteV1>> v1{db};
  auto m = v1.migrations(MigrationOptions{.folder = folder.path});
  CHECK(m.check());
  CHECK_THROWS_AS(m.create("drop tag"), ctorm::SchemaChangeRefused);
  CHECK(fs::is_empty(folder.path));
  const auto written = m.create("drop tag", ctorm::CreateOptions{.update = {.allow_drop = true}});
  CHECK(m.up().size() == 1);
  CHECK_FALSE(has_column(v1, "note", "tag"));
  CHECK_FALSE(m.check());
  CHECK(m.down().size() == 1);  // the down step adds them back
  CHECK(has_column(v1, "note", "tag"));
  CHECK(has_column(v1, "note", "score"));
}
