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
  // Chunks grow from 4 KiB to 64 KiB (the pool's block sizes), so a small unit of work stays small and a
  // big one costs one allocation per 64 KiB. Elements too big or too strictly aligned for the pool's
  // blocks get chunks of 16 of their own.
  static constexpr bool pooled = sizeof(E) <= 1024 && alignof(E) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;

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
    std::size_t cls;  // the pool's size class of the block, when pooled
  };

  std::size_t count_in(std::size_t c) const noexcept { return c + 1 == chunks_.size() ? used_ : chunks_[c].capacity; }

  void add_chunk() {
    if (chunks_.size() == chunks_.capacity()) chunks_.reserve(chunks_.size() * 2 + 8);  // push_back won't throw
    if constexpr (pooled) {
      const std::size_t cls = chunks_.empty() ? 0 : std::min(chunks_.back().cls + 1, BlockPool::classes - 1);
      void* data = BlockPool::instance().take(cls);
      chunks_.push_back({static_cast<E*>(data), BlockPool::block_size(cls) / sizeof(E), cls});
    } else {
      void* data = ::operator new(16 * sizeof(E), std::align_val_t{alignof(E)});
      chunks_.push_back({static_cast<E*>(data), 16, 0});
    }
    used_ = 0;
  }

  void release() noexcept {
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const Chunk& chunk = chunks_[c];
      for (std::size_t i = 0, n = count_in(c); i < n; ++i) chunk.data[i].~E();
      if constexpr (pooled)
        BlockPool::instance().give(chunk.data, chunk.cls);
      else
        ::operator delete(static_cast<void*>(chunk.data), std::align_val_t{alignof(E)});
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
