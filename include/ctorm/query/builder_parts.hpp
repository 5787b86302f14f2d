#pragma once
// What a query builder holds, part by part, and how the parts write themselves: the lists of selected
// items, group-by columns and assignments, parts borrowed from another query (count() and exists() reuse
// the query's where), the roots count of a joined query, a limit written into the text, and the row type a
// query gives by default. Each part writes its SQL through the query's context and binds its values in
// the order of its placeholders.
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../text/static_text.hpp"
#include "alias.hpp"
#include "condition.hpp"
#include "expression.hpp"
#include "join.hpp"
#include "parts.hpp"

namespace ctorm::detail {

template <class P>
inline constexpr bool present = !std::is_same_v<P, Nothing>;

// A part of another query, used by reference (count() and exists() reuse the query's where).
template <class P>
struct BorrowedPart {
  static constexpr std::size_t dynamic_count = dynamic_count_v<P>;
  const P* ptr;
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    P::template write_sql<Ctx>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    ptr->bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(*ptr, s);
  }
};
template <class P>
constexpr auto borrow_part(const P& p) {
  if constexpr (present<P>)
    return BorrowedPart<P>{&p};
  else
    return Nothing{};
}

// A comma-separated list of parts: selected items (with their aliases), group by, assignments.
template <bool WithAliases, class... Items>
struct PartList {
  static constexpr std::size_t dynamic_count = (std::size_t{0} + ... + dynamic_count_v<Items>);
  std::tuple<Items...> items;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    std::size_t i = 0;
    ((w.put(i++ == 0 ? "" : ", "), write_item<Ctx, Items>(w)), ...);
  }
  template <class Ctx, class Item, class W>
  static constexpr void write_item(W& w) {
    Item::template write_sql<Ctx>(w);
    if constexpr (WithAliases && aliased_expression<Item>) {
      w.put(" as ");
      put_ident(w, Item::alias);
    }
  }
  template <class Q>
  void bind(Q& q) const {
    std::apply([&](const auto&... it) { (it.bind(q), ...); }, items);
  }
  template <class S>
  void collect_sizes(S& s) const {
    std::apply([&](const auto&... it) { (detail::collect_sizes(it, s), ...); }, items);
  }
};

template <bool A, class... Items>
struct PathsOf<PartList<A, Items...>> {
  using type = paths_of_all<Items...>;
};
template <class P>
struct PathsOf<BorrowedPart<P>> {
  using type = paths_of_all<P>;
};

template <class... Items>
using SelectList = PartList<true, Items...>;
template <class... Es>
using GroupBy = PartList<false, Es...>;
template <class... As>
using Assignments = PartList<false, As...>;

template <class L>
struct SelectedValue {
  using type = void;
};
template <class Item>
struct SelectedValue<SelectList<Item>> {
  using type = value_type_t<Item>;
};

// `count(distinct "e0"."id")`: the root entities of a query whose joins repeat them.
struct CountRoots {
  using ctorm_expression = void;
  using value_type = std::int64_t;
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.put("count(distinct ");
    Ctx::template put_source_column<0, EntityMeta<typename Ctx::template source_entity<0>>::pk_column, false>(w);
    w.put(')');
  }
  template <class Q>
  void bind(Q&) const {}
};

template <std::int64_t N>
struct StaticLimit {
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    put_number(w, static_cast<std::uint64_t>(N));
  }
  template <class Q>
  void bind(Q&) const {}
};
template <class L>
struct IsStaticLimit : std::false_type {};
template <std::int64_t N>
struct IsStaticLimit<StaticLimit<N>> : std::true_type {
  static constexpr std::int64_t count = N;
};

template <class Old, class C>
constexpr auto and_condition(Old&& old, C&& c) {
  if constexpr (present<std::remove_cvref_t<Old>>)
    return std::forward<Old>(old) && std::forward<C>(c);
  else
    return std::remove_cvref_t<C>(std::forward<C>(c));
}

template <class Root, class Select>
struct DefaultRow {
  using type = Root*;
};
template <class Root, class Item>
struct DefaultRow<Root, SelectList<Item>> {
  using type = value_type_t<Item>;
};
template <class Root, class... Items>
  requires(sizeof...(Items) > 1)
struct DefaultRow<Root, SelectList<Items...>> {
  using type = std::tuple<value_type_t<Items>...>;
};

}  // namespace ctorm::detail
