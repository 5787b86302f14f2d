#pragma once
// Field names of an aggregate at compile time. Boost 1.84 has boost::pfr::get_name; Boost 1.81 does not,
// so ctorm cuts the name out of the signature of a function whose template argument is the field's
// address inside a never-defined object.
#include <array>
#include <cstddef>
#include <string_view>

#include "../config.hpp"
#include "fields.hpp"

#if defined(CTORM_HAS_PFR_GET_NAME)
#include <boost/pfr/core_name.hpp>
#endif

namespace ctorm::detail {

// Clang <= 16 does not print a bare pointer NTTP to a subobject; wrapping it in a struct helps.
template <class P>
struct FieldPointer {
  const P* ptr;
};

template <auto Ptr>
consteval std::string_view signature_of_field_pointer() {
  return __PRETTY_FUNCTION__;
}

// GCC: "...{(& fake_object<User>.User::email)}...", Clang: "...{&fake_object.email}]".
consteval std::string_view field_name_from_signature(std::string_view sig) {
  std::size_t end = sig.rfind(")}");
  if (end == std::string_view::npos) end = sig.rfind("}]");
  std::size_t begin = sig.find_last_of(":.", end);
  return sig.substr(begin + 1, end - begin - 1);
}

CTORM_DIAG_PUSH_UNDEFINED_VAR
template <class T, std::size_t I>
consteval std::string_view field_name_view() {
#if defined(CTORM_HAS_PFR_GET_NAME)
  return boost::pfr::get_name<I, T>();
#else
  using F = std::remove_reference_t<decltype(boost::pfr::get<I>(fake_object<T>))>;
  return field_name_from_signature(
      signature_of_field_pointer<FieldPointer<F>{&boost::pfr::get<I>(fake_object<T>)}>());
#endif
}
CTORM_DIAG_POP

template <class T, std::size_t I>
struct FieldNameStorage {
  static constexpr std::string_view src = field_name_view<T, I>();
  static constexpr auto value = [] {
    std::array<char, src.size() + 1> a{};
    for (std::size_t i = 0; i < src.size(); ++i) a[i] = src[i];
    return a;
  }();
};

template <class T, std::size_t I>
inline constexpr std::string_view field_name{FieldNameStorage<T, I>::value.data(), FieldNameStorage<T, I>::src.size()};

namespace field_name_check {
struct Probe {
  int first;
  double second_field;
};
static_assert(field_name<Probe, 0> == "first" && field_name<Probe, 1> == "second_field",
              "ctorm: the compiler prints field names in a form ctorm does not know; please report it");
}  // namespace field_name_check

}  // namespace ctorm::detail
