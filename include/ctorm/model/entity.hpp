#pragma once
// What ctorm knows of an entity type, all at compile time: its fields' roles (column, relation,
// collection, embedded struct), its columns, primary key and options. Naming (table and column names)
// is separate, in names.hpp, because it depends on the schema's strategy.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "../db/type_mapping.hpp"
#include "../reflect/field_name.hpp"
#include "../reflect/fields.hpp"
#include "../reflect/type_name.hpp"
#include "../text/fixed_string.hpp"
#include "collection.hpp"
#include "options.hpp"
#include "ref.hpp"
#include "usage_errors.hpp"

namespace ctorm::detail {

// --- what each field is -----------------------------------------------------------------------------

enum class FieldRole : unsigned char { column, ref, inverse_ref, collection, embedded };

// The entity a Ref or std::optional<Ref> field points at (void for other fields).
template <class F>
struct RefTargetOf {
  using type = void;
};
template <class X>
struct RefTargetOf<Ref<X>> {
  using type = X;
};
template <class X>
struct RefTargetOf<std::optional<Ref<X>>> {
  using type = X;
};
template <class F>
using ref_target = typename RefTargetOf<F>::type;

// Options are looked up by value: comparing pointers into the option array is not a constant
// expression under GCC's UBSan instrumentation.
template <class T>
consteval OptionEntry find_option(OptionKind kind, std::size_t field) {
  for (const auto& o : entity_option_entries<T>)
    if (o.kind == kind && o.field == field) return o;
  return OptionEntry{};
}

template <class T>
consteval bool has_option(OptionKind kind, std::size_t field) {
  for (const auto& o : entity_option_entries<T>)
    if (o.kind == kind && o.field == field) return true;
  return false;
}

template <class T, std::size_t I>
consteval FieldRole field_role() {
  using F = field_type<T, I>;
  if constexpr (IsCollection<F>::value) return FieldRole::collection;
  else if constexpr (!std::is_void_v<ref_target<F>>)
    return has_option<T>(OptionKind::mapped_by, I) ? FieldRole::inverse_ref : FieldRole::ref;
  else if constexpr (embeddable<F>::value) return FieldRole::embedded;
  else return FieldRole::column;
}

// --- checks -----------------------------------------------------------------------------------------

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
  constexpr FieldRole role = field_role<T, I>();
  if constexpr (role == FieldRole::embedded) {
    return []<std::size_t... S>(std::index_sequence<S...>) {
      return (check_field_mapped<F, S>() && ...);
    }(std::make_index_sequence<field_count<F>>{});
  } else if constexpr (role != FieldRole::column || mapped_type<F>) {
    return true;
  } else {
    return FieldTypeHasNoColumnMapping<T, FixedString{FieldNameStorage<T, I>::value}, F>::value;
  }
}

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

}  // namespace ctorm::detail

template <class X>
struct ctorm::detail::PrimaryKeyFieldOf {
  using type = field_type<X, find_pk_field<X>()>;
};

namespace ctorm::detail {

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

// --- columns ----------------------------------------------------------------------------------------

struct ColumnInfo {
  std::size_t field = no_field;  // the entity's field
  std::size_t sub = no_field;    // for an embedded struct: its field
  Storage storage = Storage::integer;
  bool nullable = false;
  bool primary_key = false;
  bool generated = false;  // an integer key that the database assigns
  bool ref = false;        // a relation's foreign key
  bool lazy = false;
  bool hidden = false;
  bool cascade_remove = false;
  bool set_null_on_remove = false;
  bool version = false;  // the optimistic lock's version (an option of the entity, not of an embeddable)
  MappingKind kind = MappingKind::integer;  // what the column holds (db/type_mapping.hpp column_kind)
  std::string_view sql_type{};              // the type a column_type option or type_mapping names, or empty
  std::size_t length = 0;
  std::string_view default_sql{};
  std::string_view explicit_name{};
};

struct FieldSlot {
  std::size_t field;
  std::size_t sub;
};

template <class T, std::size_t I>
consteval std::size_t columns_of_field() {
  constexpr FieldRole role = field_role<T, I>();
  if constexpr (role == FieldRole::embedded) return field_count<field_type<T, I>>;
  else if constexpr (role == FieldRole::column || role == FieldRole::ref) return 1;
  else return 0;
}

template <class T>
consteval std::size_t count_columns() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + columns_of_field<T, I>());
  }(std::make_index_sequence<field_count<T>>{});
}

template <class T>
consteval auto column_slots() {
  std::array<FieldSlot, count_columns<T>()> slots{};
  std::size_t n = 0;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          if constexpr (field_role<T, I>() == FieldRole::embedded) {
            for (std::size_t s = 0; s < columns_of_field<T, I>(); ++s) slots[n++] = {I, s};
          } else {
            for (std::size_t s = 0; s < columns_of_field<T, I>(); ++s) slots[n++] = {I, no_field};
          }
        }(),
        ...);
  }(std::make_index_sequence<field_count<T>>{});
  return slots;
}

// The struct that holds a column's field (the entity, or the embedded struct), and its index there.
template <class T, FieldSlot Slot>
consteval auto column_owner() {
  if constexpr (Slot.sub == no_field)
    return std::type_identity<T>{};
  else
    return std::type_identity<field_type<T, Slot.field>>{};
}

template <class T, FieldSlot Slot>
consteval ColumnInfo make_column() {
  using Owner = typename decltype(column_owner<T, Slot>())::type;
  constexpr std::size_t index = Slot.sub == no_field ? Slot.field : Slot.sub;
  using F = field_type<Owner, index>;
  ColumnInfo c;
  c.field = Slot.field;
  c.sub = Slot.sub;
  c.storage = storage_of<F>();
  c.nullable = is_nullable<F>;
  c.primary_key = Slot.sub == no_field && Slot.field == find_pk_field<T>();
  c.generated = c.primary_key && c.storage == Storage::integer && !c.nullable;
  c.ref = !std::is_void_v<ref_target<F>>;
  c.kind = column_kind<F>();
  c.sql_type = mapped_sql_type<F>();
  for (const auto& o : entity_option_entries<Owner>) {
    if (o.field != index) continue;
    switch (o.kind) {
      case OptionKind::length: c.length = o.number; break;
      case OptionKind::column_type: c.sql_type = o.text; break;
      case OptionKind::default_value: c.default_sql = o.text; break;
      case OptionKind::column_name: c.explicit_name = o.text; break;
      case OptionKind::lazy: c.lazy = true; break;
      case OptionKind::hidden: c.hidden = true; break;
      case OptionKind::cascade_remove: c.cascade_remove = true; break;
      case OptionKind::set_null_on_remove: c.set_null_on_remove = true; break;
      case OptionKind::version: c.version = Slot.sub == no_field; break;
      default: break;
    }
  }
  if (c.version && c.default_sql.empty()) c.default_sql = "1";  // rows inserted by hand start where a flush does
  return c;
}

// What reflection found wrong stops here: an invalid entity gets an empty EntityMeta, so the compiler
// shows ctorm's message instead of a cascade from Boost.PFR.
template <class T, bool Valid = check_entity<T>()>
struct EntityMeta {
  static constexpr bool valid = false;
  static constexpr std::size_t column_count = 0;
  static constexpr std::size_t pk_column = 0;
  static constexpr std::array<ColumnInfo, 1> columns{};
};

template <class T>
struct EntityMeta<T, true> {
  static constexpr bool valid = true;
  using type = T;
  static constexpr std::size_t pk_field = find_pk_field<T>();
  static constexpr std::size_t column_count = count_columns<T>();
  static_assert(column_count <= 64, "ctorm: an entity can have at most 64 columns");
  static constexpr auto slots = column_slots<T>();

  static constexpr std::array<ColumnInfo, column_count> columns = []<std::size_t... C>(std::index_sequence<C...>) {
    return std::array<ColumnInfo, column_count>{make_column<T, slots[C]>()...};
  }(std::make_index_sequence<column_count>{});

  static constexpr std::size_t pk_column = [] {
    for (std::size_t c = 0; c < column_count; ++c)
      if (columns[c].primary_key) return c;
    return no_field;
  }();
  static constexpr bool generated_key = columns[pk_column].generated;
  // The version column of optimistic locking, or no_field.
  static constexpr std::size_t version_column = [] {
    std::size_t found = no_field, n = 0;
    for (std::size_t c = 0; c < column_count; ++c)
      if (columns[c].version) found = c, ++n;
    return n > 1 ? column_count : found;
  }();
  static_assert(version_column != column_count, "ctorm: an entity can have only one ctorm::version<...> field");
  static constexpr bool has_version = version_column != no_field;
  static_assert(version_column != pk_column, "ctorm: the primary key cannot be the version field");
  // Its bit, which change detection leaves out: a flush sets the version itself.
  static constexpr std::uint64_t version_mask = has_version ? std::uint64_t{1} << version_column : 0;
  using key_field_type = field_type<T, pk_field>;
  static constexpr auto& option_entries = entity_option_entries<T>;

  // Columns selected by default: all but the lazy ones.
  static constexpr std::uint64_t eager_mask = [] {
    std::uint64_t m = 0;
    for (std::size_t c = 0; c < column_count; ++c)
      if (!columns[c].lazy) m |= std::uint64_t{1} << c;
    return m;
  }();
  static constexpr std::uint64_t all_mask =
      column_count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << column_count) - 1;
  static constexpr bool has_lazy = eager_mask != all_mask;

  // The columns a default select reads, in order: select position -> column.
  static constexpr std::size_t eager_count = [] {
    std::size_t n = 0;
    for (const auto& c : columns) n += c.lazy ? 0 : 1;
    return n;
  }();
  static constexpr std::array<std::size_t, eager_count> eager_columns = [] {
    std::array<std::size_t, eager_count> a{};
    std::size_t n = 0;
    for (std::size_t c = 0; c < column_count; ++c)
      if (!columns[c].lazy) a[n++] = c;
    return a;
  }();
  static constexpr std::size_t pk_position = [] {
    for (std::size_t p = 0; p < eager_count; ++p)
      if (eager_columns[p] == pk_column) return p;
    return no_field;
  }();
  static_assert(!columns[pk_column].lazy, "ctorm: the primary key cannot be lazy");
  // A version never loaded would be expected as 0 by every update and delete, which would all fail.
  static_assert(!has_version || !columns[version_column].lazy, "ctorm: the version field cannot be lazy");
  // The flush sets the version; a value set by on_update would be the version the update expects.
  static_assert(
      [] {
        if constexpr (has_version) return !has_option<T>(OptionKind::on_update, columns[version_column].field);
        return true;
      }(),
      "ctorm: the version field cannot have an on_update option: the flush sets it");

  // Where column c is in a default select (no_field for a lazy column).
  static constexpr std::size_t eager_position(std::size_t c) {
    for (std::size_t p = 0; p < eager_count; ++p)
      if (eager_columns[p] == c) return p;
    return no_field;
  }
};

// The field that column C reads and writes.
template <std::size_t C, class T>
constexpr auto& column_ref(T& e) noexcept {
  constexpr ColumnInfo col = EntityMeta<std::remove_const_t<T>>::columns[C];
  if constexpr (col.sub == no_field)
    return boost::pfr::get<col.field>(e);
  else
    return boost::pfr::get<col.sub>(boost::pfr::get<col.field>(e));
}

template <class T>
constexpr auto& primary_key_ref(T& e) noexcept {
  return boost::pfr::get<EntityMeta<std::remove_const_t<T>>::pk_field>(e);
}

template <class T>
constexpr std::size_t column_of_field(std::size_t field, std::size_t sub = no_field) {
  for (std::size_t c = 0; c < EntityMeta<T>::column_count; ++c)
    if (EntityMeta<T>::columns[c].field == field && EntityMeta<T>::columns[c].sub == sub) return c;
  return no_field;
}

// The embedded-struct fields of T, as a constexpr list (a fold over it instantiates no lambda per field).
template <class T>
inline constexpr auto embedded_fields = [] {
  constexpr auto roles = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<bool, sizeof...(I)>{(field_role<T, I>() == FieldRole::embedded)...};
  }(std::make_index_sequence<field_count<T>>{});
  constexpr std::size_t n = [&] {
    std::size_t c = 0;
    for (bool r : roles) c += r ? 1 : 0;
    return c;
  }();
  std::array<std::size_t, n> out{};
  std::size_t k = 0;
  for (std::size_t i = 0; i < roles.size(); ++i)
    if (roles[i]) out[k++] = i;
  return out;
}();

// Calls f(std::integral_constant<std::size_t, I>{}) for each embedded-struct field I of T.
template <class T, class F>
constexpr void for_each_embedded(F&& f) {
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (f(std::integral_constant<std::size_t, embedded_fields<T>[K]>{}), ...);
  }(std::make_index_sequence<embedded_fields<T>.size()>{});
}

// Sets the fields that have an on_update option, in T and in its embedded structs.
template <class T>
void run_on_update(T& e) {
  apply_on_update(e);
  for_each_embedded<T>([&](auto i) { apply_on_update(boost::pfr::get<i()>(e)); });
}

// --- keys -------------------------------------------------------------------------------------------

template <class F>
consteval auto key_type_of() {
  if constexpr (std::is_integral_v<F>)
    return std::type_identity<std::int64_t>{};
  else if constexpr (std::is_same_v<F, std::string>)
    return std::type_identity<std::string>{};
  else
    static_assert(always_false<F>, "ctorm: a primary key must be an integer or a std::string");
}

// How the identity map keys entities of T: std::int64_t or std::string.
template <class T>
using key_type = typename decltype(key_type_of<typename PrimaryKeyFieldOf<T>::type>())::type;

template <class T>
key_type<T> key_of(const T& e) {
  return key_type<T>(boost::pfr::get<find_pk_field<T>()>(e));
}

}  // namespace ctorm::detail

namespace ctorm {

template <class T>
template <class U>
auto Ref<T>::detail_key(const U& target) {
  return detail::key_of(target);
}

template <class T>
void Ref<T>::throw_not_loaded() const {
  detail::throw_relation_not_loaded(detail::type_name<T>, target_ ? detail::key_text(detail::key_of(*target_)) : "");
}

}  // namespace ctorm
