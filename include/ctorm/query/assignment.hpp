#pragma once
// `ctorm::set(col<&User::bio>, "...")`: one column's new value in native_update (or the query builder's
// update and insert), checked against the column's type like a comparison. The value may be an
// expression: `set(col<&Article::views>, col<&Article::views> + 1)`.
#include <cstddef>
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

template <auto... Path, class V>
constexpr auto set(Column<Path...>, V&& v) {
  using Col = Column<Path...>;
  static_assert(sizeof...(Path) == 1, "ctorm: set() names a column of the updated entity itself, not a path");
  static_assert(detail::operand_fits<typename Col::value_type, V>(),
                "ctorm: a column is compared with a value of another type (set: see the column's field type F and "
                "the value's type V above)");
  auto value = detail::operand_for<typename Col::value_type>(std::forward<V>(v));
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
