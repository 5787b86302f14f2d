#pragma once
// Naming strategies: how C++ names become table and column names. A strategy is a type with two
// constexpr functions writing through a text writer; a schema names its strategy
// (`ctorm::basic_schema<MyNaming, User, ...>`).
#include <string_view>

namespace ctorm {

namespace detail {
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace detail

// BlogPost -> blog_post, HTTPServer -> http_server, full_name -> full_name.
template <class W>
constexpr void write_snake_case(std::string_view s, W& w) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (detail::is_upper(c) && i > 0) {
      const bool after_lower = detail::is_lower_or_digit(s[i - 1]);
      const bool acronym_end = detail::is_upper(s[i - 1]) && i + 1 < s.size() && detail::is_lower_or_digit(s[i + 1]) &&
                               !(s[i + 1] >= '0' && s[i + 1] <= '9');
      if (after_lower || acronym_end) w.put('_');
    }
    w.put(detail::to_lower(c));
  }
}

// The default, as MikroORM's UnderscoreNamingStrategy: snake_case tables and columns.
struct UnderscoreNaming {
  template <class W>
  static constexpr void table(std::string_view type_name, W& w) {
    write_snake_case(type_name, w);
  }
  template <class W>
  static constexpr void column(std::string_view field_name, W& w) {
    write_snake_case(field_name, w);
  }
};

// Names kept exactly as written in C++.
struct VerbatimNaming {
  template <class W>
  static constexpr void table(std::string_view type_name, W& w) {
    w.put(type_name);
  }
  template <class W>
  static constexpr void column(std::string_view field_name, W& w) {
    w.put(field_name);
  }
};

}  // namespace ctorm
