#pragma once
// `is_null(col<&User::bio>)`: `"bio" is null`; is_not_null: `"bio" is not null`. Only a column that can
// hold NULL (a std::optional field) may be tested: anything else is a compile error, since the answer
// would always be the same.
#include <cstddef>
#include <utility>

#include "expression.hpp"

namespace ctorm {

template <class E, bool IsNull>
struct NullCheck {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E>;
  E expr;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    detail::write_operand<Ctx, E>(w);
    w.put(IsNull ? " is null" : " is not null");
  }
  template <class Q>
  void bind(Q& q) const {
    expr.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(expr, s);
  }
};

namespace detail {
template <class E>
consteval void check_nullable() {
  using F = value_type_t<E>;
  static_assert(is_nullable<F> || std::is_same_v<F, Untyped>,
                "ctorm: is_null on a column that cannot be null (only a std::optional field can hold NULL)");
}
}  // namespace detail

template <expression E>
constexpr NullCheck<E, true> is_null(E expr) {
  detail::check_nullable<E>();
  return {std::move(expr)};
}
template <expression E>
constexpr NullCheck<E, false> is_not_null(E expr) {
  detail::check_nullable<E>();
  return {std::move(expr)};
}

}  // namespace ctorm
