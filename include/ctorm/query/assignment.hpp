#pragma once
// `ctorm::set(col<&User::bio>, "...")`: one column's new value in native_update (or the query builder's
// update and insert), checked against the column's type like a comparison. The value may be an
// expression: `set(col<&Article::views>, col<&Article::views> + 1)`.
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#include "column.hpp"
#include "expression.hpp"

namespace ctorm {

template <class Col, class V>
struct Assignment {
  using column = Col;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<V>;
  V value;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {  // `"bio" = ?`
    Col::template write_sql<Ctx>(w);
    w.put(" = ");
    V::template write_sql<Ctx>(w);
  }
  template <class Ctx, class W>
  static constexpr void write_column(W& w) {
    Col::template write_sql<Ctx>(w);
  }
  template <class Ctx, class W>
  static constexpr void write_value(W& w) {
    V::template write_sql<Ctx>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    value.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(value, s);
  }
};

namespace detail {

template <class V>
struct OptionalValue : std::false_type {};
template <class X>
struct OptionalValue<std::optional<X>> : std::true_type {
  using type = X;
};

// What a column of type F may be set to: what it may be compared with, and NULL (std::nullopt or an
// empty std::optional) when it is nullable.
template <class F, class V>
consteval bool assignable() {
  using U = std::remove_cvref_t<V>;
  if constexpr (expression<V>)
    return compatible<F, value_type_t<V>>();
  else if constexpr (std::is_same_v<U, std::nullopt_t>)
    return is_nullable<F>;
  else if constexpr (OptionalValue<U>::value)
    return is_nullable<F> && comparable<F, typename OptionalValue<U>::type>();
  else
    return comparable<F, V>();
}

template <class F, class V>
constexpr auto assigned_operand(V&& v) {
  using U = std::remove_cvref_t<V>;
  if constexpr (std::is_same_v<U, std::nullopt_t> || OptionalValue<U>::value) {
    using T = std::optional<condition_value_t<F>>;
    if constexpr (std::is_same_v<U, std::nullopt_t>)
      return Param<T>{std::nullopt};
    else
      return Param<T>{v ? T(condition_value_t<F>(*std::forward<V>(v))) : T()};
  } else {
    return operand_for<F>(std::forward<V>(v));
  }
}

}  // namespace detail

template <auto... Path, class V>
constexpr auto set(Column<Path...>, V&& v) {
  using Col = Column<Path...>;
  using F = typename Col::value_type;
  static_assert(sizeof...(Path) == 1, "ctorm: set() names a column of the updated entity itself, not a path");
  static_assert(detail::assignable<F, V>(),
                "ctorm: a column is compared with a value of another type (set: see the column's field type F and "
                "the value's type V above; only a std::optional column can be set to NULL)");
  auto value = detail::assigned_operand<F>(std::forward<V>(v));
  return Assignment<Col, decltype(value)>{std::move(value)};
}

namespace detail {
template <class T>
struct IsAssignment : std::false_type {};
template <class C, class V>
struct IsAssignment<Assignment<C, V>> : std::true_type {};
}  // namespace detail

template <class A>
concept assignment = detail::IsAssignment<std::remove_cvref_t<A>>::value;

}  // namespace ctorm
