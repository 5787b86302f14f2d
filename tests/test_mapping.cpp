// Scalar types: every built-in mapping and a user mapping survive a round trip through the database; values
// that cannot (a NaN, a stored value that does not fit its field) are typed errors. SQLite-only: text with
// a NUL byte (PostgreSQL's text cannot hold one), -0.0 losing its sign, and values of another type stored
// in a column (SQLite's type affinity; PostgreSQL refuses them when they are written).
#include <catch2/catch.hpp>
#include <ctorm/ctorm.hpp>

#include "support/backend.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace {

enum class Status : std::int16_t { draft = 1, published = 7 };
enum Color { red, green, blue };

struct Money {
  std::int64_t cents = 0;
  bool operator==(const Money&) const = default;
};

struct Everything {
  std::int64_t id{};
  bool flag = false;
  std::int8_t i8{};
  std::uint16_t u16{};
  std::int32_t i32{};
  std::uint32_t u32{};
  std::int64_t i64{};
  float f{};
  double d{};
  std::string text;
  std::optional<std::string> maybe_text;
  std::optional<std::int32_t> maybe_int;
  ctorm::TimePoint at{};
  std::optional<ctorm::TimePoint> maybe_at;
  Status status = Status::draft;
  Color color = red;
  ctorm::Blob bytes;
  Money price;
  std::optional<Money> discount;
};

struct Device {
  std::string id;  // a string key: a UUID the user sets
  std::string name;
};

struct Sample {
  std::int64_t id{};
  double value{};
  std::optional<double> maybe;
  float f{};
};

struct Small {
  std::int32_t id{};  // an integer key narrower than the rowid
  std::string name;
};

}  // namespace

template <>
struct ctorm::type_mapping<Money> {
  using db_type = std::int64_t;
  static std::int64_t to_db(const Money& m) { return m.cents; }
  static Money from_db(std::int64_t cents) { return Money{cents}; }
};

static_assert(ctorm::mapped_type<int>);
static_assert(ctorm::mapped_type<std::optional<std::string>>);
static_assert(ctorm::mapped_type<Money>);
static_assert(!ctorm::mapped_type<std::optional<std::optional<int>>>);
static_assert(!ctorm::mapped_type<std::vector<int>>);
static_assert(ctorm::create_table_sql<Everything> ==
              R"(create table "everything" ("id" integer not null primary key autoincrement, "flag" integer not null, )"
              R"("i8" integer not null, "u16" integer not null, "i32" integer not null, "u32" integer not null, )"
              R"("i64" integer not null, "f" real not null, "d" real not null, "text" text not null, "maybe_text" text, )"
              R"("maybe_int" integer, "at" integer not null, "maybe_at" integer, "status" integer not null, )"
              R"("color" integer not null, "bytes" blob not null, "price" integer not null, "discount" integer))");

using Schema = ctorm::schema<Everything, Device, Sample, Small>;

TEST_CASE("every scalar type round-trips", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  const auto at = ctorm::now();
  Everything original{
      .id = 0,
      .flag = true,
      .i8 = -100,
      .u16 = 65000,
      .i32 = std::numeric_limits<std::int32_t>::min(),
      .u32 = std::numeric_limits<std::uint32_t>::max(),
      .i64 = std::numeric_limits<std::int64_t>::max(),
      .f = 1.5f,
      .d = 3.141592653589793,
      // PostgreSQL's text cannot hold a NUL byte (a Blob can): see the case below
      .text = ctorm_test::is_sqlite ? std::string("quote ' and nul \0 inside", 24) : std::string("quote ' and no nul inside"),
      .maybe_text = std::nullopt,
      .maybe_int = 42,
      .at = at,
      .maybe_at = std::nullopt,
      .status = Status::published,
      .color = blue,
      .bytes = {std::byte{0}, std::byte{255}, std::byte{7}},
      .price = Money{1999},
      .discount = std::nullopt,
  };
  {
    auto em = orm.em();
    em.persist(Everything(original));
    em.flush();
  }
  auto em = orm.em();
  Everything& e = em.find_one_or_fail<Everything>(1);
  CHECK(e.flag);
  CHECK(e.i8 == -100);
  CHECK(e.u16 == 65000);
  CHECK(e.i32 == std::numeric_limits<std::int32_t>::min());
  CHECK(e.u32 == std::numeric_limits<std::uint32_t>::max());
  CHECK(e.i64 == std::numeric_limits<std::int64_t>::max());
  CHECK(e.f == 1.5f);
  CHECK(e.d == 3.141592653589793);
  CHECK(e.text == original.text);
  if constexpr (ctorm_test::is_sqlite) CHECK(e.text.size() == 24);
  CHECK_FALSE(e.maybe_text.has_value());
  CHECK(e.maybe_int == 42);
  CHECK(e.at == at);
  CHECK_FALSE(e.maybe_at.has_value());
  CHECK(e.status == Status::published);
  CHECK(e.color == blue);
  CHECK(e.bytes == original.bytes);
  CHECK(e.price == Money{1999});
  CHECK_FALSE(e.discount.has_value());

  // NULL and back, through updates.
  e.maybe_text = "now set";
  e.maybe_int.reset();
  e.maybe_at = at;
  e.discount = Money{5};
  e.bytes.clear();
  em.flush();
  auto em2 = orm.em();
  Everything& again = em2.find_one_or_fail<Everything>(1);
  CHECK(again.maybe_text == "now set");
  CHECK_FALSE(again.maybe_int.has_value());
  CHECK(again.maybe_at == at);
  CHECK(again.discount == Money{5});
  CHECK(again.bytes.empty());
}

TEST_CASE("time points are stored as integer milliseconds", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  const ctorm::TimePoint at{std::chrono::milliseconds{1700000000123}};
  em.persist(Everything{.at = at});
  em.flush();
  const auto rows = ctorm_test::raw_rows(orm, ctorm_test::is_sqlite ? "select at, typeof(at) from everything"
                                                                     : "select at, pg_typeof(at)::text from everything");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0] == "1700000000123");
  CHECK(rows[0][1] == (ctorm_test::is_sqlite ? "integer" : "bigint"));
}

TEST_CASE("text with a NUL byte", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  Everything& e = em.persist(Everything{.text = std::string("nul \0 inside", 12)});
  if constexpr (ctorm_test::is_sqlite) {
    em.flush();
    auto em2 = orm.em();
    CHECK(em2.find_one_or_fail<Everything>(e.id).text == std::string("nul \0 inside", 12));
  } else {
    // PostgreSQL's text cannot store it: refused when bound, naming the field, and nothing is written
    CHECK_THROWS_WITH(em.flush(), Catch::Contains("Everything.text holds a NUL byte"));
    CHECK_THROWS_AS(em.flush(), ctorm::InvalidValueError);
    CHECK(orm.em().count<Everything>() == 0);
    e.text = "nul";
    em.flush();
    CHECK(orm.em().count<Everything>() == 1);
  }
}

TEST_CASE("a string primary key set by the user", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  auto& d = em.persist(Device{.id = "6f1c2b1e-2c5a-4d8e-9a44-0d3f0c6a9b10", .name = "sensor"});
  em.flush();
  CHECK(em.find_one<Device>(std::string("6f1c2b1e-2c5a-4d8e-9a44-0d3f0c6a9b10")) == &d);
  d.name = "renamed";
  em.flush();
  auto em2 = orm.em();
  CHECK(em2.find_one_or_fail<Device>(std::string("6f1c2b1e-2c5a-4d8e-9a44-0d3f0c6a9b10")).name == "renamed");
  CHECK(em2.find_one<Device>(std::string("missing")) == nullptr);
}

TEST_CASE("conditions bind values of every mapped type", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();
  em.persist(Everything{.i32 = 5, .text = "a", .status = Status::published, .price = Money{100}});
  em.persist(Everything{.i32 = 9, .text = "b", .status = Status::draft, .price = Money{300}});
  em.flush();
  CHECK(em.count<Everything>(ctorm::col<&Everything::status> == Status::published) == 1);
  CHECK(em.count<Everything>(ctorm::col<&Everything::price> > Money{150}) == 1);
  CHECK(em.count<Everything>(ctorm::col<&Everything::i32> >= 5 && ctorm::col<&Everything::text> != "a") == 1);
  CHECK(em.count<Everything>(ctorm::col<&Everything::d> < 1) == 2);
  CHECK(em.count<Everything>(ctorm::col<&Everything::maybe_int> == 3) == 0);
}

// --- values SQLite cannot keep -------------------------------------------------------------------------

namespace {
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("a NaN is refused when it is bound, naming the field", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  auto em = orm.em();

  SECTION("a required double: not a NOT NULL violation") {
    Sample& s = em.persist(Sample{.value = not_a_number});
    try {
      em.flush();
      FAIL("the flush should have failed");
    } catch (const ctorm::InvalidValueError& e) {
      const std::string what = e.what();
      CHECK(what.find("Sample.value is NaN") != std::string::npos);
      CHECK(e.sql().rfind(R"(insert into "sample")", 0) == 0);
    }
    // Rolled back, the unit of work intact: fixed, the same entity is written.
    CHECK(orm.em().count<Sample>() == 0);
    CHECK(s.id == 0);
    CHECK(em.state(s) == ctorm::EntityState::new_entity);
    s.value = 1.5;
    em.flush();
    CHECK(s.id > 0);
    CHECK(orm.em().find_one_or_fail<Sample>(s.id).value == 1.5);
  }
  SECTION("an optional double: not stored as NULL") {
    em.persist(Sample{.maybe = not_a_number});
    CHECK_THROWS_AS(em.flush(), ctorm::InvalidValueError);
    CHECK(orm.em().count<Sample>() == 0);
  }
  SECTION("a float, in an update") {
    Sample& s = em.persist(Sample{.value = 1});
    em.flush();
    s.f = std::numeric_limits<float>::quiet_NaN();
    s.maybe = 2;
    CHECK_THROWS_WITH(em.flush(), Catch::Contains("Sample.f is NaN"));
    CHECK_FALSE(orm.em().find_one_or_fail<Sample>(s.id).maybe.has_value());
    s.f = 0.5f;
    em.flush();
    auto reader = orm.em();  // the entity lives as long as its entity manager
    const Sample& again = reader.find_one_or_fail<Sample>(s.id);
    CHECK(again.f == 0.5f);
    CHECK(again.maybe == 2.0);
  }
  SECTION("a query parameter") {
    try {
      em.count<Sample>(ctorm::col<&Sample::value> == not_a_number);
      FAIL("the count should have failed");
    } catch (const ctorm::InvalidValueError& e) {
      CHECK(std::string(e.what()).find("parameter 1 is NaN") != std::string::npos);
    }
    CHECK_THROWS_AS(em.query<Sample>().update(ctorm::set(ctorm::col<&Sample::maybe>, not_a_number)).run(),
                    ctorm::InvalidValueError);
  }
}

TEST_CASE("infinities round-trip; -0.0 reads back as +0.0 on SQLite", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  {
    auto em = orm.em();
    em.persist(Sample{.value = infinity, .maybe = -infinity, .f = -std::numeric_limits<float>::infinity()});
    em.persist(Sample{.value = -0.0, .maybe = -0.0, .f = -0.0f});
    em.flush();
  }
  auto em = orm.em();
  const Sample& a = em.find_one_or_fail<Sample>(1);
  CHECK(a.value == infinity);
  CHECK(a.maybe == -infinity);
  CHECK(a.f == -std::numeric_limits<float>::infinity());
  const Sample& b = em.find_one_or_fail<Sample>(2);
  CHECK(b.value == 0.0);
  if constexpr (ctorm_test::is_sqlite) {
    // A real column keeps a whole-number value as an integer, and 0 has no sign: SQLite's, not ctorm's.
    CHECK_FALSE(std::signbit(b.value));
    CHECK_FALSE(std::signbit(*b.maybe));
    CHECK_FALSE(std::signbit(b.f));
  } else {
    // PostgreSQL's double precision keeps the sign
    CHECK(std::signbit(b.value));
    CHECK(std::signbit(*b.maybe));
    CHECK(std::signbit(b.f));
  }
}

namespace {
template <class Em>
void flush_writes_nothing(ctorm_test::Orm<Schema>& orm, Em& em) {
  std::vector<std::string> lines;
  orm.set_logger([&](std::string_view line) { lines.emplace_back(line); });
  em.flush();
  orm.set_logger(nullptr);
  CHECK(lines.empty());
}

// Stores `sql_value` in column `column` of row 1 of `everything`, reads the entity back, and puts 0 back.
void read_with(ctorm_test::Orm<Schema>& orm, const std::string& column, const std::string& sql_value) {
  const std::string set = "update \"everything\" set \"" + column + "\" = ";
  orm.execute(set + sql_value);
  struct Restore {
    ctorm_test::Orm<Schema>& orm;
    std::string sql;
    ~Restore() { orm.execute(sql); }
  } restore{orm, set + "0"};
  orm.em().find_one_or_fail<Everything>(1);
}
}  // namespace

TEST_CASE("a stored value that does not fit its field is an error, never a silent narrowing", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  {
    auto em = orm.em();
    em.persist(Everything{});
    em.flush();
  }
  using Catch::Contains;
  SECTION("out of the field's range") {
    CHECK_THROWS_AS(read_with(orm, "i32", "1099511627776"), ctorm::ValueMismatchError);  // 2^40 into an int32_t
    CHECK_THROWS_WITH(read_with(orm, "i32", "1099511627776"),
                      Contains(R"(column "i32" of "everything" (row "id" = 1) holds the integer 1099511627776, )"
                               "which does not fit the field's type int"));
    CHECK_THROWS_AS(read_with(orm, "i8", "300"), ctorm::ValueMismatchError);
    CHECK_THROWS_AS(read_with(orm, "u16", "-1"), ctorm::ValueMismatchError);
    CHECK_THROWS_AS(read_with(orm, "u32", "4294967296"), ctorm::ValueMismatchError);
    if constexpr (ctorm_test::is_sqlite)  // PostgreSQL's boolean column holds nothing else
      CHECK_THROWS_AS(read_with(orm, "flag", "2"), ctorm::ValueMismatchError);
    CHECK_THROWS_AS(read_with(orm, "status", "70000"), ctorm::ValueMismatchError);  // its underlying int16_t
    CHECK_THROWS_AS(read_with(orm, "at", "9223372036854775807"), ctorm::ValueMismatchError);  // nanoseconds overflow
    CHECK_THROWS_AS(read_with(orm, "f", "1e300"), ctorm::ValueMismatchError);
  }
  // SQLite stores a value of any type in any column (type affinity); PostgreSQL refuses it (a real rounded
  // into an integer column, text that is no number) or rounds it when it is written, not read.
  if constexpr (ctorm_test::is_sqlite) {
    SECTION("a real into an integer") {
      CHECK_THROWS_WITH(read_with(orm, "i64", "1e20"), Contains("holds the real 1e+20"));
      CHECK_THROWS_WITH(read_with(orm, "price", "0.99"), Contains(R"(column "price" of "everything" (row "id" = 1) holds the real 0.99)"));
      CHECK_THROWS_AS(read_with(orm, "maybe_int", "2.5"), ctorm::ValueMismatchError);
    }
    SECTION("text or a blob into a number") {
      CHECK_THROWS_WITH(read_with(orm, "i32", "'abc'"), Contains("holds the text 'abc'"));
      CHECK_THROWS_AS(read_with(orm, "d", "'1.5x'"), ctorm::ValueMismatchError);
      CHECK_THROWS_WITH(read_with(orm, "i64", "x'0102'"), Contains("holds a <blob 2 bytes>"));
    }
  }
  SECTION("what fits is read") {
    // an integer into a double, NULL as the field's empty value, and the bounds of the types
    orm.execute(R"(update "everything" set "d" = 3, "i8" = -128, "u16" = 65535, "u32" = 4294967295, "flag" = true, )"
                R"("f" = 1e38)");
    auto em = orm.em();
    const Everything& e = em.find_one_or_fail<Everything>(1);
    CHECK(e.d == 3.0);
    CHECK(e.i8 == -128);
    CHECK(e.u16 == 65535);
    CHECK(e.u32 == 4294967295u);
    CHECK(e.flag);
    CHECK(e.f == 1e38f);
    // a real that is a whole number reads into an integer; one that is not does not
    CHECK(em.query<Everything>().select(ctorm::sql<"14.0 / 2", std::int32_t>()).one() == 7);
    CHECK(em.query<Everything>().select(ctorm::sql<"null", std::int32_t>()).one() == 0);
    CHECK_THROWS_WITH(em.query<Everything>().select(ctorm::sql<"15.0 / 2", std::int32_t>()).one(),
                      Contains("holds the real 7.5"));
  }
  SECTION("the row is read again once it is fixed") {
    orm.execute(R"(update "everything" set "i32" = 1e10, "text" = 'kept')");
    auto em = orm.em();
    CHECK_THROWS_AS(em.find_one<Everything>(1), ctorm::ValueMismatchError);
    CHECK_THROWS_AS(em.find<Everything>(), ctorm::ValueMismatchError);
    orm.execute(R"(update "everything" set "i32" = 12)");
    Everything* e = em.find_one<Everything>(1);
    REQUIRE(e != nullptr);
    CHECK(e->i32 == 12);
    CHECK(e->text == "kept");
    flush_writes_nothing(orm, em);
  }
  SECTION("a value selected into a result") {
    orm.execute(R"(update "everything" set "i32" = 1099511627776)");
    auto em = orm.em();
    try {
      em.query<Everything>().select(ctorm::col<&Everything::i32>).all();
      FAIL("the query should have failed");
    } catch (const ctorm::ValueMismatchError& e) {
      CHECK(std::string(e.what()).find(R"(result column "i32" holds the integer 1099511627776)") != std::string::npos);
      CHECK(e.sql().rfind("select", 0) == 0);
    }
  }
}

TEST_CASE("a key that does not fit the key field is an error", "[mapping]") {
  ctorm_test::Orm<Schema> orm{ctorm_test::fresh_database()};
  orm.schema().create();
  orm.execute(R"(insert into "small" ("id", "name") values (1099511627776, 'far'))");
  auto em = orm.em();
  CHECK_THROWS_WITH(em.find<Small>(), Catch::Contains(R"(column "id" of "small" holds the integer 1099511627776)"));
}

// --- a relation to an entity whose key is text -----------------------------------------------------------

namespace {
struct Reading {
  std::int64_t id{};
  ctorm::Ref<Device> device;  // Ref::id() returns the key by value: a temporary when it is bound
  double value = 0;
};
using ReadingSchema = ctorm::schema<Device, Reading>;
}  // namespace

TEST_CASE("a Ref to an entity with a text key binds a copy of the key", "[mapping]") {
  // The key is longer than std::string's inline buffer: bound without a copy, the temporary Ref::id()
  // returns would be freed before SQLite read it (ASan reports the read).
  ctorm::Orm<ReadingSchema> orm{":memory:"};
  orm.schema().create();
  auto em = orm.em();
  Device& d = em.persist(Device{.id = "6f1c2b1e-2c5a-4d8e-9a44-0d3f0c6a9b10", .name = "sensor"});
  em.persist(Reading{.device = ctorm::Ref<Device>(d), .value = 1.5});
  em.flush();
  auto em2 = orm.em();
  const auto readings = em2.find<Reading>(ctorm::col<&Reading::device> == std::string("6f1c2b1e-2c5a-4d8e-9a44-0d3f0c6a9b10"));
  REQUIRE(readings.size() == 1);
  CHECK(readings[0]->device.id() == "6f1c2b1e-2c5a-4d8e-9a44-0d3f0c6a9b10");
}
