#pragma once
// Memory blocks recycled from one entity manager to the next. An entity manager is meant to live for
// one unit of work (a request, a job), and it keeps its entities and snapshots in blocks of 4 to 64 KiB;
// handing those blocks to the next entity manager instead of back to the system saves touching fresh
// pages (a page fault each 4 KiB) for every entity loaded. The pool is bounded, process-wide and
// thread-safe.
//
// Under AddressSanitizer a block is poisoned while it waits in the pool, so that a stale reference into a
// cleared or destroyed entity manager is reported as it would be for freed memory; without ASan the
// poisoning compiles to nothing. The block's first word, the pool's link to the next block, stays
// readable: LeakSanitizer looks for pointers only in unpoisoned memory, and would call every block after
// the first a leak. That word is the entity manager's own bookkeeping (an entry's state, the start of a
// snapshot or identity-map page), never an entity's field.
#include <cstddef>
#include <mutex>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define CTORM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CTORM_ASAN 1
#endif
#endif

#if defined(CTORM_ASAN)
#include <sanitizer/asan_interface.h>
#define CTORM_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define CTORM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define CTORM_POISON(p, n) ((void)0)
#define CTORM_UNPOISON(p, n) ((void)0)
#endif

namespace ctorm {
namespace detail {

class BlockPool {
 public:
  // Blocks come in five sizes, 4 KiB to 64 KiB: an entity manager's storage starts small and doubles.
  static constexpr std::size_t classes = 5;
  static constexpr std::size_t block_size(std::size_t cls) noexcept { return std::size_t{4096} << cls; }
  static constexpr std::size_t largest = std::size_t{4096} << (classes - 1);

  static BlockPool& instance() {
    // Never destroyed: an entity manager with static storage may be destroyed after it would be.
    static BlockPool& pool = *new BlockPool;
    return pool;
  }

  void* take(std::size_t cls) {
    {
      std::lock_guard lock(mutex_);
      if (FreeBlock* b = heads_[cls]) {
        CTORM_UNPOISON(b + 1, block_size(cls) - sizeof(FreeBlock));
        heads_[cls] = b->next;
        kept_ -= block_size(cls);
        return b;
      }
    }
    return ::operator new(block_size(cls));
  }

  void give(void* block, std::size_t cls) noexcept {
    {
      std::lock_guard lock(mutex_);
      if (kept_ + block_size(cls) <= limit_) {
        heads_[cls] = ::new (block) FreeBlock{heads_[cls]};
        CTORM_POISON(static_cast<FreeBlock*>(block) + 1, block_size(cls) - sizeof(FreeBlock));
        kept_ += block_size(cls);
        return;
      }
    }
    ::operator delete(block);
  }

  void set_limit(std::size_t bytes) noexcept {
    std::lock_guard lock(mutex_);
    limit_ = bytes;
    for (std::size_t cls = 0; cls < classes && kept_ > limit_; ++cls) {
      while (heads_[cls] && kept_ > limit_) {
        FreeBlock* b = heads_[cls];
        CTORM_UNPOISON(b + 1, block_size(cls) - sizeof(FreeBlock));
        heads_[cls] = b->next;
        kept_ -= block_size(cls);
        ::operator delete(static_cast<void*>(b));
      }
    }
  }
  std::size_t limit() const noexcept {
    std::lock_guard lock(mutex_);
    return limit_;
  }
  std::size_t cached_bytes() const noexcept {
    std::lock_guard lock(mutex_);
    return kept_;
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };

  BlockPool() = default;

  mutable std::mutex mutex_;
  FreeBlock* heads_[classes] = {};
  std::size_t kept_ = 0;
  std::size_t limit_ = std::size_t{64} << 20;
};

}  // namespace detail

// How much memory freed entity managers may keep for the next ones (64 MiB unless set); 0 returns
// every block to the system as soon as its entity manager is destroyed, and frees what is kept now.
inline void set_recycled_memory_limit(std::size_t bytes) { detail::BlockPool::instance().set_limit(bytes); }
inline std::size_t recycled_memory_limit() { return detail::BlockPool::instance().limit(); }
// The memory kept for the next entity managers right now.
inline std::size_t recycled_memory() { return detail::BlockPool::instance().cached_bytes(); }

}  // namespace ctorm
