#pragma once
// An open-addressing hash map (linear probing, backward-shift erase) for the identity map, the statement
// caches and the sets of populate and flush. ctorm's own because Boost.Unordered (with
// Boost.ContainerHash) took about 0.4 s and 30 MB to parse in every translation unit, and each of its
// instantiations brought several kilobytes of table code; the keys here are integers, pointers and
// strings, for which a plain table is as fast.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ctorm::detail {

// The raw hash of a key; the table spreads it with a multiplication (Fibonacci hashing), so identity
// is fine for integers and pointers.
inline std::uint64_t flat_hash(std::uint64_t v) noexcept { return v; }
inline std::uint64_t flat_hash(std::int64_t v) noexcept { return static_cast<std::uint64_t>(v); }
inline std::uint64_t flat_hash(const void* p) noexcept { return reinterpret_cast<std::uintptr_t>(p); }
inline std::uint64_t flat_hash(std::string_view s) noexcept { return std::hash<std::string_view>{}(s); }
inline std::uint64_t flat_hash(const std::string& s) noexcept { return flat_hash(std::string_view(s)); }
template <class A, class B>
std::uint64_t flat_hash(const std::pair<A, B>& p) noexcept {
  return flat_hash(p.first) * 0x9E3779B97F4A7C15ull ^ flat_hash(p.second);
}
template <class T>
  requires std::is_integral_v<T>
std::uint64_t flat_hash(T v) noexcept {
  return static_cast<std::uint64_t>(v);
}

// Emptiness of a slot: for pointer values a null value (so a slot is a key and a pointer, no flag).
template <class K, class V, bool = std::is_pointer_v<V>>
struct FlatSlot {
  K key{};
  V value{};
  bool full() const noexcept { return value != nullptr; }
  void set_full(bool) noexcept {}
};
template <class K, class V>
struct FlatSlot<K, V, false> {
  K key{};
  [[no_unique_address]] V value{};
  bool used = false;
  bool full() const noexcept { return used; }
  void set_full(bool f) noexcept { used = f; }
};

// Pointer values must not be null (a null value marks an empty slot).
template <class K, class V>
class FlatMap {
 public:
  using Slot = FlatSlot<K, V>;

  FlatMap() = default;
  FlatMap(FlatMap&& o) noexcept
      : slots_(std::move(o.slots_)), mask_(std::exchange(o.mask_, 0)), size_(std::exchange(o.size_, 0)),
        shift_(std::exchange(o.shift_, 64)) {}
  FlatMap& operator=(FlatMap&& o) noexcept {
    slots_ = std::move(o.slots_);
    mask_ = std::exchange(o.mask_, 0);
    size_ = std::exchange(o.size_, 0);
    shift_ = std::exchange(o.shift_, 64);
    return *this;
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // How many keys fit before the table grows.
  std::size_t capacity() const noexcept { return slots_ ? (mask_ + 1) / 4 * 3 : 0; }

  template <class Q>
  V* find(const Q& k) noexcept {
    if (!size_) return nullptr;
    for (std::size_t i = home(k);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.full()) return nullptr;
      if (s.key == k) return &s.value;
    }
  }
  template <class Q>
  const V* find(const Q& k) const noexcept {
    return const_cast<FlatMap*>(this)->find(k);
  }
  template <class Q>
  bool contains(const Q& k) const noexcept {
    return find(k) != nullptr;
  }

  // The value of k; when k is new, make() gives the value, and when make throws nothing is inserted.
  // One probe: the identity map's path for every row a query reads.
  template <class Make>
  std::pair<V*, bool> find_or_insert(const K& k, Make&& make) {
    if (size_ + 1 > capacity()) {
      if (V* v = find(k)) return {v, false};
      grow(size_ + 1);
    }
    std::size_t i = home(k);
    for (;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.full()) break;
      if (s.key == k) return {&s.value, false};
    }
    Slot& s = slots_[i];
    s.key = k;          // the slot stays empty until set_full (or a non-null value) marks it
    s.value = make();
    s.set_full(true);
    ++size_;
    return {&s.value, true};
  }

  // The value of k, inserting v when k is new; true when inserted.
  std::pair<V*, bool> try_emplace(const K& k, V v) {
    return find_or_insert(k, [&]() -> V { return std::move(v); });
  }

  void insert_or_assign(const K& k, V v) {
    auto [p, inserted] = try_emplace(k, v);
    if (!inserted) *p = std::move(v);
  }

  bool erase(const K& k) noexcept {
    if (!size_) return false;
    std::size_t i = home(k);
    for (;; i = (i + 1) & mask_) {
      if (!slots_[i].full()) return false;
      if (slots_[i].key == k) break;
    }
    // Backward shift: pull later entries of the probe run into the hole, so no tombstones are needed.
    for (std::size_t j = (i + 1) & mask_; slots_[j].full(); j = (j + 1) & mask_) {
      const std::size_t h = home(slots_[j].key);
      if (((j - h) & mask_) >= ((j - i) & mask_)) {
        slots_[i] = std::move(slots_[j]);
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
    return true;
  }

  // Room for n keys without growing; never shrinks.
  void reserve(std::size_t n) {
    if (n > capacity()) grow(n);
  }

  void clear() noexcept {
    if (size_)
      for (std::size_t i = 0; i <= mask_; ++i) slots_[i] = Slot{};
    size_ = 0;
  }

  template <class F>
  void for_each(F&& f) {
    if (size_)
      for (std::size_t i = 0; i <= mask_; ++i)
        if (slots_[i].full()) f(slots_[i].key, slots_[i].value);
  }

 private:
  template <class Q>
  std::size_t home(const Q& k) const noexcept {
    return static_cast<std::size_t>((flat_hash(k) * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void grow(std::size_t n) {
    std::size_t cap = 16;
    int bits = 4;
    while (cap / 4 * 3 < n) {
      cap *= 2;
      ++bits;
    }
    auto old = std::move(slots_);
    const std::size_t old_cap = old ? mask_ + 1 : 0;
    slots_ = std::make_unique<Slot[]>(cap);
    mask_ = cap - 1;
    shift_ = 64 - bits;
    for (std::size_t i = 0; i < old_cap; ++i) {
      if (!old[i].full()) continue;
      std::size_t j = home(old[i].key);
      while (slots_[j].full()) j = (j + 1) & mask_;
      slots_[j] = std::move(old[i]);
    }
  }

  std::unique_ptr<Slot[]> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  int shift_ = 64;
};

struct FlatNone {};

template <class K>
class FlatSet {
 public:
  // True when k was not in the set yet.
  bool insert(const K& k) { return map_.try_emplace(k, FlatNone{}).second; }
  bool contains(const K& k) const noexcept { return map_.contains(k); }
  bool erase(const K& k) noexcept { return map_.erase(k); }
  std::size_t size() const noexcept { return map_.size(); }
  void clear() noexcept { map_.clear(); }

 private:
  FlatMap<K, FlatNone> map_;
};

}  // namespace ctorm::detail
