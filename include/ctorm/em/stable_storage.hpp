#pragma once
// Storage whose elements never move: the identity map hands out references to entities, so they must
// stay at one address for the entity manager's life. Elements live in chunks of about 64 KiB, so that
// loading many rows costs one allocation per chunk rather than one per entity.
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

#include "block_pool.hpp"

namespace ctorm::detail {

template <class E>
class StableStorage {
 public:
  // Chunks are the pool's recycled blocks, unless an element is too big or too strictly aligned for them.
  static constexpr bool pooled =
      sizeof(E) < 4096 && alignof(E) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  static constexpr std::size_t chunk_size = pooled ? BlockPool::block_size / sizeof(E) : 16;

  StableStorage() = default;
  StableStorage(const StableStorage&) = delete;
  StableStorage& operator=(const StableStorage&) = delete;
  StableStorage(StableStorage&& o) noexcept : chunks_(std::move(o.chunks_)), size_(o.size_) { o.size_ = 0; }
  StableStorage& operator=(StableStorage&& o) noexcept {
    if (this != &o) {
      release();
      chunks_ = std::move(o.chunks_);
      size_ = o.size_;
      o.size_ = 0;
    }
    return *this;
  }
  ~StableStorage() { release(); }

  template <class... Args>
  E& emplace_back(Args&&... args) {
    const std::size_t chunk = size_ / chunk_size;
    if (chunk == chunks_.size()) {
      if (chunks_.size() == chunks_.capacity()) chunks_.reserve(chunks_.size() * 2 + 8);  // push_back won't throw
      chunks_.push_back(static_cast<E*>(pooled ? BlockPool::instance().take()
                                               : ::operator new(chunk_size * sizeof(E), std::align_val_t{alignof(E)})));
    }
    void* at = chunks_[chunk] + size_ % chunk_size;
    // Default-initialised when there are no arguments: E's members initialise themselves, and value
    // initialisation would first zero the whole object (a second pass over fresh memory).
    E* p;
    if constexpr (sizeof...(Args) == 0)
      p = ::new (at) E;
    else
      p = ::new (at) E(std::forward<Args>(args)...);
    ++size_;
    return *p;
  }

  std::size_t size() const noexcept { return size_; }

  template <class F>
  void for_each(F&& f) {
    for (std::size_t i = 0; i < size_; ++i) f(chunks_[i / chunk_size][i % chunk_size]);
  }

  void clear() noexcept { release(); }

 private:
  void release() noexcept {
    for (std::size_t i = 0; i < size_; ++i) chunks_[i / chunk_size][i % chunk_size].~E();
    for (E* c : chunks_) {
      if constexpr (pooled)
        BlockPool::instance().give(c);
      else
        ::operator delete(static_cast<void*>(c), std::align_val_t{alignof(E)});
    }
    chunks_.clear();
    size_ = 0;
  }
  std::vector<E*> chunks_;
  std::size_t size_ = 0;
};

}  // namespace ctorm::detail
