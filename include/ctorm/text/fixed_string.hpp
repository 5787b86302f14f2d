#pragma once
// A string literal usable as a template argument: `ctorm::table_name<"users">`.
#include <array>
#include <cstddef>
#include <string_view>

namespace ctorm {

template <std::size_t N>
struct FixedString {
  char data[N]{};
  constexpr FixedString(const char (&s)[N]) {  // NOLINT: implicit on purpose, for `<"text">`
    for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
  }
  constexpr FixedString(const std::array<char, N>& s) {
    for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
  }
  constexpr std::string_view view() const { return {data, N - 1}; }
};

}  // namespace ctorm
