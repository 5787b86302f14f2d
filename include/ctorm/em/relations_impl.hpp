#pragma once
// Relations bound to an entity manager: the collections of its entities answer to it (their ops), a
// Ref the user sets is resolved to the identity map's entry, and adding to or removing from one side of
// a relation updates the other side that is loaded. Part of entity_manager.hpp.
// The member functions here are defined `inline`, as they were inside the class: GCC gives functions
// declared inline a larger inlining budget.
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "entity_manager.hpp"

namespace ctorm {

// What collection field I of T calls back: on_add and on_remove keep the other side of the relation in
// step, init loads the collection, persist makes a new item managed.
template <class Schema, class Backend>
template <class T, std::size_t I>
struct EntityManager<Schema, Backend>::CollectionOpsFor {
  using R = detail::Relation<T, I>;
  using X = typename R::target;
  static EntityManager& em(void* ctx) { return *static_cast<EntityManager*>(ctx); }

  static constexpr bool orphan_removal = detail::has_option<T>(detail::OptionKind::orphan_removal, I);

  static void on_add(void* ctx, void* owner, void* item) {
    T& o = *static_cast<T*>(owner);
    X& x = *static_cast<X*>(item);
    if constexpr (orphan_removal) {
      // taken out and put back (set() does both), or moved to another owner: not an orphan any more
      if (em(ctx).state(x) == EntityState::removed) em(ctx).persist(x);
    }
    if constexpr (R::kind == detail::RelationKind::one_to_many) {
      auto& ref = boost::pfr::get<R::inverse>(x);
      Ref<T> r(o);
      if (auto* entry = em(ctx).template store<T>().entry_of(o)) r.bind_entry(&o, entry);
      ref = r;
    } else if constexpr (R::kind == detail::RelationKind::many_to_many_inverse) {
      boost::pfr::get<R::inverse>(x).add(o);
    } else if constexpr (R::kind == detail::RelationKind::many_to_many_owner && R::inverse != detail::no_field) {
      auto& other = boost::pfr::get<R::inverse>(x);
      if (other.is_initialized() && !other.contains(o)) other.raw_items().push_back(&o);
    }
  }
  static void on_remove([[maybe_unused]] void* ctx, void* owner, void* item) {
    T& o = *static_cast<T*>(owner);
    X& x = *static_cast<X*>(item);
    if constexpr (R::kind == detail::RelationKind::one_to_many) {
      auto& ref = boost::pfr::get<R::inverse>(x);
      if constexpr (orphan_removal) {
        if (em(ctx).is_managed(x)) em(ctx).remove(x);  // the Ref keeps its owner: the row goes as it is
      } else if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(ref)>>::value) {
        ref.reset();
      }
    } else if constexpr (R::kind == detail::RelationKind::many_to_many_inverse) {
      boost::pfr::get<R::inverse>(x).remove(o);
    } else if constexpr (R::kind == detail::RelationKind::many_to_many_owner && R::inverse != detail::no_field) {
      auto& other = boost::pfr::get<R::inverse>(x);
      std::erase(other.raw_items(), &o);
    }
  }
  static void init(void* ctx, void* owner) { em(ctx).template init_collection<T, I>(*static_cast<T*>(owner)); }
  static void* persist(void* ctx, void* item) { return &em(ctx).persist(std::move(*static_cast<X*>(item))); }

  static constexpr detail::CollectionOps ops{&on_add, &on_remove, &init, &persist,
                                             R::kind == detail::RelationKind::many_to_many_owner};
};

template <class Schema, class Backend>
template <class T, std::size_t I>
inline const detail::CollectionBinding* EntityManager<Schema, Backend>::collection_binding(const T& e, const void* field) {
  detail::CollectionBinding& b = store<T>().template collection_binding<detail::collection_slot<T, I>>();
  if (!b.ops) [[unlikely]]
    b = {&CollectionOpsFor<T, I>::ops, this,
         static_cast<const char*>(field) - reinterpret_cast<const char*>(&e)};
  return &b;
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::attach_new(EntryT<T>& entry) {
  T& e = entry.entity;
  detail::for_each_relation<T>([&](auto i) {
    constexpr std::size_t I = i();
    using R = detail::Relation<T, I>;
    auto& field = boost::pfr::get<I>(e);
    if constexpr (R::kind == detail::RelationKind::many_to_one) {
      resolve_ref(field, "persist");
      // the other side: a loaded collection of the target gains the new entity
      if constexpr (R::inverse != detail::no_field) {
        Ref<typename R::target>* ref = nullptr;
        if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(field)>>::value)
          ref = field ? &*field : nullptr;
        else
          ref = &field;
        if (ref && *ref && ref->is_initialized()) {
          auto& other = boost::pfr::get<R::inverse>(*ref->unchecked());
          if (other.is_initialized() && !other.contains(e)) other.raw_items().push_back(&e);
        }
      }
    } else if constexpr (R::kind != detail::RelationKind::one_to_one_inverse) {
      field.attach(collection_binding<T, I>(e, &field));
      if (auto* owned_items = field.owned_items()) {
        for (auto& owned : *owned_items) {
          using X = typename R::target;
          X* managed = &persist(std::move(*owned));
          field.replace(owned.get(), managed);
        }
        owned_items->clear();
      }
      for (auto* item : field.raw_items()) CollectionOpsFor<T, I>::on_add(this, &e, item);
    }
  });
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::attach_loaded(EntryT<T>& entry) {
  T& e = entry.entity;
  detail::for_each_relation<T>([&](auto i) {
    constexpr std::size_t I = i();
    using R = detail::Relation<T, I>;
    if constexpr (R::kind != detail::RelationKind::many_to_one && R::kind != detail::RelationKind::one_to_one_inverse) {
      auto& field = boost::pfr::get<I>(e);
      field.attach_unloaded(collection_binding<T, I>(e, &field));
    }
  });
}

template <class Schema, class Backend>
template <class F>
inline void EntityManager<Schema, Backend>::resolve_ref(F& field, const char* what) {
  if constexpr (detail::IsOptional<F>::value) {
    if (field) resolve_ref(*field, what);
  } else {
    using X = typename detail::IsRef<F>::target;
    if (!field || field.entry()) return;
    X* target = field.unchecked();
    auto* entry = store<X>().entry_of(*target);
    if (!entry) detail::throw_foreign_target(what, detail::type_name<X>);
    field.bind_entry(target, entry);
  }
}

}  // namespace ctorm
