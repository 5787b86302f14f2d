#pragma once
// `in(col<&User::id>, ids)` and `not_in(...)` with a run-time list of any length, or with a sub-query of
// one column: `in(col<&User::id>, ctorm::query<Article>().select(col<&Article::author>))`.
//
// A list's text depends on its length (`"id" in (?, ?, ?)`), so its statement is built once per length
// and cached. Lengths above 8 are rounded up to a power of two, the last value repeated to fill, so that
// lists of every length share a handful of statements. An empty list is false (and `not in` it true), even
// for NULL: `in` of nothing matches nothing, `not in` everything; each dialect says how it writes that.
#include <bit>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "expression.hpp"

namespace ctorm {
namespace detail {

// The number of placeholders written for a list of n values.
constexpr std::size_t in_list_slots(std::size_t n) {
  if (n <= 8) return n;
  const std::size_t rounded = std::bit_ceil(n);
  return rounded > 32766 ? n : rounded;  // never past SQLite's limit on parameters
}

template <class Q>
concept query_expression = expression<Q> && requires { std::remove_cvref_t<Q>::is_query; };

template <class W>
constexpr std::size_t next_list_size(W& w) {
  if constexpr (requires { w.next_size(); })
    return w.next_size();
  else
    static_assert(always_false<W>, "ctorm: internal: a run-time list in a compile-time text");
  return 0;
}

}  // namespace detail

template <class E, class T, bool Negated>
struct InList {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E> + 1;
  E expr;
  std::vector<T> values;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    detail::write_operand<Ctx, E>(w);
    const std::size_t n = detail::next_list_size(w);
    if (n == 0) {
      W::dialect::put_empty_in(w, Negated);
      return;
    }
    w.put(Negated ? " not in (" : " in (");
    for (std::size_t i = 0; i < n; ++i) {
      if (i) w.put(", ");
      w.placeholder();
    }
    w.put(')');
  }
  template <class Q>
  void bind(Q& q) const {
    expr.bind(q);
    for (const T& v : values) q.bind(v);
    for (std::size_t i = values.size(); i < detail::in_list_slots(values.size()); ++i) q.bind(values.back());
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(expr, s);
    s.push(detail::in_list_slots(values.size()));
  }
};

template <class E, class Sub, bool Negated>
struct InQuery {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E> + detail::dynamic_count_v<Sub>;
  E expr;
  Sub sub;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    detail::write_operand<Ctx, E>(w);
    w.put(Negated ? " not in " : " in ");
    Sub::template write_sql<Ctx>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    expr.bind(q);
    sub.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(expr, s);
    detail::collect_sizes(sub, s);
  }
};

namespace detail {

// A list of values: what a range-for walks. (std::ranges' concepts need <ranges>, slow to parse in every TU.)
template <class R>
concept value_list = requires(const R& r) {
  std::begin(r);
  std::end(r);
};
template <class R>
using list_value_t = std::iter_value_t<decltype(std::begin(std::declval<const R&>()))>;

template <bool Negated, class E, class R>
auto make_in(E expr, const R& range) {
  using F = value_type_t<E>;
  using V = list_value_t<R>;
  static_assert(!expression<V>, "ctorm: in() takes a list of values or a sub-query");
  static_assert(comparable<F, V>(),
                "ctorm: a column is compared with a value of another type (in: see the column's field type F and "
                "the list's value type V above)");
  using T = operand_value_t<F, V>;
  std::vector<T> values;
  if constexpr (requires { std::size(range); }) values.reserve(std::size(range));
  for (const auto& v : range) values.emplace_back(v);
  return InList<E, T, Negated>{std::move(expr), std::move(values)};
}

template <bool Negated, class E, class Sub>
auto make_in_query(E expr, Sub sub) {
  static_assert(!std::is_void_v<value_type_t<Sub>>, "ctorm: a sub-query used in in() selects exactly one column");
  if constexpr (!std::is_void_v<value_type_t<Sub>>)
    static_assert(compatible<value_type_t<E>, value_type_t<Sub>>(),
                  "ctorm: a column is compared with a value of another type (in: the sub-query selects a column of "
                  "another type)");
  return InQuery<E, Sub, Negated>{std::move(expr), std::move(sub)};
}

}  // namespace detail

template <expression E, detail::value_list R>
  requires(!expression<R>)
auto in(E expr, const R& values) {
  return detail::make_in<false>(std::move(expr), values);
}
template <expression E, class V>
auto in(E expr, std::initializer_list<V> values) {
  return detail::make_in<false>(std::move(expr), values);
}
template <expression E, detail::query_expression Sub>
auto in(E expr, Sub sub) {
  return detail::make_in_query<false>(std::move(expr), std::move(sub));
}

template <expression E, detail::value_list R>
  requires(!expression<R>)
auto not_in(E expr, const R& values) {
  return detail::make_in<true>(std::move(expr), values);
}
template <expression E, class V>
auto not_in(E expr, std::initializer_list<V> values) {
  return detail::make_in<true>(std::move(expr), values);
}
template <expression E, detail::query_expression Sub>
auto not_in(E expr, Sub sub) {
  return detail::make_in_query<true>(std::move(expr), std::move(sub));
}

}  // namespace ctorm
