#pragma once
// Compile-time SQL text. A builder type writes its text through a writer; it runs twice at compile time,
// once to count the characters and once to fill a char array held in a static constexpr variable, so
// the text is a constant and costs nothing at run time. (std::string is not usable here: Clang 14 with
// libstdc++ 12 rejects it in constant evaluation.)
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ctorm::detail {

// The dialect of a text that has no placeholders (names, labels): the same in every database.
struct NoDialect {
  template <class W>
  static constexpr void put_placeholder(W&, std::size_t) {
    static_assert(sizeof(W) == 0, "ctorm: internal: a placeholder in a text without a dialect");
  }
};

// Every writer numbers the placeholders it writes, for dialects that number them (PostgreSQL's `$1`).
template <class D>
struct TextCounter {
  using dialect = D;
  std::size_t size = 0;
  std::size_t params = 0;
  constexpr void put(std::string_view s) { size += s.size(); }
  constexpr void put(char) { ++size; }
  constexpr void placeholder() { D::put_placeholder(*this, ++params); }
};

template <class D>
struct TextWriter {
  using dialect = D;
  char* out;
  std::size_t params = 0;
  constexpr void put(std::string_view s) {
    for (char c : s) *out++ = c;
  }
  constexpr void put(char c) { *out++ = c; }
  constexpr void placeholder() { D::put_placeholder(*this, ++params); }
};

// A text written at run time (a shape chosen by the values: an update's changed columns, a list's length).
template <class D>
struct StringWriter {
  using dialect = D;
  std::string& out;
  std::size_t params = 0;
  void put(std::string_view s) { out.append(s); }
  void put(char c) { out.push_back(c); }
  void placeholder() { D::put_placeholder(*this, ++params); }
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

// Builder: a type with `template <class W> static constexpr void build(W&)`; D: the dialect the text is
// written in (db/<backend>/dialect.hpp), which the builder reaches as `W::dialect`.
template <class Builder, class D>
struct StaticText {
  static constexpr std::size_t size = [] {
    TextCounter<D> c;
    Builder::build(c);
    return c.size;
  }();
  static constexpr std::array<char, size + 1> chars = [] {
    std::array<char, size + 1> a{};
    TextWriter<D> w{a.data()};
    Builder::build(w);
    return a;
  }();
  static constexpr std::string_view value{chars.data(), size};
};

template <class Builder, class D = NoDialect>
inline constexpr std::string_view static_text = StaticText<Builder, D>::value;

}  // namespace ctorm::detail
