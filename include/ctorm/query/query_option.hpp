#pragma once
// Query options: what find(), find_one() and find_and_count() take besides a condition (and populate requests):
// order_by(...), limit(n), offset(n), fields<...>.
#include <concepts>
#include <type_traits>

#include "fields.hpp"
#include "order.hpp"
#include "paging.hpp"

namespace ctorm {
namespace detail {

template <class T>
struct IsFields : std::false_type {};
template <auto... Ms>
struct IsFields<Fields<Ms...>> : std::true_type {};
template <class T>
struct IsOrderBy : std::false_type {};
template <class... Os>
struct IsOrderBy<OrderBy<Os...>> : std::true_type {};

}  // namespace detail

template <class O>
concept query_option = detail::IsOrderBy<std::remove_cvref_t<O>>::value || std::same_as<std::remove_cvref_t<O>, Limit> ||
                      std::same_as<std::remove_cvref_t<O>, Offset> || detail::IsFields<std::remove_cvref_t<O>>::value;

}  // namespace ctorm
