#pragma once
// Storage whose elements never move: the identity map hands out references to entities, so they must
// stay at one address for the entity manager's life. Elements live in chunks, so that loading many rows
// costs one allocation per chunk rather than one per entity.
#include <algorithm>
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

#include "block_pool.hpp"

namespace ctorm::detail {

template <class E>
class StableStorage {
 public:
  // Chunks grow from about 4 KiB to the pool's 64 KiB blocks, so a small unit of work stays small and a
  // big one costs one allocation per block. Elements too big or too strictly aligned for the pool's
  // blocks get chunks of 16 of their own.
  static constexpr bool pooled = sizeof(E) < 4096 && alignof(E) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  static constexpr std::size_t max_chunk = pooled ? BlockPool::block_size / sizeof(E) : 16;
  static constexpr std::size_t min_chunk = pooled ? 4096 / sizeof(E) : 16;

  StableStorage() = default;
  StableStorage(const StableStorage&) = delete;
  StableStorage& operator=(const StableStorage&) = delete;
  StableStorage(StableStorage&& o) noexcept : chunks_(std::move(o.chunks_)), used_(o.used_), size_(o.size_) {
    o.chunks_.clear();
    o.used_ = o.size_ = 0;
  }
  StableStorage& operator=(StableStorage&& o) noexcept {
    if (this != &o) {
      release();
      chunks_ = std::move(o.chunks_);
      used_ = o.used_;
      size_ = o.size_;
      o.chunks_.clear();
      o.used_ = o.size_ = 0;
    }
    return *this;
  }
  ~StableStorage() { release(); }

  template <class... Args>
  E& emplace_back(Args&&... args) {
    if (chunks_.empty() || used_ == chunks_.back().capacity) add_chunk();
    void* at = chunks_.back().data + used_;
    // Default-initialised when there are no arguments: E's members initialise themselves, and value
    // initialisation would first zero the whole object (a second pass over fresh memory).
    E* p;
    if constexpr (sizeof...(Args) == 0)
      p = ::new (at) E;
    else
      p = ::new (at) E(std::forward<Args>(args)...);
    ++used_;
    ++size_;
    return *p;
  }

  std::size_t size() const noexcept { return size_; }

  // Visits every element in insertion order, including those f adds on the way.
  template <class F>
  void for_each(F&& f) {
    for (std::size_t c = 0; c < chunks_.size(); ++c)
      for (std::size_t i = 0; i < count_in(c); ++i) f(chunks_[c].data[i]);
  }

  void clear() noexcept { release(); }

 private:
  struct Chunk {
    E* data;
    std::size_t capacity;
  };

  std::size_t count_in(std::size_t c) const noexcept { return c + 1 == chunks_.size() ? used_ : chunks_[c].capacity; }

  // The aligned operator new only when E needs it: it is many times slower than the plain one.
  static constexpr bool over_aligned = alignof(E) > __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  static void* allocate(std::size_t n) {
    if constexpr (over_aligned)
      return ::operator new(n * sizeof(E), std::align_val_t{alignof(E)});
    else
      return ::operator new(n * sizeof(E));
  }
  static void deallocate(E* p) noexcept {
    if constexpr (over_aligned)
      ::operator delete(static_cast<void*>(p), std::align_val_t{alignof(E)});
    else
      ::operator delete(static_cast<void*>(p));
  }

  void add_chunk() {
    const std::size_t capacity = chunks_.empty() ? min_chunk : std::min(chunks_.back().capacity * 2, max_chunk);
    if (chunks_.size() == chunks_.capacity()) chunks_.reserve(chunks_.size() * 2 + 8);  // push_back won't throw
    void* data = pooled && capacity == max_chunk ? BlockPool::instance().take() : allocate(capacity);
    chunks_.push_back({static_cast<E*>(data), capacity});
    used_ = 0;
  }

  void release() noexcept {
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const Chunk& chunk = chunks_[c];
      for (std::size_t i = 0, n = count_in(c); i < n; ++i) chunk.data[i].~E();
      if (pooled && chunk.capacity == max_chunk)
        BlockPool::instance().give(chunk.data);
      else
        deallocate(chunk.data);
    }
    chunks_.clear();
    used_ = 0;
    size_ = 0;
  }

  std::vector<Chunk> chunks_;
  std::size_t used_ = 0;  // elements in the last chunk
  std::size_t size_ = 0;
};

}  // namespace ctorm::detail
