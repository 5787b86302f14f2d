#pragma once
// Per-entity mapping options, given as a trait the user specialises (magic_enum style):
//   template <> struct ctorm::entity_options<User>
//       : ctorm::options<ctorm::unique<&User::email>, ctorm::length<&User::full_name, 100>> {};
#include <array>
#include <cstddef>
#include <string_view>

#include "../reflect/member_pointer.hpp"
#include "../sql/fixed_string.hpp"

namespace ctorm {

template <class... Opts>
struct options {};

// Specialise for an entity to give it options; the default has none.
template <class T>
struct entity_options : options<> {};

// The table's name, instead of the naming strategy's.
template <FixedString Name>
struct table_name {};
// A column's name, instead of the naming strategy's.
template <auto Member, FixedString Name>
struct column_name {};
// The primary key, when it is not the field named `id`.
template <auto Member>
struct primary_key {};
// A unique index over one or more columns.
template <auto... Members>
struct unique {};
// A plain index over one or more columns.
template <auto... Members>
struct index {};
// `varchar(N)` instead of `text`.
template <auto Member, std::size_t N>
struct length {};
// The column's SQL type, used as written (`decimal(10,2)`).
template <auto Member, FixedString Type>
struct column_type {};
// The column's default, an SQL literal used as written in `create table` (`''`, `0`, `current_timestamp`).
template <auto Member, FixedString Sql>
struct default_value {};

namespace detail {

enum class OptionKind : unsigned char { table_name, column_name, primary_key, unique, index, length, column_type, default_value };

inline constexpr std::size_t max_index_fields = 8;

struct OptionEntry {
  OptionKind kind{};
  std::size_t field = no_field;  // the first (or only) field
  std::size_t number = 0;        // length
  std::string_view text{};       // names, types, defaults
  std::array<std::size_t, max_index_fields> fields{};  // unique/index columns
  std::size_t field_count = 0;
};

template <class T, auto MP>
consteval std::size_t option_field() {
  static_assert(std::is_same_v<member_class<MP>, T>,
                "ctorm: an entity option names a member of another type; options of entity T take members of T");
  return field_index<MP>;
}

template <class T, auto First, auto... Rest>
consteval std::size_t first_option_field() {
  return option_field<T, First>();
}

template <class T, class O>
struct OptionOf {
  static_assert(always_false<O>, "ctorm: unknown entity option; use the option templates of ctorm/model/options.hpp");
};
template <class T, FixedString Name>
struct OptionOf<T, table_name<Name>> {
  static constexpr OptionEntry value{OptionKind::table_name, no_field, 0, Name.view(), {}, 0};
};
template <class T, auto M, FixedString Name>
struct OptionOf<T, column_name<M, Name>> {
  static constexpr OptionEntry value{OptionKind::column_name, option_field<T, M>(), 0, Name.view(), {}, 0};
};
template <class T, auto M>
struct OptionOf<T, primary_key<M>> {
  static constexpr OptionEntry value{OptionKind::primary_key, option_field<T, M>(), 0, {}, {}, 0};
};
template <class T, auto... Ms>
struct OptionOf<T, unique<Ms...>> {
  static_assert(sizeof...(Ms) >= 1 && sizeof...(Ms) <= max_index_fields, "ctorm: unique<...> takes 1 to 8 members");
  static constexpr OptionEntry value{OptionKind::unique, first_option_field<T, Ms...>(), 0, {}, {option_field<T, Ms>()...},
                                     sizeof...(Ms)};
};
template <class T, auto... Ms>
struct OptionOf<T, index<Ms...>> {
  static_assert(sizeof...(Ms) >= 1 && sizeof...(Ms) <= max_index_fields, "ctorm: index<...> takes 1 to 8 members");
  static constexpr OptionEntry value{OptionKind::index, 0, 0, {}, {option_field<T, Ms>()...}, sizeof...(Ms)};
};
template <class T, auto M, std::size_t N>
struct OptionOf<T, length<M, N>> {
  static constexpr OptionEntry value{OptionKind::length, option_field<T, M>(), N, {}, {}, 0};
};
template <class T, auto M, FixedString Type>
struct OptionOf<T, column_type<M, Type>> {
  static constexpr OptionEntry value{OptionKind::column_type, option_field<T, M>(), 0, Type.view(), {}, 0};
};
template <class T, auto M, FixedString Sql>
struct OptionOf<T, default_value<M, Sql>> {
  static constexpr OptionEntry value{OptionKind::default_value, option_field<T, M>(), 0, Sql.view(), {}, 0};
};

template <class T, class... Opts>
consteval auto option_entries(const options<Opts...>*) {
  return std::array<OptionEntry, sizeof...(Opts)>{OptionOf<T, Opts>::value...};
}

// Every option of entity T, as a constexpr array.
template <class T>
inline constexpr auto entity_option_entries = option_entries<T>(static_cast<const entity_options<T>*>(nullptr));

}  // namespace detail
}  // namespace ctorm
