#pragma once
// Which C++ types are columns, and how they are stored. Built in: bool, integers, float, double,
// std::string, enums (their integer), std::chrono::system_clock::time_point (integer milliseconds),
// ctorm::Blob (std::vector<std::byte>) and std::optional of any of them (NULL). Users map their own
// types by specialising ctorm::type_mapping.
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ctorm {

using TimePoint = std::chrono::system_clock::time_point;
using Blob = std::vector<std::byte>;

// The current time at the millisecond precision the database keeps, so a value reads back equal.
inline TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// Specialise to store a type of your own:
//   template <> struct ctorm::type_mapping<Money> {
//     using db_type = std::int64_t;                  // std::int64_t, double, std::string or ctorm::Blob
//     static std::int64_t to_db(const Money& m) { return m.cents; }
//     static Money from_db(std::int64_t cents) { return Money{cents}; }
//     static constexpr std::string_view sql_type = "integer";   // optional
//   };
template <class T>
struct type_mapping;

namespace detail {

enum class Storage : unsigned char { integer, real, text, blob };

enum class MappingKind : unsigned char { none, user, boolean, integer, enumeration, real, text, blob, time, optional, ref };

// The type of entity X's primary key field (defined with the entity metadata).
template <class X>
struct PrimaryKeyFieldOf;

// A relation to another entity, stored as that entity's key: true for ctorm::Ref<X>, with `target` X
// (specialised in model/ref.hpp, so that how values are stored needs nothing of the model).
template <class T>
struct IsRef : std::false_type {};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
struct IsTimePoint : std::false_type {};
template <class C, class D>
struct IsTimePoint<std::chrono::time_point<C, D>> : std::true_type {};

template <class T>
concept user_mapped = requires { typename type_mapping<T>::db_type; };

template <class T>
consteval MappingKind mapping_kind() {
  if constexpr (user_mapped<T>) return MappingKind::user;
  else if constexpr (IsRef<T>::value) return MappingKind::ref;
  else if constexpr (std::is_same_v<T, bool>) return MappingKind::boolean;
  else if constexpr (std::is_integral_v<T>) return MappingKind::integer;
  else if constexpr (std::is_enum_v<T>) return MappingKind::enumeration;
  else if constexpr (std::is_floating_point_v<T>) return MappingKind::real;
  else if constexpr (std::is_same_v<T, std::string>) return MappingKind::text;
  else if constexpr (std::is_same_v<T, Blob>) return MappingKind::blob;
  else if constexpr (IsTimePoint<T>::value) return MappingKind::time;
  else if constexpr (IsOptional<T>::value) {
    if constexpr (mapping_kind<typename T::value_type>() == MappingKind::none ||
                  IsOptional<typename T::value_type>::value)
      return MappingKind::none;
    else
      return MappingKind::optional;
  } else
    return MappingKind::none;
}

template <class T>
consteval Storage storage_of() {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) return storage_of<typename type_mapping<T>::db_type>();
  else if constexpr (k == MappingKind::ref) return storage_of<typename PrimaryKeyFieldOf<typename IsRef<T>::target>::type>();
  else if constexpr (k == MappingKind::optional) return storage_of<typename T::value_type>();
  else if constexpr (k == MappingKind::real) return Storage::real;
  else if constexpr (k == MappingKind::text) return Storage::text;
  else if constexpr (k == MappingKind::blob) return Storage::blob;
  else return Storage::integer;
}

// The SQL type a type_mapping names for its column (through optionals and relations), or empty: then
// the dialect chooses one from the column's kind (db/<backend>/dialect.hpp).
template <class T>
consteval std::string_view mapped_sql_type() {
  if constexpr (mapping_kind<T>() == MappingKind::user && requires { type_mapping<T>::sql_type; })
    return type_mapping<T>::sql_type;
  else if constexpr (mapping_kind<T>() == MappingKind::user)
    return mapped_sql_type<typename type_mapping<T>::db_type>();
  else if constexpr (mapping_kind<T>() == MappingKind::optional)
    return mapped_sql_type<typename T::value_type>();
  else if constexpr (mapping_kind<T>() == MappingKind::ref)
    return mapped_sql_type<typename PrimaryKeyFieldOf<typename IsRef<T>::target>::type>();
  else
    return {};
}

// What a column holds, through optionals, relations and type mappings: one of boolean, integer,
// enumeration, real, text, blob, time.
template <class T>
consteval MappingKind column_kind() {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) return column_kind<typename type_mapping<T>::db_type>();
  else if constexpr (k == MappingKind::optional) return column_kind<typename T::value_type>();
  else if constexpr (k == MappingKind::ref) return column_kind<typename PrimaryKeyFieldOf<typename IsRef<T>::target>::type>();
  else return k;
}

}  // namespace detail

// A type that can be stored in one column.
template <class T>
concept mapped_type = detail::mapping_kind<T>() != detail::MappingKind::none;

// A column type whose value may be NULL.
template <class T>
inline constexpr bool is_nullable = detail::mapping_kind<T>() == detail::MappingKind::optional;

}  // namespace ctorm
