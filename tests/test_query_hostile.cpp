// Hostile values: quotes, SQL, NUL bytes and megabyte strings are stored and found unchanged, because
// values are only ever bound, never pasted into the text. Hostile names: a `"` in a table or column name
// given by trait is doubled in every quoted identifier, so such a schema is created and used as any other.
// PostgreSQL's text holds neither a NUL byte nor bytes that are not UTF-8 (SQLite's holds any bytes): there
// such values are refused, and checked to be.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/query_log.hpp"
#include "support/query_model.hpp"

using ctorm::col;
using namespace ctorm_qtest;

namespace {

// Every kind of identifier ctorm writes, each holding a `"`: tables, columns, a primary key, a foreign
// key named after it, index names, a pivot table and its columns.
struct Label;
struct Post;
struct Writer {
  std::int64_t id{};
  std::string name;
  std::optional<std::string> bio;
  ctorm::Collection<Post> posts;
};
struct Post {
  std::int64_t id{};
  std::string title;
  ctorm::Ref<Writer> writer;
  ctorm::Collection<Label> labels;
};
struct Label {
  std::int64_t id{};
  std::string name;
  ctorm::Collection<Post> posts;
};
using QuotedSchema = ctorm::schema<Writer, Post, Label>;

std::vector<std::string> hostile_values() {
#if !defined(CTORM_TEST_POSTGRES)
  std::string nul_inside("a\0b", 3);
  std::string only_nul(1, '\0');
#endif
  std::string megabyte(1 << 20, 'x');
  for (std::size_t i = 0; i < megabyte.size(); i += 997) megabyte[i] = static_cast<char>('\'' + i % 7);
  megabyte[12345] = '\0';
  std::string high_bytes;
  for (int c = 1; c < 256; ++c) high_bytes += static_cast<char>(c);
  if constexpr (ctorm_test::is_postgres) {
    megabyte[12345] = 'z';
    high_bytes.resize(127);  // the ASCII ones, then characters of two, three and four bytes
    high_bytes += "\xC3\xA9\xE2\x80\xAE\xEF\xBF\xBF\xF4\x8F\xBF\xBF";
  }
  return {"O'Brien",
          "''",
          "'; drop table user; --",
          "\"; drop table \"user\"; --",
          "Robert'); DROP TABLE user;--",
          "?",
          "?1 :name @x $y",
          "%_\\",
          "\\'",
          "line\nbreak\r\ttab",
#if !defined(CTORM_TEST_POSTGRES)
          nul_inside,
          only_nul,
#endif
          "",
          "\xF0\x9F\x98\x80 \xE2\x82\xAC",
          high_bytes,
          megabyte};
}

}  // namespace

template <>
struct ctorm::entity_options<Writer>
    : ctorm::options<ctorm::table_name<"wri\"ter">, ctorm::column_name<&Writer::id, "i\"d">,
                     ctorm::column_name<&Writer::name, "\"name\"">, ctorm::unique<&Writer::name>> {};
template <>
struct ctorm::optional_props<Writer> : ctorm::props<&Writer::bio> {};
template <>
struct ctorm::entity_options<Post>
    : ctorm::options<ctorm::table_name<"po\"st">, ctorm::column_name<&Post::title, "ti\"\"tle">,
                     ctorm::index<&Post::title>> {};
template <>
struct ctorm::entity_options<Label>
    : ctorm::options<ctorm::table_name<"la\"bel">, ctorm::mapped_by<&Label::posts, &Post::labels>> {};

static_assert(ctorm::create_table_sql<Post> ==
              R"(create table "po""st" ("id" integer not null primary key autoincrement, "ti""""tle" text not null, )"
              R"("writer_i""d" integer not null, constraint "po""st_writer_i""d_foreign" foreign key ("writer_i""d") )"
              R"(references "wri""ter" ("i""d") on update cascade))");

TEST_CASE("names holding a double quote are escaped in every statement", "[query][hostile]") {
  ctorm_test::Orm<QuotedSchema> orm{ctorm_test::fresh_database("quoted_names.db")};
  orm.schema().create();
  orm.schema().refresh_database();  // drops and creates again
  {
    auto em = orm.em();
    Writer& ann = em.persist(Writer{.name = "Ann"});
    Writer& bob = em.persist(Writer{.name = "Bob", .bio = "b"});
    Label& red = em.persist(Label{.name = "red"});
    Label& blue = em.persist(Label{.name = "blue"});
    Post& p1 = em.persist(Post{.title = "one", .writer = ann});
    Post& p2 = em.persist(Post{.title = "two", .writer = ann});
    em.persist(Post{.title = "three", .writer = bob});
    p1.labels.add(red, blue);
    p2.labels.add(red);
    em.flush();
  }
  CHECK(raw_rows(orm, R"(select "i""d", """name""" from "wri""ter" order by 1)") ==
        std::vector<std::vector<std::string>>{{"1", "Ann"}, {"2", "Bob"}});
  CHECK(ctorm_test::raw_int(orm, R"(select count(*) from "po""st_labels")") == 3);
  CHECK(ctorm_test::raw_int(orm, ctorm_test::is_sqlite
                                     ? R"(select count(*) from sqlite_master where type = 'index' and name = 'po"st_ti""tle_index')"
                                     : R"(select count(*) from pg_indexes where schemaname = current_schema() and indexname = 'po"st_ti""tle_index')") == 1);

  // Update (its text is made at run time), find, a join along a path, an alias, a sub-query.
  {
    auto em = orm.em();
    Writer& ann = em.find_one_or_fail<Writer>(col<&Writer::name> == "Ann");
    ann.bio = "a";
    ann.name = "Anne";
    em.flush();
  }
  auto em = orm.em();
  CHECK(em.find_one_or_fail<Writer>(1).name == "Anne");
  CHECK(em.count<Writer>(ctorm::is_not_null(col<&Writer::bio>)) == 2);
  CHECK(sorted_ids(em.find<Post>(col<&Post::writer, &Writer::name> == "Anne")) == std::vector<std::int64_t>{1, 2});
  CHECK(sorted_ids(em.find<Writer>(col<&Writer::posts, &Post::labels, &Label::name> == "blue")) ==
        std::vector<std::int64_t>{1});
  CHECK(em.query<Post>()
            .select(ctorm::as<"ti\"tle">(col<&Post::title>))
            .order_by(ctorm::descending(ctorm::as<"ti\"tle">(col<&Post::title>)))
            .all() == std::vector<std::string>{"two", "three", "one"});
  CHECK(sorted_ids(em.find<Writer>(
            ctorm::exists(ctorm::query<Post>().where(col<&Post::writer> == col<&Writer::id> && col<&Post::title> == "three")))) ==
        std::vector<std::int64_t>{2});

  // Populate, select-in and joined, through the pivot table.
  const auto labels_of = [](const auto& writers) {
    std::map<std::string, std::string> out;  // by name: a joined find promises no order
    for (const auto& w : writers)
      for (const auto& p : w.template get<&Writer::posts>())
        for (const auto& l : p.template get<&Post::labels>()) out[w->name] += p->title + "/" + l->name + " ";
    return out;
  };
  auto request = ctorm::populate<ctorm::path<&Writer::posts, &Post::labels>>;
  auto em2 = orm.em();
  const auto select_in = labels_of(em2.find<Writer>(request));
  CHECK(select_in == std::map<std::string, std::string>{{"Anne", "one/red one/blue two/red "}});
  auto em3 = orm.em();
  CHECK(labels_of(em3.find<Writer>(request, ctorm::joined)) == select_in);

  // Removing from the pivot table and deleting rows.
  Post& one = em.find_one_or_fail<Post>(col<&Post::title> == "one");
  one.labels.load_items();
  one.labels.remove_all();
  em.remove(em.find_one_or_fail<Post>(col<&Post::title> == "three"));
  em.flush();
  CHECK(ctorm_test::raw_int(orm, R"(select count(*) from "po""st_labels")") == 1);
  CHECK(ctorm_test::raw_int(orm, R"(select count(*) from "po""st")") == 2);
}

TEST_CASE("hostile strings are stored and found unchanged", "[query][hostile]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  const auto values = hostile_values();
  {
    auto em = orm.em();
    for (std::size_t i = 0; i < values.size(); ++i)
      em.persist(User{.full_name = values[i], .email = "u" + std::to_string(i) + "@x", .bio = values[i]});
    em.flush();
  }
  auto em = orm.em();
  CHECK(em.count<User>() == static_cast<std::int64_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    INFO("value " << i << " of " << values[i].size() << " bytes");
    const std::string& v = values[i];
    // Equality, through find_one, find, count, exists and the builder.
    User* u = em.find_one<User>(col<&User::full_name> == v);
    REQUIRE(u);
    CHECK(u->full_name == v);
    CHECK(u->bio == v);
    CHECK(u->full_name.size() == v.size());
    CHECK(em.find<User>(col<&User::bio> == v).size() == 1);
    CHECK(em.count<User>(col<&User::full_name> == v) == 1);
    CHECK(em.exists<User>(col<&User::full_name> == v && col<&User::bio> == v));
    CHECK(em.query<User>().select(col<&User::full_name>).where(col<&User::id> == u->id).one() == v);
    // In a list, in a raw fragment, and as a like pattern made literal by escape_like.
    CHECK(em.find<User>(ctorm::in(col<&User::full_name>, std::vector<std::string>{v, "other"})).size() == 1);
    CHECK(em.count<User>(ctorm::sql<"? = ?">(col<&User::bio>, v)) == 1);
    if (v.find('\0') == std::string::npos)  // SQLite's like stops at a NUL byte
      CHECK(em.count<User>(ctorm::like(col<&User::full_name>, ctorm::escape_like(v), ctorm::escaped)) >= 1);
  }
  // Written by update too, and still there: the table was never dropped.
  auto fresh = orm.em();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& v = values[i];
    CHECK(fresh.native_update<User>(ctorm::set(col<&User::email>, v), col<&User::full_name> == v) == 1);
    User& u = fresh.find_one_or_fail<User>(col<&User::email> == v);
    CHECK(u.email == v);
  }
  CHECK(ctorm_test::raw_int(orm, "select count(*) from \"user\"") == static_cast<std::int64_t>(values.size()));
}

TEST_CASE("text PostgreSQL cannot hold is refused, and nothing is written", "[query][hostile]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  User& u = em.persist(User{.full_name = std::string("a\0b", 3), .email = "nul@x"});
  if constexpr (ctorm_test::is_sqlite) {
    em.flush();  // SQLite's text holds any bytes
    CHECK(orm.em().count<User>() == 1);
  } else {
    CHECK_THROWS_AS(em.flush(), ctorm::InvalidValueError);  // refused when bound: the statement never ran
    CHECK_THROWS_AS(em.count<User>(col<&User::bio> == std::string(1, '\0')), ctorm::InvalidValueError);
    u.full_name = "\xFF\xFE not UTF-8";
    CHECK_THROWS_AS(em.flush(), ctorm::DatabaseError);  // refused by the server (22021)
    CHECK(orm.em().count<User>() == 0);
    u.full_name = "fixed";
    em.flush();
    CHECK(orm.em().count<User>() == 1);
  }
}

TEST_CASE("the query log shows hostile values escaped and cut short", "[query][hostile]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  ctorm_test::QueryLog log;
  log.attach(orm);
  auto em = orm.em();
  em.find<User>(col<&User::full_name> == std::string("'; drop table user; --"));
  CHECK(log.contains(R"([values: '''; drop table user; --'])"));
  log.clear();
  em.find<User>(col<&User::full_name> == std::string(1 << 20, 'y'));
  REQUIRE(log.size() == 1);
  CHECK(log.lines[0].size() < 1000);
  CHECK(log.contains("...(1048576 bytes)"));
}
