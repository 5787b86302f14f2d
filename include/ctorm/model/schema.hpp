#pragma once
// The list of entities an Orm maps, and the naming strategy that names their tables and columns. The
// schema checks at compile time that every relation points at a listed entity, and orders the tables
// by their foreign keys (a table after the tables it references).
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "entity.hpp"
#include "naming.hpp"
#include "relations.hpp"

namespace ctorm {

namespace detail {

template <class Owner, class Target>
struct RelationTargetNotInSchema {
  static_assert(always_false<Owner, Target>,
                "ctorm: a relation of Owner points at Target, an entity that is not part of the schema; add Target "
                "to ctorm::schema<...>");
  static constexpr bool value = false;
};

template <class T, class... Es>
consteval bool relations_in_schema() {
  bool ok = true;
  for_each_relation<T>([&](auto i) {
    using X = relation_target<T, i()>;
    if constexpr (!(std::is_same_v<X, Es> || ...)) ok = RelationTargetNotInSchema<T, X>::value;
  });
  return ok;
}

// Does T have a Ref (required or optional) to X, other than to itself?
template <class T, class X>
consteval bool references() {
  if constexpr (std::is_same_v<T, X>) {
    return false;
  } else {
    bool r = false;
    for_each_relation<T>([&](auto i) {
      if constexpr (Relation<T, i()>::kind == RelationKind::many_to_one)
        r = r || std::is_same_v<typename Relation<T, i()>::target, X>;
    });
    return r;
  }
}

// Entity indices in foreign-key order (Kahn's algorithm over the compile-time dependency matrix).
template <class... Es>
consteval auto foreign_key_order() {
  constexpr std::size_t n = sizeof...(Es);
  constexpr std::array<std::array<bool, n>, n> deps = [] {
    std::array<std::array<bool, n>, n> d{};
    std::size_t i = 0;
    (
        [&]<class T>(std::type_identity<T>) {
          std::size_t j = 0;
          ((d[i][j++] = references<T, Es>()), ...);
          ++i;
        }(std::type_identity<Es>{}),
        ...);
    return d;
  }();
  std::array<std::size_t, n> order{};
  std::array<bool, n> placed{};
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pick = n;
    for (std::size_t i = 0; i < n && pick == n; ++i) {
      if (placed[i]) continue;
      bool ready = true;
      for (std::size_t j = 0; j < n; ++j)
        if (deps[i][j] && !placed[j]) ready = false;
      if (ready) pick = i;
    }
    if (pick == n) return std::pair{order, false};
    placed[pick] = true;
    order[k] = pick;
  }
  return std::pair{order, true};
}

template <class... Es>
consteval bool schema_is_valid() {
  if constexpr (!(check_entity<Es>() && ...)) {
    return false;
  } else {
    return (relations_in_schema<Es, Es...>() && ...) && (orphan_removal_valid<Es>() && ...);
  }
}

}  // namespace detail

template <class Naming, class... Entities>
struct basic_schema {
  using naming = Naming;
  static constexpr std::size_t size = sizeof...(Entities);

  template <class T>
  static constexpr bool contains = (std::is_same_v<T, Entities> || ...);

  // Position of T in the list.
  template <class T>
  static constexpr std::size_t index_of = [] {
    std::size_t i = 0, r = size;
    ((std::is_same_v<T, Entities> ? (r = i, ++i) : ++i), ...);
    return r;
  }();

  template <std::size_t I>
  using entity_at = std::tuple_element_t<I, std::tuple<Entities...>>;

 private:
  static_assert(size > 0, "ctorm: a schema lists at least one entity");
  template <class T>
  static constexpr std::size_t occurrences = (std::size_t{std::is_same_v<T, Entities>} + ...);
  static_assert(((occurrences<Entities> == 1) && ...), "ctorm: an entity is listed twice in the schema");
  static constexpr bool valid = detail::schema_is_valid<Entities...>();
  static constexpr auto fk_order = [] {
    if constexpr (valid)
      return detail::foreign_key_order<Entities...>();
    else
      return std::pair{std::array<std::size_t, size>{}, true};
  }();
  static_assert(fk_order.second,
                "ctorm: the schema's many-to-one relations form a cycle, so no table can be created first");

 public:
  // Entities in foreign-key order: every entity after the ones its Refs point at.
  static constexpr std::array<std::size_t, size> order = fk_order.first;

  // Calls f(std::type_identity<E>{}) for each entity, in foreign-key order.
  template <class F>
  static constexpr void for_each(F&& f) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (f(std::type_identity<entity_at<order[K]>>{}), ...);
    }(std::make_index_sequence<size>{});
  }

  // The same, in reverse: every entity before the ones its Refs point at.
  template <class F>
  static constexpr void for_each_reverse(F&& f) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (f(std::type_identity<entity_at<order[size - 1 - K]>>{}), ...);
    }(std::make_index_sequence<size>{});
  }
};

// The usual schema: snake_case tables and columns (`BlogPost::full_name` -> blog_post.full_name).
template <class... Entities>
using schema = basic_schema<UnderscoreNaming, Entities...>;

}  // namespace ctorm
