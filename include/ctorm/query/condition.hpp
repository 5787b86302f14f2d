#pragma once
// Conditions: `ctorm::col<&User::email> == "foo@bar.com" && ctorm::col<&User::age> >= 18`. The shape
// of a condition is its type, so its SQL text is a compile-time constant; the values it holds are bound.
// Comparisons take a value (checked against the column's type) or another expression of a compatible
// type (a column, an aggregate, a sub-query). Other predicates: query/like.hpp, query/in.hpp,
// query/null.hpp, query/between.hpp, query/exists.hpp.
#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "column.hpp"
#include "expression.hpp"

namespace ctorm {

enum class CompareOp : unsigned char { eq, ne, lt, le, gt, ge };

namespace detail {

template <CompareOp Op>
constexpr std::string_view compare_op_sql() {
  switch (Op) {
    case CompareOp::eq: return " = ";
    case CompareOp::ne: return " <> ";
    case CompareOp::lt: return " < ";
    case CompareOp::le: return " <= ";
    case CompareOp::gt: return " > ";
    default: return " >= ";
  }
}

// `5 < col` is `col > 5`.
constexpr CompareOp flipped(CompareOp op) {
  switch (op) {
    case CompareOp::lt: return CompareOp::gt;
    case CompareOp::le: return CompareOp::ge;
    case CompareOp::gt: return CompareOp::lt;
    case CompareOp::ge: return CompareOp::le;
    default: return op;
  }
}

template <class Entity, class Col>
consteval void check_column_of() {
  static_assert(std::is_same_v<typename Col::entity, Entity>,
                "ctorm: the condition names a column of an entity that is not part of the query");
}

}  // namespace detail

template <class L, CompareOp Op, class R>
struct Comparison {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<L> + detail::dynamic_count_v<R>;
  L lhs;
  R rhs;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    detail::write_operand<Ctx, L>(w);
    w.put(detail::compare_op_sql<Op>());
    detail::write_operand<Ctx, R>(w);
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

// `(a and b and c)`, `(a or b)`: chains of the same operator are kept flat.
template <bool IsAnd, class... Cs>
struct Junction {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr std::size_t dynamic_count = (std::size_t{0} + ... + detail::dynamic_count_v<Cs>);
  std::tuple<Cs...> parts;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.put('(');
    std::size_t i = 0;
    ((w.put(i++ == 0 ? "" : (IsAnd ? " and " : " or ")), Cs::template write_sql<Ctx>(w)), ...);
    w.put(')');
  }
  template <class Q>
  void bind(Q& q) const {
    std::apply([&](const auto&... c) { (c.bind(q), ...); }, parts);
  }
  template <class S>
  void collect_sizes(S& s) const {
    std::apply([&](const auto&... c) { (detail::collect_sizes(c, s), ...); }, parts);
  }
};

template <class C>
struct Not {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<C>;
  C inner;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.put("not ");
    detail::write_operand<Ctx, C>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    inner.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(inner, s);
  }
};

namespace detail {

template <CompareOp Op, class L, class V>
constexpr auto compare(L lhs, V&& v) {
  using F = value_type_t<L>;
  static_assert(!std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t>,
                "ctorm: a comparison with NULL is never true; test with is_null(col) or is_not_null(col)");
  static_assert(operand_fits<F, V>(),
                "ctorm: a column is compared with a value of another type (see the column's field type F and "
                "the value's type V above)");
  auto rhs = operand_for<F>(std::forward<V>(v));
  return Comparison<L, Op, decltype(rhs)>{std::move(lhs), std::move(rhs)};
}

template <class C>
struct JunctionParts {
  template <bool>
  static constexpr auto get(C c) {
    return std::tuple<C>{std::move(c)};
  }
};
template <bool IsAnd, class... Cs>
struct JunctionParts<Junction<IsAnd, Cs...>> {
  template <bool Want>
  static constexpr auto get(Junction<IsAnd, Cs...> j) {
    if constexpr (Want == IsAnd)
      return std::move(j.parts);
    else
      return std::tuple<Junction<IsAnd, Cs...>>{std::move(j)};
  }
};

template <bool IsAnd, class... Cs>
constexpr Junction<IsAnd, Cs...> make_junction(std::tuple<Cs...> parts) {
  return {std::move(parts)};
}

template <bool IsAnd, class L, class R>
constexpr auto join_conditions(L lhs, R rhs) {
  return make_junction<IsAnd>(std::tuple_cat(JunctionParts<L>::template get<IsAnd>(std::move(lhs)),
                                             JunctionParts<R>::template get<IsAnd>(std::move(rhs))));
}

}  // namespace detail

template <expression L, class V>
constexpr auto operator==(L lhs, V&& v) {
  return detail::compare<CompareOp::eq>(std::move(lhs), std::forward<V>(v));
}
template <expression L, class V>
constexpr auto operator!=(L lhs, V&& v) {
  return detail::compare<CompareOp::ne>(std::move(lhs), std::forward<V>(v));
}
template <expression L, class V>
constexpr auto operator<(L lhs, V&& v) {
  return detail::compare<CompareOp::lt>(std::move(lhs), std::forward<V>(v));
}
template <expression L, class V>
constexpr auto operator<=(L lhs, V&& v) {
  return detail::compare<CompareOp::le>(std::move(lhs), std::forward<V>(v));
}
template <expression L, class V>
constexpr auto operator>(L lhs, V&& v) {
  return detail::compare<CompareOp::gt>(std::move(lhs), std::forward<V>(v));
}
template <expression L, class V>
constexpr auto operator>=(L lhs, V&& v) {
  return detail::compare<CompareOp::ge>(std::move(lhs), std::forward<V>(v));
}

// A value on the left: `18 <= col<&User::age>` is `"age" >= ?`.
template <class V, expression R>
  requires(!expression<V>)
constexpr auto operator==(V&& v, R rhs) {
  return detail::compare<CompareOp::eq>(std::move(rhs), std::forward<V>(v));
}
template <class V, expression R>
  requires(!expression<V>)
constexpr auto operator!=(V&& v, R rhs) {
  return detail::compare<CompareOp::ne>(std::move(rhs), std::forward<V>(v));
}
template <class V, expression R>
  requires(!expression<V>)
constexpr auto operator<(V&& v, R rhs) {
  return detail::compare<detail::flipped(CompareOp::lt)>(std::move(rhs), std::forward<V>(v));
}
template <class V, expression R>
  requires(!expression<V>)
constexpr auto operator<=(V&& v, R rhs) {
  return detail::compare<detail::flipped(CompareOp::le)>(std::move(rhs), std::forward<V>(v));
}
template <class V, expression R>
  requires(!expression<V>)
constexpr auto operator>(V&& v, R rhs) {
  return detail::compare<detail::flipped(CompareOp::gt)>(std::move(rhs), std::forward<V>(v));
}
template <class V, expression R>
  requires(!expression<V>)
constexpr auto operator>=(V&& v, R rhs) {
  return detail::compare<detail::flipped(CompareOp::ge)>(std::move(rhs), std::forward<V>(v));
}

template <condition L, condition R>
constexpr auto operator&&(L lhs, R rhs) {
  return detail::join_conditions<true>(std::move(lhs), std::move(rhs));
}
template <condition L, condition R>
constexpr auto operator||(L lhs, R rhs) {
  return detail::join_conditions<false>(std::move(lhs), std::move(rhs));
}
template <condition C>
constexpr Not<C> operator!(C c) {
  return Not<C>{std::move(c)};
}

}  // namespace ctorm
