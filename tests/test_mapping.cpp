// Scalar types: every built-in mapping and a user mapping survive a round trip through SQLite.
#include <catch2/catch.hpp>
#include <ctorm/ctorm.hpp>

#include <cstring>
#include <limits>

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

using Schema = ctorm::schema<Everything, Device>;

TEST_CASE("every scalar type round-trips", "[mapping]") {
  ctorm::Orm<Schema> orm{":memory:"};
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
      .text = std::string("quote ' and nul \0 inside", 24),
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
  CHECK(e.text.size() == 24);
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
  ctorm::Orm<Schema> orm{":memory:"};
  orm.schema().create();
  auto em = orm.em();
  const ctorm::TimePoint at{std::chrono::milliseconds{1700000000123}};
  em.persist(Everything{.at = at});
  em.flush();
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(orm.native_handle(), "select at, typeof(at) from everything", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int64(st, 0) == 1700000000123);
  CHECK(std::strcmp(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)), "integer") == 0);
  sqlite3_finalize(st);
}

TEST_CASE("a string primary key set by the user", "[mapping]") {
  ctorm::Orm<Schema> orm{":memory:"};
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
  ctorm::Orm<Schema> orm{":memory:"};
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
