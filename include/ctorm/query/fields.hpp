#pragma once
// Partial loading: `em.find<User>(where, ctorm::fields<&User::email>)` loads only the key and the named
// columns. The entity is managed as usual; the columns it did not load are left at their defaults and
// are never written by flush (the unit of work treats them as unchanged) until a later query or
// refresh() loads them.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../model/entity.hpp"
#include "column.hpp"

namespace ctorm {

namespace detail {
// fields<...> takes columns, and embedded structs (all their columns).
template <auto M>
consteval bool check_field_member() {
  if constexpr (is_embedded_member<M>())
    return true;
  else
    return check_column_member<M>();
}
}  // namespace detail

template <auto... Members>
struct Fields {
  static_assert(sizeof...(Members) > 0, "ctorm: fields<...> names at least one field");
  static_assert((detail::check_field_member<Members>() && ...));
};

template <auto... Members>
inline constexpr Fields<Members...> fields{};

namespace detail {

// The columns of T that fields<Members...> loads: the named ones, the key, and the version of optimistic
// locking (without it, an update of the entity could not say which version it expects).
template <class T, auto... Members>
consteval std::uint64_t fields_mask() {
  static_assert((std::is_same_v<typename ColumnMember<Members>::entity, T> && ...),
                "ctorm: fields<...> names a member of another entity than the one queried");
  // the key, the version, and every column of each field (all of an embedded struct's)
  std::uint64_t mask = std::uint64_t{1} << EntityMeta<T>::pk_column | EntityMeta<T>::version_mask;
  for (std::size_t f : {ColumnMember<Members>::field...})
    for (std::size_t c = 0; c < EntityMeta<T>::column_count; ++c)
      if (EntityMeta<T>::columns[c].field == f) mask |= std::uint64_t{1} << c;
  return mask;
}

// The columns of a query's result, in entity mode: which of T's columns it selects.
template <std::uint64_t Mask>
struct LoadMask {
  static constexpr std::uint64_t mask = Mask;
  template <class Q>
  void bind(Q&) const {}
};

// The result column at which a query selecting the columns of Mask (in column order) returns column C.
constexpr int result_index(std::uint64_t mask, std::size_t column) {
  return std::popcount(mask & ((std::uint64_t{1} << column) - 1));
}

}  // namespace detail
}  // namespace ctorm
