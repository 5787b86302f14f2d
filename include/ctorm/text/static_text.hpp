#pragma once
// Compile-time SQL text. A builder type writes its text through a writer; it runs twice at compile time,
// once to count the characters and once to fill a char array held in a static constexpr variable, so
// the text is a constant and costs nothing at run time. (std::string is not usable here: Clang 14 with
// libstdc++ 12 rejects it in constant evaluation.)
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ctorm::detail {

struct TextCounter {
  std::size_t size = 0;
  constexpr void put(std::string_view s) { size += s.size(); }
  constexpr void put(char) { ++size; }
};

struct TextWriter {
  char* out;
  constexpr void put(std::string_view s) {
    for (char c : s) *out++ = c;
  }
  constexpr void put(char c) { *out++ = c; }
};

template <class W>
constexpr void put_number(W& w, std::uint64_t n) {
  char digits[20]{};
  int len = 0;
  do {
    digits[len++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (len > 0) w.put(digits[--len]);
}

// An identifier's characters as they go between double quotes: a `"` in a name (a table_name<> or
// column_name<> may hold one) is doubled, as SQL spells it, so the name cannot end the quoted identifier.
template <class W>
constexpr void put_ident_chars(W& w, std::string_view name) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '"') continue;
    w.put(name.substr(from, i + 1 - from));
    w.put('"');
    from = i + 1;
  }
  w.put(name.substr(from));
}

// `"name"`.
template <class W>
constexpr void put_ident(W& w, std::string_view name) {
  w.put('"');
  put_ident_chars(w, name);
  w.put('"');
}

// Builder: a type with `template <class W> static constexpr void build(W&)`.
template <class Builder>
struct StaticText {
  static constexpr std::size_t size = [] {
    TextCounter c;
    Builder::build(c);
    return c.size;
  }();
  static constexpr std::array<char, size + 1> chars = [] {
    std::array<char, size + 1> a{};
    TextWriter w{a.data()};
    Builder::build(w);
    return a;
  }();
  static constexpr std::string_view value{chars.data(), size};
};

template <class Builder>
inline constexpr std::string_view static_text = StaticText<Builder>::value;

}  // namespace ctorm::detail
