#pragma once
// `ctorm::exists(sub-query)`: `exists (select 1 from ...)`; `!exists(...)` for `not exists`. Typically
// correlated: `exists(ctorm::query<Article>().where(col<&Article::author> == col<&User::id>))`.
#include <cstddef>
#include <utility>

#include "expression.hpp"
#include "in.hpp"

namespace ctorm {

template <class Sub>
struct Exists {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<Sub>;
  Sub sub;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.put("exists ");
    Sub::template write_sql<Ctx>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    sub.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(sub, s);
  }
};

template <detail::query_expression Sub>
constexpr Exists<Sub> exists(Sub sub) {
  return {std::move(sub)};
}

}  // namespace ctorm
