#pragma once
// Relations between entities, worked out at compile time from the field types: which side owns the
// foreign key, which field is the inverse of which, and the pivot table of a many-to-many.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "entity.hpp"

namespace ctorm::detail {

enum class RelationKind : unsigned char {
  many_to_one,           // Ref<X>: this table holds the key
  one_to_one_inverse,    // Ref<X> with mapped_by: X's table holds the key
  one_to_many,           // Collection<X>: X holds a Ref back
  many_to_many_owner,    // Collection<X>: the pivot table is named after this side
  many_to_many_inverse,  // Collection<X> with mapped_by: X's collection owns the pivot table
};

template <class F>
struct RelationTargetOf {
  using type = ref_target<F>;
};
template <class X>
struct RelationTargetOf<Collection<X>> {
  using type = X;
};
template <class T, std::size_t I>
using relation_target = typename RelationTargetOf<field_type<T, I>>::type;

template <class T, std::size_t I>
inline constexpr bool is_relation = field_role<T, I>() == FieldRole::ref || field_role<T, I>() == FieldRole::inverse_ref ||
                                    field_role<T, I>() == FieldRole::collection;

// The fields of X that are Refs to T.
template <class X, class T>
consteval auto refs_to() {
  constexpr std::size_t n = []<std::size_t... J>(std::index_sequence<J...>) {
    return (std::size_t{0} + ... + (field_role<X, J>() == FieldRole::ref && std::is_same_v<ref_target<field_type<X, J>>, T> ? 1u : 0u));
  }(std::make_index_sequence<field_count<X>>{});
  std::array<std::size_t, n> out{};
  std::size_t k = 0;
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    ((field_role<X, J>() == FieldRole::ref && std::is_same_v<ref_target<field_type<X, J>>, T> ? (out[k++] = J, 0) : 0), ...);
  }(std::make_index_sequence<field_count<X>>{});
  return out;
}

CTORM_DIAG_PUSH_UNDEFINED_VAR
// Lists the candidates in the compiler's message when a collection's inverse side is ambiguous.
template <class Owner, class Target, auto... Candidates>
struct AmbiguousInverseSide {
  static_assert(always_false<Owner, Target>,
                "ctorm: a Collection's inverse side is ambiguous: its target has several Refs back to the owner "
                "(the Candidates above); name one with ctorm::mapped_by<&Owner::collection, &Target::ref> in "
                "ctorm::entity_options<Owner>");
  static constexpr std::size_t value = no_field;
};

template <class Owner, class Target, std::size_t... J>
consteval std::size_t ambiguous_inverse(std::index_sequence<J...>) {
  constexpr auto candidates = refs_to<Target, Owner>();
  return AmbiguousInverseSide<Owner, Target,
                              FieldPointer<field_type<Target, candidates[J]>>{
                                  &boost::pfr::get<candidates[J]>(fake_object<Target>)}...>::value;
}
CTORM_DIAG_POP

// The collection field of X (a Collection<T>) whose mapped_by names T's field I, or no_field.
template <class X, class T, std::size_t I>
consteval std::size_t collection_mapped_to() {
  for (const auto& o : entity_option_entries<X>)
    if (o.kind == OptionKind::mapped_by && o.number == I) return o.field;
  return no_field;
}

template <class T, std::size_t I>
consteval std::pair<RelationKind, std::size_t> work_out_relation();

// The one-to-many collection of X that Ref field I of T is the inverse of, or no_field.
template <class X, class T, std::size_t I>
consteval std::size_t collection_inverse_of_ref() {
  std::size_t found = no_field;
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    (
        [&] {
          if constexpr (field_role<X, J>() == FieldRole::collection) {
            if constexpr (std::is_same_v<relation_target<X, J>, T>) {
              constexpr auto r = work_out_relation<X, J>();
              if (r.first == RelationKind::one_to_many && r.second == I) found = J;
            }
          }
        }(),
        ...);
  }(std::make_index_sequence<field_count<X>>{});
  return found;
}

template <class T, std::size_t I>
consteval std::pair<RelationKind, std::size_t> work_out_relation() {
  using target = relation_target<T, I>;
  constexpr FieldRole role = field_role<T, I>();
  if constexpr (role == FieldRole::ref) {
    return {RelationKind::many_to_one, collection_inverse_of_ref<target, T, I>()};
  } else if constexpr (role == FieldRole::inverse_ref) {
    return {RelationKind::one_to_one_inverse, find_option<T>(OptionKind::mapped_by, I).number};
  } else if constexpr (has_option<T>(OptionKind::mapped_by, I)) {
    constexpr std::size_t j = find_option<T>(OptionKind::mapped_by, I).number;
    if constexpr (field_role<target, j>() == FieldRole::collection)
      return {RelationKind::many_to_many_inverse, j};
    else
      return {RelationKind::one_to_many, j};
  } else {
    constexpr auto back = refs_to<target, T>();
    if constexpr (back.size() == 1)
      return {RelationKind::one_to_many, back[0]};
    else if constexpr (back.size() == 0)
      return {RelationKind::many_to_many_owner, collection_mapped_to<target, T, I>()};
    else
      return {RelationKind::one_to_many, ambiguous_inverse<T, target>(std::make_index_sequence<back.size()>{})};
  }
}

template <class T, std::size_t I>
struct Relation {
  using owner = T;
  using target = relation_target<T, I>;
  static constexpr std::size_t field = I;

 private:
  static constexpr auto worked_out = work_out_relation<T, I>();

 public:
  static constexpr RelationKind kind = worked_out.first;
  // The field on the other side: the Ref of a one-to-many, the owning collection of an inverse
  // many-to-many, the inverse collection of a many-to-many owner or of a Ref (no_field when none).
  static constexpr std::size_t inverse = worked_out.second;
  static constexpr bool self = std::is_same_v<T, target>;
};

// The relation fields of T, in field order.
template <class T>
inline constexpr auto relation_fields = [] {
  constexpr std::size_t n = []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + (is_relation<T, I> ? 1u : 0u));
  }(std::make_index_sequence<field_count<T>>{});
  std::array<std::size_t, n> out{};
  std::size_t k = 0;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((is_relation<T, I> ? (out[k++] = I, 0) : 0), ...);
  }(std::make_index_sequence<field_count<T>>{});
  return out;
}();

// Calls f(std::integral_constant<std::size_t, I>{}) for each relation field I of T.
template <class T, class F>
constexpr void for_each_relation(F&& f) {
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (f(std::integral_constant<std::size_t, relation_fields<T>[K]>{}), ...);
  }(std::make_index_sequence<relation_fields<T>.size()>{});
}

// Removing a T removes the X whose Ref field I points at it: the Ref is marked ctorm::cascade_remove, or
// it is the inverse of a collection of T marked ctorm::orphan_removal.
template <class X, std::size_t I, class T>
consteval bool removes_with_target() {
  if constexpr (field_role<X, I>() != FieldRole::ref || !std::is_same_v<ref_target<field_type<X, I>>, T>) {
    return false;
  } else {
    constexpr std::size_t inverse = Relation<X, I>::inverse;
    return has_option<X>(OptionKind::cascade_remove, I) ||
           (inverse != no_field && has_option<T>(OptionKind::orphan_removal, inverse));
  }
}
template <class X, std::size_t I, class T>
inline constexpr bool is_cascade_remove_ref = removes_with_target<X, I, T>();

CTORM_DIAG_PUSH_UNDEFINED_VAR
template <class Owner, std::size_t Field>
struct OrphanRemovalNotOneToMany {
  static_assert(always_false<Owner>,
                "ctorm: orphan_removal is for a one-to-many Collection; a Ref, a many-to-many Collection or a "
                "field that is not a relation has no orphans");
  static constexpr bool value = false;
};
CTORM_DIAG_POP

// Every orphan_removal option of T names a one-to-many collection.
template <class T>
consteval bool orphan_removal_valid() {
  bool ok = true;
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (
        [&] {
          constexpr OptionEntry o = entity_option_entries<T>[K];
          if constexpr (o.kind == OptionKind::orphan_removal) {
            if constexpr (field_role<T, o.field>() != FieldRole::collection)
              ok = OrphanRemovalNotOneToMany<T, o.field>::value;
            else if constexpr (Relation<T, o.field>::kind != RelationKind::one_to_many)
              ok = OrphanRemovalNotOneToMany<T, o.field>::value;
          }
        }(),
        ...);
  }(std::make_index_sequence<entity_option_entries<T>.size()>{});
  return ok;
}

// Some entity of the schema has a cascade_remove Ref to T (when none does, remove() pays nothing).
template <class Schema, class T>
inline constexpr bool cascades_remove_to = [] {
  bool any = false;
  Schema::for_each([&]<class X>(std::type_identity<X>) {
    for_each_relation<X>([&](auto i) { any = any || is_cascade_remove_ref<X, i(), T>; });
  });
  return any;
}();

// The many-to-many owning collections of T (each has a pivot table).
template <class T>
inline constexpr auto pivot_fields = [] {
  constexpr std::size_t n = [] {
    std::size_t c = 0;
    for_each_relation<T>([&](auto i) { c += Relation<T, i()>::kind == RelationKind::many_to_many_owner ? 1 : 0; });
    return c;
  }();
  std::array<std::size_t, n> out{};
  std::size_t k = 0;
  for_each_relation<T>([&](auto i) {
    if (Relation<T, i()>::kind == RelationKind::many_to_many_owner) out[k++] = i();
  });
  return out;
}();

}  // namespace ctorm::detail
