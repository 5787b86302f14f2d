#pragma once
// Memory blocks recycled from one entity manager to the next. An entity manager is meant to live for
// one unit of work (a request, a job), and it keeps its entities and snapshots in 64 KiB blocks; handing
// those blocks to the next entity manager instead of back to the system saves touching fresh pages (a
// page fault each 4 KiB) for every entity loaded. The pool is bounded, process-wide and thread-safe.
#include <cstddef>
#include <mutex>
#include <new>

namespace ctorm {
namespace detail {

class BlockPool {
 public:
  static constexpr std::size_t block_size = 64 * 1024;

  static BlockPool& instance() {
    // Never destroyed: an entity manager with static storage may be destroyed after it would be.
    static BlockPool& pool = *new BlockPool;
    return pool;
  }

  void* take() {
    {
      std::lock_guard lock(mutex_);
      if (head_) {
        FreeBlock* b = head_;
        head_ = b->next;
        --count_;
        return b;
      }
    }
    return ::operator new(block_size);
  }

  void give(void* block) noexcept {
    {
      std::lock_guard lock(mutex_);
      if ((count_ + 1) * block_size <= limit_) {
        head_ = ::new (block) FreeBlock{head_};
        ++count_;
        return;
      }
    }
    ::operator delete(block);
  }

  void set_limit(std::size_t bytes) noexcept {
    std::lock_guard lock(mutex_);
    limit_ = bytes;
    trim_locked();
  }
  std::size_t limit() const noexcept {
    std::lock_guard lock(mutex_);
    return limit_;
  }
  std::size_t cached_bytes() const noexcept {
    std::lock_guard lock(mutex_);
    return count_ * block_size;
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };

  BlockPool() = default;

  void trim_locked() noexcept {
    while (head_ && count_ * block_size > limit_) {
      FreeBlock* b = head_;
      head_ = b->next;
      --count_;
      ::operator delete(static_cast<void*>(b));
    }
  }

  mutable std::mutex mutex_;
  FreeBlock* head_ = nullptr;
  std::size_t count_ = 0;
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
