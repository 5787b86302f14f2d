#pragma once
// `like(col<&User::email>, "%@example.com")`: `"email" like ? escape '\'`. The escape clause is always
// written, so a pattern made with escape_like() matches its text literally:
// `like(col<&User::name>, "%" + ctorm::escape_like(user_input) + "%")`, or simply contains(col, text).
// (SQLite's like ignores ASCII case.)
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "expression.hpp"

namespace ctorm {

// `text` with the like wildcards % and _ (and the escape character \) escaped by \.
inline std::string escape_like(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

template <class E, class P>
struct Like {
  using ctorm_expression = void;
  using value_type = bool;
  static constexpr bool is_predicate = true;
  static constexpr std::size_t dynamic_count = detail::dynamic_count_v<E> + detail::dynamic_count_v<P>;
  E expr;
  P pattern;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    detail::write_operand<Ctx, E>(w);
    w.put(" like ");
    detail::write_operand<Ctx, P>(w);
    w.put(" escape '\\'");
  }
  template <class Q>
  void bind(Q& q) const {
    expr.bind(q);
    pattern.bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(expr, s);
    detail::collect_sizes(pattern, s);
  }
};

// Rows whose text matches the pattern (% any run of characters, _ one character, \ escapes).
template <expression E, class P>
constexpr auto like(E expr, P&& pattern) {
  using F = value_type_t<E>;
  static_assert(detail::value_class<F>() == detail::ValueClass::text ||
                    detail::value_class<F>() == detail::ValueClass::untyped,
                "ctorm: like() is used on a column that is not text");
  static_assert(detail::operand_fits<F, P>(), "ctorm: like() takes a text pattern");
  auto p = detail::operand_for<F>(std::forward<P>(pattern));
  return Like<E, decltype(p)>{std::move(expr), std::move(p)};
}

// Rows whose text contains, starts with or ends with `text`, taken literally.
template <expression E>
auto contains(E expr, std::string_view text) {
  return like(std::move(expr), "%" + escape_like(text) + "%");
}
template <expression E>
auto starts_with(E expr, std::string_view text) {
  return like(std::move(expr), escape_like(text) + "%");
}
template <expression E>
auto ends_with(E expr, std::string_view text) {
  return like(std::move(expr), "%" + escape_like(text));
}

}  // namespace ctorm
