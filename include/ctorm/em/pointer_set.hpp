#pragma once
// A set of entity addresses (populate's "seen" and "loading" sets, flush's ordering). One type for every
// entity type, its insert out of line: each hash set of T* instantiated and inlined its own table code.
#include "../config.hpp"
#include "../detail/flat_map.hpp"

namespace ctorm::detail {

class PointerSet {
 public:
  // True when p was not in the set yet.
  CTORM_NOINLINE bool insert(const void* p) { return set_.insert(p); }
  bool contains(const void* p) const { return set_.contains(p); }

 private:
  FlatSet<const void*> set_;
};

}  // namespace ctorm::detail
