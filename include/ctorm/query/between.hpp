#pragma once
// `between(col<&User::age>, 18, 65)`: `"age" between ? and ?` (both ends included).
#include <cstddef>
#include <utility>

#include "expression.hpp"

namespace ctorm {

template <class E, class A, class B>
struct Between {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count =
      detail::dynamic_count_v<E> + detail::dynamic_count_v<A> + detail::dynamic_count_v<B>;
  E expr;
  A low;
  B high;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    detail::write_operand<Ctx, E>(w);
    w.put(" between ");
    detail::write_operand<Ctx, A>(w);
    w.put(" and ");
    detail::write_operand<Ctx, B>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    expr.bind(q);
    low.bind(q);
    high.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(expr, s);
    detail::collect_sizes(low, s);
    detail::collect_sizes(high, s);
  }
};

template <expression E, class L, class H>
constexpr auto between(E expr, L&& low, H&& high) {
  using F = value_type_t<E>;
  static_assert(detail::operand_fits<F, L>() && detail::operand_fits<F, H>(),
                "ctorm: a column is compared with a value of another type (between: see the column's field type F "
                "and the bounds' types above)");
  auto a = detail::operand_for<F>(std::forward<L>(low));
  auto b = detail::operand_for<F>(std::forward<H>(high));
  return Between<E, decltype(a), decltype(b)>{std::move(expr), std::move(a), std::move(b)};
}

}  // namespace ctorm
