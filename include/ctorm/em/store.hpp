#pragma once
// The identity map of one entity type within one entity manager: entities at stable addresses, found
// by key, with their state and snapshot.
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <sqlite3.h>

#include <boost/unordered/unordered_flat_map.hpp>

#include "../model/entity.hpp"
#include "snapshot.hpp"
#include "stable_storage.hpp"

namespace ctorm {

// Where an entity stands with its entity manager.
enum class EntityState : unsigned char {
  new_entity,  // persisted, not yet inserted
  managed,     // in the database and tracked
  removed,     // to be deleted by the next flush
  detached     // deleted, or no longer tracked
};

namespace detail {

template <class F>
consteval auto key_type_of() {
  if constexpr (std::is_integral_v<F>)
    return std::type_identity<std::int64_t>{};
  else if constexpr (std::is_same_v<F, std::string>)
    return std::type_identity<std::string>{};
  else
    static_assert(always_false<F>, "ctorm: a primary key must be an integer or a std::string");
}

template <class T>
using key_type = typename decltype(key_type_of<typename EntityMeta<T>::key_field_type>())::type;

template <class T>
key_type<T> key_of(const T& e) {
  return key_type<T>(primary_key_ref(e));
}

template <class T>
struct Entry {
  T entity;
  key_type<T> key{};
  const std::byte* snapshot = nullptr;
  std::size_t snapshot_size = 0;
  EntityState state = EntityState::new_entity;
  bool initialized = true;
  std::uint64_t loaded = ~std::uint64_t{0};  // columns read from the database (ctorm::fields<...> loads some)
};

template <class T>
struct UpdateShape {
  std::string sql;
  sqlite3_stmt* statement = nullptr;
};

template <class T>
class Store {
 public:
  using EntryT = Entry<T>;
  using Key = key_type<T>;

  EntryT* find(const Key& k) const {
    auto it = by_key_.find(k);
    return it == by_key_.end() ? nullptr : it->second;
  }

  // The entry of an entity this manager holds, or nullptr.
  EntryT* entry_of(const T& e) {
    const Key k = key_of(e);
    if (EntryT* found = find(k); found && &found->entity == &e) return found;
    for (EntryT* p : inserts_)
      if (&p->entity == &e) return p;
    return nullptr;
  }

  EntryT& add_new(T&& e) {
    EntryT& entry = entries_.emplace_back(std::move(e));
    entry.state = EntityState::new_entity;
    inserts_.push_back(&entry);
    return entry;
  }

  // The entry for key k, created empty (a reference, not initialized) when the key is not known.
  std::pair<EntryT*, bool> find_or_add(const Key& k) {
    auto [it, inserted] = by_key_.try_emplace(k, nullptr);
    if (inserted) {
      EntryT& entry = entries_.emplace_back();
      entry.key = k;
      primary_key_ref(entry.entity) = static_cast<typename EntityMeta<T>::key_field_type>(k);
      entry.state = EntityState::managed;
      entry.initialized = false;
      it->second = &entry;
    }
    return {it->second, inserted};
  }

  void take_snapshot(EntryT& e) {
    const std::size_t n = snapshot_size(e.entity);
    std::byte* p = n <= e.snapshot_size && e.snapshot ? const_cast<std::byte*>(e.snapshot) : arena_.allocate(n);
    write_snapshot(p, e.entity);
    e.snapshot = p;
    e.snapshot_size = n;
  }

  // Retakes the snapshot of the given columns only (those a query just filled in).
  void update_snapshot(EntryT& e, std::uint64_t columns) {
    const std::size_t n = merged_snapshot_size(e.snapshot, e.entity, columns);
    std::byte* p = arena_.allocate(n);
    write_merged_snapshot(p, e.snapshot, e.entity, columns);
    e.snapshot = p;
    e.snapshot_size = n;
  }

  void index(EntryT& e) { by_key_.insert_or_assign(e.key, &e); }
  void forget(EntryT& e) { by_key_.erase(e.key); }

  std::vector<EntryT*>& inserts() { return inserts_; }
  std::vector<EntryT*>& deletes() { return deletes_; }
  StableStorage<EntryT>& entries() { return entries_; }
  boost::unordered_flat_map<std::uint64_t, UpdateShape<T>>& update_shapes() { return update_shapes_; }

  std::size_t size() const { return by_key_.size(); }

  void clear() {
    by_key_.clear();
    inserts_.clear();
    deletes_.clear();
    entries_.clear();
    arena_.clear();
  }

 private:
  StableStorage<EntryT> entries_;
  boost::unordered_flat_map<Key, EntryT*> by_key_;
  std::vector<EntryT*> inserts_;
  std::vector<EntryT*> deletes_;
  SnapshotArena arena_;
  boost::unordered_flat_map<std::uint64_t, UpdateShape<T>> update_shapes_;
};

}  // namespace detail
}  // namespace ctorm
