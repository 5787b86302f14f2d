#pragma once
// The nine parts of a query as the builder holds them (assignments, select, where, group by, having,
// order by, limit, offset, fields), absent ones as Nothing. A plain aggregate with named members, not a
// std::tuple: every builder step makes a new parts type, and std::tuple's constructors, get and apply
// cost far more to compile than the members they wrap.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "expression.hpp"

namespace ctorm::detail {

enum PartIndex : std::size_t { p_assign, p_select, p_where, p_group, p_having, p_order, p_limit, p_offset, p_fields };

template <class A, class S, class W, class G, class H, class O, class L, class Off, class F>
struct QueryParts {
  A assign;
  S select;
  W where;
  G group;
  H having;
  O order;
  L limit;
  Off offset;
  F fields;

  // Calls f on every part, in the order of their text.
  template <class Fn>
  constexpr void for_each(Fn&& f) const {
    f(assign);
    f(select);
    f(where);
    f(group);
    f(having);
    f(order);
    f(limit);
    f(offset);
    f(fields);
  }
};

using NoParts = QueryParts<Nothing, Nothing, Nothing, Nothing, Nothing, Nothing, Nothing, Nothing, Nothing>;

// The type of part I.
template <std::size_t I, class P>
struct PartAt;
template <std::size_t I, class A, class S, class W, class G, class H, class O, class L, class Off, class F>
struct PartAt<I, QueryParts<A, S, W, G, H, O, L, Off, F>> {
  using type = std::conditional_t<
      I == p_assign, A,
      std::conditional_t<
          I == p_select, S,
          std::conditional_t<
              I == p_where, W,
              std::conditional_t<
                  I == p_group, G,
                  std::conditional_t<
                      I == p_having, H,
                      std::conditional_t<I == p_order, O,
                                         std::conditional_t<I == p_limit, L, std::conditional_t<I == p_offset, Off, F>>>>>>>>;
};

// parts with part I replaced by v.
template <std::size_t I, class A, class S, class W, class G, class H, class O, class L, class Off, class F, class V>
constexpr auto replace_part(QueryParts<A, S, W, G, H, O, L, Off, F>&& p, V&& v) {
  using N = std::remove_cvref_t<V>;
  if constexpr (I == p_assign)
    return QueryParts<N, S, W, G, H, O, L, Off, F>{std::forward<V>(v), std::move(p.select), std::move(p.where),
                                                   std::move(p.group), std::move(p.having), std::move(p.order),
                                                   std::move(p.limit), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_select)
    return QueryParts<A, N, W, G, H, O, L, Off, F>{std::move(p.assign), std::forward<V>(v), std::move(p.where),
                                                   std::move(p.group), std::move(p.having), std::move(p.order),
                                                   std::move(p.limit), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_where)
    return QueryParts<A, S, N, G, H, O, L, Off, F>{std::move(p.assign), std::move(p.select), std::forward<V>(v),
                                                   std::move(p.group), std::move(p.having), std::move(p.order),
                                                   std::move(p.limit), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_group)
    return QueryParts<A, S, W, N, H, O, L, Off, F>{std::move(p.assign), std::move(p.select), std::move(p.where),
                                                   std::forward<V>(v), std::move(p.having), std::move(p.order),
                                                   std::move(p.limit), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_having)
    return QueryParts<A, S, W, G, N, O, L, Off, F>{std::move(p.assign), std::move(p.select), std::move(p.where),
                                                   std::move(p.group), std::forward<V>(v), std::move(p.order),
                                                   std::move(p.limit), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_order)
    return QueryParts<A, S, W, G, H, N, L, Off, F>{std::move(p.assign), std::move(p.select), std::move(p.where),
                                                   std::move(p.group), std::move(p.having), std::forward<V>(v),
                                                   std::move(p.limit), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_limit)
    return QueryParts<A, S, W, G, H, O, N, Off, F>{std::move(p.assign), std::move(p.select), std::move(p.where),
                                                   std::move(p.group), std::move(p.having), std::move(p.order),
                                                   std::forward<V>(v), std::move(p.offset), std::move(p.fields)};
  else if constexpr (I == p_offset)
    return QueryParts<A, S, W, G, H, O, L, N, F>{std::move(p.assign), std::move(p.select), std::move(p.where),
                                                 std::move(p.group), std::move(p.having), std::move(p.order),
                                                 std::move(p.limit), std::forward<V>(v), std::move(p.fields)};
  else
    return QueryParts<A, S, W, G, H, O, L, Off, N>{std::move(p.assign), std::move(p.select), std::move(p.where),
                                                   std::move(p.group), std::move(p.having), std::move(p.order),
                                                   std::move(p.limit), std::move(p.offset), std::forward<V>(v)};
}

}  // namespace ctorm::detail
