#pragma once
// Aggregates: count(), count(e), sum, avg, min, max, group_concat, with distinct(e) inside any of them:
// `count(distinct(col<&Article::author>))` is `count(distinct "author")`. Their value types are fixed:
// count is std::int64_t, sum is std::int64_t over integers and double over reals, avg is double, min and
// max are the column's type, group_concat is std::string. Reading one into a field of another type is a
// compile error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "expression.hpp"

namespace ctorm {

enum class AggregateFn : unsigned char { count, sum, avg, min, max, group_concat };

// Marks the argument of an aggregate as distinct; not an expression of its own.
template <class E>
struct Distinct {
  E expr;
};

template <expression E>
constexpr Distinct<std::remove_cvref_t<E>> distinct(E&& e) {
  return {std::forward<E>(e)};
}

namespace detail {

template <AggregateFn Fn>
constexpr std::string_view aggregate_name() {
  switch (Fn) {
    case AggregateFn::count: return "count(";
    case AggregateFn::sum: return "sum(";
    case AggregateFn::avg: return "avg(";
    case AggregateFn::min: return "min(";
    case AggregateFn::max: return "max(";
    default: return {};  // group_concat: the dialect writes it
  }
}

template <AggregateFn Fn, class F>
consteval auto aggregate_value_type() {
  if constexpr (Fn == AggregateFn::count)
    return std::type_identity<std::int64_t>{};
  else if constexpr (Fn == AggregateFn::group_concat)
    return std::type_identity<std::string>{};
  else if constexpr (std::is_same_v<non_null_t<F>, Untyped>)
    return std::type_identity<Untyped>{};
  else if constexpr (Fn == AggregateFn::avg)
    return std::type_identity<double>{};
  else if constexpr (Fn == AggregateFn::sum)
    return std::conditional_t<value_class<F>() == ValueClass::integer, std::type_identity<std::int64_t>,
                              std::type_identity<double>>{};
  else
    return std::type_identity<F>{};
}

}  // namespace detail

template <AggregateFn Fn, class E, bool IsDistinct, class Sep = detail::Nothing>
struct Aggregate {
  using ctorm_expression = void;
  using value_type = typename decltype(detail::aggregate_value_type<Fn, value_type_t<E>>())::type;
  static constexpr bool is_aggregate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E> + detail::dynamic_count_v<Sep>;
  E expr;
  Sep separator;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    constexpr bool has_separator = !std::is_same_v<Sep, detail::Nothing>;
    if constexpr (Fn == AggregateFn::group_concat) {
      // spelt by each database its own way (SQLite's group_concat, PostgreSQL's string_agg)
      W::dialect::put_group_concat(
          w, IsDistinct, has_separator, [&] { E::template write_sql<Ctx>(w); },
          [&] {
            if constexpr (has_separator) Sep::template write_sql<Ctx>(w);
          });
    } else {
      w.put(detail::aggregate_name<Fn>());
      if (IsDistinct) w.put("distinct ");
      E::template write_sql<Ctx>(w);
      w.put(')');
    }
  }
  template <class Q>
  void bind(Q& q) const {
    expr.bind(q);
    separator.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(expr, s);
    detail::collect_sizes(separator, s);
  }
};

// count(*)
struct CountAll {
  using ctorm_expression = void;
  using value_type = std::int64_t;
  static constexpr bool is_aggregate = true;
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.put("count(*)");
  }
  template <class Q>
  void bind(Q&) const {}
};

namespace detail {

template <class A>
struct AggregateArgument {
  using expr = A;
  static constexpr bool is_distinct = false;
  static constexpr const A& get(const A& a) { return a; }
};
template <class E>
struct AggregateArgument<Distinct<E>> {
  using expr = E;
  static constexpr bool is_distinct = true;
  static constexpr const E& get(const Distinct<E>& a) { return a.expr; }
};

template <class A>
using aggregate_argument_t = typename AggregateArgument<std::remove_cvref_t<A>>::expr;

template <AggregateFn Fn, class A>
constexpr auto make_aggregate(const A& a) {
  using Arg = AggregateArgument<A>;
  static_assert(expression<typename Arg::expr>, "ctorm: an aggregate takes a column or another expression");
  return Aggregate<Fn, typename Arg::expr, Arg::is_distinct>{Arg::get(a), {}};
}

template <class A>
concept aggregate_argument = expression<aggregate_argument_t<A>>;

}  // namespace detail

constexpr CountAll count() { return {}; }

template <detail::aggregate_argument A>
constexpr auto count(const A& a) {
  return detail::make_aggregate<AggregateFn::count>(a);
}
template <detail::aggregate_argument A>
constexpr auto sum(const A& a) {
  static_assert(detail::is_numeric_v<value_type_t<detail::aggregate_argument_t<A>>>,
                "ctorm: sum() of a column that is not a number");
  return detail::make_aggregate<AggregateFn::sum>(a);
}
template <detail::aggregate_argument A>
constexpr auto avg(const A& a) {
  static_assert(detail::is_numeric_v<value_type_t<detail::aggregate_argument_t<A>>>,
                "ctorm: avg() of a column that is not a number");
  return detail::make_aggregate<AggregateFn::avg>(a);
}
template <detail::aggregate_argument A>
constexpr auto min(const A& a) {
  return detail::make_aggregate<AggregateFn::min>(a);
}
template <detail::aggregate_argument A>
constexpr auto max(const A& a) {
  return detail::make_aggregate<AggregateFn::max>(a);
}
template <detail::aggregate_argument A>
constexpr auto group_concat(const A& a) {
  return detail::make_aggregate<AggregateFn::group_concat>(a);
}
// group_concat with a separator (SQLite allows none with distinct).
template <expression E>
auto group_concat(E e, std::string_view separator) {
  using Sep = detail::Param<std::string>;
  return Aggregate<AggregateFn::group_concat, E, false, Sep>{std::move(e), Sep{std::string(separator)}};
}

}  // namespace ctorm
