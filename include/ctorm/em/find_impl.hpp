#pragma once
// Reading: find, find_one, count, exists and find_and_count run through the query builder (or, for a
// joined populate, populate_impl.hpp); query() hands the builder out; native_update and native_delete
// write through it outside the unit of work. Part of entity_manager.hpp.
// The member functions here are defined `inline`, as they were inside the class: GCC gives functions
// declared inline a larger inlining budget.
#include <cstdint>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "entity_manager.hpp"

namespace ctorm {

namespace detail {

// native_update's arguments, sorted: its assignments and its condition.
template <class A>
auto ref_if_assignment(const A& a) {
  if constexpr (assignment<A>)
    return std::tuple<const A&>(a);
  else
    return std::tuple<>();
}
template <class A>
auto borrow_if_condition(const A& a) {
  if constexpr (condition<A>)
    return std::tuple<Borrowed<A>>(borrow(a));
  else
    return std::tuple<>();
}

}  // namespace detail

template <class Schema, class Backend>
template <class T, class... Args>
  requires(detail::find_argument<Args> && ...)
inline auto EntityManager<Schema, Backend>::find([[maybe_unused]] const Args&... args) {
  const auto use = conn_.use();
  detail::check_in_schema<Schema, T>();
  using A = detail::FindArgs<T, Args...>;
  using Where = typename A::where_type;
  using Plan = typename A::populate_type;
  const Where* where = detail::find_where<Where>(args...);
  std::vector<T*> roots;
  if constexpr (A::joined && !Plan::empty && !A::has_options) {
    roots = load_joined<T, Where, Plan, false>(where);
  } else {  // the query builder (query/builder.hpp); with options, populate is select-in
    roots = find_query<T, Where>(where, args...).all();
    populate_select_in<T, Plan>(roots);
  }
  if constexpr (Plan::empty)
    return roots;
  else
    return std::vector<Loaded<T, Plan>>(roots.begin(), roots.end());
}

template <class Schema, class Backend>
template <class T, class K, class... Args>
  requires(!condition<K> && !detail::is_populate<K> && std::is_constructible_v<detail::key_type<T>, const K&> &&
           (detail::find_argument<Args> && ...))
inline auto EntityManager<Schema, Backend>::find_one(const K& key, [[maybe_unused]] const Args&... args) {
  const auto use = conn_.use();
  detail::check_in_schema<Schema, T>();
  using A = detail::FindArgs<T, Args...>;
  using Plan = typename A::populate_type;
  static_assert(!A::has_options,
                "ctorm: find_one by key answers from the identity map and takes no order_by, limit, offset or "
                "fields; use find_one(condition, options...)");
  const Key<T> k(key);
  T* found = nullptr;
  if (auto* e = store<T>().find(k); e && e->initialized)
    found = e->state == EntityState::detached ? nullptr : &e->entity;
  else
    found = load_by_key<T>(k);
  if constexpr (Plan::empty) {
    return found;
  } else {
    if (found) {
      std::vector<T*> one{found};
      populate_select_in<T, Plan>(one);
    }
    return found ? std::optional<Loaded<T, Plan>>(Loaded<T, Plan>(found)) : std::nullopt;
  }
}

template <class Schema, class Backend>
template <class T, condition C, class... Args>
  requires(detail::find_argument<Args> && ...)
inline auto EntityManager<Schema, Backend>::find_one(const C& where, [[maybe_unused]] const Args&... args) {
  const auto use = conn_.use();
  detail::check_in_schema<Schema, T>();
  using A = detail::FindArgs<T, Args...>;
  using Plan = typename A::populate_type;
  T* found = nullptr;
  if constexpr (A::joined && !Plan::empty && !A::has_options) {
    auto roots = load_joined<T, C, Plan, true>(&where);
    found = roots.empty() ? nullptr : roots.front();
  } else {
    found = find_query<T, C>(&where, args...).template limit<1>().one();
    if (found) {
      std::vector<T*> one{found};
      populate_select_in<T, Plan>(one);
    }
  }
  if constexpr (Plan::empty)
    return found;
  else
    return found ? std::optional<Loaded<T, Plan>>(Loaded<T, Plan>(found)) : std::nullopt;
}

template <class Schema, class Backend>
template <class T, class K, class... Args>
inline decltype(auto) EntityManager<Schema, Backend>::find_one_or_fail(const K& key_or_condition, const Args&... args) {
  auto found = find_one<T>(key_or_condition, args...);
  if (!found) detail::throw_not_found(detail::type_name<T>);
  if constexpr (std::is_pointer_v<decltype(found)>)
    return static_cast<T&>(*found);
  else
    return typename decltype(found)::value_type(*found);
}

template <class Schema, class Backend>
template <class T>
inline std::int64_t EntityManager<Schema, Backend>::count() {
  return count_impl<T, void>(nullptr);
}

template <class Schema, class Backend>
template <class T, condition C>
inline std::int64_t EntityManager<Schema, Backend>::count(const C& where) {
  return query<T>().where(detail::borrow(where)).count();
}

template <class Schema, class Backend>
template <class T>
inline bool EntityManager<Schema, Backend>::exists() {
  return query<T>().exists();
}

template <class Schema, class Backend>
template <class T, condition C>
inline bool EntityManager<Schema, Backend>::exists(const C& where) {
  return query<T>().where(detail::borrow(where)).exists();
}

template <class Schema, class Backend>
template <class T, class... Args>
  requires((condition<Args> || query_option<Args>) && ...)
inline ItemsAndTotal<T*> EntityManager<Schema, Backend>::find_and_count(const Args&... args) {
  const auto use = conn_.use();
  using Where = typename detail::FindArgs<T, Args...>::where_type;
  return find_query<T, Where>(detail::find_where<Where>(args...), args...).all_and_count();
}

template <class Schema, class Backend>
template <class T>
inline auto EntityManager<Schema, Backend>::query() {
  detail::check_in_schema<Schema, T>();
  return QueryBuilder<EntityManager, Naming, T, StatementKind::select, false, detail::JoinList<>, detail::NoParts>(
      this, {});
}

template <class Schema, class Backend>
template <class T, condition C>
inline std::int64_t EntityManager<Schema, Backend>::native_delete(const C& where) {
  const auto use = conn_.use();
  return query<T>().where(detail::borrow(where)).delete_rows().run().affected_rows;
}

template <class Schema, class Backend>
template <class T, class... Args>
inline std::int64_t EntityManager<Schema, Backend>::native_update(const Args&... args) {
  const auto use = conn_.use();
  static_assert(((assignment<Args> || condition<Args>) && ...),
                "ctorm: native_update takes ctorm::set(col, value) assignments and a condition");
  const auto conditions = std::tuple_cat(detail::borrow_if_condition(args)...);
  static_assert(std::tuple_size_v<decltype(conditions)> <= 1, "ctorm: native_update takes one condition at most");
  const auto update = std::apply([&](const auto&... a) { return query<T>().update(a...); },
                                 std::tuple_cat(detail::ref_if_assignment(args)...));
  if constexpr (std::tuple_size_v<decltype(conditions)> == 0)
    return update.run().affected_rows;
  else
    return update.where(std::get<0>(conditions)).run().affected_rows;
}

template <class Schema, class Backend>
template <class T, class Where, class... Args>
inline auto EntityManager<Schema, Backend>::find_query(const Where* where, const Args&... args) {
  auto q = query<T>();
  if constexpr (std::is_void_v<Where>)
    return apply_find_options(std::move(q), args...);
  else
    return apply_find_options(std::move(q).where(detail::borrow(*where)), args...);
}

template <class Schema, class Backend>
template <class Q>
inline auto EntityManager<Schema, Backend>::apply_find_options(Q&& q) {
  return std::forward<Q>(q);
}

template <class Schema, class Backend>
template <class Q, class A, class... Rest>
inline auto EntityManager<Schema, Backend>::apply_find_options(Q&& q, const A& a, const Rest&... rest) {
  if constexpr (query_option<A>)
    return apply_find_options(std::forward<Q>(q).apply(a), rest...);
  else
    return apply_find_options(std::forward<Q>(q), rest...);
}

template <class Schema, class Backend>
template <class T, class C>
inline std::int64_t EntityManager<Schema, Backend>::count_impl(const C* where) {
  const auto use = conn_.use();
  detail::check_in_schema<Schema, T>();
  using Text = detail::CountText<Naming, T, C>;
  Query q(*conn_, statement<Text>(), sql_of<Text>);
  if constexpr (!std::is_void_v<C>) where->bind(q);
  q.step();
  const std::int64_t n = read_int64(q.row(), 0);
  q.finish_rows();
  return n;
}

}  // namespace ctorm
