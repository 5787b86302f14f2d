// Hostile values: quotes, SQL, NUL bytes and megabyte strings are stored and found unchanged, because
// values are only ever bound, never pasted into the text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/query_log.hpp"
#include "support/query_model.hpp"

using ctorm::col;
using namespace ctorm_qtest;

namespace {

std::vector<std::string> hostile_values() {
  std::string nul_inside("a\0b", 3);
  std::string only_nul(1, '\0');
  std::string megabyte(1 << 20, 'x');
  for (std::size_t i = 0; i < megabyte.size(); i += 997) megabyte[i] = static_cast<char>('\'' + i % 7);
  megabyte[12345] = '\0';
  std::string high_bytes;
  for (int c = 1; c < 256; ++c) high_bytes += static_cast<char>(c);
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
          nul_inside,
          only_nul,
          "",
          "\xF0\x9F\x98\x80 \xE2\x82\xAC",
          high_bytes,
          megabyte};
}

}  // namespace

TEST_CASE("hostile strings are stored and found unchanged", "[query][hostile]") {
  ctorm::Orm<Schema> orm{":memory:"};
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
  CHECK(raw_ids(orm.native_handle(), "select count(*) from user")[0] == static_cast<std::int64_t>(values.size()));
}

TEST_CASE("the query log shows hostile values escaped and cut short", "[query][hostile]") {
  ctorm::Orm<Schema> orm{":memory:"};
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
