#pragma once
// Hydration: a row becomes a managed entity. The key is read first and looked up in the identity map; a
// new entry is filled from the row (codec: db/codec.hpp) and its snapshot taken (em/snapshot.hpp), an
// entry already loaded is kept as it is, with its unflushed changes. Part of entity_manager.hpp.
// The member functions here are defined `inline`, as they were inside the class: GCC gives functions
// declared inline a larger inlining budget.
#include <cstddef>
#include <cstdint>
#include <utility>

#include "entity_manager.hpp"

namespace ctorm {

template <class Schema, class Backend>
template <class T>
inline auto EntityManager<Schema, Backend>::read_key(Row st, int pos) -> Key<T> {
  using M = detail::EntityMeta<T>;
  using F = typename M::key_field_type;
  Key<T> k{};
  if constexpr (std::is_integral_v<F>) {
    k = read_int64(st, pos);
    if constexpr (sizeof(F) < sizeof(std::int64_t) || std::is_unsigned_v<F>) {
      if (CTORM_UNLIKELY(k != static_cast<std::int64_t>(static_cast<F>(k))))
        throw_value_mismatch(st, pos, detail::type_name<F>, &read_site<T, M::pk_column, 0, false>);
    }
  } else {
    read_value(st, pos, k, &read_site<T, M::pk_column, 0, false>);
  }
  return k;
}

template <class Schema, class Backend>
template <class T, std::size_t C, int KeyDelta>
inline void EntityManager<Schema, Backend>::read_column(Row st, int pos, T& e) {
  auto& field = detail::column_ref<C>(e);
  using F = std::remove_cvref_t<decltype(field)>;
  if constexpr (detail::EntityMeta<T>::columns[C].ref) {
    using X = detail::ref_target<F>;
    if (column_is_null(st, pos)) {
      field = F{};
    } else {
      // read as the target's key field, so that it is checked against that field's type
      typename detail::EntityMeta<X>::key_field_type key{};
      read_value(st, pos, key, &read_site<T, C, KeyDelta>);
      auto* target = store<X>().find_or_add(Key<X>(std::move(key))).first;
      Ref<X> r;
      r.bind_entry(&target->entity, target);
      field = r;
    }
  } else {
    read_column_value(st, pos, field, &read_site<T, C, KeyDelta>);  // the row path: always inlined
  }
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::read_row(Row st, int offset, T& e) {
  using M = detail::EntityMeta<T>;
  [&]<std::size_t... P>(std::index_sequence<P...>) {
    // the key is in the entity already (find_or_add set it, or the entity was loaded before)
    ((M::eager_columns[P] == M::pk_column
          ? void()
          : read_column<T, M::eager_columns[P], static_cast<int>(M::pk_position) - static_cast<int>(P)>(
                st, offset + static_cast<int>(P), e)),
     ...);
  }(std::make_index_sequence<M::eager_count>{});
}

template <class Schema, class Backend>
template <class T>
inline auto EntityManager<Schema, Backend>::hydrate(Row st, int offset) -> EntryT<T>* {
  using M = detail::EntityMeta<T>;
  const Key<T> k = read_key<T>(st, offset + static_cast<int>(M::pk_position));
  auto& s = store<T>();
  EntryT<T>* entry = s.find_or_add(k).first;
  if (!entry->initialized)
    fill(*entry, st, offset);
  else if (const std::uint64_t missing = entry->absent_eager())
    fill_in<T, M::eager_mask>(*entry, st, offset, missing);
  return entry;
}

template <class Schema, class Backend>
template <class T, std::uint64_t Mask>
inline auto EntityManager<Schema, Backend>::hydrate_columns(Row st) -> EntryT<T>* {
  using M = detail::EntityMeta<T>;
  if constexpr (Mask == M::eager_mask) {
    return hydrate<T>(st);
  } else {
    const Key<T> k = read_key<T>(st, detail::result_index(Mask, M::pk_column));
    auto& s = store<T>();
    EntryT<T>* entry = s.find_or_add(k).first;
    if (!entry->initialized) {
      read_masked<T, Mask>(st, 0, entry->entity, Mask);
      entry->initialized = true;
      entry->absent &= ~Mask;
      attach_loaded(*entry);
      s.take_snapshot(*entry);
    } else {
      const std::uint64_t missing = Mask & entry->absent;
      if (missing) fill_in<T, Mask>(*entry, st, 0, missing);
    }
    return entry;
  }
}

template <class Schema, class Backend>
template <class T, std::uint64_t Mask>
inline void EntityManager<Schema, Backend>::read_masked(Row st, int offset, T& e, std::uint64_t only) {
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    ((Mask >> C & 1u && only >> C & 1u
          ? read_column<T, C, detail::result_index(Mask, detail::EntityMeta<T>::pk_column) - detail::result_index(Mask, C)>(
                st, offset + detail::result_index(Mask, C), e)
          : void()),
     ...);
  }(std::make_index_sequence<detail::EntityMeta<T>::column_count>{});
}

template <class Schema, class Backend>
template <class T, std::uint64_t Mask>
inline void EntityManager<Schema, Backend>::fill_in(EntryT<T>& entry, Row st, int offset, std::uint64_t missing) {
  read_masked<T, Mask>(st, offset, entry.entity, missing);
  entry.absent &= ~missing;
  store<T>().update_snapshot(entry, missing);
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::fill(EntryT<T>& entry, Row st, int offset, bool attach) {
  read_row(st, offset, entry.entity);
  entry.initialized = true;
  entry.absent &= ~detail::EntityMeta<T>::eager_mask;
  if (attach) attach_loaded(entry);
  store<T>().take_snapshot(entry);
}

template <class Schema, class Backend>
template <class T>
inline T* EntityManager<Schema, Backend>::load_by_key(const Key<T>& k) {
  const auto use = conn_.use();
  using Text = detail::SelectByKeyText<Naming, T>;
  Query q(*conn_, statement<Text>(), sql_of<Text>);
  q.bind(k);
  T* found = q.step() ? &hydrate<T>(q.row())->entity : nullptr;
  q.finish_rows();
  return found;
}

template <class Schema, class Backend>
template <class T>
inline bool EntityManager<Schema, Backend>::reload(EntryT<T>& entry) {
  const auto use = conn_.use();
  using Text = detail::SelectByKeyText<Naming, T>;
  Query q(*conn_, statement<Text>(), sql_of<Text>);
  q.bind(entry.key);
  const bool found = q.step();
  if (found) fill(entry, q.row(), 0, !entry.initialized);
  q.finish_rows();
  return found;
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::reload_or_throw(EntryT<T>& entry) {
  if (!reload(entry))
    detail::throw_not_found(detail::type_name<T>, detail::key_text(entry.key));
}

}  // namespace ctorm
