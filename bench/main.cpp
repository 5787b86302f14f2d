// ctorm bench: the harness. Runs the workloads of ../shared/bench/WORKLOADS.md for every contender on fresh
// databases (SQLite files, or with --backend postgres databases on a PostgreSQL server), checks every result
// against the checksum expected from the deterministic data, and reports the median time of each contender
// and its ratio to the first contender, the raw one (ctorm / raw on SQLite).
#include <sys/wait.h>
#include <unistd.h>  // fork, pipe

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "contender.hpp"
#include "fixture.hpp"

using namespace ctorm_bench;

namespace {

#if defined(__clang__)
constexpr const char* compiler = "clang++ " __clang_version__;
#elif defined(__GNUC__)
constexpr const char* compiler = "g++ " __VERSION__;
#else
constexpr const char* compiler = "unknown compiler";
#endif

struct Spec {
  Workload w;
  const char* id;
  const char* what;
  Setup setup;
  Checksum (Contender::*fn)(const Run&, Stopwatch&);
};

constexpr Spec specs[] = {
    {Workload::W1, "W1", "insert", Setup::empty, &Contender::w1_insert},
    {Workload::W2, "W2", "load all", Setup::users, &Contender::w2_load_all},
    {Workload::W3, "W3", "point lookup", Setup::users, &Contender::w3_lookup},
    {Workload::W3m, "W3m", "point lookup, managed", Setup::users, &Contender::w3m_lookup_managed},
    {Workload::W4, "W4", "update", Setup::users, &Contender::w4_update},
    {Workload::W5, "W5", "populate", Setup::populate, &Contender::w5_populate},
    {Workload::W6, "W6", "delete", Setup::users, &Contender::w6_delete},
    {Workload::W7, "W7", "filtered query", Setup::users, &Contender::w7_filter},
    {Workload::W8, "W8", "upsert", Setup::users, &Contender::w8_upsert},
    {Workload::W8m, "W8m", "upsert, raw multi-row", Setup::users, &Contender::w8m_upsert_batched},
};

std::string size_text(Workload w, const Sizes& s) {
  auto n = [](std::size_t v) { return std::to_string(v); };
  switch (w) {
    case Workload::W1:
      return n(s.users);
    case Workload::W2:
      return n(s.users);
    case Workload::W3:
    case Workload::W3m:
      return n(s.lookups) + " of " + n(s.users);
    case Workload::W4:
      return n(s.updates);
    case Workload::W5:
      return n(s.populate_users) + " + " + n(s.populate_users * s.articles_per_user);
    case Workload::W6:
      return n(s.deletes);
    case Workload::W7:
      return n(s.filter_runs) + " x " + n(s.filter_limit);
    case Workload::W8:
    case Workload::W8m:
      return n(s.upserts) + " into " + n(s.users);
  }
  return {};
}

struct Options {
  int reps = 5;
  int warmup = 1;
  double scale = 1.0;
  std::vector<std::string> only;
  std::string json;
  std::string tmpdir;
  std::string profile;  // run this contender alone (for perf/callgrind); no table of ratios
  bool fork = true;     // each sample in a child process
  std::string backend = "sqlite";
  std::string pg;  // --backend postgres: the server's connection string
};

[[noreturn]] void usage(int code) {
  std::fprintf(
      code ? stderr : stdout,
      "usage: ctorm_bench [--reps N] [--warmup N] [--only W1,W3m,...] [--scale F] [--json FILE] [--tmpdir DIR]\n"
      "                  [--profile CONTENDER] [--no-fork] [--backend sqlite|postgres] [--pg CONNINFO]\n"
      "  --reps N     timed repetitions per workload and contender, median reported (default 5)\n"
      "  --warmup N   untimed (but checked) runs before each timed one, in its process (default 1)\n"
      "  --only LIST  workloads to run: W1 W2 W3 W3m W4 W5 W6 W7 W8 W8m (default all)\n"
      "  --scale F    multiply the workload sizes by F, e.g. 0.01 for a smoke run (default 1)\n"
      "  --json FILE  also write the results as JSON to FILE\n"
      "  --tmpdir DIR directory for the database files (default: the system temp directory)\n"
      "  --profile C  run contender C alone and print its medians, for a profiler (no ratios)\n"
      "  --no-fork    run every sample in this process instead of a child process of its own\n"
      "  --backend B  sqlite (contenders raw, ctorm) or postgres (raw-pg, raw-pg-pipe, ctorm-pg) (default sqlite)\n"
      "  --pg C       PostgreSQL server to use, a libpq connection string or URI; implies --backend postgres\n"
      "               (default: $CTORM_BENCH_PG, else $CTORM_TEST_PG); the user needs CREATEDB\n");
  std::exit(code);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ctorm_bench: %s needs a value\n", a.c_str());
        usage(2);
      }
      return argv[++i];
    };
    try {
      if (a == "--reps") {
        o.reps = std::stoi(value());
        if (o.reps < 1) throw std::invalid_argument("reps");
      } else if (a == "--warmup") {
        o.warmup = std::stoi(value());
        if (o.warmup < 0) throw std::invalid_argument("warmup");
      } else if (a == "--scale") {
        o.scale = std::stod(value());
        if (!(o.scale > 0)) throw std::invalid_argument("scale");
      } else if (a == "--only") {
        std::stringstream ss(value());
        for (std::string item; std::getline(ss, item, ',');) {
          if (item.empty()) continue;
          for (auto& ch : item) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          if (item == "W3M") item = "W3m";
          if (item == "W8M") item = "W8m";
          if (std::none_of(std::begin(specs), std::end(specs), [&](const Spec& s) { return item == s.id; })) {
            std::fprintf(stderr, "ctorm_bench: unknown workload '%s'\n", item.c_str());
            usage(2);
          }
          o.only.push_back(item);
        }
      } else if (a == "--json") {
        o.json = value();
      } else if (a == "--tmpdir") {
        o.tmpdir = value();
      } else if (a == "--no-fork") {
        o.fork = false;
      } else if (a == "--profile") {
        o.profile = value();
      } else if (a == "--backend") {
        o.backend = value();
        if (o.backend != "sqlite" && o.backend != "postgres") throw std::invalid_argument("backend");
      } else if (a == "--pg") {
        o.pg = value();
        o.backend = "postgres";
      } else if (a == "--help" || a == "-h") {
        usage(0);
      } else {
        std::fprintf(stderr, "ctorm_bench: unknown argument '%s'\n", a.c_str());
        usage(2);
      }
    } catch (const std::logic_error&) {
      std::fprintf(stderr, "ctorm_bench: bad value for %s\n", a.c_str());
      usage(2);
    }
  }
  if (o.backend == "postgres" && o.pg.empty()) {
    for (const char* var : {"CTORM_BENCH_PG", "CTORM_TEST_PG"})
      if (const char* v = std::getenv(var); v && *v) {
        o.pg = v;
        break;
      }
    if (o.pg.empty()) {
      std::fprintf(stderr, "ctorm_bench: --backend postgres needs --pg CONNINFO, CTORM_BENCH_PG or CTORM_TEST_PG "
                           "(scripts/pg_server.sh start DIR writes one to DIR/env)\n");
      usage(2);
    }
  }
  return o;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A column of the table: a contender of the backend, or its name only when it is not built (yet).
struct Slot {
  std::string name;
  std::unique_ptr<Contender> contender;
};

std::vector<Slot> slots_for(const std::string& backend) {
  std::vector<Slot> slots;
  if (backend == "postgres") {
#if defined(CTORM_BENCH_WITH_PG)
    slots.push_back({"raw-pg", make_raw_pg_contender(false)});
    slots.push_back({"raw-pg-pipe", make_raw_pg_contender(true)});
#if defined(CTORM_BENCH_WITH_CTORM_PG)
    slots.push_back({"ctorm-pg", make_ctorm_pg_contender()});
#else
    slots.push_back({"ctorm-pg", nullptr});
#endif
#else
    throw std::runtime_error("this ctorm_bench was built without PostgreSQL (no ctorm::postgres target)");
#endif
  } else {
    slots.push_back({"raw", make_raw_contender()});
#if defined(CTORM_BENCH_WITH_CTORM)
    slots.push_back({"ctorm", make_ctorm_contender()});
#else
    slots.push_back({"ctorm", nullptr});
#endif
  }
  return slots;
}

std::unique_ptr<Backend> backend_for(const Options& o) {
#if defined(CTORM_BENCH_WITH_PG)
  if (o.backend == "postgres") return make_postgres_backend(o.pg);
#endif
  return make_sqlite_backend(o.tmpdir);
}

struct Row {
  const Spec* spec;
  std::string size;
  std::vector<std::vector<double>> samples;  // per contender: wall ms
  std::vector<std::vector<double>> cpu;      // per contender: thread CPU ms of the same runs
  std::vector<std::vector<double>> faults;   // per contender: page faults of the same runs
  std::vector<std::string> not_expressible;  // per contender: the contender's reason, empty when it ran
  bool ran(std::size_t c) const { return not_expressible[c].empty() && !samples[c].empty(); }
};

// The median of contender c / the raw contender over the repetitions, each pairing the two samples taken
// back to back. On a machine whose speed drifts, a pair shares the drift that the two medians, taken apart,
// do not.
double paired_ratio(const Row& r, std::size_t c) {
  std::vector<double> q;
  for (std::size_t i = 0; i < r.samples[0].size() && i < r.samples[c].size(); ++i)
    q.push_back(r.samples[c][i] / r.samples[0][i]);
  return median(std::move(q));
}
double ratio(const Row& r, std::size_t c) { return median(r.samples[c]) / median(r.samples[0]); }
double cpu_ratio(const Row& r, std::size_t c) { return median(r.cpu[c]) / median(r.cpu[0]); }

struct Mismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void mismatch(const Spec& spec, std::string_view contender, int rep, const char* what,
                           const Checksum& expected, const Checksum& got, bool ordered) {
  std::ostringstream o;
  o << "CHECKSUM MISMATCH in " << spec.id << " (" << spec.what << "), contender '" << contender << "', "
    << (rep < 0 ? "warm-up run" : "repetition " + std::to_string(rep + 1)) << ": " << what
    << "\n  expected: " << expected.str() << "\n  got:      " << got.str() << "\n"
    << (ordered && expected.same_unordered(got) ? "  (same rows, wrong order)\n" : "")
    << "  The contender produced a wrong result; no timing is reported.";
  throw Mismatch(o.str());
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) continue;
    out += ch;
  }
  return out;
}

// What one sample gives back: the times of the timed run, or why there are none.
struct Sample {
  double ms = 0, cpu_ms = 0, faults = 0;
  std::string not_expressible;  // the contender cannot express the workload
  std::string failure;          // a wrong result: the message to report
};

// One checked run of a workload by a contender on a fresh copy of the template database.
Sample one_run(const Spec& spec, Contender& c, int rep, bool warmup, Backend& backend, const Data& data,
               const Expected& exp) {
  const Run run = backend.fresh_run(spec.setup, data);
  Stopwatch sw(/*profiled=*/!warmup);
  Checksum got;
  Sample out;
  try {
    got = (c.*spec.fn)(run, sw);
  } catch (const NotExpressible& e) {
    if (sw.started()) throw std::logic_error("NotExpressible thrown after Stopwatch::start()");
    out.not_expressible = e.what();
    return out;
  }
#if defined(CTORM_BENCH_CALLGRIND)
  {
    const std::string label = std::string(spec.id) + " " + std::string(c.name()) +
                              (warmup ? " warmup " : " rep ") + std::to_string(rep + 1);
    CALLGRIND_DUMP_STATS_AT(label.c_str());
  }
#endif
  if (!sw.complete())
    throw std::logic_error("contender '" + std::string(c.name()) + "' did not call start() and stop() once in " +
                           spec.id);
  const int shown_rep = warmup ? -1 : rep;
  try {
    if (!got.same(exp.produced, exp.ordered))
      mismatch(spec, c.name(), shown_rep, "objects produced", exp.produced, got, exp.ordered);
    if (exp.check_db) {
      DbChecksum db = backend.hash_run(run);
      if (!db.users.same(exp.db.users, false))
        mismatch(spec, c.name(), shown_rep, "user table afterwards", exp.db.users, db.users, false);
      if (!db.articles.same(exp.db.articles, false))
        mismatch(spec, c.name(), shown_rep, "article table afterwards", exp.db.articles, db.articles, false);
    }
  } catch (const Mismatch& e) {
    out.failure = e.what();
    return out;
  }
  out.ms = sw.ms();
  out.cpu_ms = sw.cpu_ms();
  out.faults = static_cast<double>(sw.faults());
  return out;
}

// Runs f in a child process and returns its Sample. Every sample starts from the same process state (the
// parent's), so one contender's heap, freed pages and caches never shape the other's timings; within the
// child the warm-up runs come first, as in a process that has served the work before.
template <class F>
Sample isolated(F&& f) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe() failed");
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork() failed");
  if (pid == 0) {
    close(fds[0]);
    std::string msg;
    int code = 0;
    try {
      const Sample r = f();
      char head[96];
      std::snprintf(head, sizeof head, "%.17g %.17g %.17g\n", r.ms, r.cpu_ms, r.faults);
      msg = std::string(head) + (r.failure.empty() ? (r.not_expressible.empty() ? "ok" : "nx") : "fail") + "\n" +
            (r.failure.empty() ? r.not_expressible : r.failure);
    } catch (const std::exception& e) {
      msg = std::string("0 0 0\nerror\n") + e.what();
      code = 1;
    }
    for (std::size_t done = 0; done < msg.size();) {
      const ssize_t n = write(fds[1], msg.data() + done, msg.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  std::string msg;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) msg.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::istringstream in(msg);
  Sample r;
  std::string kind;
  in >> r.ms >> r.cpu_ms >> r.faults >> kind;
  in.ignore(1);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (kind == "ok") return r;
  if (kind == "nx") r.not_expressible = text;
  else if (kind == "fail") r.failure = text;
  else throw std::runtime_error(kind == "error" ? text : "a benchmark child process died (status " +
                                                            std::to_string(status) + ")");
  return r;
}

}  // namespace

int main(int argc, char** argv) try {
  Options opt = parse(argc, argv);
  Sizes sizes = Sizes::scaled(opt.scale);

  std::vector<Slot> slots = slots_for(opt.backend);
  if (!opt.profile.empty() &&
      std::none_of(slots.begin(), slots.end(), [&](const Slot& s) { return s.contender && s.name == opt.profile; })) {
    std::fprintf(stderr, "ctorm_bench: no contender '%s' in this build for --backend %s\n", opt.profile.c_str(),
                 opt.backend.c_str());
    usage(2);
  }
  // The ratios are to the first contender, the raw one; "ratio" in the JSON is the last one's, the ORM's.
  const std::size_t orm = slots.size() - 1;
  const std::unique_ptr<Backend> backend = backend_for(opt);

  std::printf("%s, %s\n", backend->describe().c_str(), compiler);
  std::printf("reps %d (median), warmup %d, scale %g, contenders:", opt.reps, opt.warmup, opt.scale);
  for (const Slot& s : slots)
    if (s.contender) std::printf(" %s", s.name.c_str());
  std::printf("\n");
  std::fflush(stdout);

  std::fprintf(stderr, "preparing data...\n");
  const Data data = Data::make(sizes);

  bool have_template[3] = {};
  auto template_for = [&](Setup s) {
    if (!have_template[static_cast<int>(s)]) backend->make_template(s, data);
    have_template[static_cast<int>(s)] = true;
  };

  std::vector<Row> rows;
  for (const Spec& spec : specs) {
    if (opt.only.empty() ? (opt.backend == "postgres" && spec.w == Workload::W8m)
                         : std::find(opt.only.begin(), opt.only.end(), spec.id) == opt.only.end())
      continue;  // W8m is raw SQLite's multi-row statement: on PostgreSQL only when asked for (then as W8)
    std::fprintf(stderr, "%s %s (%s)...", spec.id, spec.what, size_text(spec.w, sizes).c_str());
    template_for(spec.setup);
    const Expected exp = expected_for(spec.w, data);
    Row row{&spec, size_text(spec.w, sizes), std::vector<std::vector<double>>(slots.size()),
            std::vector<std::vector<double>>(slots.size()), std::vector<std::vector<double>>(slots.size()),
            std::vector<std::string>(slots.size())};
    std::vector<std::size_t> active;
    for (std::size_t ci = 0; ci < slots.size(); ++ci)
      if (slots[ci].contender && (opt.profile.empty() || slots[ci].name == opt.profile)) active.push_back(ci);

    for (int rep = 0; rep < opt.reps; ++rep) {
      // Alternate the order of the contenders between repetitions so none always runs first.
      for (std::size_t k = 0; k < active.size(); ++k) {
        std::size_t ci = active[(rep & 1) ? active.size() - 1 - k : k];
        Contender& c = *slots[ci].contender;
        if (!row.not_expressible[ci].empty()) continue;
        // One sample: the warm-up runs and then the timed run, in a process of their own (see isolated()).
        auto sample = [&]() -> Sample {
          Sample out;
          for (int w = 0; w <= opt.warmup; ++w) {
            out = one_run(spec, c, rep, w < opt.warmup, *backend, data, exp);
            if (!out.not_expressible.empty() || !out.failure.empty()) break;  // a wrong warm-up is reported too
          }
          return out;
        };
        const Sample got = opt.fork ? isolated(sample) : sample();
        if (!got.failure.empty()) throw Mismatch(got.failure);
        if (!got.not_expressible.empty()) {
          row.not_expressible[ci] = got.not_expressible;
          continue;
        }
        row.samples[ci].push_back(got.ms);
        row.cpu[ci].push_back(got.cpu_ms);
        row.faults[ci].push_back(got.faults);
      }
    }
    backend->drop_run();
    std::fprintf(stderr, " ok\n");
    rows.push_back(std::move(row));
  }

  if (!opt.profile.empty()) {  // one contender: its medians only
    for (const Row& r : rows)
      for (std::size_t c = 0; c < slots.size(); ++c)
        if (r.ran(c)) {
          std::printf("%s %s (%s): %s median %.3f ms, samples", r.spec->id, r.spec->what, r.size.c_str(),
                      opt.profile.c_str(), median(r.samples[c]));
          for (double ms : r.samples[c]) std::printf(" %.1f", ms);
          std::printf(", page faults median %.0f\n", median(r.faults[c]));
        }
    return 0;
  }

  // The table: each contender's median, then per contender after the first its ratio to the first.
  std::vector<std::string> heads;
  for (const Slot& s : slots) heads.push_back(s.name + " median ms");
  for (std::size_t c = 1; c < slots.size(); ++c)
    for (std::string h : {slots[c].name + "/" + slots[0].name, std::string("paired"), std::string("cpu ratio")})
      heads.push_back(std::move(h));
  std::vector<int> widths;
  for (const auto& h : heads) widths.push_back(std::max(9, static_cast<int>(h.size())));
  std::printf("\n%-44s", "workload");
  std::size_t line = 44;
  for (std::size_t i = 0; i < heads.size(); ++i) {
    std::printf(" | %*s", widths[i], heads[i].c_str());
    line += 3 + static_cast<std::size_t>(widths[i]);
  }
  std::printf("\n%s\n", std::string(line, '-').c_str());
  for (const Row& r : rows) {
    std::string label = std::string(r.spec->id) + " " + r.spec->what + " (" + r.size + ")";
    std::printf("%-44s", label.c_str());
    std::size_t col = 0;
    auto cell = [&](bool ok, int decimals, double v) {
      if (ok) std::printf(" | %*.*f", widths[col], decimals, v);
      else std::printf(" | %*s", widths[col], "-");
      ++col;
    };
    for (std::size_t c = 0; c < slots.size(); ++c) cell(r.ran(c), 3, r.ran(c) ? median(r.samples[c]) : 0);
    for (std::size_t c = 1; c < slots.size(); ++c) {
      const bool both = r.ran(0) && r.ran(c);
      cell(both, 3, both ? ratio(r, c) : 0);
      cell(both, 3, both ? paired_ratio(r, c) : 0);
      cell(both, 3, both ? cpu_ratio(r, c) : 0);
    }
    std::printf("\n");
  }
  for (const Row& r : rows)
    for (std::size_t c = 0; c < slots.size(); ++c)
      if (!r.not_expressible[c].empty())
        std::printf("\n%s: %s: not expressible yet: %s", r.spec->id, slots[c].name.c_str(), r.not_expressible[c].c_str());
  std::printf("\nAll results matched the expected checksums.\n");

  if (!opt.json.empty()) {
    std::ofstream out(opt.json);
    if (!out) throw std::runtime_error("cannot write " + opt.json);
    out << "{\n  " << backend->json_fields() << "\"compiler\": \"" << json_escape(compiler)
        << "\",\n  \"reps\": " << opt.reps << ",\n  \"warmup\": " << opt.warmup << ",\n  \"scale\": " << opt.scale
        << ",\n  \"workloads\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      out << (i ? "," : "") << "\n    {\"id\": \"" << r.spec->id << "\", \"what\": \"" << r.spec->what
          << "\", \"size\": \"" << r.size << "\", \"contenders\": {";
      bool first = true;
      for (std::size_t c = 0; c < slots.size(); ++c) {
        if (!slots[c].contender) continue;
        out << (first ? "" : ", ") << "\"" << slots[c].name << "\": ";
        first = false;
        if (!r.ran(c)) {
          out << "{\"median_ms\": null, \"not_expressible\": \"" << json_escape(r.not_expressible[c]) << "\"}";
          continue;
        }
        out << "{\"median_ms\": " << median(r.samples[c])
            << ", \"min_ms\": " << *std::min_element(r.samples[c].begin(), r.samples[c].end()) << ", \"samples_ms\": [";
        for (std::size_t k = 0; k < r.samples[c].size(); ++k) out << (k ? ", " : "") << r.samples[c][k];
        out << "], \"cpu_median_ms\": " << median(r.cpu[c]) << ", \"cpu_samples_ms\": [";
        for (std::size_t k = 0; k < r.cpu[c].size(); ++k) out << (k ? ", " : "") << r.cpu[c][k];
        out << "], \"faults_median\": " << median(r.faults[c]) << "}";
      }
      out << "}, \"ratio\": ";
      if (r.ran(0) && r.ran(orm))
        out << ratio(r, orm) << ", \"paired_ratio\": " << paired_ratio(r, orm) << ", \"cpu_ratio\": " << cpu_ratio(r, orm);
      else
        out << "null, \"paired_ratio\": null, \"cpu_ratio\": null";
      if (slots.size() > 2) {  // every contender's ratios to the raw one
        out << ", \"ratios\": {";
        bool first_ratio = true;
        for (std::size_t c = 1; c < slots.size(); ++c) {
          if (!r.ran(0) || !r.ran(c)) continue;
          out << (first_ratio ? "" : ", ") << "\"" << slots[c].name << "\": {\"ratio\": " << ratio(r, c)
              << ", \"paired_ratio\": " << paired_ratio(r, c) << ", \"cpu_ratio\": " << cpu_ratio(r, c) << "}";
          first_ratio = false;
        }
        out << "}";
      }
      out << "}";
    }
    out << "\n  ]\n}\n";
    if (!out) throw std::runtime_error("cannot write " + opt.json);
  }
  return 0;
} catch (const Mismatch& e) {
  std::fprintf(stderr, "\nctorm_bench: %s\n", e.what());
  return 3;
} catch (const std::exception& e) {
  std::fprintf(stderr, "\nctorm_bench: error: %s\n", e.what());
  return 1;
}
