#pragma once
// Raw SQL fragments whose values are still bound: `ctorm::sql<"lower(?)">(col<&User::email>) == "foo"`.
// The fragment is a template argument, so it stays part of the compile-time text. Each `?` takes the
// next argument: an expression (a column, another fragment, a sub-query) is written in its place, any
// other value is bound as a parameter. The number of `?` and of arguments must agree (checked at compile
// time). The fragment is pasted as written: parenthesize it when it has operators. A query on one table
// writes its columns bare, so inside a sub-query written in the fragment a `?` given col<&User::id> would
// name the fragment's table: ctorm::qualified(col<...>) (query/column.hpp) writes the query's own.
//
// Its value type is ctorm::Untyped unless given: `ctorm::sql<"length(?)", std::int64_t>(col<&User::bio>)`.
// Untyped fragments compare with any value and read into any field: the checks are the user's.
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../text/fixed_string.hpp"
#include "expression.hpp"

namespace ctorm {
namespace detail {

consteval std::size_t count_placeholders(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += c == '?';
  return n;
}

template <class V>
constexpr auto raw_argument(V&& v) {
  if constexpr (expression<V>)
    return std::remove_cvref_t<V>(std::forward<V>(v));
  else
    return Param<stored_value_t<V>>{stored_value_t<V>(std::forward<V>(v))};
}

}  // namespace detail

template <FixedString Text, class T, class... Args>
struct RawSql {
  using ctorm_expression = void;
  using value_type = T;
  static constexpr std::size_t dynamic_count = (std::size_t{0} + ... + detail::dynamic_count_v<Args>);
  std::tuple<Args...> args;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    constexpr std::string_view text = Text.view();
    std::size_t pos = 0;
    auto up_to_placeholder = [&] {
      std::size_t q = pos;
      while (text[q] != '?') ++q;  // not string_view::find: GCC's UBSan checks make it non-constant here
      w.put(text.substr(pos, q - pos));
      pos = q + 1;
    };
    ((up_to_placeholder(), Args::template write_sql<Ctx>(w)), ...);
    (void)up_to_placeholder;  // unused when there are no arguments
    w.put(text.substr(pos));
  }
  template <class Q>
  void bind(Q& q) const {
    std::apply([&](const auto&... a) { (a.bind(q), ...); }, args);
  }
  template <class S>
  void collect_sizes(S& s) const {
    std::apply([&](const auto&... a) { (detail::collect_sizes(a, s), ...); }, args);
  }
};

template <FixedString Text, class T = Untyped, class... Args>
constexpr auto sql(Args&&... args) {
  static_assert(detail::count_placeholders(Text.view()) == sizeof...(Args),
                "ctorm: the SQL fragment's placeholders (?) and its arguments differ in number");
  static_assert(std::is_same_v<T, Untyped> || std::is_same_v<T, bool> || mapped_type<T>,
                "ctorm: the value type given to sql<...> has no column mapping");
  return RawSql<Text, T, decltype(detail::raw_argument(std::forward<Args>(args)))...>{
      {detail::raw_argument(std::forward<Args>(args))...}};
}

}  // namespace ctorm
