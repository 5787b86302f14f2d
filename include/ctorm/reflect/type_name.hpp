#pragma once
// The unqualified name of a type, as a compile-time string: `ns::BlogPost` -> "BlogPost".
#include <array>
#include <cstddef>
#include <string_view>

namespace ctorm::detail {

template <class T>
consteval std::string_view pretty_signature_of_type() {
  return __PRETTY_FUNCTION__;
}

// GCC: "... [with T = ns::User; std::string_view = ...]", Clang: "... [T = ns::User]".
template <class T>
consteval std::string_view qualified_type_name_view() {
  constexpr std::string_view sig = pretty_signature_of_type<T>();
  constexpr std::size_t begin = sig.find("T = ") + 4;
  constexpr std::size_t end = sig.find_first_of(";]", begin);
  return sig.substr(begin, end - begin);
}

template <class T>
consteval std::string_view short_type_name_view() {
  constexpr std::string_view q = qualified_type_name_view<T>();
  constexpr std::string_view head = q.substr(0, q.find('<'));
  constexpr std::size_t colon = head.rfind("::");
  return colon == std::string_view::npos ? q : q.substr(colon + 2);
}

// Copied into a small array so that only the name, not the whole signature, lands in the binary.
template <class T>
struct TypeNameStorage {
  static constexpr std::string_view src = short_type_name_view<T>();
  static constexpr auto value = [] {
    std::array<char, src.size() + 1> a{};
    for (std::size_t i = 0; i < src.size(); ++i) a[i] = src[i];
    return a;
  }();
};

template <class T>
inline constexpr std::string_view type_name{TypeNameStorage<T>::value.data(), TypeNameStorage<T>::src.size()};

}  // namespace ctorm::detail
