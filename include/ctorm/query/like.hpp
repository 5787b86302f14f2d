#pragma once
// `like(col<&User::email>, "%@example.com")`: `"email" like ?`, SQL's like as MikroORM sends it. With
// ctorm::escaped it is `like ? escape '\'`, so a pattern made with escape_like() matches its text
// literally: `like(col<&User::name>, "%" + ctorm::escape_like(user_input) + "%", ctorm::escaped)`, or simply
// contains(col, text). The escape clause is not written by default because SQLite then matches through a
// slower path for every row it tests. SQLite's like ignores ASCII case, PostgreSQL's does not: ilike()
// ignores case on both (`like` on SQLite, `ilike` on PostgreSQL). Without ctorm::escaped nothing escapes
// on either (PostgreSQL's like would take \ as its escape: its dialect says `escape ''`).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "expression.hpp"

namespace ctorm {

namespace detail {
// `text` with \ before each %, _ and \, between optional leading and trailing % wildcards. Built by appending
// into one string: `"%" + escape_like(text)` made GCC 12 at -O3 report a -Wrestrict false positive in
// std::string's insert, which failed Release builds under -Werror.
inline std::string like_pattern(std::string_view text, bool leading, bool trailing) {
  std::string out;
  out.reserve(text.size() + 2);
  if (leading) out += '%';
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  if (trailing) out += '%';
  return out;
}
}  // namespace detail

// `text` with the like wildcards % and _ (and the escape character \) escaped by \.
inline std::string escape_like(std::string_view text) { return detail::like_pattern(text, false, false); }

// The tag that makes like() write `escape '\'`.
struct LikeEscaped {};
inline constexpr LikeEscaped escaped{};

template <class E, class P, bool Escaped = false, bool IgnoreCase = false>
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
    w.put(IgnoreCase ? W::dialect::ilike : std::string_view(" like "));
    detail::write_operand<Ctx, P>(w);
    if constexpr (Escaped)
      w.put(" escape '\\'");
    else
      w.put(W::dialect::like_without_escape);
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

namespace detail {
template <bool Escaped, class E, class P, bool IgnoreCase = false>
constexpr auto make_like(E expr, P&& pattern) {
  using F = value_type_t<E>;
  static_assert(value_class<F>() == ValueClass::text || value_class<F>() == ValueClass::untyped,
                "ctorm: like() is used on a column that is not text");
  static_assert(operand_fits<F, P>(), "ctorm: like() takes a text pattern");
  auto p = operand_for<F>(std::forward<P>(pattern));
  return Like<E, decltype(p), Escaped, IgnoreCase>{std::move(expr), std::move(p)};
}
}  // namespace detail

// Rows whose text matches the pattern (% any run of characters, _ one character).
template <expression E, class P>
constexpr auto like(E expr, P&& pattern) {
  return detail::make_like<false>(std::move(expr), std::forward<P>(pattern));
}
// The same, where \ in the pattern escapes %, _ and itself (patterns made with escape_like()).
template <expression E, class P>
constexpr auto like(E expr, P&& pattern, LikeEscaped) {
  return detail::make_like<true>(std::move(expr), std::forward<P>(pattern));
}

// like(), ignoring case on every backend.
template <expression E, class P>
constexpr auto ilike(E expr, P&& pattern) {
  return detail::make_like<false, E, P, true>(std::move(expr), std::forward<P>(pattern));
}
template <expression E, class P>
constexpr auto ilike(E expr, P&& pattern, LikeEscaped) {
  return detail::make_like<true, E, P, true>(std::move(expr), std::forward<P>(pattern));
}

// Rows whose text contains, starts with or ends with `text`, taken literally.
template <expression E>
auto contains(E expr, std::string_view text) {
  return like(std::move(expr), detail::like_pattern(text, true, true), escaped);
}
template <expression E>
auto starts_with(E expr, std::string_view text) {
  return like(std::move(expr), detail::like_pattern(text, false, true), escaped);
}
template <expression E>
auto ends_with(E expr, std::string_view text) {
  return like(std::move(expr), detail::like_pattern(text, true, false), escaped);
}

}  // namespace ctorm
