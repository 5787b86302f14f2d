#pragma once
// Storage whose elements never move: the identity map hands out references to entities, so they must
// stay at one address for the entity manager's life. Elements live in chunks of about 64 KiB, so that
// loading many rows costs one allocation per chunk rather than one per entity.
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace ctorm::detail {

template <class E>
class StableStorage {
 public:
  static constexpr std::size_t chunk_size = sizeof(E) >= 4096 ? 16 : 65536 / sizeof(E);

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
      chunks_.push_back(static_cast<E*>(::operator new(chunk_size * sizeof(E), std::align_val_t{alignof(E)})));
    }
    E* p = ::new (static_cast<void*>(chunks_[chunk] + size_ % chunk_size)) E{std::forward<Args>(args)...};
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
    for (E* c : chunks_) ::operator delete(static_cast<void*>(c), std::align_val_t{alignof(E)});
    chunks_.clear();
    size_ = 0;
  }
  std::vector<E*> chunks_;
  std::size_t size_ = 0;
};

}  // namespace ctorm::detail
