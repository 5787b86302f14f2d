#pragma once
// `is_null(col<&User::bio>)`: `"bio" is null`; is_not_null: `"bio" is not null`. Only a column that can
// hold NULL may be tested: a std::optional field, or any column of a table the query reaches through a
// left join (a row with no match there reads NULL, whatever the field's type). Anything else is a compile
// error, since the answer would always be the same. Which tables are left-joined is known only where the
// condition is written into a query, so the check is made there.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "column.hpp"
#include "expression.hpp"

namespace ctorm {

namespace detail {

// Whether E can be NULL where it is written, in context Ctx.
template <class Ctx, class E>
consteval bool may_be_null() {
  if constexpr (column_expression<E>) {
    return Ctx::template column_may_be_null<E>();
  } else if constexpr (IsQualifiedColumn<E>::value) {  // qualified() or outer()
    if constexpr (!E::enclosing)
      return Ctx::template column_may_be_null<typename E::column>();
    else if constexpr (Ctx::has_parent)
      return Ctx::parent::template column_may_be_null<typename E::column>();
    else
      return true;  // outer() outside a sub-query: it reports that itself
  } else {
    using F = value_type_t<E>;
    return is_nullable<F> || std::is_same_v<F, Untyped>;
  }
}

// Made once per condition and query, so the message is given once.
template <class Ctx, class E, bool IsNull>
consteval bool check_nullable() {
  if constexpr (IsNull)
    static_assert(may_be_null<Ctx, E>(),
                  "ctorm: is_null on a column that cannot be null (only a std::optional field, or a column of an "
                  "entity the query reaches through a left join, can hold NULL)");
  else
    static_assert(may_be_null<Ctx, E>(),
                  "ctorm: is_not_null on a column that cannot be null (only a std::optional field, or a column "
                  "of an entity the query reaches through a left join, can hold NULL)");
  return true;
}

}  // namespace detail

template <class E, bool IsNull>
struct NullCheck {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E>;
  E expr;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    static_assert(detail::check_nullable<Ctx, E, IsNull>());
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

template <expression E>
constexpr NullCheck<E, true> is_null(E expr) {
  return {std::move(expr)};
}
template <expression E>
constexpr NullCheck<E, false> is_not_null(E expr) {
  return {std::move(expr)};
}

}  // namespace ctorm
