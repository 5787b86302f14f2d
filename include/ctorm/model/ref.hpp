#pragma once
// ctorm::Ref<T>: a many-to-one (or one-to-one) relation, stored as the target's key in a column named
// after the field (`author` -> `author_id`). It points into the identity map: to the loaded target, or
// to a reference that has only its key until it is loaded.
#include <cstddef>
#include <string>
#include <type_traits>

#include "../db/type_mapping.hpp"
#include "../error.hpp"
#include "entity_state.hpp"

namespace ctorm {

// Reading a relation or collection that was not loaded.
class NotLoadedError : public Error {
 public:
  using Error::Error;
};

template <class T>
class Ref {
 public:
  Ref() = default;
  // Points at an entity the entity manager manages (persisted, loaded or a reference).
  Ref(T& target) noexcept : target_(&target) {}  // NOLINT: implicit, as `article.author = user;`

  // True when the relation points at an entity.
  explicit operator bool() const noexcept { return target_ != nullptr; }
  bool has_value() const noexcept { return target_ != nullptr; }

  // True when the target is loaded: its fields can be read.
  bool is_initialized() const noexcept { return target_ && (!entry_ || entry_->initialized); }

  // The target's primary key, known without loading it.
  auto id() const {
    if (!target_) throw NotLoadedError("ctorm: the relation is empty, it has no id");
    return detail_key(*target_);
  }

  // The target; a ctorm::NotLoadedError when it has not been loaded (populate it, or call load()).
  T& get() const {
    if (!is_initialized()) throw_not_loaded();
    return *target_;
  }
  T* operator->() const { return &get(); }
  T& operator*() const { return get(); }

  // The target, loading it first when it is only a reference (one query).
  T& load() const {
    if (!target_) throw NotLoadedError("ctorm: the relation is empty, there is nothing to load");
    if (entry_ && !entry_->initialized && entry_->loader) entry_->loader->load_entity(*entry_);
    return *target_;
  }

  // The target, loaded or not, without a check: for code that knows (ctorm's own, or Loaded<T, P>).
  T* unchecked() const noexcept { return target_; }

  friend bool operator==(const Ref& a, const Ref& b) noexcept { return a.target_ == b.target_; }
  friend bool operator==(const Ref& a, const T& b) noexcept { return a.target_ == &b; }

  // For the entity manager: the entry of the target in the identity map.
  void bind_entry(T* target, detail::EntryBase* entry) noexcept {
    target_ = target;
    entry_ = entry;
  }
  detail::EntryBase* entry() const noexcept { return entry_; }

 private:
  template <class U>
  static auto detail_key(const U& target);
  [[noreturn]] void throw_not_loaded() const;

  T* target_ = nullptr;
  detail::EntryBase* entry_ = nullptr;
};

namespace detail {
template <class T>
struct IsRef<Ref<T>> : std::true_type {
  using target = T;
};
}  // namespace detail

}  // namespace ctorm
