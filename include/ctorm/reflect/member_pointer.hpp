#pragma once
// Member pointer <-> field index, at compile time: `&User::email` is field 2 of User.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "fields.hpp"

namespace ctorm::detail {

template <class MP>
struct MemberPointerTraits;

template <class C, class M>
struct MemberPointerTraits<M C::*> {
  using class_type = C;
  using member_type = M;
};

template <auto MP>
using member_class = typename MemberPointerTraits<decltype(MP)>::class_type;

template <auto MP>
using member_type = std::remove_cvref_t<typename MemberPointerTraits<decltype(MP)>::member_type>;

inline constexpr std::size_t no_field = static_cast<std::size_t>(-1);

CTORM_DIAG_PUSH_UNDEFINED_VAR
template <auto MP>
consteval std::size_t field_index_of_member() {
  using T = member_class<MP>;
  const T& obj = fake_object<T>;
  const void* target = static_cast<const void*>(&(obj.*MP));
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    std::size_t found = no_field;
    ((static_cast<const void*>(&boost::pfr::get<I>(obj)) == target ? (found = I, 0) : 0), ...);
    return found;
  }(std::make_index_sequence<field_count<T>>{});
}
CTORM_DIAG_POP

// The index of the field that MP points to, within its class.
template <auto MP>
inline constexpr std::size_t field_index = field_index_of_member<MP>();

}  // namespace ctorm::detail
