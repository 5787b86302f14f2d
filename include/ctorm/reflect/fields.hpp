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

// An object of T that is never constructed, whose fields' addresses are compile-time constants: the
// reflection of names and member pointers works on it. A union keeps T unconstructed; being a definition
// (not an extern declaration), it also serves types with internal linkage (anonymous namespaces, local
// types).
template <class T>
union FakeStorage {
  char none;
  T value;
  constexpr FakeStorage() : none() {}
  ~FakeStorage() {}
};
template <class T>
inline const FakeStorage<T> fake_storage{};
template <class T>
inline constexpr const T& fake_object = fake_storage<T>.value;

template <std::size_t I, class T>
constexpr decltype(auto) field(T& obj) noexcept {
  return boost::pfr::get<I>(obj);
}

}  // namespace ctorm::detail
