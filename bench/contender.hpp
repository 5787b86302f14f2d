// ctorm bench: the contender interface.
//
// A contender implements one virtual function per workload of ../shared/bench/WORKLOADS.md. The harness
// makes a fresh database for each call (schema created by the harness with the exact DDL of WORKLOADS.md,
// the workload's setup rows already present) and passes it in the Run together with the shared
// deterministic Data: on SQLite a copy of a template file, its path in Run::db_path (journal_mode=WAL already
// set in the file); on PostgreSQL (ctorm_bench --backend postgres) a copy of a template database, its libpq
// connection string in Run::pg_conninfo.
//
// Each function must:
//   1. open its own connection to the run's database (SQLite: run.db_path, then Run::connection_pragmas:
//      synchronous=NORMAL, foreign_keys=ON, journal_mode=WAL repeated harmlessly; PostgreSQL:
//      run.pg_conninfo), do any untimed preparation
//      (W1: build the objects to insert; W3m: the first, untimed pass; W4: load the users);
//   2. call sw.start(), do exactly the workload, call sw.stop() -- start and stop exactly once;
//   3. reduce the objects produced in the timed section to a Checksum (Checksum::add_user / add_article /
//      add_key), close the connection (everything written must be committed), and return the checksum.
// Objects produced in the timed section are kept alive until after sw.stop(), so no contender pays for
// destroying its results inside the timing. The harness then verifies the checksum against the one
// expected from Data and, for write workloads, hashes the database file through its own connection.
#pragma once

#include <fcntl.h>         // open: perf's control fifo
#include <sys/resource.h>  // getrusage(RUSAGE_THREAD): page faults
#include <time.h>          // clock_gettime(CLOCK_THREAD_CPUTIME_ID)
#include <unistd.h>        // write

#include <cstdlib>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "checksum.hpp"

#if defined(CTORM_BENCH_CALLGRIND)
// Profiling build (cmake -DCTORM_BENCH_CALLGRIND=ON): callgrind counts only the timed sections when run
// with --collect-atstart=no, and the harness dumps one profile per run (see README.md, "Profiling").
#include <valgrind/callgrind.h>
#define CTORM_BENCH_TOGGLE_COLLECT() CALLGRIND_TOGGLE_COLLECT
#else
#define CTORM_BENCH_TOGGLE_COLLECT() ((void)0)
#endif

namespace ctorm_bench {

// perf record -D -1 --control fifo:CTL samples only the timed sections when CTORM_BENCH_PERF_CTL=CTL is set
// (see README.md, "Profiling"): without it a profile is mostly data preparation and checksums.
inline void perf_control(const char* command, std::size_t n) {
  static const int fd = [] {
    const char* path = std::getenv("CTORM_BENCH_PERF_CTL");
    return path ? ::open(path, O_WRONLY) : -1;
  }();
  if (fd >= 0 && ::write(fd, command, n) < 0) std::abort();
}

// Deterministic rows (see fixture.cpp for the generators).
struct UserSeed {
  std::string full_name;  // "User <i>"
  std::string email;      // "user<i>@example.com"
  std::string password;   // 64 hex characters
  std::string bio;        // 100 characters
  std::int64_t created_at{};
};

struct ArticleSeed {
  std::string slug;         // "article-<j>"
  std::string title;        // "Article <j> by user <a>"
  std::string description;  // 200 characters
  std::string text;         // 1,000 characters
  std::int64_t author_id{};
  std::int64_t created_at{};
};

struct Sizes {
  std::size_t users = 100'000;         // W1 inserts, table size for W2 W3 W4 W6 W7
  std::size_t lookups = 10'000;        // W3 / W3m distinct keys
  std::size_t updates = 10'000;        // W4
  std::size_t populate_users = 1'000;  // W5
  std::size_t articles_per_user = 10;  // W5
  std::size_t deletes = 10'000;        // W6
  std::size_t filter_runs = 1'000;     // W7 repetitions
  std::size_t filter_limit = 100;      // W7 limit
  std::size_t upserts = 10'000;        // W8 / W8m: half existing users, half new
  static Sizes scaled(double f);
};

struct Data {
  Sizes sizes;
  // users[i] is the user with id i + 1: the objects W1 inserts, and the rows filled before W2 W3 W4 W6 W7.
  std::vector<UserSeed> users;
  // W3 / W3m: distinct keys in 1..users, std::mt19937_64 seed 42, in query order.
  std::vector<std::int64_t> lookup_keys;
  // W4: the users to update (ids 1..updates, loaded untimed) and the new bio of each (parallel vector).
  std::vector<std::int64_t> update_ids;
  std::vector<std::string> new_bios;
  // W5 setup: populate_users users (ids 1..P, seeds users[0..P)) and their articles (article j has id j).
  std::vector<ArticleSeed> articles;
  // W6: distinct keys in 1..users, std::mt19937_64 seed 4242, in delete order.
  std::vector<std::int64_t> delete_keys;
  // W7
  std::string filter_pattern = "user1%";
  // W8 / W8m: the users to upsert by email, in order: at even positions existing users (spread over the
  // table) with a new bio, at odd positions new users (the seeds of ids users + 1, users + 2, ...).
  std::vector<UserSeed> upserts;
  // The id each upsert gets (for the harness's expected checksum only): an existing user's own; a new one
  // users + k + 1 for position k, since with AUTOINCREMENT every row upserted, inserted or not, takes a
  // number from the sequence (SQLite allocates it before it finds the conflict).
  std::vector<std::int64_t> upsert_ids;

  static Data make(const Sizes& s);
};

struct Run {
  std::string db_path;  // SQLite: the run's database file (empty on PostgreSQL)
  const Data& data;
  std::string pg_conninfo{};  // PostgreSQL: libpq connection string of the run's database (empty on SQLite)
  static constexpr const char* connection_pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
};

// Wall time (what the workloads are judged by) and the CPU time of the calling thread over the same
// section. CPU time leaves out the time the thread waits for a core, so on a loaded machine its ratio is
// much steadier than the wall-time ratio; it includes the kernel's work for the thread (page faults,
// reads, writes) but not waiting for the disk.
class Stopwatch {
 public:
  using clock = std::chrono::steady_clock;
  // profiled: a timed run rather than a warm-up, so perf (CTORM_BENCH_PERF_CTL) samples it.
  explicit Stopwatch(bool profiled = true) : profiled_(profiled) {}
  void start() {
    if (starts_++ != 0) throw std::logic_error("Stopwatch::start called twice");
    f0_ = thread_faults();
    c0_ = thread_cpu_ns();
    if (profiled_) perf_control("enable\n", 7);
    t0_ = clock::now();
    CTORM_BENCH_TOGGLE_COLLECT();
  }
  void stop() {
    CTORM_BENCH_TOGGLE_COLLECT();
    auto t = clock::now();
    if (profiled_) perf_control("disable\n", 8);
    auto c = thread_cpu_ns();
    auto f = thread_faults();
    if (starts_ != 1 || stops_++ != 0) throw std::logic_error("Stopwatch::stop without one start");
    t1_ = t;
    c1_ = c;
    f1_ = f;
  }
  bool started() const { return starts_ != 0; }
  bool complete() const { return starts_ == 1 && stops_ == 1; }
  double ms() const { return std::chrono::duration<double, std::milli>(t1_ - t0_).count(); }
  double cpu_ms() const { return static_cast<double>(c1_ - c0_) / 1e6; }
  // Page faults of the timed section: on a VM each costs microseconds, so memory that is touched for the
  // first time shows in the wall time beyond what the instructions say.
  std::int64_t faults() const { return f1_ - f0_; }

 private:
  static std::int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  }
  static std::int64_t thread_faults() {
    rusage ru{};
    getrusage(RUSAGE_THREAD, &ru);
    return static_cast<std::int64_t>(ru.ru_minflt + ru.ru_majflt);
  }
  clock::time_point t0_{}, t1_{};
  std::int64_t f0_ = 0, f1_ = 0;
  std::int64_t c0_ = 0, c1_ = 0;
  int starts_ = 0, stops_ = 0;
  bool profiled_;
};

// Thrown by a contender, before sw.start(), for a workload its library cannot express yet (no faking it
// with other queries): the harness reports "-" for that contender and workload, with this message as a note.
class NotExpressible : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Contender {
 public:
  virtual ~Contender() = default;
  virtual std::string_view name() const = 0;

  // W1: insert data.users (sizes.users objects, built untimed) in one transaction; ids back into the objects.
  //     Checksum: add_user for every inserted object, with the id it got.
  virtual Checksum w1_insert(const Run& run, Stopwatch& sw) = 0;
  // W2: load every user row into objects. Checksum: add_user per object (any order).
  virtual Checksum w2_load_all(const Run& run, Stopwatch& sw) = 0;
  // W3: one query per key of data.lookup_keys, each into a fresh object. Checksum: add_user per object,
  //     in key order.
  virtual Checksum w3_lookup(const Run& run, Stopwatch& sw) = 0;
  // W3m: the same lookups twice on one connection / entity manager; only the second pass is timed
  //      (ctorm answers it from the identity map, raw queries again). Checksum of the second pass, key order.
  virtual Checksum w3m_lookup_managed(const Run& run, Stopwatch& sw) = 0;
  // W4: untimed: load users data.update_ids. Timed: set bio = data.new_bios[k] on each, write the changes
  //     in one transaction. Checksum: add_user per updated object (any order).
  virtual Checksum w4_update(const Run& run, Stopwatch& sw) = 0;
  // W5: load all users with their articles attached. Checksum: add_user per user, add_article per
  //     attached article with owner_id = the id of the user it is attached to (any order).
  virtual Checksum w5_populate(const Run& run, Stopwatch& sw) = 0;
  // W6: delete the users data.delete_keys by primary key in one transaction. Checksum: add_key per
  //     deleted key (any order).
  virtual Checksum w6_delete(const Run& run, Stopwatch& sw) = 0;
  // W7: sizes.filter_runs times: `email like data.filter_pattern order by id limit sizes.filter_limit`,
  //     rows into objects. Checksum: add_user per object, runs in order, rows in id order.
  virtual Checksum w7_filter(const Run& run, Stopwatch& sw) = 0;
  // W8: upsert data.upserts by email (insert, or update every other column of the row with that email) in
  //     one transaction; ids back into the objects. Checksum: add_user per upserted object with its id,
  //     in order.
  virtual Checksum w8_upsert(const Run& run, Stopwatch& sw) = 0;
  // W8m: the same; the raw contender sends multi-row statements instead of one statement per row. A
  //      contender that writes W8 one way only runs W8 again.
  virtual Checksum w8m_upsert_batched(const Run& run, Stopwatch& sw) { return w8_upsert(run, sw); }
};

std::unique_ptr<Contender> make_raw_contender();
#if defined(CTORM_BENCH_WITH_CTORM)
std::unique_ptr<Contender> make_ctorm_contender();  // bench/ctorm_contender.cpp
#endif
#if defined(CTORM_BENCH_WITH_PG)
// PostgreSQL (bench/raw_pg_contender.cpp): "raw-pg" executes one prepared statement per row; "raw-pg-pipe"
// (pipelined = true) sends the same statements in libpq's pipeline mode, one round trip per batch.
std::unique_ptr<Contender> make_raw_pg_contender(bool pipelined);
#endif
#if defined(CTORM_BENCH_WITH_CTORM_PG)
std::unique_ptr<Contender> make_ctorm_pg_contender();  // bench/ctorm_pg_contender.cpp, named "ctorm-pg"
#endif

}  // namespace ctorm_bench
