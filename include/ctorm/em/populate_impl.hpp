#pragma once
// Populate: loading relations and lazy fields for entities already loaded, one query per relation
// level (select-in) or one query with left joins (joined). Part of entity_manager.hpp.
// The public populate() functions and the small helpers above populate_select_in are defined `inline`, as
// they were inside the class (GCC gives functions declared inline a larger inlining budget).
#include <algorithm>
#include <array>
#include <functional>
#include <utility>
#include <vector>



#include "../detail/flat_map.hpp"
#include "pointer_set.hpp"

#include "entity_manager.hpp"

namespace ctorm {

template <class Schema, class Backend>
template <auto... Items, class T>
  requires(Schema::template contains<T>)
inline auto EntityManager<Schema, Backend>::populate(T& entity, PopulateRequest<Items...>) {
  const auto use = conn_.use();
  using Plan = detail::PopulatePlan<T, Items...>;
  entry_or_throw(entity, "populate");
  std::vector<T*> one{&entity};
  populate_select_in<T, Plan>(one);
  return Loaded<T, Plan>(&entity);
}

template <class Schema, class Backend>
template <auto... Items, class T>
inline void EntityManager<Schema, Backend>::populate(const std::vector<T*>& entities, PopulateRequest<Items...>) {
  const auto use = conn_.use();
  populate_select_in<T, detail::PopulatePlan<T, Items...>>(entities);
}

template <class Schema, class Backend>
template <class Text, class K>
inline detail::InListRows<Backend> EntityManager<Schema, Backend>::in_list_rows(const std::vector<K>& keys) {
  return {*conn_, detail::in_list_family<Text, Dialect>(), keys.data(), keys.size(), &detail::bind_key_at<K, Query>};
}

template <class Schema, class Backend>
template <class X>
inline void EntityManager<Schema, Backend>::load_ref_targets(const std::vector<Key<X>>& keys) {
  auto rows = in_list_rows<detail::SelectInText<Naming, X, detail::EntityMeta<X>::pk_column>>(keys);
  while (rows.next()) hydrate<X>(rows.row());
}

template <class Schema, class Backend>
template <class T, std::size_t I>
inline auto EntityManager<Schema, Backend>::owner_collection(EntityManager& em, const Key<T>& k) {
  auto* entry = em.store<T>().find(k);
  return entry ? &boost::pfr::get<I>(entry->entity) : nullptr;
}

template <class Schema, class Backend>
template <class T, class Plan>
void EntityManager<Schema, Backend>::populate_select_in(const std::vector<T*>& roots) {
  if constexpr (!Plan::empty) {
    if (roots.empty()) return;
    [&]<std::size_t... P>(std::index_sequence<P...>) {
      (populate_path<T>(roots, [] {
         constexpr auto path = Plan::paths[P];
         return [&]<std::size_t... S>(std::index_sequence<S...>) {
           return std::index_sequence<path.fields[S]...>{};
         }(std::make_index_sequence<path.length>{});
       }()),
       ...);
    }(std::make_index_sequence<Plan::size>{});
  }
}

template <class Schema, class Backend>
template <class T, std::size_t... Steps>
void EntityManager<Schema, Backend>::populate_path(const std::vector<T*>& level, std::index_sequence<Steps...>) {
  [&]<std::size_t I, std::size_t... Rest>(std::index_sequence<I, Rest...>) {
    if constexpr (detail::is_relation<T, I>) {
      auto next = populate_relation<T, I>(level, false, sizeof...(Rest) > 0);
      if constexpr (sizeof...(Rest) > 0) {
        using X = detail::relation_target<T, I>;
        if (!next.empty()) populate_path<X>(next, std::index_sequence<Rest...>{});
      }
    } else {
      populate_lazy<T, detail::column_of_field<T>(I)>(level);
    }
  }(std::index_sequence<Steps...>{});
}

template <class Schema, class Backend>
template <class T, std::size_t I>
auto EntityManager<Schema, Backend>::populate_relation(const std::vector<T*>& owners, bool always, bool want_next) {
  using R = detail::Relation<T, I>;
  using X = typename R::target;
  using RK = detail::RelationKind;
  std::vector<X*> next;

  if constexpr (R::kind == RK::many_to_one) {
    detail::PointerSet seen;
    std::vector<Key<X>> keys;
    for (T* o : owners) {
      auto& field = boost::pfr::get<I>(*o);
      Ref<X>* ref = nullptr;
      if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(field)>>::value)
        ref = field ? &*field : nullptr;
      else
        ref = &field;
      if (!ref || !*ref) continue;
      resolve_ref(*ref, "populate");
      X* x = ref->unchecked();
      if (!seen.insert(x)) continue;
      next.push_back(x);
      if (!ref->entry()->initialized) keys.push_back(detail::key_of(*x));
    }
    load_ref_targets<X>(keys);
  } else if constexpr (R::kind == RK::one_to_one_inverse) {
    constexpr std::size_t c = detail::column_of_field<X>(R::inverse);
    constexpr std::size_t fk_pos = detail::EntityMeta<X>::eager_position(c);
    std::vector<Key<T>> keys;
    for (T* o : owners) {
      auto& field = boost::pfr::get<I>(*o);
      if (field && !always) {
        next.push_back(field.unchecked());
        continue;
      }
      keys.push_back(detail::key_of(*o));
    }
    auto rows = in_list_rows<detail::SelectInText<Naming, X, c>>(keys);
    while (rows.next()) {
      Row st = rows.row();
      auto* x = hydrate<X>(st);
      Key<T> k{};
      read_value(st, static_cast<int>(fk_pos), k);
      if (auto* owner = store<T>().find(k)) {
        auto& field = boost::pfr::get<I>(owner->entity);
        Ref<X> r;
        r.bind_entry(&x->entity, x);
        field = r;
        next.push_back(&x->entity);
      }
    }
  } else {
    // Collections: the owners whose collection is not loaded (all with `always`) are loaded
    detail::PointerSet loading;
    std::vector<void*> collections;
    std::vector<Key<T>> keys;
    for (T* o : owners) {
      auto& coll = boost::pfr::get<I>(*o);
      if ((coll.is_initialized() && !always) || !loading.insert(o)) continue;
      collections.push_back(&coll);
      keys.push_back(detail::key_of(*o));
    }
    if constexpr (R::kind == RK::one_to_many) {
      constexpr std::size_t c = detail::column_of_field<X>(R::inverse);
      constexpr std::size_t fk_pos = detail::EntityMeta<X>::eager_position(c);
      load_collections<X, Key<T>>(collections, keys, &owner_collection<T, I>,
                                  detail::in_list_family<detail::SelectInText<Naming, X, c>, Dialect>(), 0,
                                  static_cast<int>(fk_pos));
    } else {
      // many-to-many: through the pivot table of the owning side; the owner's key comes first in the row
      using Text = std::conditional_t<R::kind == RK::many_to_many_owner, detail::PivotSelectText<Naming, T, I, 0, X>,
                                      detail::PivotSelectText<Naming, X, R::inverse, 1, X>>;
      load_collections<X, Key<T>>(collections, keys, &owner_collection<T, I>, detail::in_list_family<Text, Dialect>(), 1, 0);
    }
    if (want_next) {
      detail::PointerSet seen;
      for (T* o : owners)
        for (X* x : boost::pfr::get<I>(*o).raw_items())
          if (seen.insert(x)) next.push_back(x);
    }
  }
  return next;
}

// Loads the items of collections of X (of owners with these keys). A row holds an item from position
// item_offset and its owner's key at key_position; rows come grouped by owner, so that the owner is
// looked up once per group. Items added to an unloaded collection are kept (unflushed additions).
template <class Schema, class Backend>
template <class X, class K>
void EntityManager<Schema, Backend>::load_collections(const std::vector<void*>& collections, const std::vector<K>& keys,
                                             Collection<X>* (*owner_collection)(EntityManager&, const K&),
                                             const detail::InListFamily& family, int item_offset, int key_position) {
  if (keys.empty()) return;
  std::vector<void*> pending_adds;  // (collection, item) pairs, flat
  for (void* p : collections) {
    auto* coll = static_cast<Collection<X>*>(p);
    if (!coll->is_initialized())
      for (X* x : coll->raw_items()) pending_adds.insert(pending_adds.end(), {coll, x});
    coll->raw_items().clear();
  }
  Collection<X>* last = nullptr;
  K last_key{};
  detail::InListRows<Backend> rows(*conn_, family, keys.data(), keys.size(), &detail::bind_key_at<K, Query>);
  while (rows.next()) {
    Row st = rows.row();
    X* x = &hydrate<X>(st, item_offset)->entity;
    K k{};
    read_value(st, key_position, k);
    if (!last || last_key != k) {
      last = owner_collection(*this, k);
      last_key = std::move(k);
    }
    if (last) last->raw_items().push_back(x);
  }
  for (void* p : collections) static_cast<Collection<X>*>(p)->mark_loaded();
  for (std::size_t p = 0; p < pending_adds.size(); p += 2) {
    auto* coll = static_cast<Collection<X>*>(pending_adds[p]);
    X* x = static_cast<X*>(pending_adds[p + 1]);
    if (!coll->contains(*x)) coll->raw_items().push_back(x);
  }
}

template <class Schema, class Backend>
template <class T, std::size_t C>
void EntityManager<Schema, Backend>::populate_lazy(const std::vector<T*>& entities) {
  const auto use = conn_.use();
  auto& s = store<T>();
  std::vector<Key<T>> keys;
  for (T* e : entities) {
    auto* entry = s.entry_of(*e);
    if (entry && entry->state != EntityState::new_entity && (entry->absent >> C & 1u)) keys.push_back(entry->key);
  }
  auto rows = in_list_rows<detail::LazySelectText<Naming, T, C>>(keys);
  while (rows.next()) {
    Row st = rows.row();
    Key<T> k{};
    read_value(st, 0, k);
    auto* entry = s.find(k);
    if (!entry || !(entry->absent >> C & 1u)) continue;
    read_value(st, 1, detail::column_ref<C>(entry->entity));
    entry->absent &= ~(std::uint64_t{1} << C);
    if (entry->snapshot) s.template patch_snapshot_column<C>(*entry);
  }
}

template <class Schema, class Backend>
template <class T, class Where, class Plan, bool One>
std::vector<T*> EntityManager<Schema, Backend>::load_joined(const Where* where) {
  const auto use = conn_.use();
  using Text = detail::JoinedText<Naming, T, Plan, Where, One>;
  constexpr auto nodes = detail::join_nodes<Plan>();
  constexpr std::size_t count = nodes.second;
  // a condition with run-time lists has its text built per length (query/statement.hpp)
  const auto prepared = [&] {
    if constexpr (std::is_void_v<Where>)
      return detail::PreparedText<Statement>{statement<Text>(), sql_of<Text>};
    else
      return detail::prepare_text<Text>(*conn_, *where);
  }();
  Query q(*conn_, prepared.statement, prepared.sql);
  if constexpr (!std::is_void_v<Where>) where->bind(q);

  std::vector<T*> roots;
  detail::PointerSet seen_roots;
  std::array<void*, count> present{};
  // per node: the collections this query loads, and the items already added to each
  std::array<detail::FlatMap<void*, bool>, count> loading;
  std::array<detail::FlatSet<std::pair<void*, void*>>, count> added;
  std::vector<std::function<void()>> finish;

  while (q.step()) {
    Row st = q.row();
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (
          [&] {
            using X = detail::join_node_type<T, Plan, K>;
            if constexpr (!std::is_void_v<X>) {
            constexpr int offset = static_cast<int>(detail::join_node_offset<T, Plan, K>());
            const bool absent =
                column_is_null(st, offset + static_cast<int>(detail::EntityMeta<X>::pk_position));
            if constexpr (K > 0) {
              // a parent with no row here still has its (empty) collection loaded by this query
              constexpr detail::JoinNode node = nodes.first[K];
              using P = detail::join_node_type<T, Plan, node.parent>;
              using R = detail::Relation<P, node.field>;
              if constexpr (R::kind != detail::RelationKind::many_to_one &&
                            R::kind != detail::RelationKind::one_to_one_inverse) {
                if (absent && present[node.parent]) {
                  auto& field = boost::pfr::get<node.field>(*static_cast<P*>(present[node.parent]));
                  auto [it, first] = loading[K].try_emplace(present[node.parent], false);
                  if (first && !field.is_initialized()) {
                    *it = true;
                    field.raw_items().clear();
                    finish.emplace_back([&field] { field.mark_loaded(); });
                  }
                }
              }
            }
            if (absent) {
              present[K] = nullptr;
              return;
            }
            X* x = &hydrate<X>(st, offset)->entity;
            present[K] = x;
            if constexpr (K == 0) {
              if (seen_roots.insert(x)) roots.push_back(x);
            } else {
              constexpr detail::JoinNode node = nodes.first[K];
              using P = detail::join_node_type<T, Plan, node.parent>;
              using R = detail::Relation<P, node.field>;
              P* parent = static_cast<P*>(present[node.parent]);
              if (!parent) return;
              auto& field = boost::pfr::get<node.field>(*parent);
              if constexpr (R::kind == detail::RelationKind::one_to_one_inverse) {
                auto* entry = store<X>().entry_of(*x);
                Ref<X> r;
                r.bind_entry(x, entry);
                field = r;
              } else if constexpr (R::kind != detail::RelationKind::many_to_one) {
                auto [it, first] = loading[K].try_emplace(parent, false);
                if (first && !field.is_initialized()) {
                  *it = true;
                  field.raw_items().clear();
                  finish.emplace_back([&field] { field.mark_loaded(); });
                }
                if (*it && added[K].insert({parent, x})) field.raw_items().push_back(x);
              }
            }
            }
          }(),
          ...);
    }(std::make_index_sequence<count>{});
  }
  q.finish_rows();
  for (auto& f : finish) f();
  populate_select_in<T, Plan>(roots);  // lazy fields; the relations are loaded and cost no query
  return roots;
}

template <class Schema, class Backend>
template <class T, std::size_t I>
void EntityManager<Schema, Backend>::init_collection(T& owner) {
  const auto use = conn_.use();
  std::vector<T*> one{&owner};
  populate_relation<T, I>(one, true, false);
}

}  // namespace ctorm
