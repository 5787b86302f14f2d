// The identity map's hash table (detail::FlatMap): checked against std::unordered_map under random
// inserts and erases, since a wrong backward shift on erase would silently lose managed entities.
#include <ctorm/detail/flat_map.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using ctorm::detail::FlatMap;
using ctorm::detail::FlatSet;

namespace {

template <class K, class V>
void expect_same(FlatMap<K, V>& flat, const std::unordered_map<K, V>& ref) {
  REQUIRE(flat.size() == ref.size());
  for (const auto& [k, v] : ref) {
    const V* found = flat.find(k);
    REQUIRE(found);
    REQUIRE(*found == v);
  }
  std::size_t visited = 0;
  flat.for_each([&](const K& k, V& v) {
    ++visited;
    auto it = ref.find(k);
    REQUIRE(it != ref.end());
    REQUIRE(it->second == v);
  });
  REQUIRE(visited == ref.size());
}

}  // namespace

TEST_CASE("flat map: integer keys against std::unordered_map under random inserts and erases") {
  std::mt19937_64 rng(42);
  FlatMap<std::int64_t, std::int64_t> flat;
  std::unordered_map<std::int64_t, std::int64_t> ref;
  // A small key range makes long probe runs, collisions and erases inside runs common.
  std::uniform_int_distribution<std::int64_t> key(-300, 300);
  for (int step = 0; step < 20000; ++step) {
    const std::int64_t k = key(rng);
    switch (rng() % 3) {
      case 0:
      case 1: {
        auto [v, inserted] = flat.try_emplace(k, k * 7);
        REQUIRE(inserted == ref.emplace(k, k * 7).second);
        REQUIRE(*v == ref[k]);
        break;
      }
      default: REQUIRE(flat.erase(k) == (ref.erase(k) == 1));
    }
    if (step % 997 == 0) expect_same(flat, ref);
  }
  expect_same(flat, ref);
  REQUIRE_FALSE(flat.find(std::int64_t{1000}));
}

TEST_CASE("flat map: keys that share their home slot survive erasing their neighbours") {
  // Multiples of a large power of two have the same low bits; after Fibonacci hashing they still collide
  // often in a 16-slot table, which exercises the wrap-around of the backward shift.
  FlatMap<std::uint64_t, int> flat;
  std::unordered_map<std::uint64_t, int> ref;
  for (int i = 0; i < 12; ++i) {
    const std::uint64_t k = std::uint64_t(i) << 60;
    flat.try_emplace(k, i);
    ref.emplace(k, i);
  }
  for (int i = 0; i < 12; i += 2) {
    const std::uint64_t k = std::uint64_t(i) << 60;
    REQUIRE(flat.erase(k));
    ref.erase(k);
    expect_same(flat, ref);
  }
}

TEST_CASE("flat map: pointer values mark empty slots by null, and insert_or_assign replaces") {
  int a = 1, b = 2;
  FlatMap<std::int64_t, void*> flat;
  REQUIRE(flat.try_emplace(5, &a).second);
  REQUIRE_FALSE(flat.try_emplace(5, &b).second);
  REQUIRE(*flat.find(std::int64_t{5}) == &a);
  flat.insert_or_assign(5, &b);
  REQUIRE(*flat.find(std::int64_t{5}) == &b);
  REQUIRE(flat.size() == 1);
  REQUIRE(flat.erase(5));
  REQUIRE(flat.empty());
  REQUIRE_FALSE(flat.find(std::int64_t{5}));
}

TEST_CASE("flat map: string keys, looked up by string_view too") {
  FlatMap<std::string, int> flat;
  for (int i = 0; i < 1000; ++i) flat.try_emplace("select " + std::to_string(i), i);
  REQUIRE(flat.size() == 1000);
  for (int i = 0; i < 1000; i += 3) REQUIRE(flat.erase("select " + std::to_string(i)));
  for (int i = 0; i < 1000; ++i) {
    const std::string k = "select " + std::to_string(i);
    const int* v = flat.find(std::string_view(k));
    if (i % 3 == 0) {
      REQUIRE_FALSE(v);
    } else {
      REQUIRE(v);
      REQUIRE(*v == i);
    }
  }
}

TEST_CASE("flat map: reserve never shrinks, clear keeps the room, moves leave the source empty") {
  FlatMap<std::int64_t, int> flat;
  flat.reserve(1000);
  const std::size_t room = flat.capacity();
  REQUIRE(room >= 1000);
  for (int i = 0; i < 1000; ++i) flat.try_emplace(i, i);
  REQUIRE(flat.capacity() == room);  // no growth below the reserved size
  flat.reserve(10);
  REQUIRE(flat.capacity() == room);
  flat.clear();
  REQUIRE(flat.empty());
  REQUIRE(flat.capacity() == room);
  REQUIRE_FALSE(flat.find(std::int64_t{3}));

  flat.try_emplace(3, 30);
  FlatMap<std::int64_t, int> moved(std::move(flat));
  REQUIRE(*moved.find(std::int64_t{3}) == 30);
  REQUIRE(flat.empty());  // NOLINT(bugprone-use-after-move): a moved-from map is empty and usable
  flat.try_emplace(4, 40);
  REQUIRE(*flat.find(std::int64_t{4}) == 40);
}

TEST_CASE("flat set: pairs of pointers, insert reports novelty") {
  std::vector<int> items(100);
  FlatSet<std::pair<void*, void*>> set;
  for (int& x : items) REQUIRE(set.insert({&items[0], &x}));
  for (int& x : items) REQUIRE_FALSE(set.insert({&items[0], &x}));
  REQUIRE(set.size() == items.size());
  REQUIRE(set.contains({&items[0], &items[50]}));
  REQUIRE_FALSE(set.contains({&items[1], &items[50]}));
  REQUIRE(set.erase({&items[0], &items[50]}));
  REQUIRE_FALSE(set.contains({&items[0], &items[50]}));
}
