#pragma once
// Reading a query's rows into C++ values: a single value (one selected column), a std::tuple (by
// position), or a plain aggregate the user declares, a read-only "virtual entity" such as
//   struct ArticleListing { std::string slug; std::string title; std::int64_t total_comments; };
// whose fields are matched to the selected items by name (a column's field name or an alias) when any
// field's name is selected, and by position otherwise. A field that matches nothing, a count that
// differs, or a value read into a field of another type (an aggregate's type included) is a compile
// error.
#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../db/sqlite/codec.hpp"  // the rows of other backends find their codec by ADL
#include "../reflect/field_name.hpp"
#include "../reflect/fields.hpp"
#include "../text/fixed_string.hpp"
#include "alias.hpp"
#include "column.hpp"
#include "expression.hpp"

namespace ctorm::detail {

template <class Item>
consteval std::string_view item_name() {
  if constexpr (aliased_expression<Item>)
    return Item::alias;
  else if constexpr (column_expression<Item>)
    return field_name<typename Item::leaf_class, Item::leaf_field>;
  else
    return {};
}

template <class R>
concept tuple_result = requires { std::tuple_size<R>::value; };

// A result that is one value: a mapped type such as std::string or std::optional<int>.
template <class R>
concept scalar_result = mapped_type<R>;

template <class R>
consteval std::size_t result_field_count() {
  if constexpr (tuple_result<R>)
    return std::tuple_size_v<R>;
  else
    return field_count<R>;
}

template <class R, std::size_t I>
struct ResultField {
  using type = field_type<R, I>;
};
template <class R, std::size_t I>
  requires tuple_result<R>
struct ResultField<R, I> {
  using type = std::remove_cvref_t<std::tuple_element_t<I, R>>;
};

// Instantiated only to fail, so that the compiler's message shows the result type and the field's name.
template <class Result, FixedString Field>
struct ResultFieldMatchesNoSelectedName {
  static_assert(always_false<Result>,
                "ctorm: a field of the result type matches no selected column or alias by name (see Result and "
                "Field above; alias the selected expression with ctorm::as<\"name\">)");
  static constexpr bool value = false;
};

template <class Result, std::size_t Field, class ValueType, class FieldType>
struct SelectedValueReadIntoFieldOfAnotherType {
  static_assert(always_false<Result>,
                "ctorm: a selected expression is read into a field of another type (see Result, the Field's "
                "position, the expression's ValueType and the FieldType above)");
  static constexpr bool value = false;
};

template <class R, std::size_t I>
consteval std::string_view result_field_name() {
  if constexpr (tuple_result<R>)
    return {};
  else
    return field_name<R, I>;
}

template <class R, class... Items>
struct ResultMapping {
  static constexpr std::size_t fields = result_field_count<R>();
  static constexpr std::size_t items = sizeof...(Items);
  static constexpr std::array<std::string_view, items> item_names{item_name<Items>()...};
  static constexpr auto field_names = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::string_view, fields>{result_field_name<R, I>()...};
  }(std::make_index_sequence<fields>{});

  static constexpr std::size_t item_named(std::string_view name) {
    for (std::size_t j = 0; j < items; ++j)
      if (!name.empty() && item_names[j] == name) return j;
    return no_field;
  }

  static constexpr bool by_name = [] {
    for (std::size_t i = 0; i < fields; ++i)
      if (item_named(field_names[i]) != no_field) return true;
    return false;
  }();

  static constexpr std::array<std::size_t, fields> position = [] {
    std::array<std::size_t, fields> p{};
    for (std::size_t i = 0; i < fields; ++i) p[i] = by_name ? item_named(field_names[i]) : (i < items ? i : no_field);
    return p;
  }();

  template <std::size_t I>
  static consteval bool check_field() {
    using F = typename ResultField<R, I>::type;
    if constexpr (position[I] == no_field) {
      if constexpr (by_name)
        return ResultFieldMatchesNoSelectedName<R, FixedString{FieldNameStorage<R, I>::value}>::value;
      else
        return false;  // reported below, as a count mismatch
    } else {
      using V = value_type_t<std::tuple_element_t<position[I], std::tuple<Items...>>>;
      if constexpr (readable_into<V, F>())
        return true;
      else
        return SelectedValueReadIntoFieldOfAnotherType<R, I, V, F>::value;
    }
  }

  static constexpr bool valid = [] {
    static_assert(by_name || fields == items,
                  "ctorm: the result type's fields and the selected columns differ in number (and no field is "
                  "named after a selected column or alias, which would match them by name)");
    return []<std::size_t... I>(std::index_sequence<I...>) {
      return (check_field<I>() && ...);
    }(std::make_index_sequence<fields>{});
  }();

  template <class Row>
  static void read(Row st, R& r) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (tuple_result<R>)
        (read_value(st, static_cast<int>(position[I]), std::get<I>(r)), ...);
      else
        (read_value(st, static_cast<int>(position[I]), boost::pfr::get<I>(r)), ...);
    }(std::make_index_sequence<fields>{});
  }
};

template <class R, class... Items>
struct ScalarMapping {
  static constexpr bool valid = [] {
    static_assert(sizeof...(Items) == 1,
                  "ctorm: a query read into a single value selects exactly one column (read several into a "
                  "std::tuple or a struct)");
    if constexpr (sizeof...(Items) == 1) {
      using V = value_type_t<std::tuple_element_t<0, std::tuple<Items...>>>;
      if constexpr (readable_into<V, R>())
        return true;
      else
        return SelectedValueReadIntoFieldOfAnotherType<R, 0, V, R>::value;
    } else {
      return false;
    }
  }();
  template <class Row>
  static void read(Row st, R& r) { read_value(st, 0, r); }
};

template <class R, class... Items>
using row_mapping = std::conditional_t<scalar_result<R>, ScalarMapping<R, Items...>, ResultMapping<R, Items...>>;

}  // namespace ctorm::detail
