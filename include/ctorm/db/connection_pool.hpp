#pragma once
// A pool of connections to a server database, kept by the Orm, so that threads with their own entity
// managers work at once. An entity manager takes a connection for each of its operations (a find, a
// flush, a populate, a query builder's run) and gives it back at the operation's end, or at the end of
// its transaction (em.begin() ... commit(), em.transactional): it holds none while idle, so that a
// program may keep many entity managers alive with a small pool. A connection comes back rolled back if a
// transaction was left open on it, and is closed instead if it broke.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../error.hpp"
#include "connection_options.hpp"
#include "query_log.hpp"

namespace ctorm::detail {

template <class Connection>
class ConnectionPool {
 public:
  class Handle;

  struct State {
    std::string where;
    ConnectionOptions options;
    std::mutex mutex;
    std::condition_variable released;
    std::vector<std::unique_ptr<Connection>> idle;
    std::vector<Connection*> lent;  // to an entity manager: set_logger reaches them too
    std::size_t open = 0;  // idle and lent out
    QueryLogger::Logger logger;
  };

 public:
  ConnectionPool(const std::string& where, const ConnectionOptions& options) : state_(std::make_shared<State>()) {
    if (options.pool_size == 0) throw UsageError("ctorm: pool_size is 0; a pool needs at least one connection");
    state_->where = where;
    state_->options = options;
    // the first connection now, so that a wrong address fails where the Orm is made
    state_->idle.push_back(std::make_unique<Connection>(where, options));
    state_->open = 1;
  }

  // A connection of the pool: an idle one, a new one while fewer than pool_size are open, or the first
  // one given back within pool_timeout (then ConnectionError).
  std::shared_ptr<Connection> acquire() const {
    std::unique_ptr<Connection> conn;
    bool make = false;
    {
      std::unique_lock lock(state_->mutex);
      const auto deadline = std::chrono::steady_clock::now() + state_->options.pool_timeout;
      while (state_->idle.empty() && state_->open >= state_->options.pool_size) {
        if (state_->released.wait_until(lock, deadline) == std::cv_status::timeout && state_->idle.empty() &&
            state_->open >= state_->options.pool_size)
          throw ConnectionError("ctorm: all " + std::to_string(state_->options.pool_size) +
                                " connections of the pool stayed in use for the pool_timeout (an entity manager "
                                "holds one during each operation and through a transaction); raise pool_size "
                                "or end transactions sooner");
      }
      if (!state_->idle.empty()) {
        state_->lent.push_back(state_->idle.back().get());  // first: if it throws, the connection stays idle
        conn = std::move(state_->idle.back());
        state_->idle.pop_back();
      } else {
        ++state_->open;
        make = true;
      }
    }
    if (make) {
      try {
        conn = std::make_unique<Connection>(state_->where, state_->options);
        std::lock_guard lock(state_->mutex);
        conn->set_logger(state_->logger);
        state_->lent.push_back(conn.get());
      } catch (...) {
        std::lock_guard lock(state_->mutex);
        --state_->open;
        state_->released.notify_one();
        throw;
      }
    }
    std::shared_ptr<State> state = state_;
    return std::shared_ptr<Connection>(conn.release(), [state](Connection* c) { give_back(*state, c); });
  }

  Handle handle() const { return Handle(*this); }

  // The logger of every connection of the pool, those lent to entity managers now included (as the one
  // connection of an SQLite Orm): like statements, not to be changed while other threads run statements.
  void set_logger(QueryLogger::Logger logger) {
    std::lock_guard lock(state_->mutex);
    state_->logger = std::move(logger);
    for (auto& c : state_->idle) c->set_logger(state_->logger);
    for (Connection* c : state_->lent) c->set_logger(state_->logger);
  }

 private:
  static void give_back(State& state, Connection* c) noexcept {
    std::unique_ptr<Connection> conn(c);
    {
      std::lock_guard lock(state.mutex);
      std::erase(state.lent, c);
    }
    bool keep = conn->healthy();
    if (keep && conn->in_transaction()) {
      try {
        conn->execute("rollback");
      } catch (...) {
        keep = false;
      }
    }
    std::lock_guard lock(state.mutex);
    if (keep) {
      try {
        state.idle.push_back(std::move(conn));
      } catch (...) {  // no room to keep it: closed below
        --state.open;
      }
    } else {
      --state.open;
    }
    state.released.notify_one();
  }

  std::shared_ptr<State> state_;
};

// An entity manager's hold on the pool: a connection leased on first use, given back when the outermost
// operation (use()) ends, unless a transaction pins it.
template <class Connection>
class ConnectionPool<Connection>::Handle {
 public:
  explicit Handle(const ConnectionPool& pool) : pool_(pool) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept
      : pool_(other.pool_), leased_(std::move(other.leased_)), uses_(other.uses_), pins_(other.pins_) {
    other.uses_ = other.pins_ = 0;
  }
  Handle& operator=(Handle&&) = delete;

  Connection& operator*() const {
    if (!leased_) leased_ = pool_.acquire();
    return *leased_;
  }
  Connection* operator->() const { return &**this; }

  class Use {
   public:
    explicit Use(const Handle& h) noexcept : h_(&h) { ++h.uses_; }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() {
      if (--h_->uses_ == 0) h_->release_if_idle();
    }

   private:
    const Handle* h_;
  };
  // The connection stays leased until the returned Use ends (and the outermost of nested ones).
  Use use() const noexcept { return Use(*this); }

  // A transaction keeps the connection until it ends.
  void pin() const {
    **this;
    ++pins_;
  }
  void unpin() const noexcept {
    if (--pins_ == 0 && uses_ == 0) release_if_idle();
  }

  // A fork's handle: the same pool, no connection yet; inside a transaction, the transaction's connection
  // (as on SQLite, a fork sees what its parent's transaction wrote).
  Handle fork() const { return pins_ > 0 || in_transaction() ? share() : Handle(pool_); }
  // A handle on this one's connection, pinned for its life: the fork em.transactional() runs the user's
  // function on works inside the transaction.
  Handle share() const {
    Handle h(pool_);
    h.leased_ = leased_ ? leased_ : (leased_ = pool_.acquire());
    h.pins_ = 1;
    return h;
  }

 private:
  bool in_transaction() const noexcept { return leased_ && leased_->in_transaction(); }
  // Gives the connection back unless a transaction is open on it: one the manager's transaction pinned,
  // or one begun by a statement of the user's own (`em.connection().execute("begin")`), which the pool
  // would otherwise roll back. No round trip: libpq knows the transaction status.
  void release_if_idle() const noexcept {
    if (pins_ == 0 && !in_transaction()) leased_.reset();
  }

  ConnectionPool pool_;  // a copy shares the pool's state
  mutable std::shared_ptr<Connection> leased_;
  mutable int uses_ = 0;
  mutable int pins_ = 0;
};

}  // namespace ctorm::detail
