#pragma once
// The list of entities an Orm maps, and the naming strategy that names their tables and columns.
#include <cstddef>
#include <type_traits>

#include "../sql/naming.hpp"
#include "entity.hpp"

namespace ctorm {

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

  // Calls f(std::type_identity<E>{}) for each entity, in order.
  template <class F>
  static constexpr void for_each(F&& f) {
    (f(std::type_identity<Entities>{}), ...);
  }

  // The same, last entity first.
  template <class F>
  static constexpr void for_each_reverse(F&& f) {
    int dummy = 0;
    (void)(dummy = ... = (f(std::type_identity<Entities>{}), 0));
  }

 private:
  static_assert((detail::EntityMeta<Entities>::valid && ...));
  static_assert(size > 0, "ctorm: a schema lists at least one entity");
  template <class T>
  static constexpr std::size_t occurrences = (std::size_t{std::is_same_v<T, Entities>} + ...);
  static_assert(((occurrences<Entities> == 1) && ...), "ctorm: an entity is listed twice in the schema");
};

// The usual schema: snake_case tables and columns (`BlogPost::full_name` -> blog_post.full_name).
template <class... Entities>
using schema = basic_schema<UnderscoreNaming, Entities...>;

}  // namespace ctorm
