#pragma once
// Table and column names of an entity under a naming strategy, as compile-time strings.
#include <cstddef>
#include <string_view>

#include "../sql/naming.hpp"
#include "../sql/text.hpp"
#include "entity.hpp"

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

}  // namespace ctorm::detail
