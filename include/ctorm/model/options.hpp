#pragma once
// Per-entity mapping options, given as a trait the user specialises (magic_enum style):
//   template <> struct ctorm::entity_options<User>
//       : ctorm::options<ctorm::unique<&User::email>, ctorm::length<&User::full_name, 100>> {};
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../reflect/member_pointer.hpp"
#include "../text/fixed_string.hpp"

namespace ctorm {

template <class... Opts>
struct options {};

// Specialise for an entity (or an embeddable) to give it options; the default has none.
template <class T>
struct entity_options : options<> {};

// The properties that em.create<T>() may leave out, beyond those that are always optional (a generated
// key, std::optional fields, collections): `struct ctorm::optional_props<Article>
// : ctorm::props<&Article::slug> {};`. For an embeddable, the listed fields are optional in every entity
// that embeds it.
template <auto... Members>
struct props {};
template <class T>
struct optional_props : props<> {};

// Marks a struct whose fields are columns of every entity that has a field of its type (flattened, as
// the guide's shared BaseEntity fields): `template <> struct ctorm::embeddable<Timestamps>
// : std::true_type {};`
template <class T>
struct embeddable : std::false_type {};

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
// Not selected unless populated (a large text, a password): MikroORM's `lazy: true`.
template <auto Member>
struct lazy {};
// Never serialized by ctorm::to_json (a password).
template <auto Member>
struct hidden {};
// The inverse side of a relation names the field of the owning side: a Collection names the Ref (one-to-
// many) or the Collection (many-to-many) of its target; a Ref names the target's Ref (inverse one-to-one).
template <auto InverseMember, auto OwningMember>
struct mapped_by {};
// Deleting the target of this Ref deletes the rows that point at it (`on delete cascade`), instead of
// failing with a ForeignKeyConstraintViolation.
template <auto RefMember>
struct cascade_remove {};
// An item taken out of this one-to-many Collection is deleted at the next flush, and removing the owner
// removes its items (MikroORM's orphanRemoval).
template <auto CollectionMember>
struct orphan_removal {};
// Deleting the target of this optional Ref sets it to NULL (`on delete set null`).
template <auto RefMember>
struct set_null_on_remove {};
// When a flush updates the entity, the field is set to Fn() first (MikroORM's `onUpdate`).
template <auto Member, auto Fn>
struct on_update {};
// Optimistic locking (MikroORM's `version: true`): an integer field that starts at 1 and that every update
// by a flush increments; an update or delete whose row has another version throws OptimisticLockError.
template <auto Member>
struct version {};

namespace detail {

enum class OptionKind : unsigned char {
  table_name,
  column_name,
  primary_key,
  unique,
  index,
  length,
  column_type,
  default_value,
  lazy,
  hidden,
  mapped_by,
  cascade_remove,
  orphan_removal,
  set_null_on_remove,
  on_update,
  version
};

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

template <class T, auto M>
struct OptionOf<T, lazy<M>> {
  static constexpr OptionEntry value{OptionKind::lazy, option_field<T, M>(), 0, {}, {}, 0};
};
template <class T, auto M>
struct OptionOf<T, hidden<M>> {
  static constexpr OptionEntry value{OptionKind::hidden, option_field<T, M>(), 0, {}, {}, 0};
};
template <class T, auto Inverse, auto Owning>
struct OptionOf<T, mapped_by<Inverse, Owning>> {
  // number: the owning field's index within its own entity
  static constexpr OptionEntry value{OptionKind::mapped_by, option_field<T, Inverse>(), field_index<Owning>, {}, {}, 0};
};
template <class T, auto M>
struct OptionOf<T, cascade_remove<M>> {
  static constexpr OptionEntry value{OptionKind::cascade_remove, option_field<T, M>(), 0, {}, {}, 0};
};
template <class T, auto M>
struct OptionOf<T, orphan_removal<M>> {
  static constexpr OptionEntry value{OptionKind::orphan_removal, option_field<T, M>(), 0, {}, {}, 0};
};
template <class T, auto M>
struct OptionOf<T, set_null_on_remove<M>> {
  static constexpr OptionEntry value{OptionKind::set_null_on_remove, option_field<T, M>(), 0, {}, {}, 0};
};
template <class T, auto M, auto Fn>
struct OptionOf<T, on_update<M, Fn>> {
  static constexpr OptionEntry value{OptionKind::on_update, option_field<T, M>(), 0, {}, {}, 0};
};

template <class T, auto M>
struct OptionOf<T, version<M>> {
  static constexpr std::size_t field = option_field<T, M>();
  using F = member_type<M>;
  static_assert(std::is_integral_v<F> && !std::is_same_v<F, bool>,
                "ctorm: a version field must be a non-optional integer (std::int32_t or std::int64_t)");
  static constexpr OptionEntry value{OptionKind::version, field, 0, {}, {}, 0};
};

template <class O>
struct OnUpdateOption : std::false_type {};
template <auto M, auto Fn>
struct OnUpdateOption<on_update<M, Fn>> : std::true_type {
  static constexpr auto member = M;
  static constexpr auto fn = Fn;
};

// Runs the on_update options of S (an entity or an embeddable) on obj.
template <class S, class... Opts>
void apply_on_update(S& obj, const options<Opts...>*) {
  (
      [&] {
        if constexpr (OnUpdateOption<Opts>::value) obj.*(OnUpdateOption<Opts>::member) = OnUpdateOption<Opts>::fn();
      }(),
      ...);
}

template <class T, class... Opts>
consteval auto option_entries(const options<Opts...>*) {
  return std::array<OptionEntry, sizeof...(Opts)>{OptionOf<T, Opts>::value...};
}

// Every option of entity T, as a constexpr array.
template <class T>
inline constexpr auto entity_option_entries = option_entries<T>(static_cast<const entity_options<T>*>(nullptr));

template <class S>
void apply_on_update(S& obj) {
  apply_on_update(obj, static_cast<const entity_options<S>*>(nullptr));
}

}  // namespace detail
}  // namespace ctorm
