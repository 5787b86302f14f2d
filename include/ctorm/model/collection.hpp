#pragma once
// ctorm::Collection<T>: the many side of a relation. One-to-many when T has a Ref back to the owner
// (found at compile time), many-to-many otherwise (a pivot table such as article_tags). Items are
// entities of the identity map; a collection of an entity loaded from the database is not initialized
// until populated, init()-ed or load_items()-ed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <vector>

#include "ref.hpp"

namespace ctorm {

namespace detail {

// What a collection asks of its entity manager; made per (schema, owner type, field) at compile time.
struct CollectionOps {
  void (*on_add)(void* context, void* owner, void* item);     // keeps the other side in step
  void (*on_remove)(void* context, void* owner, void* item);  // likewise
  void (*init)(void* context, void* owner);    // queries the items
  void* (*persist)(void* context, void* item_rvalue);  // moves a new item into the identity map
  bool keeps_snapshot;  // many-to-many owning side: flush diffs the items against the last loaded ones
};

// Where the collections of one relation of one entity manager answer: kept once in the entity manager, so
// that every loaded entity carries one pointer for it instead of three.
struct CollectionBinding {
  const CollectionOps* ops = nullptr;
  void* context = nullptr;
  std::ptrdiff_t owner_offset = 0;  // from the owning entity to the collection field
};

}  // namespace detail

template <class T>
class Collection {
 public:
  using value_type = T;

  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;
    iterator() = default;
    explicit iterator(typename std::vector<T*>::const_iterator it) : it_(it) {}
    T& operator*() const { return **it_; }
    T* operator->() const { return *it_; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      auto old = *this;
      ++it_;
      return old;
    }
    iterator& operator--() {
      --it_;
      return *this;
    }
    iterator operator+(difference_type n) const { return iterator(it_ + n); }
    difference_type operator-(const iterator& o) const { return it_ - o.it_; }
    T& operator[](difference_type n) const { return *it_[n]; }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    typename std::vector<T*>::const_iterator it_{};
  };

  // The binding belongs to where a collection lives (a managed entity's field), not to its items: a copy
  // or a moved-to collection starts unbound, and assignment keeps the target's binding.
  Collection() = default;
  Collection(Collection&& o) noexcept
      : items_(std::move(o.items_)), extra_(std::move(o.extra_)), state_(o.state_ & not_initialized) {}
  Collection& operator=(Collection&& o) noexcept {
    items_ = std::move(o.items_);
    extra_ = std::move(o.extra_);
    set_initialized(o.is_initialized());
    return *this;
  }
  Collection(const Collection& o) : items_(o.items_), state_(o.state_ & not_initialized) {}
  Collection& operator=(const Collection& o) {
    items_ = o.items_;
    set_initialized(o.is_initialized());
    return *this;
  }

  iterator begin() const { return iterator(checked().begin()); }
  iterator end() const { return iterator(checked().end()); }
  std::size_t size() const { return checked().size(); }
  bool empty() const { return checked().empty(); }
  T& operator[](std::size_t i) const { return *checked().at(i); }

  // Adds items that are not in the collection yet. A new item given by value is persisted with the
  // owner (cascade persist); the reference returned stays valid once the owner is managed.
  T& add(T& item) {
    if (!contains(item)) {
      items_.push_back(&item);
      if (const auto* b = binding()) b->ops->on_add(b->context, owner(b), &item);
    }
    return item;
  }
  T& add(T&& item) {
    if (const auto* b = binding(); b && b->ops->persist) return add(*static_cast<T*>(b->ops->persist(b->context, &item)));
    auto& owned = extra().owned;
    owned.push_back(std::make_unique<T>(std::move(item)));
    return add(*owned.back());
  }
  template <class... U>
    requires(sizeof...(U) > 1)
  void add(U&&... items) {
    (add(std::forward<U>(items)), ...);
  }

  // Removes an item; true when it was there.
  bool remove(T& item) {
    const std::size_t i = index_of(&item);
    if (i == items_.size()) return false;
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
    if (const auto* b = binding()) b->ops->on_remove(b->context, owner(b), &item);
    return true;
  }
  // Removes the items for which pred(item) is true; how many.
  template <class Pred>
    requires std::is_invocable_r_v<bool, Pred, T&>
  std::size_t remove(Pred pred) {
    std::vector<T*> gone;
    for (T* p : checked())
      if (pred(*p)) gone.push_back(p);
    for (T* p : gone) remove(*p);
    return gone.size();
  }
  void remove_all() {
    std::vector<T*> gone = checked();
    for (T* p : gone) remove(*p);
  }
  bool contains(const T& item) const { return index_of(&item) != items_.size(); }
  // Replaces the items.
  void set(std::initializer_list<std::reference_wrapper<T>> items) {
    remove_all();
    for (T& item : items) add(item);
  }
  void set(const std::vector<T*>& items) {
    remove_all();
    for (T* item : items) add(*item);
  }

  bool is_initialized() const noexcept { return !(state_ & not_initialized); }

  // Queries the items, always (as MikroORM's init()).
  Collection& init() {
    const auto* b = binding();
    if (!b || !b->ops->init)
      throw NotLoadedError("ctorm: the collection's owner is not managed by an entity manager, so it cannot be loaded");
    b->ops->init(b->context, owner(b));
    return *this;
  }
  // Queries the items only when they are not loaded yet.
  Collection& load_items() {
    if (!is_initialized()) init();
    return *this;
  }
  // The items; a ctorm::NotLoadedError when the collection is not initialized.
  const std::vector<T*>& get_items() const { return checked(); }

  // --- for the entity manager --------------------------------------------------------------------
  // `binding` outlives the collection's entity (the entity manager holds both).
  void attach(const detail::CollectionBinding* binding) noexcept {
    state_ = reinterpret_cast<std::uintptr_t>(binding) | (state_ & not_initialized);
  }
  // What loading an entity does to each of its collections.
  void attach_unloaded(const detail::CollectionBinding* binding) noexcept {
    items_.clear();
    if (extra_) extra_->snapshot.clear();
    state_ = reinterpret_cast<std::uintptr_t>(binding) | not_initialized;
  }
  void mark_loaded() {
    state_ &= ~not_initialized;
    if (const auto* b = binding(); !b || b->ops->keeps_snapshot) take_snapshot();
  }
  std::vector<T*>& raw_items() noexcept { return items_; }
  const std::vector<T*>& raw_items() const noexcept { return items_; }
  const std::vector<T*>& snapshot() const noexcept {
    static const std::vector<T*> none;
    return extra_ ? extra_->snapshot : none;
  }
  void take_snapshot() {
    if (extra_ || !items_.empty()) extra().snapshot = items_;
  }
  // Items added by value before the owner was managed; nullptr when there are none.
  std::vector<std::unique_ptr<T>>* owned_items() noexcept { return extra_ ? &extra_->owned : nullptr; }
  // A new item moved into the identity map: the collection now points at the managed copy.
  void replace(T* from, T* to) noexcept { std::replace(items_.begin(), items_.end(), from, to); }

 private:
  // A plain loop: std::find made one unrolled search per item type and constness of the pointer.
  std::size_t index_of(const T* item) const noexcept {
    std::size_t i = 0;
    while (i < items_.size() && items_[i] != item) ++i;
    return i;
  }

  const std::vector<T*>& checked() const {
    if (!is_initialized())
      throw NotLoadedError(
          "ctorm: the collection is not initialized: populate it, or call init() or load_items() first");
    return items_;
  }

  // What few collections need lives out of line, so that every loaded entity stays small.
  struct Extra {
    std::vector<T*> snapshot;               // many-to-many: the items as last loaded or flushed
    std::vector<std::unique_ptr<T>> owned;  // new items given by value while the owner is not managed
  };
  Extra& extra() {
    if (!extra_) extra_ = std::make_unique<Extra>();
    return *extra_;
  }

  // The binding's pointer, with its lowest bit (free: the binding is aligned) set while the collection is
  // not initialized. Zero: unbound and initialized, as a new entity's collection is (empty, and known to be).
  static constexpr std::uintptr_t not_initialized = 1;
  const detail::CollectionBinding* binding() const noexcept {
    return reinterpret_cast<const detail::CollectionBinding*>(state_ & ~not_initialized);
  }
  void* owner(const detail::CollectionBinding* b) const noexcept {
    return const_cast<char*>(reinterpret_cast<const char*>(this)) - b->owner_offset;
  }
  void set_initialized(bool yes) noexcept { state_ = yes ? state_ & ~not_initialized : state_ | not_initialized; }

  std::vector<T*> items_;
  std::unique_ptr<Extra> extra_;
  std::uintptr_t state_ = 0;
};

namespace detail {
template <class T>
struct IsCollection : std::false_type {};
template <class T>
struct IsCollection<Collection<T>> : std::true_type {
  using target = T;
};
}  // namespace detail

}  // namespace ctorm
