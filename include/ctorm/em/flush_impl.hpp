#pragma once
// Flush: turning the unit of work into statements, in one transaction. Part of entity_manager.hpp.
#include <algorithm>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_set.hpp>

#include "entity_manager.hpp"

namespace ctorm {

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
    boost::unordered_flat_set<T*> pending;
    for (auto* e : inserts) pending.insert(&e->entity);
    std::vector<EntryT<T>*> ordered;
    boost::unordered_flat_set<T*> done;
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
}

template <class Schema>
template <class T>
void EntityManager<Schema>::after_hooks(Pending<T>& p, const std::vector<EntryT<T>*>& inserted,
                                       const std::vector<EntryT<T>*>& deleted) {
  using M = detail::EntityMeta<T>;
  if constexpr (detail::has_after_create<T>) {
    for (EntryT<T>* e : inserted) {
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
    for (EntryT<T>* e : deleted) {
      ChangeSet<T> cs(e->entity, ChangeKind::remove, 0);
      detail::call_after_delete(e->entity, cs);
    }
  }
  (void)p;
  (void)inserted;
  (void)deleted;
}

template <class Schema>
void EntityManager<Schema>::flush() {
  typename detail::MapEntities<Schema, Pending>::type pending;
  auto each = [&](auto&& f) {
    Schema::for_each([&]<class T>(std::type_identity<T>) { f.template operator()<T>(std::get<Schema::template index_of<T>>(pending)); });
  };
  auto each_reverse = [&](auto&& f) {
    Schema::for_each_reverse(
        [&]<class T>(std::type_identity<T>) { f.template operator()<T>(std::get<Schema::template index_of<T>>(pending)); });
  };

  bool work = false;
  try {
    each([&]<class T>(Pending<T>& p) {
      prepare<T>(p);
      work = work || has_work<T>(p);
    });
  } catch (...) {
    each([&]<class T>(Pending<T>& p) { revert<T>(p); });
    throw;
  }
  if (!work) return;

  {
    detail::Transaction tx(*conn_);
    try {
      each([&]<class T>(Pending<T>& p) { insert_all<T>(p); });
      each([&]<class T>(Pending<T>& p) { pivot_writes<T>(p, true); });
      each([&]<class T>(Pending<T>& p) { update_all<T>(p); });
      each([&]<class T>(Pending<T>& p) { pivot_writes<T>(p, false); });
      each_reverse([&]<class T>(Pending<T>&) { delete_all<T>(); });
      tx.commit();
    } catch (...) {
      each([&]<class T>(Pending<T>& p) { revert<T>(p); });
      throw;
    }
  }

  typename detail::MapEntities<Schema, InsertedList>::type inserted;
  typename detail::MapEntities<Schema, InsertedList>::type deleted;
  each([&]<class T>(Pending<T>& p) {
    auto& s = store<T>();
    std::get<Schema::template index_of<T>>(inserted).items = s.inserts();
    std::get<Schema::template index_of<T>>(deleted).items = s.deletes();
    settle<T>(p);
    s.inserts().clear();
    s.deletes().clear();
  });
  each([&]<class T>(Pending<T>& p) {
    after_hooks<T>(p, std::get<Schema::template index_of<T>>(inserted).items,
                   std::get<Schema::template index_of<T>>(deleted).items);
  });
}

}  // namespace ctorm
