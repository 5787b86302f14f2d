#pragma once
// Flush: turning the unit of work into statements, in one transaction. Part of entity_manager.hpp.
#include <algorithm>
#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>


#include "entity_manager.hpp"
#include "pointer_set.hpp"

namespace ctorm {

namespace detail {
// The schema's entities in foreign-key order, as the pack of a (never instantiated) tuple type.
template <class Schema, std::size_t... K>
std::tuple<typename Schema::template entity_at<Schema::order[K]>...>* fk_ordered(std::index_sequence<K...>);
}  // namespace detail

// What the flush will write for T: the change set of every entity, computed before anything runs.
// Hooks and on_update options run here, on copies kept so that a failed flush can put them back.
template <class Schema>
template <class T>
void EntityManager<Schema>::prepare(Pending<T>& p) {
  using M = detail::EntityMeta<T>;
  auto& s = store<T>();
  constexpr bool keep_copies = detail::has_before_hooks<T> || detail::has_on_update_option<T>();

  for (EntryT<T>* e : s.inserts()) {
    detail::for_each_relation<T>([&](auto i) {
      if constexpr (detail::Relation<T, i()>::kind == detail::RelationKind::many_to_one)
        resolve_ref(boost::pfr::get<i()>(e->entity), "flush");
    });
    if constexpr (detail::has_before_create<T>) {
      if constexpr (std::is_copy_constructible_v<T>) p.backups.emplace_back(e, e->entity);
      ChangeSet<T> cs(e->entity, ChangeKind::create, M::all_mask);
      detail::call_before_create(e->entity, cs);
    }
  }

  s.entries().for_each([&](EntryT<T>& e) {
    if (e.state != EntityState::managed || !e.initialized) return;
    // columns a partial load left out are never written
    std::uint64_t mask = detail::changed_columns(e.snapshot, e.entity) & ~e.absent_eager();
    if (!mask) return;
    if constexpr (keep_copies && std::is_copy_constructible_v<T>) p.backups.emplace_back(&e, e.entity);
    if constexpr (detail::has_on_update_option<T>()) detail::run_on_update(e.entity);
    if constexpr (detail::has_before_update<T>) {
      ChangeSet<T> cs(e.entity, ChangeKind::update, mask);
      detail::call_before_update(e.entity, cs);
    }
    if constexpr (keep_copies) mask = detail::changed_columns(e.snapshot, e.entity) & ~e.absent_eager();
    detail::for_each_relation<T>([&](auto i) {
      if constexpr (detail::Relation<T, i()>::kind == detail::RelationKind::many_to_one)
        resolve_ref(boost::pfr::get<i()>(e.entity), "flush");
    });
    if (mask) p.updates.emplace_back(&e, mask);
  });

  if constexpr (detail::has_before_delete<T>) {
    for (EntryT<T>* e : s.deletes()) {
      ChangeSet<T> cs(e->entity, ChangeKind::remove, 0);
      detail::call_before_delete(e->entity, cs);
    }
  }

  // many-to-many: what the owning collections gained and lost since they were loaded or flushed
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (
        [&] {
          constexpr std::size_t I = detail::pivot_fields<T>[K];
          s.entries().for_each([&](EntryT<T>& e) {
            if (e.state == EntityState::removed || e.state == EntityState::detached) return;
            auto& coll = boost::pfr::get<I>(e.entity);
            const auto& now = coll.raw_items();
            const auto& before = coll.snapshot();
            if (now == before) return;
            for (auto* x : now)
              if (std::find(before.begin(), before.end(), x) == before.end()) p.pivot_inserts[K].emplace_back(&e.entity, x);
            // the snapshot holds only pairs known to be in the pivot table, loaded or not
            for (auto* x : before)
              if (std::find(now.begin(), now.end(), x) == now.end()) p.pivot_deletes[K].emplace_back(&e.entity, x);
          });
        }(),
        ...);
  }(std::make_index_sequence<detail::pivot_fields<T>.size()>{});
}

// Inserts T's new entities; with a Ref to T itself, the targets go first.
template <class Schema>
template <class T>
void EntityManager<Schema>::insert_all(Pending<T>& p) {
  using M = detail::EntityMeta<T>;
  auto& inserts = store<T>().inserts();
  constexpr bool self_ref = [] {
    bool r = false;
    detail::for_each_relation<T>([&](auto i) {
      r = r || (detail::Relation<T, i()>::kind == detail::RelationKind::many_to_one && detail::Relation<T, i()>::self);
    });
    return r;
  }();
  if constexpr (self_ref) {
    detail::PointerSet pending;
    for (auto* e : inserts) pending.insert(&e->entity);
    std::vector<EntryT<T>*> ordered;
    detail::PointerSet done;
    std::vector<EntryT<T>*> by_entity;
    auto visit = [&](auto& self, EntryT<T>* e, int depth) -> void {
      if (done.contains(&e->entity) || depth > 10000) return;
      done.insert(&e->entity);
      detail::for_each_relation<T>([&](auto i) {
        using R = detail::Relation<T, i()>;
        if constexpr (R::kind == detail::RelationKind::many_to_one && R::self) {
          auto& f = boost::pfr::get<i()>(e->entity);
          T* target = nullptr;
          if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(f)>>::value)
            target = f ? f->unchecked() : nullptr;
          else
            target = f.unchecked();
          if (target && pending.contains(target) && target != &e->entity)
            for (auto* other : inserts)
              if (&other->entity == target) self(self, other, depth + 1);
        }
      });
      ordered.push_back(e);
    };
    for (auto* e : inserts) visit(visit, e, 0);
    inserts = std::move(ordered);
  }
  for (EntryT<T>* e : inserts) {
    if constexpr (M::generated_key) {
      if (detail::primary_key_ref(e->entity) == 0) {
        insert_one<T, false>(e->entity);
        detail::primary_key_ref(e->entity) =
            static_cast<typename M::key_field_type>(sqlite3_last_insert_rowid(conn_->handle()));
        p.assigned_keys.push_back(e);
        continue;
      }
    }
    insert_one<T, true>(e->entity);
  }
}

// After commit: what was written becomes the new snapshot; deleted entities leave the identity map.
template <class Schema>
template <class T>
void EntityManager<Schema>::settle(Pending<T>& p) {
  auto& s = store<T>();
  if constexpr (detail::has_after_hooks<T>) {
    p.inserted = s.inserts();
    p.deleted = s.deletes();
  }
  s.reserve(s.size() + s.inserts().size());
  for (EntryT<T>* e : s.inserts()) {
    e->key = detail::key_of(e->entity);
    e->state = EntityState::managed;
    e->initialized = true;
    e->absent = 0;  // a new entity's lazy fields are what the user set
    s.index(*e);
    s.take_snapshot(*e);
  }
  for (auto& update : p.updates) s.take_snapshot(*update.first);
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (
        [&] {
          for (auto& op : p.pivot_inserts[K]) boost::pfr::get<detail::pivot_fields<T>[K]>(*op.first).take_snapshot();
          for (auto& op : p.pivot_deletes[K]) boost::pfr::get<detail::pivot_fields<T>[K]>(*op.first).take_snapshot();
        }(),
        ...);
  }(std::make_index_sequence<detail::pivot_fields<T>.size()>{});
  for (EntryT<T>* e : s.deletes()) {
    s.forget(*e);
    e->state = EntityState::detached;
  }
  s.inserts().clear();
  s.deletes().clear();
}

template <class Schema>
template <class T>
void EntityManager<Schema>::after_hooks(Pending<T>& p) {
  using M = detail::EntityMeta<T>;
  if constexpr (detail::has_after_create<T>) {
    for (EntryT<T>* e : p.inserted) {
      ChangeSet<T> cs(e->entity, ChangeKind::create, M::all_mask);
      detail::call_after_create(e->entity, cs);
    }
  }
  if constexpr (detail::has_after_update<T>) {
    for (auto& [e, mask] : p.updates) {
      ChangeSet<T> cs(e->entity, ChangeKind::update, mask);
      detail::call_after_update(e->entity, cs);
    }
  }
  if constexpr (detail::has_after_delete<T>) {
    for (EntryT<T>* e : p.deleted) {
      ChangeSet<T> cs(e->entity, ChangeKind::remove, 0);
      detail::call_after_delete(e->entity, cs);
    }
  }
  (void)p;
}

template <class Schema>
void EntityManager<Schema>::flush() {
  flush_entities(decltype(detail::fk_ordered<Schema>(std::make_index_sequence<Schema::size>{})){});
}

// Each step is a fold over the entity types: the generic lambdas this used (one per step and type)
// cost more to compile than the steps.
template <class Schema>
template <class... Es>
void EntityManager<Schema>::flush_entities(std::tuple<Es...>*) {
  struct All : Pending<Es>... {
  } pending;

  bool work = false;
  try {
    ((prepare<Es>(pending), work = work || has_work<Es>(pending)), ...);
  } catch (...) {
    (revert<Es>(pending), ...);
    throw;
  }
  if (!work) return;

  {
    detail::Transaction tx(*conn_);
    try {
      (insert_all<Es>(pending), ...);
      (pivot_writes<Es>(pending, true), ...);
      (update_all<Es>(pending), ...);
      (pivot_writes<Es>(pending, false), ...);
      // deletes in reverse: rows that others point at go last
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (delete_all<std::tuple_element_t<sizeof...(Es) - 1 - I, std::tuple<Es...>>>(), ...);
      }(std::index_sequence_for<Es...>{});
      tx.commit();
    } catch (...) {
      (revert<Es>(pending), ...);
      throw;
    }
  }

  (settle<Es>(pending), ...);
  (after_hooks<Es>(pending), ...);
}

}  // namespace ctorm
