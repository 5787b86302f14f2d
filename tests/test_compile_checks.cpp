// Compile-time checks of ctorm that can be asked as a question (a concept, a trait, a requires-expression)
// instead of by a failing build. Every static_assert below is the real test; the TEST_CASEs repeat the
// same facts at run time so the file has test cases Catch2 reports.
//
// What is NOT here: misuse that ctorm rejects with a static_assert in a function body (a column compared
// with a value of another type, an entity missing from the schema, an option naming another entity's
// member, ...). Such an error is a hard error, not a substitution failure, so `requires { ... }` cannot
// observe it; those cases are must-not-compile snippets in tests/compile_fail/, which also pin the
// messages.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace compile_checks {

// A user type with no ctorm::type_mapping: not a column type.
struct Money {
  std::int64_t cents;
};

// A user type with a ctorm::type_mapping: a column type.
struct Price {
  std::int64_t cents;
};

enum class Role : std::uint8_t { reader, writer };

struct User {
  std::int64_t id{};
  std::string email;
  int age{};
  std::optional<int> score;
  double ratio{};
  Role role{};
};

struct Article {
  std::int64_t id{};
  std::string slug;
};

struct Other {
  std::int64_t id{};
};

using Schema = ctorm::schema<User, Article>;
using EM = ctorm::EntityManager<Schema>;

// The questions, as concepts: the expressions are dependent, so an invalid one is simply `false`.
template <class M, class T, class Arg>
concept can_find_where = requires(M& em, const Arg& a) { em.template find<T>(a); };
template <class M, class T, class Arg>
concept can_count_where = requires(M& em, const Arg& a) { em.template count<T>(a); };
template <class M, class T, class Arg>
concept can_native_delete = requires(M& em, const Arg& a) { em.template native_delete<T>(a); };
template <class M, class T>
concept can_persist_rvalue = requires(M& em, T&& e) { em.persist(std::move(e)); };
template <class L, class R>
concept can_and = requires(L l, R r) { std::move(l) && std::move(r); };
template <class L, class R>
concept can_or = requires(L l, R r) { std::move(l) || std::move(r); };

using EmailEq = decltype(ctorm::col<&User::email> == "a@b.c");
using AgeGe = decltype(ctorm::col<&User::age> >= 18);
using AgeColumn = std::remove_cvref_t<decltype(ctorm::col<&User::age>)>;

}  // namespace compile_checks

template <>
struct ctorm::type_mapping<compile_checks::Price> {
  using db_type = std::int64_t;
  static std::int64_t to_db(const compile_checks::Price& p) { return p.cents; }
  static compile_checks::Price from_db(std::int64_t cents) { return compile_checks::Price{cents}; }
};

namespace compile_checks {

// ---- which types are columns (case unmapped_field_type) --------------------------------------------
static_assert(!ctorm::mapped_type<Money>, "a user type without type_mapping is not a column type");
static_assert(ctorm::mapped_type<Price>, "a user type with type_mapping is a column type");
static_assert(ctorm::mapped_type<std::optional<int>>);
static_assert(ctorm::mapped_type<std::optional<Price>>);
static_assert(!ctorm::mapped_type<std::optional<Money>>, "optional of an unmapped type is unmapped");
static_assert(!ctorm::mapped_type<std::optional<std::optional<int>>>, "nested optionals have no column");
static_assert(ctorm::mapped_type<bool> && ctorm::mapped_type<int> && ctorm::mapped_type<std::int64_t>);
static_assert(ctorm::mapped_type<double> && ctorm::mapped_type<float>);
static_assert(ctorm::mapped_type<std::string> && ctorm::mapped_type<ctorm::Blob>);
static_assert(ctorm::mapped_type<Role> && ctorm::mapped_type<ctorm::TimePoint>);
static_assert(!ctorm::mapped_type<std::string_view>, "a view does not own its text");
static_assert(!ctorm::mapped_type<const char*>);
static_assert(!ctorm::mapped_type<User*>);
static_assert(!ctorm::mapped_type<std::vector<int>>);

static_assert(ctorm::is_nullable<std::optional<int>> && !ctorm::is_nullable<int>);
static_assert(!ctorm::is_nullable<std::optional<Money>>);

// ---- what a schema holds (cases entity_not_in_schema, duplicate_entity_in_schema) -------------------
static_assert(Schema::contains<User> && Schema::contains<Article>);
static_assert(!Schema::contains<Other> && !Schema::contains<Money>);
static_assert(Schema::size == 2 && Schema::index_of<User> == 0 && Schema::index_of<Article> == 1);
static_assert(Schema::index_of<Other> == Schema::size, "an entity not in the schema has no position");

// ---- what a condition is -----------------------------------------------------------------------------
static_assert(ctorm::condition<EmailEq> && ctorm::condition<AgeGe>);
static_assert(ctorm::condition<decltype(std::declval<EmailEq>() && std::declval<AgeGe>())>);
static_assert(!ctorm::condition<AgeColumn>, "a bare column is not a condition");
static_assert(!ctorm::condition<int> && !ctorm::condition<bool> && !ctorm::condition<std::string>);

// A condition only combines with a condition.
static_assert(can_and<EmailEq, AgeGe> && can_or<EmailEq, AgeGe>);
static_assert(!can_and<AgeColumn, AgeGe> && !can_or<AgeGe, AgeColumn>, "a bare column in && / ||");
static_assert(!can_and<AgeGe, bool> && !can_or<bool, AgeGe>, "a plain bool in && / ||");

// The entity manager takes conditions where it asks for one, and nothing else.
static_assert(can_find_where<EM, User, EmailEq> && can_count_where<EM, User, AgeGe>);
static_assert(can_native_delete<EM, User, AgeGe>);
static_assert(!can_find_where<EM, User, AgeColumn>, "em.find<User>(col<&User::age>): a column, no comparison");
static_assert(!can_find_where<EM, User, int>, "em.find<User>(42): find takes a condition, find_one a key");
static_assert(!can_find_where<EM, User, std::string>);
static_assert(!can_count_where<EM, User, bool>);
static_assert(!can_native_delete<EM, User, int>, "native_delete without a condition would delete every row");
static_assert(can_persist_rvalue<EM, User>);

// ---- which values a column may be compared with (case condition_value_wrong_type) -------------------
// The operators reject these with a static_assert (a hard error), so the predicate they use is checked
// directly here; tests/compile_fail/condition_value_wrong_type*.cpp checks the operators themselves.
using ctorm::detail::comparable;
static_assert(comparable<std::string, const char (&)[4]>() && comparable<std::string, std::string_view>());
static_assert(comparable<std::string, const std::string&>());
static_assert(!comparable<std::string, int>(), "text column vs integer");
static_assert(!comparable<std::string, std::nullptr_t>());
static_assert(comparable<int, int>() && comparable<int, std::int64_t>() && comparable<int, unsigned>());
static_assert(!comparable<int, const char (&)[3]>(), "integer column vs string");
static_assert(!comparable<int, std::string>());
static_assert(!comparable<int, double>(), "integer column vs floating point");
static_assert(!comparable<int, bool>() && !comparable<int, char>());
static_assert(comparable<double, double>() && comparable<double, int>());
static_assert(comparable<std::optional<int>, int>(), "a nullable column compares with its value type");
static_assert(!comparable<std::optional<int>, std::string>());
static_assert(comparable<Role, Role>() && !comparable<Role, int>(), "an enum column takes only its enum");
static_assert(comparable<Price, Price>() && !comparable<Price, std::int64_t>(), "a mapped type takes itself");
static_assert(comparable<bool, bool>() && !comparable<bool, int>());

// ---- entity options name members of their own entity (case option_names_other_entity) ----------------
static_assert(std::is_same_v<ctorm::detail::member_class<&Article::slug>, Article>);
static_assert(ctorm::detail::field_index<&Article::slug> == 1 && ctorm::detail::field_index<&User::age> == 2);

}  // namespace compile_checks

using namespace compile_checks;

TEST_CASE("column types: which C++ types ctorm maps", "[compile_checks]") {
  CHECK_FALSE(ctorm::mapped_type<Money>);
  CHECK(ctorm::mapped_type<Price>);
  CHECK(ctorm::mapped_type<std::optional<int>>);
  CHECK_FALSE(ctorm::mapped_type<std::optional<Money>>);
  CHECK_FALSE(ctorm::mapped_type<std::optional<std::optional<int>>>);
  CHECK_FALSE(ctorm::mapped_type<std::string_view>);
  CHECK(ctorm::mapped_type<Role>);
  CHECK(ctorm::is_nullable<std::optional<std::string>>);
  CHECK_FALSE(ctorm::is_nullable<std::string>);
}

TEST_CASE("schema membership", "[compile_checks]") {
  CHECK(Schema::contains<User>);
  CHECK_FALSE(Schema::contains<Other>);
  CHECK(Schema::index_of<Article> == 1);
  CHECK(Schema::index_of<Other> == Schema::size);
}

TEST_CASE("conditions: what combines and what the entity manager accepts", "[compile_checks]") {
  CHECK(ctorm::condition<EmailEq>);
  CHECK_FALSE(ctorm::condition<AgeColumn>);
  CHECK((can_and<EmailEq, AgeGe>));
  CHECK_FALSE((can_and<AgeColumn, AgeGe>));
  CHECK((can_find_where<EM, User, EmailEq>));
  CHECK_FALSE((can_find_where<EM, User, int>));
  CHECK_FALSE((can_native_delete<EM, User, int>));
}

TEST_CASE("conditions hold their values as the column's type", "[compile_checks]") {
  // A string literal compared with a text column is copied into a std::string (the condition may
  // outlive the caller's buffer); an integer compared with an int column stays an int.
  const auto by_email = ctorm::col<&User::email> == "a@b.c";
  STATIC_REQUIRE(std::is_same_v<decltype(by_email.rhs.value), std::string>);
  CHECK(by_email.rhs.value == "a@b.c");

  const std::int64_t eighteen = 18;
  const auto adult = ctorm::col<&User::age> >= eighteen;
  STATIC_REQUIRE(std::is_same_v<decltype(adult.rhs.value), int>);
  CHECK(adult.rhs.value == 18);

  const auto scored = ctorm::col<&User::score> == 7;
  STATIC_REQUIRE(std::is_same_v<decltype(scored.rhs.value), int>);
  CHECK(scored.rhs.value == 7);

  const auto both = by_email && adult;  // a flat `and` of both, in order
  CHECK(std::get<0>(both.parts).rhs.value == "a@b.c");
  CHECK(std::get<1>(both.parts).rhs.value == 18);
}

TEST_CASE("value/column type compatibility", "[compile_checks]") {
  CHECK_FALSE((comparable<std::string, int>()));
  CHECK_FALSE((comparable<int, const char (&)[3]>()));
  CHECK((comparable<int, long>()));
  CHECK((comparable<std::optional<int>, int>()));
  CHECK_FALSE((comparable<Role, int>()));
}
