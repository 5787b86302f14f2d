#pragma once
// Bump allocation in blocks from the BlockPool, freed all at once: what snapshots, flush's backups and the
// identity map's pages need, since none of them is freed alone before its entity manager lets go of all.
#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

#include "../config.hpp"
#include "block_pool.hpp"

namespace ctorm::detail {

class BlockArena {
 public:
  BlockArena() = default;
  BlockArena(const BlockArena&) = delete;
  BlockArena& operator=(const BlockArena&) = delete;
  ~BlockArena() { clear(); }

  // The bump is inlined into every caller; only a new block costs a call.
  std::byte* allocate(std::size_t n) {
    if (n > left_) [[unlikely]]
      return allocate_block(n);
    std::byte* p = next_;
    next_ += n;
    left_ -= n;
    return p;
  }
  void clear() noexcept {
    for (const Block& b : blocks_) {
      if (b.cls == own_block)
        ::operator delete(b.data);
      else
        BlockPool::instance().give(b.data, b.cls);
    }
    blocks_.clear();
    pooled_blocks_ = 0;
    next_ = nullptr;
    left_ = 0;
  }

 private:
  CTORM_NOINLINE std::byte* allocate_block(std::size_t n) {
    if (blocks_.size() == blocks_.capacity()) blocks_.reserve(blocks_.size() * 2 + 8);  // push_back won't throw
    if (n > BlockPool::largest) {  // one value larger than a block: a block of its own
      blocks_.push_back({::operator new(n), own_block});
      return static_cast<std::byte*>(blocks_.back().data);
    }
    // Blocks grow from 4 KiB to 64 KiB, so a small unit of work stays small.
    std::size_t cls = std::min(pooled_blocks_, BlockPool::classes - 1);
    while (BlockPool::block_size(cls) < n) ++cls;
    blocks_.push_back({BlockPool::instance().take(cls), cls});
    ++pooled_blocks_;
    next_ = static_cast<std::byte*>(blocks_.back().data) + n;
    left_ = BlockPool::block_size(cls) - n;
    return static_cast<std::byte*>(blocks_.back().data);
  }

  static constexpr std::size_t own_block = ~std::size_t{0};
  struct Block {
    void* data;
    std::size_t cls;  // the pool's size class, or own_block
  };
  std::size_t pooled_blocks_ = 0;
  std::vector<Block> blocks_;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
};

}  // namespace ctorm::detail
