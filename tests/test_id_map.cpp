// The identity map's index for integer keys (detail::IdMap): pages of eight keys found through a hash
// table. Checked against std::unordered_map, since a lost or stale slot would hand out the wrong entity.
#include <ctorm/em/id_map.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <vector>

using ctorm::detail::IdMap;

namespace {

// Values are fake non-null pointers made from the key, so a slot holding the wrong key's value shows.
void* value_of(std::int64_t k) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(k) * 16 + 8); }

template <class K>
void expect_same(const IdMap<K>& map, const std::unordered_map<K, void*>& ref, const std::vector<K>& probes) {
  REQUIRE(map.size() == ref.size());
  for (const auto& [k, v] : ref) {
    void* const* found = map.find(k);
    REQUIRE(found);
    REQUIRE(*found == v);
  }
  for (K k : probes) REQUIRE((map.find(k) != nullptr) == ref.contains(k));
}

}  // namespace

TEST_CASE("id map: dense, sparse and negative keys against std::unordered_map") {
  std::mt19937_64 rng(7);
  IdMap<std::int64_t> map;
  std::unordered_map<std::int64_t, void*> ref;
  std::vector<std::int64_t> probes;

  auto insert = [&](std::int64_t k) {
    auto [slot, inserted] = map.find_or_insert(k, [&] { return value_of(k); });
    REQUIRE(inserted == !ref.contains(k));
    REQUIRE(*slot == value_of(k));
    ref.emplace(k, value_of(k));
    const auto u = static_cast<std::uint64_t>(k);  // wraps at the ends of the range, as a probe may
    probes.push_back(static_cast<std::int64_t>(u + 1));
    probes.push_back(static_cast<std::int64_t>(u - 8));
  };

  for (std::int64_t k = 1; k <= 5000; ++k) insert(k);                // autoincrement keys
  for (int i = 0; i < 3000; ++i) insert(static_cast<std::int64_t>(rng() >> 1));  // sparse, huge
  for (std::int64_t k = -40; k < 0; ++k) insert(k);                  // negative keys share no page with 0..7
  insert(std::numeric_limits<std::int64_t>::min());
  insert(std::numeric_limits<std::int64_t>::max());
  expect_same(map, ref, probes);

  // Erase every third key; erased keys are gone, their page neighbours stay.
  std::vector<std::int64_t> keys;
  for (const auto& [k, v] : ref) keys.push_back(k);
  for (std::size_t i = 0; i < keys.size(); i += 3) {
    REQUIRE(map.erase(keys[i]));
    REQUIRE_FALSE(map.erase(keys[i]));
    ref.erase(keys[i]);
  }
  expect_same(map, ref, keys);

  // Re-inserting an erased key works, and insert_or_assign replaces a present value.
  insert(keys[0]);
  map.insert_or_assign(2, value_of(99));
  ref[2] = value_of(99);
  expect_same(map, ref, probes);
}

TEST_CASE("id map: a throwing make inserts nothing; clear empties and the map is usable again") {
  IdMap<std::int64_t> map;
  REQUIRE_THROWS_AS(map.find_or_insert(5, []() -> void* { throw std::runtime_error("no"); }), std::runtime_error);
  REQUIRE(map.size() == 0);
  REQUIRE(map.find(5) == nullptr);

  for (std::int64_t k = 0; k < 1000; ++k) map.insert_or_assign(k, value_of(k));
  REQUIRE(map.size() == 1000);
  map.clear();
  REQUIRE(map.size() == 0);
  for (std::int64_t k = 0; k < 1000; ++k) REQUIRE(map.find(k) == nullptr);
  map.insert_or_assign(3, value_of(3));  // pages come back zeroed, even from recycled blocks
  REQUIRE(map.size() == 1);
  REQUIRE(*map.find(3) == value_of(3));
  REQUIRE(map.find(4) == nullptr);
}

TEST_CASE("id map: 32-bit and unsigned keys") {
  IdMap<int> small;
  IdMap<std::uint64_t> wide;
  std::unordered_map<int, void*> small_ref;
  std::unordered_map<std::uint64_t, void*> wide_ref;
  for (int k = -100; k < 100; k += 3) {
    small.insert_or_assign(k, value_of(k));
    small_ref[k] = value_of(k);
  }
  for (std::uint64_t k : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{8}, ~std::uint64_t{0}, ~std::uint64_t{0} >> 1}) {
    wide.insert_or_assign(k, value_of(static_cast<std::int64_t>(k)));
    wide_ref[k] = value_of(static_cast<std::int64_t>(k));
  }
  expect_same(small, small_ref, {-101, 101, 0, 1});
  expect_same(wide, wide_ref, {1, 9, ~std::uint64_t{0} - 1});
}
