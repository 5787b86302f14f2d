#pragma once
// Ordering: `ctorm::order_by(ctorm::desc<&User::id>, ctorm::asc<&User::email>)` is
// `order by "id" desc, "email" asc`. asc<>/desc<> take a member pointer (or a path through relations);
// ascending(e)/descending(e) take any expression (an aggregate, a raw fragment); an expression given
// bare is ascending. An aliased select item orders by its alias (`order by "total" desc`).
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../text/static_text.hpp"
#include "alias.hpp"
#include "column.hpp"
#include "expression.hpp"

namespace ctorm {

template <class E, bool Desc>
struct Ordering {
  static constexpr std::size_t dynamic_count = detail::aliased_expression<E> ? 0 : detail::dynamic_count_v<E>;
  E expr;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    if constexpr (detail::aliased_expression<E>)
      detail::put_ident(w, E::alias);
    else
      E::template write_sql<Ctx>(w);
    w.put(Desc ? " desc" : " asc");
  }
  template <class Q>
  void bind(Q& q) const {
    if constexpr (!detail::aliased_expression<E>) expr.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    if constexpr (!detail::aliased_expression<E>) detail::collect_sizes(expr, s);
  }
};

template <auto... Path>
inline constexpr Ordering<Column<Path...>, false> asc{};
template <auto... Path>
inline constexpr Ordering<Column<Path...>, true> desc{};

template <expression E>
constexpr Ordering<std::remove_cvref_t<E>, false> ascending(E&& e) {
  return {std::forward<E>(e)};
}
template <expression E>
constexpr Ordering<std::remove_cvref_t<E>, true> descending(E&& e) {
  return {std::forward<E>(e)};
}

template <class... Items>
struct OrderBy {
  static constexpr std::size_t dynamic_count = (std::size_t{0} + ... + detail::dynamic_count_v<Items>);
  std::tuple<Items...> items;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    std::size_t i = 0;
    ((w.put(i++ == 0 ? "" : ", "), Items::template write_sql<Ctx>(w)), ...);
  }
  template <class Q>
  void bind(Q& q) const {
    std::apply([&](const auto&... o) { (o.bind(q), ...); }, items);
  }
  template <class S>
  void collect_sizes(S& s) const {
    std::apply([&](const auto&... o) { (detail::collect_sizes(o, s), ...); }, items);
  }
};

namespace detail {
template <class T>
struct IsOrdering : std::false_type {};
template <class E, bool D>
struct IsOrdering<Ordering<E, D>> : std::true_type {};

template <class O>
constexpr auto to_ordering(O&& o) {
  using U = std::remove_cvref_t<O>;
  if constexpr (IsOrdering<U>::value) {
    return U(std::forward<O>(o));
  } else {
    static_assert(expression<U>, "ctorm: order_by takes asc<...>, desc<...>, ascending(e), descending(e) or an expression");
    return Ordering<U, false>{std::forward<O>(o)};
  }
}
}  // namespace detail

template <class... Os>
constexpr auto order_by(Os&&... os) {
  static_assert(sizeof...(Os) > 0, "ctorm: order_by needs at least one column");
  return OrderBy<decltype(detail::to_ordering(std::forward<Os>(os)))...>{{detail::to_ordering(std::forward<Os>(os))...}};
}

}  // namespace ctorm
