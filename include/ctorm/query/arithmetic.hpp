#pragma once
// Arithmetic on numeric expressions: `col<&Order::price> * col<&Order::quantity>`, `col<&User::age> + 1`.
// Written in parentheses, `("price" * "quantity")`. Integer with integer is std::int64_t, anything with a
// real is double.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "expression.hpp"

namespace ctorm {

enum class ArithOp : unsigned char { add, sub, mul, div };

template <class L, ArithOp Op, class R>
struct Arithmetic {
  using ctorm_expression = void;
  using value_type = std::conditional_t<
      detail::value_class<value_type_t<L>>() == detail::ValueClass::untyped ||
          detail::value_class<value_type_t<R>>() == detail::ValueClass::untyped,
      Untyped,
      std::conditional_t<detail::value_class<value_type_t<L>>() == detail::ValueClass::integer &&
                             detail::value_class<value_type_t<R>>() == detail::ValueClass::integer,
                         std::int64_t, double>>;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<L> + detail::dynamic_count_v<R>;
  L lhs;
  R rhs;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    constexpr std::string_view op = Op == ArithOp::add ? " + " : Op == ArithOp::sub ? " - " : Op == ArithOp::mul ? " * " : " / ";
    w.put('(');
    detail::write_operand<Ctx, L>(w);
    w.put(op);
    detail::write_operand<Ctx, R>(w);
    w.put(')');
  }
  template <class Q>
  void bind(Q& q) const {
    lhs.bind(q);
    rhs.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(lhs, s);
    detail::collect_sizes(rhs, s);
  }
};

namespace detail {

template <class V>
constexpr auto numeric_operand(V&& v) {
  if constexpr (expression<V>) {
    static_assert(is_numeric_v<value_type_t<V>>, "ctorm: arithmetic on an expression that is not a number");
    return std::remove_cvref_t<V>(std::forward<V>(v));
  } else {
    using U = std::remove_cvref_t<V>;
    static_assert(std::is_arithmetic_v<U> && !std::is_same_v<U, bool> && !std::is_same_v<U, char>,
                  "ctorm: arithmetic with a value that is not a number");
    using T = std::conditional_t<std::is_integral_v<U>, std::int64_t, double>;
    return Param<T>{static_cast<T>(v)};
  }
}

template <ArithOp Op, class L, class R>
constexpr auto arithmetic(L&& l, R&& r) {
  auto a = numeric_operand(std::forward<L>(l));
  auto b = numeric_operand(std::forward<R>(r));
  return Arithmetic<decltype(a), Op, decltype(b)>{std::move(a), std::move(b)};
}

template <class L, class R>
concept arithmetic_operands = (expression<L> || expression<R>);

}  // namespace detail

template <class L, class R>
  requires detail::arithmetic_operands<L, R>
constexpr auto operator+(L&& l, R&& r) {
  return detail::arithmetic<ArithOp::add>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
  requires detail::arithmetic_operands<L, R>
constexpr auto operator-(L&& l, R&& r) {
  return detail::arithmetic<ArithOp::sub>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
  requires detail::arithmetic_operands<L, R>
constexpr auto operator*(L&& l, R&& r) {
  return detail::arithmetic<ArithOp::mul>(std::forward<L>(l), std::forward<R>(r));
}
template <class L, class R>
  requires detail::arithmetic_operands<L, R>
constexpr auto operator/(L&& l, R&& r) {
  return detail::arithmetic<ArithOp::div>(std::forward<L>(l), std::forward<R>(r));
}

}  // namespace ctorm
