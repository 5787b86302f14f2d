#pragma once
// What ctorm can reflect: plain aggregates, seen through Boost.PFR.
#include <boost/pfr/core.hpp>
#include <boost/pfr/tuple_size.hpp>
#include <cstddef>
#include <type_traits>

namespace ctorm::detail {

template <class T>
inline constexpr bool reflectable =
    std::is_aggregate_v<T> && std::is_class_v<T> && !std::is_polymorphic_v<T> && std::is_default_constructible_v<T>;

template <class T>
inline constexpr std::size_t field_count = boost::pfr::tuple_size_v<T>;

template <class T, std::size_t I>
using field_type = std::remove_cvref_t<boost::pfr::tuple_element_t<I, T>>;

// An object of T for compile-time use only (the addresses of its fields, their names in a signature):
// the member of a union that never becomes active, so no T is ever made. It is a defined variable, not
// an extern declaration, which Clang rejects for a type without linkage (one in an anonymous namespace).
template <class T>
union FakeObject {
  T value;
  char none;
  constexpr FakeObject() : none() {}
  constexpr ~FakeObject() {}
};
template <class T>
inline constexpr FakeObject<T> fake_object_storage{};
template <class T>
inline constexpr const T& fake_object = fake_object_storage<T>.value;

template <std::size_t I, class T>
constexpr decltype(auto) field(T& obj) noexcept {
  return boost::pfr::get<I>(obj);
}

}  // namespace ctorm::detail
