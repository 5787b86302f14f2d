#pragma once
// The statements of a flush on PostgreSQL, sent in libpq's pipeline mode: each row's statement goes out
// at once without waiting for its result, and the results are read back together, so that a flush of a
// thousand rows costs a few round trips instead of a thousand. The `done` callbacks of SqliteBatch's
// interface (db/sqlite/batch.hpp) run when the results arrive, in the order the statements were sent.
// The first failed statement is reported with its text and values, as if it had run alone.
#include <libpq-fe.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../../config.hpp"
#include "../statement_slot.hpp"
#include "codec.hpp"
#include "connection.hpp"
#include "query.hpp"

namespace ctorm::detail {

// A small closure (references and pointers, as the flush's are) kept to be called later.
template <class Arg>
class DeferredCall {
 public:
  DeferredCall() = default;
  // F is trivially copyable: the bytes of a DeferredCall copy it (a vector of them may grow).
  template <class F>
  explicit DeferredCall(const F& f) noexcept : call_(&invoke<F>) {
    static_assert(sizeof(F) <= sizeof(storage_) && alignof(F) <= alignof(void*) && std::is_trivially_copyable_v<F>,
                  "ctorm: internal: a batch callback is kept as a few pointers");
    ::new (static_cast<void*>(storage_)) F(f);
  }
  void operator()(Arg a) const { call_(storage_, a); }

 private:
  template <class F>
  static void invoke(const void* p, Arg a) {
    (*std::launder(static_cast<const F*>(p)))(a);
  }
  alignas(void*) unsigned char storage_[4 * sizeof(void*)]{};
  void (*call_)(const void*, Arg) = nullptr;
};

class PgBatch {
  struct Item;

 public:
  // What a statement of the batch did, given to its `done` callback.
  struct Result {
    const PgBatch& batch;
    const Item& item;
    std::int64_t changed;  // rows inserted, updated or deleted
    std::int64_t key() const noexcept { return item.key; }
    std::string values() const { return batch.values_of(item); }
    std::string_view sql() const noexcept { return item.sql; }
  };

  explicit PgBatch(PgConnection& conn) : conn_(conn) {}
  PgBatch(const PgBatch&) = delete;
  PgBatch& operator=(const PgBatch&) = delete;
  // An exception left statements in flight: read their results (the first error is the one thrown
  // already, or the flush is failing anyway) so that the connection can roll back.
  ~PgBatch() {
    if (pipelined_) abandon();
    conn_.set_before_prepare(nullptr, nullptr);
  }

  template <class Bind, class Done>
  void run(const StatementText& text, Bind&& bind, Done&& done) {
    run(conn_.statement(text.slot(), text.sql), text.sql, false, bind, done);
  }

  template <class Bind, class Done>
  void run(PgStatement* st, std::string_view sql, bool, Bind&& bind, Done&& done) {
    using B = std::remove_cvref_t<Bind>;
    using D = std::remove_cvref_t<Done>;
    conn_.prepare(*st);  // a round trip of its own, the pipeline so far completed first
    if (!pipelined_) enter();
    {
      PgQuery q(conn_, st, sql);
      bind(q);
      q.send();
    }
    items_.push_back(Item{st, sql, DeferredCall<PgQuery&>(static_cast<const B&>(bind)),
                          DeferredCall<const Result&>(static_cast<const D&>(done)), 0, 0,
                          conn_.logging() ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{}});
    // bounded: the results a server holds back until they are read stay well within a socket's buffer
    if (items_.size() >= max_in_flight) finish();
  }

  // Waits for every statement sent and runs their `done` callbacks, in order.
  void finish() {
    if (!pipelined_) return;
    const PGresult* failed = collect();
    PgResultGuard guard{const_cast<PGresult*>(failed)};
    if (CTORM_UNLIKELY(failed != nullptr)) {
      const Item& item = items_[failed_at_];
      const std::string values = values_of(item);
      items_.clear();
      throw_pg_error(conn_.handle(), failed, item.sql, values);
    }
    std::vector<Item> done;
    done.swap(items_);
    for (const Item& item : done) {
      if (CTORM_UNLIKELY(conn_.logging())) conn_.log(item.sql, values_of(item), item.start, item.changed, false);
      item.done(Result{*this, item, item.changed});
    }
  }

 private:
  static constexpr std::size_t max_in_flight = 256;

  struct Item {
    PgStatement* statement;
    std::string_view sql;
    DeferredCall<PgQuery&> bind;
    DeferredCall<const Result&> done;
    std::int64_t changed;
    std::int64_t key;
    std::chrono::steady_clock::time_point start;
  };

  void enter() {
    if (CTORM_UNLIKELY(PQenterPipelineMode(conn_.handle()) != 1)) throw_pg_error(conn_.handle(), nullptr, "", {});
    pipelined_ = true;
    // a statement prepared while the pipeline is open (a flush's first update of a set of columns) needs
    // the pipeline closed: the statements sent so far complete first
    conn_.set_before_prepare(this, [](void* self) { static_cast<PgBatch*>(self)->finish(); });
  }

  // Sends the sync, reads every result and leaves pipeline mode. Each item gets its counts; the first
  // error's result is returned (the caller frees it) and failed_at_ says whose it is.
  const PGresult* collect() {
    PGconn* c = conn_.handle();
    PGresult* failed = nullptr;
    const bool synced = PQpipelineSync(c) == 1;
    for (std::size_t i = 0; synced && i < items_.size(); ++i) {
      // a command's results, then a null pointer
      while (PGresult* r = PQgetResult(c)) {
        const ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
          const char* tuples = PQcmdTuples(r);
          std::int64_t n = 0;
          for (; *tuples >= '0' && *tuples <= '9'; ++tuples) n = n * 10 + (*tuples - '0');
          items_[i].changed = n;
          if (PQntuples(r) > 0 && PQnfields(r) > 0)
            items_[i].key = read_int64(PgRow{r, 0, items_[i].sql, items_[i].statement->binary_columns()}, 0);
          PQclear(r);
        } else if (s == PGRES_FATAL_ERROR && failed == nullptr) {
          failed = r;
          failed_at_ = i;
        } else {
          PQclear(r);  // PGRES_PIPELINE_ABORTED: skipped after the error
        }
      }
    }
    // the sync's own result
    if (synced) {
      for (PGresult* r; (r = PQgetResult(c)) != nullptr;) {
        const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
        if (sync) break;
      }
    }
    const bool left = PQexitPipelineMode(c) == 1;
    pipelined_ = false;
    conn_.set_before_prepare(nullptr, nullptr);
    if (CTORM_UNLIKELY(!synced || !left)) {  // the connection broke
      if (failed) PQclear(failed);
      const std::string_view sql = items_.empty() ? std::string_view{} : items_.front().sql;
      items_.clear();
      throw_pg_error(c, nullptr, sql, {});
    }
    return failed;
  }

  void abandon() noexcept {
    try {
      const PGresult* failed = collect();
      if (failed) PQclear(const_cast<PGresult*>(failed));
    } catch (...) {  // the connection broke: the pool closes it
    }
    items_.clear();
  }

  // The item's values as the log prints them: bound again to a query that is never run.
  std::string values_of(const Item& item) const {
    PgQuery q(conn_, item.statement, item.sql);
    item.bind(q);
    return q.values();
  }

  PgConnection& conn_;
  std::vector<Item> items_;
  std::size_t failed_at_ = 0;
  bool pipelined_ = false;
};

}  // namespace ctorm::detail
