#pragma once
// Named properties for em.create<T>(...) and em.assign(entity, ...):
//   em.create<Article>(ctorm::prop<&Article::title> = "Foo", ctorm::prop<&Article::author> = user.id)
// create<T> checks at compile time that every required property is given, and names the missing ones.
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../model/entity.hpp"
#include "../model/relations.hpp"
#include "../reflect/member_pointer.hpp"

namespace ctorm {

template <auto Member, class V>
struct PropValue {
  V value;
};

template <auto Member>
struct PropName {
  // An lvalue is held by reference (an entity given for a relation must be that entity, not a copy).
  template <class V>
  constexpr PropValue<Member, V> operator=(V&& v) const {  // NOLINT: builds, does not assign
    return {std::forward<V>(v)};
  }
};

// A property of an entity, to give a value to: `ctorm::prop<&User::email> = "foo@bar.com"`.
template <auto Member>
inline constexpr PropName<Member> prop{};

namespace detail {

template <class T>
inline constexpr bool is_prop_value = false;
template <auto M, class V>
inline constexpr bool is_prop_value<PropValue<M, V>> = true;

template <auto M, class V>
constexpr std::size_t prop_field(const PropValue<M, V>*) {
  return field_index<M>;
}
template <auto M, class V>
constexpr auto prop_member(const PropValue<M, V>*) {
  return M;
}

template <auto... Ms>
consteval auto props_fields(const props<Ms...>*) {
  return std::array<std::size_t, sizeof...(Ms)>{field_index<Ms>...};
}

// The fields listed in ctorm::optional_props<S>.
template <class S>
inline constexpr auto optional_prop_fields = props_fields(static_cast<const optional_props<S>*>(nullptr));

template <class S>
constexpr bool listed_optional(std::size_t field) {
  for (std::size_t f : optional_prop_fields<S>)
    if (f == field) return true;
  return false;
}

// May create<T> leave field I out? A generated key, a version, a std::optional, a collection, the inverse
// side of a one-to-one, a field listed in optional_props<T>, or an embedded struct whose fields are all optional.
template <class T, std::size_t I>
consteval bool optional_in_create() {
  using F = field_type<T, I>;
  constexpr FieldRole role = field_role<T, I>();
  if constexpr (role == FieldRole::collection || role == FieldRole::inverse_ref) return true;
  else if constexpr (IsOptional<F>::value) return true;
  else if constexpr (I == EntityMeta<T>::pk_field && EntityMeta<T>::generated_key) return true;
  else if constexpr (EntityMeta<T>::has_version && I == EntityMeta<T>::columns[EntityMeta<T>::version_column].field)
    return true;  // the flush gives a new entity version 1
  else if constexpr (role == FieldRole::embedded) {
    if (listed_optional<T>(I)) return true;
    return []<std::size_t... S>(std::index_sequence<S...>) {
      return (listed_optional<F>(S) && ...);
    }(std::make_index_sequence<field_count<F>>{});
  } else {
    return listed_optional<T>(I);
  }
}

CTORM_DIAG_PUSH_UNDEFINED_VAR
template <class Entity, auto... Missing>
struct MissingRequiredProperties {
  static_assert(always_false<Entity>,
                "ctorm: create() is missing required properties of Entity (the Missing fields above); give them "
                "with ctorm::prop<&Entity::field> = value, or list them in ctorm::optional_props<Entity>");
  static constexpr bool value = false;
};

template <class T, std::size_t... Missing>
consteval bool report_missing(std::index_sequence<Missing...>) {
  return MissingRequiredProperties<T, FieldPointer<field_type<T, Missing>>{
                                          &boost::pfr::get<Missing>(fake_object<T>)}...>::value;
}
CTORM_DIAG_POP

template <class T, class... Props>
consteval bool check_create_props() {
  constexpr bool own = ((std::is_same_v<member_class<prop_member(static_cast<const Props*>(nullptr))>, T>) && ...);
  static_assert(own, "ctorm: create<T>() and assign() take properties of T (ctorm::prop<&T::field>)");
  if constexpr (!own) {
    return false;
  } else {
    constexpr std::array<std::size_t, sizeof...(Props)> given{prop_field(static_cast<const Props*>(nullptr))...};
    constexpr auto missing = [&] {
      std::array<std::size_t, field_count<T>> out{};
      std::size_t n = 0;
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
              if constexpr (!optional_in_create<T, I>()) {
                bool found = false;
                for (std::size_t g : given) found = found || g == I;
                if (!found) out[n++] = I;
              }
            }(),
            ...);
      }(std::make_index_sequence<field_count<T>>{});
      return std::pair{out, n};
    }();
    if constexpr (missing.second == 0) {
      return true;
    } else {
      return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return report_missing<T>(std::index_sequence<missing.first[K]...>{});
      }(std::make_index_sequence<missing.second>{});
    }
  }
}

}  // namespace detail
}  // namespace ctorm
