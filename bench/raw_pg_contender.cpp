// ctorm bench: the raw libpq contenders -- the floor on PostgreSQL, written the fastest sensible way.
//   raw-pg       one connection per workload, statements prepared once (PQprepare) and executed once per
//                row (PQexecPrepared: one round trip each), parameters and results in binary, one
//                transaction per write workload; a query that runs once (W2, W5) is a PQexecParams.
//   raw-pg-pipe  the same statements, but a write workload (W1 W4 W6 W8) goes out in libpq's pipeline mode:
//                prepare, begin, every row and commit queued at once and one sync, one round trip for the
//                batch. The repeated queries of W3, W3m and W7 are pipelined the same way (every key is
//                known in advance); W2 and W5 are single queries either way.
#include <poll.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "contender.hpp"
#include "pg.hpp"
#include "rows.hpp"

namespace ctorm_bench {
namespace {

using rows::Article;
using rows::User;
using rows::add;

constexpr const char* user_columns = "id, full_name, email, password, bio, created_at";
constexpr const char* select_by_id = "select id, full_name, email, password, bio, created_at from \"user\" where id = $1";
constexpr const char* insert_user =
    "insert into \"user\"(full_name, email, password, bio, created_at) values ($1, $2, $3, $4, $5) returning id";
constexpr const char* update_bio = "update \"user\" set bio = $1 where id = $2";
constexpr const char* delete_user = "delete from \"user\" where id = $1";
constexpr const char* filter_users =
    "select id, full_name, email, password, bio, created_at from \"user\" where email like $1 order by id limit $2";
constexpr const char* upsert_user =
    "insert into \"user\"(full_name, email, password, bio, created_at) values ($1, $2, $3, $4, $5) "
    "on conflict (email) do update set full_name = excluded.full_name, password = excluded.password, "
    "bio = excluded.bio, created_at = excluded.created_at returning id";

using UserParams = pg::Params<5>;

void read_user(const PGresult* r, int row, User& u) {
  u.id = pg::int8(r, row, 0);
  pg::text(r, row, 1, u.full_name);
  pg::text(r, row, 2, u.email);
  pg::text(r, row, 3, u.password);
  pg::text(r, row, 4, u.bio);
  u.created_at = pg::int8(r, row, 5);
}

void read_article(const PGresult* r, int row, Article& a) {
  a.id = pg::int8(r, row, 0);
  pg::text(r, row, 1, a.slug);
  pg::text(r, row, 2, a.title);
  pg::text(r, row, 3, a.description);
  pg::text(r, row, 4, a.text);
  a.author_id = pg::int8(r, row, 5);
  a.created_at = pg::int8(r, row, 6);
}

void bind_user(UserParams& p, const User& u) {
  p.clear();
  p.text(u.full_name).text(u.email).text(u.password).text(u.bio).int8(u.created_at);
}

void prepare(PGconn* c, const char* name, const char* sql) {
  pg::check(c, PQprepare(c, name, sql, 0, nullptr), PGRES_COMMAND_OK, sql);
}

template <int N>
pg::Result exec_prepared(PGconn* c, const char* name, const pg::Params<N>& p, ExecStatusType expected) {
  return pg::check(c, PQexecPrepared(c, name, p.size(), p.values(), p.lengths(), p.formats(), 1), expected, name);
}

template <int N>
void send(PGconn* c, const char* name, const pg::Params<N>& p) {
  if (PQsendQueryPrepared(c, name, p.size(), p.values(), p.lengths(), p.formats(), 1) != 1)
    pg::fail(c, std::string("raw-pg-pipe: send ") + name);
}

// A query that runs once: unnamed, so one round trip.
pg::Result query_once(PGconn* c, const std::string& sql) {
  return pg::check(c, PQexecParams(c, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1), PGRES_TUPLES_OK,
                   sql.c_str());
}

// Sends n commands in pipeline mode -- send_item(i) queues the i-th -- then one sync, and hands each
// command's result to take(i, result), in order. The socket is non-blocking meanwhile and replies are read as
// they arrive, so that neither side stalls on a full socket buffer while the other is still writing.
template <class SendItem, class Take>
void pipelined(PGconn* c, std::size_t n, SendItem&& send_item, Take&& take) {
  if (PQsetnonblocking(c, 1) != 0 || PQenterPipelineMode(c) != 1) pg::fail(c, "raw-pg-pipe: pipeline mode");
  std::size_t taken = 0;
  bool in_command = false, synced = false;
  auto read_ready = [&] {
    if (PQconsumeInput(c) != 1) pg::fail(c, "raw-pg-pipe: read");
    while (!synced && !PQisBusy(c)) {
      PGresult* r = PQgetResult(c);
      if (r == nullptr) {  // the end of one command's results, or nothing queued yet
        if (!in_command) break;
        in_command = false;
        ++taken;
        continue;
      }
      const ExecStatusType st = PQresultStatus(r);
      if (st == PGRES_PIPELINE_SYNC) {
        PQclear(r);
        synced = true;
        break;
      }
      pg::Result res{r};
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        throw std::runtime_error(std::string("raw-pg-pipe: command ") + std::to_string(taken) + ": " +
                                 PQresultErrorMessage(r));
      take(taken, r);
      in_command = true;
    }
  };
  auto wait = [&](short events) {
    pollfd p{PQsocket(c), events, 0};
    if (poll(&p, 1, -1) < 0 && errno != EINTR) throw std::runtime_error("raw-pg-pipe: poll failed");
  };

  for (std::size_t i = 0; i < n; ++i) {
    send_item(i);
    if ((i & 255) == 255) read_ready();
  }
  if (PQpipelineSync(c) != 1) pg::fail(c, "raw-pg-pipe: sync");
  for (int f; (f = PQflush(c)) != 0;) {
    if (f < 0) pg::fail(c, "raw-pg-pipe: flush");
    wait(POLLIN | POLLOUT);
    read_ready();
  }
  while (!synced) {
    wait(POLLIN);
    read_ready();
  }
  if (taken != n) throw std::runtime_error("raw-pg-pipe: " + std::to_string(taken) + " results for " +
                                           std::to_string(n) + " commands");
  if (PQexitPipelineMode(c) != 1 || PQsetnonblocking(c, 0) != 0) pg::fail(c, "raw-pg-pipe: leave pipeline mode");
}

// A write workload in one pipeline: prepare the statement, begin, the n rows send_row(k) queues, commit.
template <class SendRow, class TakeRow>
void pipelined_transaction(PGconn* c, const char* name, const char* sql, std::size_t n, SendRow&& send_row,
                           TakeRow&& take_row) {
  auto plain = [c](const char* command) {
    if (PQsendQueryParams(c, command, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) pg::fail(c, command);
  };
  pipelined(
      c, n + 3,
      [&](std::size_t i) {
        if (i == 0) {
          if (PQsendPrepare(c, name, sql, 0, nullptr) != 1) pg::fail(c, sql);
        } else if (i == 1) {
          plain("begin");
        } else if (i == n + 2) {
          plain("commit");
        } else {
          send_row(i - 2);
        }
      },
      [&](std::size_t i, const PGresult* r) {
        if (i >= 2 && i < n + 2) take_row(i - 2, r);
      });
}

std::vector<User> user_objects(const std::vector<UserSeed>& seeds) {
  std::vector<User> users;
  users.reserve(seeds.size());
  for (const UserSeed& s : seeds) users.push_back(User{0, s.full_name, s.email, s.password, s.bio, s.created_at, {}});
  return users;
}

Checksum checksum(const std::vector<User>& users) {
  Checksum cs;
  for (const User& u : users) add(cs, u);
  return cs;
}

class RawPgContender final : public Contender {
 public:
  explicit RawPgContender(bool pipelined) : pipe_(pipelined) {}
  std::string_view name() const override { return pipe_ ? "raw-pg-pipe" : "raw-pg"; }

  Checksum w1_insert(const Run& run, Stopwatch& sw) override {
    return write_users(run, run.data.users, "ins", insert_user, sw);
  }

  Checksum w2_load_all(const Run& run, Stopwatch& sw) override {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    std::vector<User> users;

    sw.start();
    {
      const pg::Result r = query_once(conn.get(), std::string("select ") + user_columns + " from \"user\"");
      const int n = PQntuples(r.get());
      users.resize(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) read_user(r.get(), i, users[static_cast<std::size_t>(i)]);
    }
    sw.stop();
    return checksum(users);
  }

  Checksum w3_lookup(const Run& run, Stopwatch& sw) override {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    std::vector<User> users;
    users.reserve(run.data.lookup_keys.size());

    sw.start();
    prepare(conn.get(), "sel", select_by_id);
    lookup_pass(conn.get(), run.data.lookup_keys, users);
    sw.stop();
    return checksum(users);
  }

  Checksum w3m_lookup_managed(const Run& run, Stopwatch& sw) override {
    // Raw has no identity map: the second pass queries again, on the warmed connection and statement.
    pg::Conn conn = pg::connect(run.pg_conninfo);
    prepare(conn.get(), "sel", select_by_id);
    std::vector<User> first, second;
    first.reserve(run.data.lookup_keys.size());
    second.reserve(run.data.lookup_keys.size());
    lookup_pass(conn.get(), run.data.lookup_keys, first);

    sw.start();
    lookup_pass(conn.get(), run.data.lookup_keys, second);
    sw.stop();
    return checksum(second);
  }

  Checksum w4_update(const Run& run, Stopwatch& sw) override {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    PGconn* c = conn.get();
    const auto& bios = run.data.new_bios;
    std::vector<User> users;
    users.reserve(run.data.update_ids.size());
    prepare(c, "sel", select_by_id);
    lookup_pass(c, run.data.update_ids, users);  // untimed: the users to change (ids 1..updates)
    pg::Params<2> p;
    auto bind = [&p](const User& u) {
      p.clear();
      p.text(u.bio).int8(u.id);
    };

    sw.start();
    for (std::size_t k = 0; k < users.size(); ++k) users[k].bio = bios[k];
    if (pipe_) {
      pipelined_transaction(
          c, "upd", update_bio, users.size(),
          [&](std::size_t k) {
            bind(users[k]);
            send(c, "upd", p);
          },
          [](std::size_t, const PGresult*) {});
    } else {
      pg::exec(c, "begin");
      prepare(c, "upd", update_bio);
      for (const User& u : users) {
        bind(u);
        exec_prepared(c, "upd", p, PGRES_COMMAND_OK);
      }
      pg::exec(c, "commit");
    }
    sw.stop();
    return checksum(users);
  }

  Checksum w5_populate(const Run& run, Stopwatch& sw) override {
    // Two queries: the users in id order, then the articles in author order (through the author_id index);
    // one merge walk attaches each article to its user.
    pg::Conn conn = pg::connect(run.pg_conninfo);
    PGconn* c = conn.get();
    std::vector<User> users;

    sw.start();
    {
      const pg::Result ru = query_once(c, std::string("select ") + user_columns + " from \"user\" order by id");
      const int nu = PQntuples(ru.get());
      users.resize(static_cast<std::size_t>(nu));
      for (int i = 0; i < nu; ++i) read_user(ru.get(), i, users[static_cast<std::size_t>(i)]);
      const pg::Result ra = query_once(
          c, "select id, slug, title, description, text, author_id, created_at from article order by author_id");
      auto it = users.begin();
      for (int i = 0, na = PQntuples(ra.get()); i < na; ++i) {
        const std::int64_t author = pg::int8(ra.get(), i, 5);
        while (it != users.end() && it->id < author) ++it;
        if (it == users.end() || it->id != author) throw std::runtime_error("raw-pg: article without its author");
        read_article(ra.get(), i, it->articles.emplace_back());
      }
    }
    sw.stop();

    Checksum cs;
    for (const User& u : users) rows::add_with_articles(cs, u);
    return cs;
  }

  Checksum w6_delete(const Run& run, Stopwatch& sw) override {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    PGconn* c = conn.get();
    const auto& keys = run.data.delete_keys;
    std::vector<std::int64_t> deleted;
    deleted.reserve(keys.size());
    pg::Params<1> p;
    auto one_row = [](const PGresult* r) { return std::strcmp(PQcmdTuples(const_cast<PGresult*>(r)), "1") == 0; };

    sw.start();
    if (pipe_) {
      pipelined_transaction(
          c, "del", delete_user, keys.size(),
          [&](std::size_t k) {
            p.clear();
            p.int8(keys[k]);
            send(c, "del", p);
          },
          [&](std::size_t k, const PGresult* r) {
            if (one_row(r)) deleted.push_back(keys[k]);
          });
    } else {
      pg::exec(c, "begin");
      prepare(c, "del", delete_user);
      for (std::int64_t k : keys) {
        p.clear();
        p.int8(k);
        if (one_row(exec_prepared(c, "del", p, PGRES_COMMAND_OK).get())) deleted.push_back(k);
      }
      pg::exec(c, "commit");
    }
    sw.stop();

    Checksum cs;
    for (auto k : deleted) cs.add_key(k);
    return cs;
  }

  Checksum w7_filter(const Run& run, Stopwatch& sw) override {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    PGconn* c = conn.get();
    const auto& s = run.data.sizes;
    std::vector<std::vector<User>> results(s.filter_runs);
    pg::Params<2> p;
    p.text(run.data.filter_pattern).int8(static_cast<std::int64_t>(s.filter_limit));
    auto take = [&](std::size_t k, const PGresult* r) {
      auto& out = results[k];
      const int n = PQntuples(r);
      out.resize(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) read_user(r, i, out[static_cast<std::size_t>(i)]);
    };

    sw.start();
    prepare(c, "flt", filter_users);
    if (pipe_) {
      pipelined(c, s.filter_runs, [&](std::size_t) { send(c, "flt", p); }, take);
    } else {
      for (std::size_t k = 0; k < s.filter_runs; ++k) take(k, exec_prepared(c, "flt", p, PGRES_TUPLES_OK).get());
    }
    sw.stop();

    Checksum cs;
    for (const auto& users : results)
      for (const User& u : users) add(cs, u);
    return cs;
  }

  Checksum w8_upsert(const Run& run, Stopwatch& sw) override {
    return write_users(run, run.data.upserts, "ups", upsert_user, sw);
  }

 private:
  // W1 and W8: the users of seeds, built untimed, written by the statement sql (which returns the id) in one
  // transaction; each id back into its object.
  Checksum write_users(const Run& run, const std::vector<UserSeed>& seeds, const char* name, const char* sql,
                       Stopwatch& sw) const {
    pg::Conn conn = pg::connect(run.pg_conninfo);
    PGconn* c = conn.get();
    std::vector<User> users = user_objects(seeds);
    UserParams p;

    sw.start();
    if (pipe_) {
      pipelined_transaction(
          c, name, sql, users.size(),
          [&](std::size_t k) {
            bind_user(p, users[k]);
            send(c, name, p);
          },
          [&](std::size_t k, const PGresult* r) { users[k].id = pg::int8(r, 0, 0); });
    } else {
      pg::exec(c, "begin");
      prepare(c, name, sql);
      for (User& u : users) {
        bind_user(p, u);
        u.id = pg::int8(exec_prepared(c, name, p, PGRES_TUPLES_OK).get(), 0, 0);
      }
      pg::exec(c, "commit");
    }
    sw.stop();
    return checksum(users);
  }

  // One pass of W3 on the prepared statement "sel": a query per key, each row into a fresh object appended
  // to out; pipelined in raw-pg-pipe.
  void lookup_pass(PGconn* c, const std::vector<std::int64_t>& keys, std::vector<User>& out) const {
    pg::Params<1> p;
    auto take = [&](std::size_t k, const PGresult* r) {
      if (PQntuples(r) != 1) throw std::runtime_error("raw-pg: user " + std::to_string(keys[k]) + " not found");
      read_user(r, 0, out.emplace_back());
    };
    if (pipe_) {
      pipelined(
          c, keys.size(),
          [&](std::size_t k) {
            p.clear();
            p.int8(keys[k]);
            send(c, "sel", p);
          },
          take);
    } else {
      for (std::size_t k = 0; k < keys.size(); ++k) {
        p.clear();
        p.int8(keys[k]);
        take(k, exec_prepared(c, "sel", p, PGRES_TUPLES_OK).get());
      }
    }
  }

  bool pipe_;
};

}  // namespace

std::unique_ptr<Contender> make_raw_pg_contender(bool pipelined) {
  return std::make_unique<RawPgContender>(pipelined);
}

}  // namespace ctorm_bench
