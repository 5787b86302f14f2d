#pragma once
// The identity map's index for integer keys. Keys live in pages of eight consecutive values, and only the
// page is found by hashing: autoincrement keys arrive dense and ascending, so a query's rows fill a page
// at a time in memory allocated in order, instead of each row probing a random line of a table that
// outgrows the cache (on loading 100,000 rows that probe was the largest single cost a profile showed).
// Sparse keys cost a page (64 bytes) each, still small beside the entity they index. Pages come from a
// BlockArena, like snapshots.
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

#include "../detail/flat_map.hpp"
#include "block_arena.hpp"

namespace ctorm::detail {

template <class K>
  requires std::is_integral_v<K>
class IdMap {
  static constexpr int page_bits = 3;
  static constexpr std::size_t page_keys = std::size_t{1} << page_bits;
  struct Page {
    void* slot[page_keys];  // null: no entry
  };
  using PageNo = std::make_signed_t<std::common_type_t<K, std::int64_t>>;

 public:
  IdMap() = default;
  IdMap(const IdMap&) = delete;
  IdMap& operator=(const IdMap&) = delete;

  std::size_t size() const noexcept { return size_; }

  void* const* find(K k) const noexcept {
    const Page* p = page_of(page_no(k));
    if (!p) return nullptr;
    void* const* s = &p->slot[index(k)];
    return *s ? s : nullptr;
  }

  // The value of k; when k is new, make() gives it (non-null), and when make throws nothing is inserted.
  template <class Make>
  std::pair<void**, bool> find_or_insert(K k, Make&& make) {
    const PageNo no = page_no(k);
    Page* p = no == last_no_ && last_ ? last_ : page_for(no);
    void*& s = p->slot[index(k)];
    if (s) return {&s, false};
    s = make();
    ++size_;
    return {&s, true};
  }

  void insert_or_assign(K k, void* v) {
    auto [s, inserted] = find_or_insert(k, [v] { return v; });
    if (!inserted) *s = v;
  }

  bool erase(K k) noexcept {
    Page* p = page_of(page_no(k));
    if (!p || !p->slot[index(k)]) return false;
    p->slot[index(k)] = nullptr;  // the page stays: its neighbours are likely to come back
    --size_;
    return true;
  }

  // Room for n dense keys without growing the page index.
  void reserve(std::size_t n) { pages_.reserve(n / page_keys + 2); }

  void clear() noexcept {
    pages_.clear();
    arena_.clear();
    last_ = nullptr;
    size_ = 0;
  }

 private:
  static PageNo page_no(K k) noexcept { return static_cast<PageNo>(k) >> page_bits; }  // floor, negatives too
  static std::size_t index(K k) noexcept { return static_cast<std::size_t>(k) & (page_keys - 1); }

  Page* page_of(PageNo no) const noexcept {
    if (no == last_no_ && last_) return last_;
    Page* const* p = pages_.find(no);
    return p ? *p : nullptr;
  }

  Page* page_for(PageNo no) {
    Page* p = *pages_.find_or_insert(no, [this] { return new_page(); }).first;
    last_no_ = no;
    last_ = p;
    return p;
  }

  Page* new_page() { return ::new (arena_.allocate(sizeof(Page))) Page{}; }  // zeroed: blocks come back dirty

  FlatMap<PageNo, Page*> pages_;
  BlockArena arena_;  // the pages: 4 KiB (64 pages) first, so that a small unit of work stays small
  std::size_t size_ = 0;
  // The page of the last insert: dense keys find their page without hashing seven times out of eight.
  PageNo last_no_ = 0;
  Page* last_ = nullptr;
};

}  // namespace ctorm::detail
