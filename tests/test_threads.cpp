// Threads, each with its own Orm: on a database of its own, and on one they share (SQLite: a file, its
// locks and a busy timeout; PostgreSQL: a schema on the server, its row locks). What they share inside the process is checked here: the numbers given to statement
// shapes on first use, the texts of run-time-sized statements, and the pool of recycled blocks. CI runs
// this file under ThreadSanitizer (the tsan tree of scripts/test.sh).
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include "support/backend.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Job {
  std::int64_t id{};
  int worker = 0;
  int seq = 0;
  std::string note;
  std::int64_t hits = 0;
};

using Schema = ctorm::schema<Job>;
using ctorm::col;

constexpr int flushes = 1000;

// The workers' common start; a worker that fails before it still counts, so that the others go on.
class Start {
 public:
  explicit Start(std::latch& all) : all_(all) {}
  void arrive_and_wait() {
    arrived_ = true;
    all_.arrive_and_wait();
  }
  void give_up() {
    if (!arrived_) all_.count_down();
  }

 private:
  std::latch& all_;
  bool arrived_ = false;
};

struct Outcome {
  std::int64_t rows = 0;  // the worker's rows, counted by its last entity manager
  std::int64_t hits = 0;  // their hits, summed
  std::exception_ptr error;
};

// A query whose shape no other worker uses (and which finds none of the rows any worker writes): its
// statement is given its number now, while the other workers number theirs. The workers are released
// together, so that the first uses overlap rather than follow one another.
std::size_t first_use(ctorm_test::Em<Schema>& em, int worker, Start& start) {
  start.arrive_and_wait();
  switch (worker % 4) {
    case 0: return em.find<Job>(col<&Job::worker> == worker).size();
    case 1: return em.find<Job>(col<&Job::seq> < 0).size();
    case 2: return em.find<Job>(col<&Job::note> == "none").size();
    default: return em.find<Job>(col<&Job::hits> < 0).size();
  }
}

// One unit of work per flush, as a server would have one per request: a new job, and a hit on the
// worker's previous job (a query by key, then an update). Every 100 flushes, a query whose text depends
// on the length of its `in` list.
void work(ctorm_test::Orm<Schema>& orm, int worker, Start& start, Outcome& out) {
  {
    auto em = orm.em();
    if (first_use(em, worker, start) != 0) throw std::runtime_error("rows before the first flush");
  }
  std::vector<std::int64_t> mine;
  for (int i = 0; i < flushes; ++i) {
    auto em = orm.em();
    Job& job = em.persist(Job{.worker = worker, .seq = i, .note = "job " + std::to_string(i)});
    if (!mine.empty()) {
      Job* prev = em.find_one<Job>(mine.back());
      if (!prev) throw std::runtime_error("previous job not found");
      ++prev->hits;
    }
    em.flush();
    mine.push_back(job.id);
    if (i % 100 == 99) {
      const std::vector<std::int64_t> last(mine.end() - (i / 100 + 1), mine.end());
      if (em.find<Job>(ctorm::in(col<&Job::id>, last)).size() != last.size())
        throw std::runtime_error("in-list query lost rows");
    }
  }
  auto em = orm.em();
  for (Job* j : em.find<Job>(col<&Job::worker> == worker)) {
    ++out.rows;
    out.hits += j->hits;
  }
}

void check(const std::vector<Outcome>& outcomes) {
  for (const Outcome& o : outcomes) {
    if (o.error) {
      try {
        std::rethrow_exception(o.error);
      } catch (const std::exception& e) {
        FAIL_CHECK("a worker failed: " << e.what());
      }
      continue;
    }
    CHECK(o.rows == flushes);
    CHECK(o.hits == flushes - 1);  // every job but the last was hit once
  }
}

// Catch2's assertions are not thread-safe: workers report through their Outcome, checked after join.
template <class Body>
std::vector<Outcome> run_threads(int threads, Body body) {
  std::vector<Outcome> outcomes(static_cast<std::size_t>(threads));
  std::latch all(threads);
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&, w] {
      Outcome& out = outcomes[static_cast<std::size_t>(w)];
      Start start(all);
      try {
        body(w, start, out);
      } catch (...) {
        out.error = std::current_exception();
        start.give_up();
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return outcomes;
}

// The test's files are scratch: durability is not what is tested, and syncing each of 1,000 commits to
// disk would make the test slow for nothing (scripts/pg_server.sh runs the PostgreSQL server so).
void open_fast(ctorm_test::Orm<Schema>& orm) {
  if constexpr (ctorm_test::is_sqlite) orm.execute("pragma synchronous = off");
}

}  // namespace

TEST_CASE("threads with an Orm each, each on its own file", "[threads]") {
  for (int threads : {2, 4}) {
    INFO(threads << " threads");
    const auto outcomes = run_threads(threads, [threads](int w, Start& start, Outcome& out) {
      const std::string file =
          ctorm_test::fresh_database("own_" + std::to_string(threads) + "_" + std::to_string(w) + ".db");
      ctorm_test::Orm<Schema> orm(file);
      open_fast(orm);
      orm.schema().create();
      work(orm, w, start, out);
    });
    check(outcomes);
  }
}

TEST_CASE("threads with an Orm each, on one shared file with a busy timeout", "[threads]") {
  for (int threads : {2, 4}) {
    INFO(threads << " threads");
    const std::string file = ctorm_test::fresh_database("shared_" + std::to_string(threads) + ".db");
    {
      ctorm_test::Orm<Schema> orm(file);
      orm.schema().create();
    }
    const auto outcomes = run_threads(threads, [&file](int w, Start& start, Outcome& out) {
      // writers take turns; the default 5 s would do, but a ThreadSanitizer build is slow
      ctorm_test::Orm<Schema> orm{file, {.busy_timeout = std::chrono::seconds{60}}};
      open_fast(orm);
      work(orm, w, start, out);
    });
    check(outcomes);

    ctorm_test::Orm<Schema> orm(file);
    CHECK(orm.em().count<Job>() == std::int64_t{threads} * flushes);
  }
}
