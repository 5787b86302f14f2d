// Memory an entity manager gives back: its entity and snapshot blocks (4 to 64 KiB) go to a bounded,
// process-wide pool that the next entity manager takes them from (ctorm::set_recycled_memory_limit).
#include <catch2/catch.hpp>

#include <string>

#include "support/user_model.hpp"

// Detected here rather than through ctorm's own switch, so that a header that misses ASan fails the test.
#if defined(__SANITIZE_ADDRESS__)
#define CTORM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CTORM_TEST_ASAN 1
#endif
#endif
#if defined(CTORM_TEST_ASAN)
#include <sanitizer/asan_interface.h>
#endif

using namespace ctorm_test;

namespace {

constexpr std::size_t block = std::size_t{64} * 1024;  // the largest block

// Enough users that their entries and snapshots fill several blocks.
void insert_users(Orm<Schema>& orm, int n) {
  auto em = orm.em();
  for (int i = 0; i < n; ++i)
    em.persist(make_user("User " + std::to_string(i), "user" + std::to_string(i) + "@example.com"));
  em.flush();
}

struct LimitGuard {
  std::size_t saved = ctorm::recycled_memory_limit();
  ~LimitGuard() { ctorm::set_recycled_memory_limit(saved); }
};

}  // namespace

TEST_CASE("a destroyed entity manager leaves its blocks for the next one, within the limit") {
  LimitGuard guard;
  REQUIRE(ctorm::recycled_memory_limit() == std::size_t{64} << 20);  // the documented default
  UserFixture f;
  insert_users(f.orm, 3000);
  ctorm::set_recycled_memory_limit(0);
  REQUIRE(ctorm::recycled_memory() == 0);

  ctorm::set_recycled_memory_limit(std::size_t{64} << 20);
  {
    auto em = f.orm.em();
    REQUIRE(em.find<User>().size() == 3000);
  }
  const std::size_t kept = ctorm::recycled_memory();
  CHECK(kept >= 4 * block);  // 3,000 entries and snapshots take several blocks of 4 to 64 KiB
  CHECK(kept % 4096 == 0);

  {
    auto em = f.orm.em();  // takes the kept blocks again
    REQUIRE(em.find<User>().size() == 3000);
    CHECK(ctorm::recycled_memory() < kept);
  }
  CHECK(ctorm::recycled_memory() == kept);
}

TEST_CASE("the limit bounds what is kept, and 0 keeps nothing") {
  LimitGuard guard;
  UserFixture f;
  insert_users(f.orm, 3000);

  ctorm::set_recycled_memory_limit(2 * block);
  {
    auto em = f.orm.em();
    REQUIRE(em.find<User>().size() == 3000);
  }
  CHECK(ctorm::recycled_memory() > 0);
  CHECK(ctorm::recycled_memory() <= 2 * block);

  ctorm::set_recycled_memory_limit(0);  // frees what is kept now
  CHECK(ctorm::recycled_memory() == 0);
  {
    auto em = f.orm.em();
    REQUIRE(em.find<User>().size() == 3000);
  }
  CHECK(ctorm::recycled_memory() == 0);
}

TEST_CASE("entities in recycled blocks start clean: values, snapshots and change detection") {
  LimitGuard guard;
  ctorm::set_recycled_memory_limit(std::size_t{64} << 20);
  UserFixture f;
  insert_users(f.orm, 2000);
  {
    auto em = f.orm.em();
    for (User* u : em.find<User>()) u->bio = "changed in the first entity manager, never flushed";
  }  // destroyed without flush: its blocks hold the changed entities and their old snapshots
  REQUIRE(ctorm::recycled_memory() > 0);

  auto em = f.orm.em();
  auto users = em.find<User>(ctorm::order_by(ctorm::asc<&User::id>));
  REQUIRE(users.size() == 2000);
  CHECK(users[7]->full_name == "User 7");
  CHECK(users[7]->bio.empty());
  f.log.clear();
  em.flush();
  CHECK(f.log.size() == 0);  // nothing changed in this entity manager

  users[7]->bio = "new";
  em.flush();
  REQUIRE(f.log.size() == 3);  // begin, the update, commit
  CHECK(f.log.lines[1].starts_with(dialect_sql(R"([query] update "user" set "bio" = ? where "id" = ? [values: 'new', 8])")));
}

#if defined(CTORM_TEST_ASAN)
// A write through a reference kept past em.clear() must be reported by ASan although the block is kept for
// the next entity manager rather than freed: the pool poisons what it keeps. Checked with
// __asan_address_is_poisoned rather than by making the write, which would end the test run.
TEST_CASE("under ASan, the memory of a cleared or destroyed entity manager is poisoned until it is reused") {
  LimitGuard guard;
  ctorm::set_recycled_memory_limit(std::size_t{64} << 20);
  UserFixture f;
  insert_users(f.orm, 10);
  ctorm::set_recycled_memory_limit(0);  // start from an empty pool
  ctorm::set_recycled_memory_limit(std::size_t{64} << 20);

  auto em = f.orm.em();
  char* first = reinterpret_cast<char*>(em.find_one<User>(1));
  REQUIRE(first != nullptr);
  CHECK(__asan_region_is_poisoned(first, sizeof(User)) == nullptr);
  em.clear();
  REQUIRE(ctorm::recycled_memory() > 0);  // kept, not freed: ASan alone would not see it
  CHECK(__asan_address_is_poisoned(first));
  CHECK(__asan_address_is_poisoned(first + sizeof(User) - 1));

  // Handed out again: the entities in it are not poisoned.
  User* again = em.find_one<User>(2);
  REQUIRE(again != nullptr);
  CHECK(again->full_name == "User 1");
  CHECK(__asan_region_is_poisoned(reinterpret_cast<char*>(again), sizeof(User)) == nullptr);

  char* third = nullptr;
  {
    auto other = f.orm.em();
    third = reinterpret_cast<char*>(other.find_one<User>(3));
    REQUIRE(third != nullptr);
    CHECK(__asan_region_is_poisoned(third, sizeof(User)) == nullptr);
  }  // destroyed: its blocks wait in the pool, poisoned
  CHECK(__asan_address_is_poisoned(third));
  char* second = reinterpret_cast<char*>(again);
  em.clear();
  CHECK(__asan_address_is_poisoned(second));
}
#endif
