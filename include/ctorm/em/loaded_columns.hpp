#pragma once
// Which columns of an entity a query loaded. Partial loading (ctorm::fields<...>) reads some columns of a
// row; the entity remembers them as a bit mask, flush ignores the others, and a later query that loads
// more fills them in.
#include <sqlite3.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "../db/codec.hpp"
#include "../model/entity.hpp"

namespace ctorm::detail {

template <class T>
inline constexpr std::uint64_t all_columns_mask =
    EntityMeta<T>::column_count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << EntityMeta<T>::column_count) - 1;

// The result column at which a query selecting the columns of Mask (in column order) returns column C.
constexpr int result_index(std::uint64_t mask, std::size_t column) {
  return std::popcount(mask & ((std::uint64_t{1} << column) - 1));
}

// Reads the columns of Mask that are also in `only` from a row that selects the columns of Mask.
template <std::uint64_t Mask, class T>
void read_loaded_columns(sqlite3_stmt* st, T& e, std::uint64_t only = Mask) {
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    ((Mask >> C & 1u && only >> C & 1u ? read_value(st, result_index(Mask, C), column_ref<C>(e)) : void()), ...);
  }(std::make_index_sequence<EntityMeta<T>::column_count>{});
}

}  // namespace ctorm::detail
