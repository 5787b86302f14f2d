#pragma once
// What ctorm knows of an entity type, all at compile time: its columns, primary key and options.
// Naming (table and column names) is separate, in names.hpp, because it depends on the schema's strategy.
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "../reflect/field_name.hpp"
#include "../reflect/fields.hpp"
#include "../reflect/type_name.hpp"
#include "../sql/fixed_string.hpp"
#include "options.hpp"
#include "type_mapping.hpp"

namespace ctorm::detail {

// Names the entity, the field and its type in the compiler's message when a field has no column mapping.
template <class Entity, FixedString Field, class FieldType>
struct FieldTypeHasNoColumnMapping {
  static_assert(always_false<FieldType>,
                "ctorm: a field's type has no column mapping (see Entity, Field and FieldType above); map it by "
                "specialising ctorm::type_mapping<FieldType>");
  static constexpr bool value = false;
};

template <class T, std::size_t I>
consteval bool check_field_mapped() {
  using F = field_type<T, I>;
  if constexpr (mapped_type<F>) {
    return true;
  } else {
    return FieldTypeHasNoColumnMapping<T, FixedString{FieldNameStorage<T, I>::value}, F>::value;
  }
}

struct ColumnInfo {
  std::size_t field = no_field;
  Storage storage = Storage::integer;
  bool nullable = false;
  bool primary_key = false;
  bool generated = false;  // an integer key that SQLite assigns
  std::string_view sql_type{};
  std::size_t length = 0;
  std::string_view default_sql{};
  std::string_view explicit_name{};
};

template <class T>
consteval std::size_t find_pk_field() {
  for (const auto& o : entity_option_entries<T>)
    if (o.kind == OptionKind::primary_key) return o.field;
  return []<std::size_t... I>(std::index_sequence<I...>) {
    std::size_t r = no_field;
    ((field_name<T, I> == "id" ? (r = I, 0) : 0), ...);
    return r;
  }(std::make_index_sequence<field_count<T>>{});
}

template <class T, std::size_t I>
consteval ColumnInfo make_column() {
  using F = field_type<T, I>;
  ColumnInfo c;
  c.field = I;
  c.storage = storage_of<F>();
  c.nullable = is_nullable<F>;
  c.primary_key = I == find_pk_field<T>();
  c.generated = c.primary_key && c.storage == Storage::integer && !c.nullable;
  c.sql_type = default_sql_type<F>();
  for (const auto& o : entity_option_entries<T>) {
    if (o.field != I) continue;
    if (o.kind == OptionKind::length) c.length = o.number;
    if (o.kind == OptionKind::column_type) c.sql_type = o.text;
    if (o.kind == OptionKind::default_value) c.default_sql = o.text;
    if (o.kind == OptionKind::column_name) c.explicit_name = o.text;
  }
  return c;
}

template <class T>
consteval bool check_entity() {
  static_assert(std::is_class_v<T> && std::is_aggregate_v<T>,
                "ctorm: an entity must be a plain aggregate struct: no user-declared constructors, no virtual "
                "functions, no private fields");
  static_assert(!std::is_polymorphic_v<T>, "ctorm: an entity must not have virtual functions");
  static_assert(std::is_default_constructible_v<T>, "ctorm: an entity must be default-constructible");
  if constexpr (std::is_class_v<T> && std::is_aggregate_v<T>) {
    static_assert(find_pk_field<T>() != no_field,
                  "ctorm: the entity has no primary key: add a field named `id`, or name one with "
                  "ctorm::primary_key<&T::field> in ctorm::entity_options<T>");
    return []<std::size_t... I>(std::index_sequence<I...>) {
      return (check_field_mapped<T, I>() && ...);
    }(std::make_index_sequence<field_count<T>>{});
  } else {
    return false;
  }
}

template <class T>
struct EntityMeta {
  static constexpr bool valid = check_entity<T>();
  using type = T;
  static constexpr std::size_t pk_field = find_pk_field<T>();
  static constexpr std::size_t column_count = field_count<T>;
  static_assert(column_count <= 64, "ctorm: an entity can have at most 64 columns");

  static constexpr std::array<ColumnInfo, column_count> columns = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<ColumnInfo, column_count>{make_column<T, I>()...};
  }(std::make_index_sequence<column_count>{});

  static constexpr std::size_t pk_column = [] {
    for (std::size_t c = 0; c < column_count; ++c)
      if (columns[c].primary_key) return c;
    return no_field;
  }();
  static constexpr bool generated_key = columns[pk_column].generated;
  using key_field_type = field_type<T, pk_field>;
  static constexpr auto& option_entries = entity_option_entries<T>;
};

// The field (of T) that column C reads and writes.
template <std::size_t C, class T>
constexpr auto& column_ref(T& e) noexcept {
  return boost::pfr::get<EntityMeta<std::remove_const_t<T>>::columns[C].field>(e);
}

template <class T>
constexpr auto& primary_key_ref(T& e) noexcept {
  return boost::pfr::get<EntityMeta<std::remove_const_t<T>>::pk_field>(e);
}

}  // namespace ctorm::detail
