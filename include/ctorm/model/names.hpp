#pragma once
// Table and column names of an entity under a naming strategy, and the names of many-to-many pivot tables
// and their columns, as compile-time strings.
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../text/static_text.hpp"
#include "entity.hpp"
#include "naming.hpp"
#include "relations.hpp"

namespace ctorm::detail {

template <class Naming, class T>
struct TableNameText {
  template <class W>
  static constexpr void build(W& w) {
    for (const auto& o : EntityMeta<T>::option_entries) {
      if (o.kind == OptionKind::table_name) {
        w.put(o.text);
        return;
      }
    }
    Naming::table(type_name<T>, w);
  }
};

template <class Naming, class T, std::size_t C>
struct ColumnNameText {
  template <class W>
  static constexpr void build(W& w) {
    constexpr ColumnInfo col = EntityMeta<T>::columns[C];
    if constexpr (!col.explicit_name.empty()) {
      w.put(col.explicit_name);
    } else if constexpr (col.sub != no_field) {
      Naming::column(field_name<field_type<T, col.field>, col.sub>, w);
    } else if constexpr (col.ref) {
      // author -> author_id: the field, then the target's key column
      using Target = ref_target<field_type<T, col.field>>;
      Naming::column(field_name<T, col.field>, w);
      w.put('_');
      ColumnNameText<Naming, Target, EntityMeta<Target>::pk_column>::build(w);
    } else {
      Naming::column(field_name<T, col.field>, w);
    }
  }
};

// "User.score" (an embedded struct's field: "User.address.zip"), for messages about a field's value.
template <class T, std::size_t C>
struct FieldLabelText {
  template <class W>
  static constexpr void build(W& w) {
    constexpr ColumnInfo col = EntityMeta<T>::columns[C];
    w.put(type_name<T>);
    w.put('.');
    w.put(field_name<T, col.field>);
    if constexpr (col.sub != no_field) {
      w.put('.');
      w.put(field_name<field_type<T, col.field>, col.sub>);
    }
  }
};

template <class T, std::size_t C>
inline constexpr std::string_view field_label = static_text<FieldLabelText<T, C>>;

template <class Naming, class T>
inline constexpr std::string_view table_name_of = static_text<TableNameText<Naming, T>>;

template <class Naming, class T, std::size_t C>
inline constexpr std::string_view column_name_of = static_text<ColumnNameText<Naming, T, C>>;

// All column names of T, in column order.
template <class Naming, class T>
inline constexpr auto column_names = []<std::size_t... C>(std::index_sequence<C...>) {
  return std::array<std::string_view, sizeof...(C)>{column_name_of<Naming, T, C>...};
}(std::make_index_sequence<EntityMeta<T>::column_count>{});

// The pivot table of a many-to-many field (`article_tags`) and its two key columns.
template <class Naming, class T, std::size_t I>
struct PivotTableNameText {
  template <class W>
  static constexpr void build(W& w) {
    w.put(table_name_of<Naming, T>);
    w.put('_');
    Naming::column(field_name<T, I>, w);
  }
};

// Side 0 is the owner (`article_id`), side 1 the target (`tag_id`); a self relation numbers them.
template <class Naming, class T, std::size_t I, int Side>
struct PivotColumnText {
  template <class W>
  static constexpr void build(W& w) {
    using X = std::conditional_t<Side == 0, T, relation_target<T, I>>;
    w.put(table_name_of<Naming, X>);
    if constexpr (std::is_same_v<T, relation_target<T, I>>) w.put(Side == 0 ? "_1" : "_2");
    w.put('_');
    w.put(column_names<Naming, X>[EntityMeta<X>::pk_column]);
  }
};

template <class Naming, class T, std::size_t I>
inline constexpr std::string_view pivot_table_of = static_text<PivotTableNameText<Naming, T, I>>;
template <class Naming, class T, std::size_t I, int Side>
inline constexpr std::string_view pivot_column_of = static_text<PivotColumnText<Naming, T, I, Side>>;
}  // namespace ctorm::detail
