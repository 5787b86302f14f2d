#pragma once
// `ctorm::as<"total_comments">(count())`: a selected expression with a name, `count(*) as
// "total_comments"`. The name is what a result struct's field is matched by, and what order_by writes
// when it orders by the aliased expression.
#include <cstddef>
#include <string_view>
#include <utility>

#include "../text/fixed_string.hpp"
#include "expression.hpp"

namespace ctorm {

template <FixedString Name, class E>
struct Aliased {
  using ctorm_expression = void;
  using value_type = value_type_t<E>;
  using aliased_expression = E;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E>;
  static constexpr std::string_view alias = Name.view();
  E expr;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    E::template write_sql<Ctx>(w);
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

template <FixedString Name, expression E>
constexpr Aliased<Name, std::remove_cvref_t<E>> as(E&& expr) {
  static_assert(Name.view().size() > 0, "ctorm: an alias must not be empty");
  return {std::forward<E>(expr)};
}

namespace detail {
template <class E>
concept aliased_expression = requires { std::remove_cvref_t<E>::alias; };
}  // namespace detail

}  // namespace ctorm
