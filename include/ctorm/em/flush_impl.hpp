#pragma once
// Flush: turning the unit of work into statements, in one transaction. Part of entity_manager.hpp.
// Here are the kernels each entity type brings (EntityManager::FlushOps); the loops, the transaction
// and the rollback are type-independent, in flush_run.hpp.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
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

template <class T>
consteval bool has_many_to_one() {
  bool r = false;
  for_each_relation<T>([&](auto i) { r = r || Relation<T, i()>::kind == RelationKind::many_to_one; });
  return r;
}

// The columns that T's on_update options set (in T and in its embedded structs), or nullopt when one of
// them is not a column. A flush backs up these fields only, not the whole entity, when T has no hook.
template <class T>
consteval std::optional<std::uint64_t> on_update_columns() {
  std::uint64_t mask = 0;
  bool all_columns = true;
  auto add = [&](std::size_t field, std::size_t sub) {
    const std::size_t c = column_of_field<T>(field, sub);
    if (c == no_field)
      all_columns = false;
    else
      mask |= std::uint64_t{1} << c;
  };
  for (const auto& o : entity_option_entries<T>)
    if (o.kind == OptionKind::on_update) add(o.field, no_field);
  for_each_embedded<T>([&](auto i) {
    for (const auto& o : entity_option_entries<field_type<T, i()>>)
      if (o.kind == OptionKind::on_update) add(i(), o.field);
  });
  return all_columns ? std::optional<std::uint64_t>(mask) : std::nullopt;
}

template <class T>
inline constexpr auto on_update_column_list = [] {
  constexpr std::uint64_t mask = *on_update_columns<T>();
  std::array<std::size_t, std::popcount(mask)> out{};
  std::size_t k = 0;
  for (std::size_t c = 0; c < 64; ++c)
    if (mask >> c & 1u) out[k++] = c;
  return out;
}();

template <class T>
inline constexpr bool has_before_hooks = has_before_create<T> || has_before_update<T> || has_before_delete<T>;
template <class T>
inline constexpr bool has_after_hooks = has_after_create<T> || has_after_update<T> || has_after_delete<T>;

template <class T>
consteval bool has_on_update_option() {
  bool any = false;
  for (const auto& o : entity_option_entries<T>) any = any || o.kind == OptionKind::on_update;
  for_each_embedded<T>([&](auto i) {
    for (const auto& o : entity_option_entries<field_type<T, i()>>) any = any || o.kind == OptionKind::on_update;
  });
  return any;
}

}  // namespace detail

template <class Schema, class Backend>
void EntityManager<Schema, Backend>::flush() {
  const auto use = conn_.use();
  flush_entities(decltype(detail::fk_ordered<Schema>(std::make_index_sequence<Schema::size>{})){});
}

template <class Schema, class Backend>
template <class... Es>
void EntityManager<Schema, Backend>::flush_entities(std::tuple<Es...>*) {
  std::array<detail::FlushStep<Backend>, sizeof...(Es)> steps{detail::FlushStep<Backend>{&FlushOps<Es>::kernels, &store<Es>(), {}, {}, {}, {}}...};
  detail::run_flush<Backend>(*conn_, this, steps.data(), steps.size(), observer_);
}

// Entity type T's kernels of a flush.
template <class Schema, class Backend>
template <class T>
struct EntityManager<Schema, Backend>::FlushOps {
  using M = detail::EntityMeta<T>;
  static EntityManager& em(void* self) { return *static_cast<EntityManager*>(self); }
  static detail::Store<T>& store_of(void* s) { return *static_cast<detail::Store<T>*>(s); }
  static EntryT<T>& entry(detail::EntryBase& e) { return static_cast<EntryT<T>&>(e); }

  // The entity's columns that differ from its snapshot; columns a partial load left out are never written,
  // nor is the version, which the update statement increments.
  static std::uint64_t changed(const EntryT<T>& e) {
    return detail::changed_columns(e.snapshot, e.entity) & ~(e.absent_eager() | M::version_mask);
  }
  static bool collect(void* self, detail::FlushStep<Backend>& step, detail::FlushBackups& backups,
                      std::vector<detail::PivotWork>& pivots);
  CTORM_NOINLINE static std::uint64_t before_update(EntityManager& em, EntryT<T>& e, std::uint64_t mask,
                                     detail::FlushBackups& backups);
  CTORM_NOINLINE static void resolve_refs(EntityManager& em, T& e);
  static void order_inserts(std::vector<detail::EntryBase*>& inserts);

  static void take_lists(void* s, detail::FlushStep<Backend>& step) {
    auto& st = store_of(s);
    step.inserts.reserve(st.inserts().size());
    for (auto* e : st.inserts()) step.inserts.push_back(e);
    step.deletes.reserve(st.deletes().size());
    for (auto* e : st.deletes()) step.deletes.push_back(e);
  }
  static void bind(Query& q, const detail::EntryBase& base, std::uint64_t columns, bool key) {
    const auto& e = static_cast<const EntryT<T>&>(base);
    if (columns) {
      [&]<std::size_t... C>(std::index_sequence<C...>) {
        ((columns >> C & 1u ? q.bind(detail::column_ref<C>(e.entity), detail::field_label<T, C>) : void()), ...);
      }(std::make_index_sequence<M::column_count>{});
    }
    if (key) {
      q.bind(e.key);
      if constexpr (M::has_version) q.bind(detail::column_ref<M::version_column>(e.entity));  // the version expected
    }
  }
  static void bump_version(detail::EntryBase& e) {
    if constexpr (M::has_version) ++detail::column_ref<M::version_column>(entry(e).entity);
  }
  CTORM_COLD static void row_changed(const detail::EntryBase& base, bool remove, std::string values,
                                     std::string_view sql) {
    const auto& e = static_cast<const EntryT<T>&>(base);
    std::int64_t expected = 0;
    if constexpr (M::has_version) expected = detail::column_ref<M::version_column>(e.entity);
    detail::throw_row_changed(remove ? "delete" : "update", detail::table_name_of<Naming, T>,
                              detail::key_text(e.key), M::has_version ? &expected : nullptr, std::string(sql),
                              std::move(values));
  }
  static bool key_unset(const detail::EntryBase& e) {
    return detail::primary_key_ref(static_cast<const EntryT<T>&>(e).entity) == 0;
  }
  // Only keys the database generates (integers) are ever set or reset by a flush.
  static void set_key(detail::EntryBase& e, std::int64_t key) {
    if constexpr (M::generated_key)
      detail::primary_key_ref(entry(e).entity) = static_cast<typename M::key_field_type>(key);
    else
      (void)e, (void)key;
  }
  static const detail::UpdateShape& update_shape(void* s, Connection& conn, std::uint64_t columns) {
    return detail::find_update_shape(store_of(s).update_shapes(), conn, columns, &detail::update_sql<Naming, T, Dialect>);
  }
  static void clear_lists(void* s) {
    auto& st = store_of(s);
    st.reserve(st.size() + st.inserts().size());  // for the new entities, before they are indexed
    st.inserts().clear();
    st.deletes().clear();
  }
  static void settle_new(void* s, detail::EntryBase& base) {
    EntryT<T>& e = entry(base);
    e.key = detail::key_of(e.entity);
    e.absent = 0;  // a new entity's lazy fields are what the user set
    store_of(s).index(e);
  }
  static void snapshot(void* s, detail::EntryBase& e) { store_of(s).take_snapshot(entry(e)); }
  static void forget(void* s, detail::EntryBase& e) { store_of(s).forget(entry(e)); }
  static void after_hooks(detail::FlushStep<Backend>& step);

  static constexpr bool self_ref = [] {
    bool r = false;
    detail::for_each_relation<T>([&](auto i) {
      r = r || (detail::Relation<T, i()>::kind == detail::RelationKind::many_to_one && detail::Relation<T, i()>::self);
    });
    return r;
  }();

  static constexpr detail::FlushKernels<Backend> kernels = [] {
    detail::FlushKernels<Backend> k{};
    k.collect = &collect;
    k.take_lists = &take_lists;
    if constexpr (self_ref) k.order_inserts = &order_inserts;
    k.bind = &bind;
    if constexpr (M::generated_key) {
      k.key_unset = &key_unset;
      k.set_key = &set_key;
    }
    k.update_shape = &update_shape;
    k.clear_lists = &clear_lists;
    k.settle_new = &settle_new;
    k.snapshot = &snapshot;
    k.forget = &forget;
    if constexpr (detail::has_after_hooks<T>) k.after_hooks = &after_hooks;
    if constexpr (M::has_version) k.bump_version = &bump_version;
    k.row_changed = &row_changed;
    k.versioned = M::has_version;
    using Insert = detail::InsertText<Naming, T, true>;
    using Remove = detail::DeleteByKeyText<Naming, T>;
    k.insert = {&detail::statement_slot<Insert>, sql_of<Insert>};
    if constexpr (M::generated_key) {
      using InsertGenerated = detail::InsertText<Naming, T, false>;
      k.insert_generated = {&detail::statement_slot<InsertGenerated>, sql_of<InsertGenerated>};
    }
    k.remove = {&detail::statement_slot<Remove>, sql_of<Remove>};
    if constexpr (M::has_version) {
      using RemoveReference = detail::DeleteByKeyText<Naming, T, true>;
      k.remove_reference = {&detail::statement_slot<RemoveReference>, sql_of<RemoveReference>};
    }
    k.columns = M::all_mask;
    k.key_column = std::uint64_t{1} << M::pk_column;
    return k;
  }();
};

// What the flush will write for T, computed before anything runs: the changed columns of every entity,
// and the many-to-many changes. Hooks and on_update options run here, on copies kept so that a failed
// flush can put them back.
template <class Schema, class Backend>
template <class T>
bool EntityManager<Schema, Backend>::FlushOps<T>::collect(void* self, detail::FlushStep<Backend>& step, detail::FlushBackups& backups,
                                                  std::vector<detail::PivotWork>& pivots) {
  EntityManager& m = em(self);
  auto& s = m.template store<T>();
  constexpr bool refs = detail::has_many_to_one<T>();
  constexpr bool extra_update_work =
      refs || detail::has_before_update<T> || detail::has_before_hooks<T> || detail::has_on_update_option<T>();

  if constexpr (refs || detail::has_before_create<T> || M::has_version) {
    for (EntryT<T>* e : s.inserts()) {
      if constexpr (M::has_version) {
        auto& version = detail::column_ref<M::version_column>(e->entity);
        if (version == 0) {  // a new entity's version starts at 1, unless it was set
          backups.keep(version);
          version = 1;
        }
      }
      if constexpr (refs) resolve_refs(m, e->entity);
      if constexpr (detail::has_before_create<T>) {
        if constexpr (std::is_copy_constructible_v<T>) backups.keep(e->entity);
        ChangeSet<T> cs(e->entity, ChangeKind::create, M::all_mask);
        detail::call_before_create(e->entity, cs);
      }
    }
  }

  s.entries().for_each([&](EntryT<T>& e) {
    if (e.state != EntityState::managed || !e.initialized) return;
    std::uint64_t mask = changed(e);
    if (!mask) return;
    if constexpr (extra_update_work) mask = before_update(m, e, mask, backups);
    if (mask) step.add_update(&e, mask);
  });

  if constexpr (detail::has_before_delete<T>) {
    for (EntryT<T>* e : s.deletes()) {
      ChangeSet<T> cs(e->entity, ChangeKind::remove, 0);
      detail::call_before_delete(e->entity, cs);
    }
  }

  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (collect_pivot<T, detail::pivot_fields<T>[K]>(s, pivots), ...);
  }(std::make_index_sequence<detail::pivot_fields<T>.size()>{});

  return !s.inserts().empty() || !s.deletes().empty();
}

// A changed entity before its update: on_update options, the before_update hook (which may change
// more columns, or change them back), its references resolved.
template <class Schema, class Backend>
template <class T>
std::uint64_t EntityManager<Schema, Backend>::FlushOps<T>::before_update(EntityManager& m, EntryT<T>& e, std::uint64_t mask,
                                                               detail::FlushBackups& backups) {
  constexpr bool keep_copies = detail::has_before_hooks<T> || detail::has_on_update_option<T>();
  if constexpr (detail::has_before_hooks<T> || (keep_copies && !detail::on_update_columns<T>())) {
    if constexpr (std::is_copy_constructible_v<T>) backups.keep(e.entity);
  } else if constexpr (keep_copies) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (backups.keep(detail::column_ref<detail::on_update_column_list<T>[K]>(e.entity)), ...);
    }(std::make_index_sequence<detail::on_update_column_list<T>.size()>{});
  }
  if constexpr (detail::has_on_update_option<T>()) detail::run_on_update(e.entity);
  if constexpr (detail::has_before_update<T>) {
    ChangeSet<T> cs(e.entity, ChangeKind::update, mask);
    detail::call_before_update(e.entity, cs);
  }
  if constexpr (keep_copies) mask = changed(e);
  if constexpr (detail::has_many_to_one<T>()) resolve_refs(m, e.entity);
  return mask;
}

template <class Schema, class Backend>
template <class T>
void EntityManager<Schema, Backend>::FlushOps<T>::resolve_refs(EntityManager& m, T& e) {
  detail::for_each_relation<T>([&](auto i) {
    if constexpr (detail::Relation<T, i()>::kind == detail::RelationKind::many_to_one)
      m.resolve_ref(boost::pfr::get<i()>(e), "flush");
  });
}

// With a Ref to T itself, the targets are inserted first.
template <class Schema, class Backend>
template <class T>
void EntityManager<Schema, Backend>::FlushOps<T>::order_inserts(std::vector<detail::EntryBase*>& inserts) {
  detail::PointerSet pending;
  for (auto* e : inserts) pending.insert(&entry(*e).entity);
  std::vector<detail::EntryBase*> ordered;
  detail::PointerSet done;
  auto visit = [&](auto& self, detail::EntryBase* base, int depth) -> void {
    EntryT<T>* e = &entry(*base);
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
            if (&entry(*other).entity == target) self(self, other, depth + 1);
      }
    });
    ordered.push_back(base);
  };
  for (auto* e : inserts) visit(visit, e, 0);
  inserts = std::move(ordered);
}

template <class Schema, class Backend>
template <class T>
void EntityManager<Schema, Backend>::FlushOps<T>::after_hooks(detail::FlushStep<Backend>& step) {
  if constexpr (detail::has_after_create<T>) {
    for (detail::EntryBase* e : step.inserts) {
      ChangeSet<T> cs(entry(*e).entity, ChangeKind::create, M::all_mask);
      detail::call_after_create(entry(*e).entity, cs);
    }
  }
  if constexpr (detail::has_after_update<T>) {
    for (const detail::EntityUpdate& u : step.updates) {
      ChangeSet<T> cs(entry(*u.entry).entity, ChangeKind::update, u.columns);
      detail::call_after_update(entry(*u.entry).entity, cs);
    }
  }
  if constexpr (detail::has_after_delete<T>) {
    for (detail::EntryBase* e : step.deletes) {
      ChangeSet<T> cs(entry(*e).entity, ChangeKind::remove, 0);
      detail::call_after_delete(entry(*e).entity, cs);
    }
  }
}

// Many-to-many field I: what the owning collections gained and lost since they were loaded or flushed.
template <class Schema, class Backend>
template <class T, std::size_t I>
void EntityManager<Schema, Backend>::collect_pivot(detail::Store<T>& s, std::vector<detail::PivotWork>& pivots) {
  std::vector<detail::PivotChange> inserts;
  std::vector<detail::PivotChange> deletes;
  s.entries().for_each([&](EntryT<T>& e) {
    if (e.state == EntityState::removed || e.state == EntityState::detached) return;
    auto& coll = boost::pfr::get<I>(e.entity);
    const auto& now = coll.raw_items();
    const auto& before = coll.snapshot();
    if (now == before) return;
    for (auto* x : now)
      if (std::find(before.begin(), before.end(), x) == before.end()) inserts.push_back({&e.entity, x});
    // the snapshot holds only pairs known to be in the pivot table, loaded or not
    for (auto* x : before)
      if (std::find(now.begin(), now.end(), x) == now.end()) deletes.push_back({&e.entity, x});
  });
  if (!inserts.empty() || !deletes.empty())
    pivots.push_back({&PivotOps<T, I>::kernels, std::move(inserts), std::move(deletes)});
}

// Many-to-many field I of T's kernels of a flush.
template <class Schema, class Backend>
template <class T, std::size_t I>
struct EntityManager<Schema, Backend>::PivotOps {
  static void write(void* self, const std::vector<detail::PivotChange>& changes, bool insert);
  static void settle(void* owner) { boost::pfr::get<I>(*static_cast<T*>(owner)).take_snapshot(); }
  static constexpr detail::PivotKernels kernels{&write, &settle};
};

template <class Schema, class Backend>
template <class T, std::size_t I>
void EntityManager<Schema, Backend>::PivotOps<T, I>::write(void* self, const std::vector<detail::PivotChange>& changes,
                                                  bool insert) {
  EntityManager& m = *static_cast<EntityManager*>(self);
  using X = typename detail::Relation<T, I>::target;
  using InsertText = detail::PivotInsertText<Naming, T, I>;
  using DeleteText = detail::PivotDeleteText<Naming, T, I>;
  Statement st = insert ? m.template statement<InsertText>() : m.template statement<DeleteText>();
  const std::string_view sql = insert ? sql_of<InsertText> : sql_of<DeleteText>;
  for (const detail::PivotChange& c : changes) {
    const Key<T> a = detail::key_of(*static_cast<const T*>(c.owner));
    const Key<X> b = detail::key_of(*static_cast<const X*>(c.item));
    Query q(*m.conn_, st, sql);
    q.bind(a);
    q.bind(b);
    q.run();
  }
}

}  // namespace ctorm
