#pragma once
// Populate requests: which relations (and lazy fields) a find loads with its entities. A request
// becomes a plan at compile time: a list of paths of field indices, each checked against the model.
//   em.find<Article>(ctorm::populate<&Article::author, ctorm::path<&Article::comments, &Comment::author>>)
#include <array>
#include <cstddef>
#include <type_traits>

#include "../model/relations.hpp"
#include "../reflect/member_pointer.hpp"
#include "condition.hpp"
#include "query_option.hpp"

namespace ctorm {

template <auto... Members>
struct PathT {};
// A nested populate path: the comments of an article, and the author of each comment.
template <auto... Members>
inline constexpr PathT<Members...> path{};

template <auto... Items>
struct PopulateRequest {};
// What to populate: relation fields (Ref, Collection), lazy fields, or paths of them.
template <auto... Items>
inline constexpr PopulateRequest<Items...> populate{};

// Strategies for loading populated relations, as MikroORM's `strategy` option.
struct SelectIn {};  // one query per relation level, `where key in (...)` (the default)
struct Joined {};    // one query with left joins
inline constexpr SelectIn select_in{};
inline constexpr Joined joined{};

namespace detail {

inline constexpr std::size_t max_path_length = 8;

struct PathSpec {
  std::array<std::size_t, max_path_length> fields{};
  std::size_t length = 0;
};

template <class T, std::size_t I>
struct FieldIsNotARelation {
  static_assert(always_false<T>,
                "ctorm: populate names a field that is neither a relation (Ref, Collection) nor a lazy field");
  static constexpr bool value = false;
};

// Checks one step of a path and gives the type the next step starts from.
template <class T, auto M>
consteval auto path_step() {
  static_assert(std::is_same_v<member_class<M>, T>,
                "ctorm: a populate path names a member of another entity: each step must be a member of the "
                "previous step's target");
  constexpr std::size_t i = field_index<M>;
  if constexpr (is_relation<T, i>) {
    return std::type_identity<relation_target<T, i>>{};
  } else {
    constexpr std::size_t c = column_of_field<T>(i);
    if constexpr (c != no_field && EntityMeta<T>::columns[c].lazy)
      return std::type_identity<void>{};
    else
      return std::type_identity<std::integral_constant<bool, FieldIsNotARelation<T, i>::value>>{};
  }
}

template <class T, auto... Ms>
struct PathOf;
template <class T>
struct PathOf<T> {
  static constexpr PathSpec append(PathSpec p) { return p; }
};
template <class T, auto M, auto... Rest>
struct PathOf<T, M, Rest...> {
  using next = typename decltype(path_step<T, M>())::type;
  static_assert(sizeof...(Rest) == 0 || !std::is_void_v<next>, "ctorm: a lazy field can only end a populate path");
  static constexpr PathSpec append(PathSpec p) {
    p.fields[p.length++] = field_index<M>;
    if constexpr (sizeof...(Rest) == 0)
      return p;
    else
      return PathOf<next, Rest...>::append(p);
  }
};

template <class T, auto Item>
consteval PathSpec path_spec() {
  if constexpr (std::is_member_object_pointer_v<decltype(Item)>) {
    return PathOf<T, Item>::append({});
  } else {
    return []<auto... Ms>(PathT<Ms...>) {
      static_assert(sizeof...(Ms) >= 1 && sizeof...(Ms) <= max_path_length, "ctorm: a populate path has 1 to 8 steps");
      return PathOf<T, Ms...>::append({});
    }(Item);
  }
}

// A populate plan for entity T: its paths, as field indices.
template <class T, std::size_t N, std::array<PathSpec, N> Paths>
struct Plan {
  using root = T;
  static constexpr bool empty = N == 0;
  static constexpr std::size_t size = N;
  static constexpr std::array<PathSpec, N> paths = Paths;

  // Was field I populated (is it the first step of a path)?
  static constexpr bool has(std::size_t field) {
    for (const auto& p : paths)
      if (p.length && p.fields[0] == field) return true;
    return false;
  }
};

template <class T, auto... Items>
using PopulatePlan = Plan<T, sizeof...(Items), std::array<PathSpec, sizeof...(Items)>{path_spec<T, Items>()...}>;

template <class T>
using NoPopulate = Plan<T, 0, std::array<PathSpec, 0>{}>;

// The plan of what was populated under field I: the tails of the paths that start with I.
template <class P, std::size_t I>
consteval std::size_t sub_plan_size() {
  std::size_t n = 0;
  for (const auto& p : P::paths)
    if (p.length > 1 && p.fields[0] == I) ++n;
  return n;
}
template <class P, std::size_t I>
consteval auto sub_plan_paths() {
  std::array<PathSpec, sub_plan_size<P, I>()> out{};
  std::size_t k = 0;
  for (const auto& p : P::paths) {
    if (p.length > 1 && p.fields[0] == I) {
      PathSpec tail;
      for (std::size_t s = 1; s < p.length; ++s) tail.fields[tail.length++] = p.fields[s];
      out[k++] = tail;
    }
  }
  return out;
}
template <class P, std::size_t I>
using SubPlan = Plan<relation_target<typename P::root, I>, sub_plan_size<P, I>(), sub_plan_paths<P, I>()>;

template <class T>
inline constexpr bool is_populate = false;
template <auto... Items>
inline constexpr bool is_populate<PopulateRequest<Items...>> = true;

// What find's arguments may be: a condition, a populate request, a strategy.
template <class A>
concept find_argument =
    condition<A> || is_populate<A> || std::is_same_v<A, Joined> || std::is_same_v<A, SelectIn> || query_option<A>;

// What the arguments after find<T>( name: a condition, a populate request, a strategy, in any order.
template <class T, class... Args>
struct FindArgs {
 private:
  template <class A>
  static constexpr bool is_condition = condition<A>;
  static constexpr std::size_t conditions = (std::size_t{0} + ... + (condition<Args> ? 1u : 0u));
  static constexpr std::size_t populates = (std::size_t{0} + ... + (is_populate<Args> ? 1u : 0u));
  static_assert(conditions <= 1, "ctorm: find takes at most one condition (combine them with && and ||)");
  static_assert(populates <= 1, "ctorm: find takes at most one populate<...> request");
  static_assert(((condition<Args> || is_populate<Args> || std::is_same_v<Args, Joined> || std::is_same_v<Args, SelectIn> ||
                  query_option<Args>) &&
                 ...),
                "ctorm: an argument of find is neither a condition, a populate request, a strategy nor an option "
                "(order_by, limit, offset, fields)");

  template <class A>
  struct PlanOf {
    using type = void;
  };
  template <auto... Items>
  struct PlanOf<PopulateRequest<Items...>> {
    using type = PopulatePlan<T, Items...>;
  };
  template <class First, class... Rest>
  static auto pick_where(std::type_identity<First>, std::type_identity<Rest>...) {
    if constexpr (condition<First>)
      return std::type_identity<First>{};
    else if constexpr (sizeof...(Rest) == 0)
      return std::type_identity<void>{};
    else
      return pick_where(std::type_identity<Rest>{}...);
  }
  template <class First, class... Rest>
  static auto pick_plan(std::type_identity<First>, std::type_identity<Rest>...) {
    if constexpr (is_populate<First>)
      return std::type_identity<typename PlanOf<First>::type>{};
    else if constexpr (sizeof...(Rest) == 0)
      return std::type_identity<NoPopulate<T>>{};
    else
      return pick_plan(std::type_identity<Rest>{}...);
  }

 public:
  using where_type = typename decltype(pick_where(std::type_identity<Args>{}..., std::type_identity<void>{}))::type;
  using populate_type = typename decltype(pick_plan(std::type_identity<Args>{}..., std::type_identity<void>{}))::type;
  static constexpr bool joined = (std::is_same_v<Args, Joined> || ...);
  // order_by, limit, offset or fields: the query builder runs the find (populate is then select-in).
  static constexpr bool has_options = (query_option<Args> || ...);
};

template <class W, class... Args>
const W* find_where(const Args&... args) {
  if constexpr (std::is_void_v<W>) {
    return nullptr;
  } else {
    const W* w = nullptr;
    ((std::is_same_v<Args, W> ? (w = reinterpret_cast<const W*>(&args), 0) : 0), ...);
    return w;
  }
}

}  // namespace detail
}  // namespace ctorm
