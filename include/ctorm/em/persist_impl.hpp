#pragma once
// The unit of work's entry points: persist, create, assign and remove, and how a property given to
// create or assign is set (a relation takes a key, an entity or a Ref). Part of entity_manager.hpp.
// The member functions here are defined `inline`, as they were inside the class: GCC gives functions
// declared inline a larger inlining budget.
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "entity_manager.hpp"

namespace ctorm {

template <class Schema, class Backend>
template <class T>
  requires(!std::is_reference_v<T>)
inline T& EntityManager<Schema, Backend>::persist(T&& entity) {
  detail::check_in_schema<Schema, T>();
  EntryT<T>& entry = store<T>().add_new(std::move(entity));
  attach_new(entry);
  return entry.entity;
}

template <class Schema, class Backend>
template <class T, class... Props>
  requires(detail::is_prop_value<std::remove_cvref_t<Props>> && ...)
inline T& EntityManager<Schema, Backend>::create(Props&&... props) {
  detail::check_in_schema<Schema, T>();
  constexpr bool complete = detail::check_create_props<T, std::remove_cvref_t<Props>...>();
  if constexpr (complete)
    return create_impl<T>(std::forward<Props>(props)...);
  else
    return *static_cast<T*>(nullptr);  // unreachable: check_create_props stopped the build
}

template <class Schema, class Backend>
template <class T, class... Props>
inline T& EntityManager<Schema, Backend>::create_impl(Props&&... props) {
  T entity{};
  (assign_prop(entity, std::forward<Props>(props)), ...);
  return persist(std::move(entity));
}

template <class Schema, class Backend>
template <class T, class... Props>
  requires(detail::is_prop_value<std::remove_cvref_t<Props>> && ...)
inline T& EntityManager<Schema, Backend>::assign(T& entity, Props&&... props) {
  static_assert(((std::is_same_v<detail::member_class<detail::prop_member(static_cast<const std::remove_cvref_t<Props>*>(nullptr))>, T>) && ...),
                "ctorm: assign() takes properties of the entity's own type (ctorm::prop<&T::field>)");
  entry_or_throw(entity, "assign");
  (assign_prop(entity, std::forward<Props>(props)), ...);
  return entity;
}

template <class Schema, class Backend>
template <class T>
inline T& EntityManager<Schema, Backend>::persist(T& entity) {
  detail::check_in_schema<Schema, std::remove_const_t<T>>();
  auto& entry = entry_or_throw(entity, "persist");
  if (entry.state == EntityState::removed) {
    entry.state = EntityState::managed;
    std::erase(store<std::remove_const_t<T>>().deletes(), &entry);
  }
  return entry.entity;
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::remove(T& entity) {
  detail::check_in_schema<Schema, T>();
  auto& s = store<T>();
  auto& entry = entry_or_throw(entity, "remove");
  if (entry.state == EntityState::new_entity) {
    entry.state = EntityState::detached;
    std::erase(s.inserts(), &entry);
    if constexpr (detail::cascades_remove_to<Schema, T>) cascade_remove(entry.entity);
  } else if (entry.state == EntityState::managed) {
    entry.state = EntityState::removed;  // first: a cycle of cascades ends here
    // The cascaded entities go on the list first: of a type that refers to itself, children are deleted
    // before their parent.
    if constexpr (detail::cascades_remove_to<Schema, T>) cascade_remove(entry.entity);
    s.deletes().push_back(&entry);
  }
}

// The entities this manager holds whose cascade_remove Ref points at `target` are removed with it, as
// MikroORM's Cascade.REMOVE: their delete hooks run and they are forgotten at the flush, which deletes
// them before `target` (reverse foreign-key order). The option is on the Ref, so the referring entities
// are found by scanning their identity map, loaded collections or not; rows that were never loaded are
// left to the foreign key's `on delete cascade`.
template <class Schema, class Backend>
template <class T>
void EntityManager<Schema, Backend>::cascade_remove(T& target) {
  Schema::for_each([&]<class X>(std::type_identity<X>) {
    detail::for_each_relation<X>([&](auto i) {
      if constexpr (detail::is_cascade_remove_ref<X, i(), T>) {
        auto& referrers = store<X>();
        if (referrers.size() == 0 && referrers.inserts().empty()) return;
        std::vector<X*> hit;
        referrers.entries().for_each([&](EntryT<X>& e) {
          if (e.state != EntityState::managed && e.state != EntityState::new_entity) return;
          const auto& ref = boost::pfr::get<i()>(e.entity);
          if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(ref)>>::value) {
            if (ref && ref->unchecked() == &target) hit.push_back(&e.entity);
          } else {
            if (ref.unchecked() == &target) hit.push_back(&e.entity);
          }
        });
        for (X* x : hit) remove(*x);
      }
    });
  });
}

template <class Schema, class Backend>
template <class T, auto M, class V>
inline void EntityManager<Schema, Backend>::assign_prop(T& entity, PropValue<M, V>&& p) {
  auto& field = entity.*M;
  using F = std::remove_cvref_t<decltype(field)>;
  if constexpr (!std::is_void_v<detail::ref_target<F>>) {
    field = to_ref<detail::ref_target<F>>(std::forward<V>(p.value));
  } else {
    constexpr bool text_from_number =
        std::is_same_v<typename detail::NonNull<F>::type, std::string> && !std::is_convertible_v<V, std::string_view> &&
        !std::is_same_v<std::remove_cvref_t<V>, F>;
    static_assert(std::is_assignable_v<F&, V&&> && !text_from_number,
                  "ctorm: the value given for a property cannot be assigned to it");
    field = std::forward<V>(p.value);
  }
}

template <class Schema, class Backend>
template <class X, class V>
inline Ref<X> EntityManager<Schema, Backend>::to_ref(V&& v) {
  using U = std::remove_cvref_t<V>;
  Ref<X> r;
  if constexpr (std::is_same_v<U, Ref<X>>) {
    r = v;
    resolve_ref(r, "create");
  } else if constexpr (std::is_same_v<U, X>) {
    static_assert(std::is_lvalue_reference_v<V>, "ctorm: a relation takes a managed entity, not a temporary one");
    r = Ref<X>(v);
    resolve_ref(r, "create");
  } else if constexpr (std::is_same_v<U, X*>) {
    if (v) {
      r = Ref<X>(*v);
      resolve_ref(r, "create");
    }
  } else {
    constexpr bool key_like =
        std::is_integral_v<Key<X>> ? std::is_integral_v<U> && !std::is_same_v<U, bool> && !std::is_same_v<U, char>
                                   : std::is_convertible_v<V, std::string_view>;
    static_assert(key_like && std::is_constructible_v<Key<X>, V>,
                  "ctorm: a relation is given a value that is neither the target's key, the target nor a Ref");
    auto* entry = store<X>().find_or_add(Key<X>(std::forward<V>(v))).first;
    r.bind_entry(&entry->entity, entry);
  }
  return r;
}

}  // namespace ctorm
