#pragma once
// The identity map of one entity type within one entity manager: entities at stable addresses, found
// by key, with their state and snapshot.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../detail/flat_map.hpp"
#include "../model/collection.hpp"
#include "../model/entity.hpp"
#include "../model/entity_state.hpp"
#include "id_map.hpp"
#include "snapshot.hpp"
#include "stable_storage.hpp"

namespace ctorm::detail {

template <class T>
struct Entry : EntryBase {
  Entry() = default;
  explicit Entry(T&& e) : entity(std::move(e)) {}

  T entity{};
  key_type<T> key{};
  const std::byte* snapshot = nullptr;
  // Columns whose values were never read: lazy ones not populated yet, and eager ones that a partial
  // load (ctorm::fields<...>) left out. One mask for both keeps every entry a word smaller.
  std::uint64_t absent = 0;
  std::uint64_t absent_eager() const noexcept { return absent & EntityMeta<T>::eager_mask; }
};

// The identity map's index: pages for integer keys, a hash table for the others (text keys).
template <class K>
struct KeyIndex {
  using type = FlatMap<K, void*>;
};
template <class K>
  requires std::is_integral_v<K>
struct KeyIndex<K> {
  using type = IdMap<K>;
};

// Collection fields of T before field I: the index of field I's binding in its Store.
template <class T, std::size_t I>
inline constexpr std::size_t collection_slot = []<std::size_t... J>(std::index_sequence<J...>) {
  return (std::size_t{0} + ... + (IsCollection<field_type<T, J>>::value ? 1 : 0));
}(std::make_index_sequence<I>{});

// The statement is the backend's handle (sqlite3_stmt*, PgStatement*): the store does not depend on the
// backend, the flush casts it back.
struct UpdateShape {
  std::string sql;
  void* statement = nullptr;
};

template <class T>
class Store final : public Loader {
 public:
  using EntryT = Entry<T>;
  using Key = key_type<T>;
  using Reload = void (*)(void* owner, EntryT& entry);

  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  void set_owner(void* owner, Reload reload) noexcept {
    owner_ = owner;
    reload_ = reload;
  }

  void load_entity(EntryBase& entry) override { reload_(owner_, static_cast<EntryT&>(entry)); }

  EntryT* find(const Key& k) const {
    void* const* p = by_key_.find(k);
    return p ? static_cast<EntryT*>(*p) : nullptr;
  }

  // The entry of an entity this manager holds, or nullptr.
  EntryT* entry_of(const T& e) {
    if (EntryT* found = find(key_of(e)); found && &found->entity == &e) return found;
    for (EntryT* p : inserts_)
      if (&p->entity == &e) return p;
    return nullptr;
  }

  EntryT& add_new(T&& e) {
    EntryT& entry = entries_.emplace_back(std::move(e));
    entry.state = EntityState::new_entity;
    entry.loader = this;
    inserts_.push_back(&entry);
    return entry;
  }

  // The entry for key k; when the key is not known, an empty one (a reference, not initialized).
  std::pair<EntryT*, bool> find_or_add(const Key& k) {
    auto [slot, inserted] = by_key_.find_or_insert(k, [&]() -> void* {
      EntryT& entry = entries_.emplace_back();
      entry.key = k;
      primary_key_ref(entry.entity) = static_cast<typename EntityMeta<T>::key_field_type>(k);
      entry.state = EntityState::managed;
      entry.initialized = false;
      entry.absent = EntityMeta<T>::all_mask;  // nothing read yet
      entry.loader = this;
      return &entry;
    });
    return {static_cast<EntryT*>(*slot), inserted};
  }

  void take_snapshot(EntryT& e) {
    const std::size_t n = snapshot_size(e.entity);
    std::byte* p = e.snapshot && n <= e.snapshot_size ? const_cast<std::byte*>(e.snapshot) : arena_.allocate(n);
    write_snapshot(p, e.entity);
    e.snapshot = p;
    e.snapshot_size = static_cast<std::uint32_t>(n);
  }

  template <std::size_t Column>
  void patch_snapshot_column(EntryT& e) {
    std::size_t n = 0;
    e.snapshot = patch_snapshot<Column>(arena_, e.snapshot, e.entity, n);
    e.snapshot_size = static_cast<std::uint32_t>(n);
  }

  // Retakes the snapshot of the given columns only (those a query just filled in), keeping the others.
  void update_snapshot(EntryT& e, std::uint64_t columns) {
    const std::size_t n = merged_snapshot_size(e.snapshot, e.entity, columns);
    std::byte* p = arena_.allocate(n);
    write_merged_snapshot(p, e.snapshot, e.entity, columns);
    e.snapshot = p;
    e.snapshot_size = static_cast<std::uint32_t>(n);
  }

  // Where the collections of T's collection field with this slot answer (see CollectionBinding).
  template <std::size_t Slot>
  CollectionBinding& collection_binding() noexcept {
    return bindings_[Slot];
  }

  void index(EntryT& e) { by_key_.insert_or_assign(e.key, &e); }
  void forget(EntryT& e) { by_key_.erase(e.key); }

  std::vector<EntryT*>& inserts() { return inserts_; }
  std::vector<EntryT*>& deletes() { return deletes_; }
  StableStorage<EntryT>& entries() { return entries_; }
  FlatMap<std::uint64_t, UpdateShape>& update_shapes() { return update_shapes_; }

  std::size_t size() const { return by_key_.size(); }
  // Room for n entities in all; never shrinks.
  void reserve(std::size_t n) { by_key_.reserve(n); }

  void clear() {
    by_key_.clear();
    inserts_.clear();
    deletes_.clear();
    entries_.clear();
    arena_.clear();
  }

 private:
  StableStorage<EntryT> entries_;
  // To EntryT*: one map type for every entity type with this key type.
  typename KeyIndex<Key>::type by_key_;
  std::vector<EntryT*> inserts_;
  std::vector<EntryT*> deletes_;
  BlockArena arena_;
  FlatMap<std::uint64_t, UpdateShape> update_shapes_;
  std::array<CollectionBinding, collection_slot<T, field_count<T>>> bindings_{};
  void* owner_ = nullptr;
  Reload reload_ = nullptr;
};

}  // namespace ctorm::detail
