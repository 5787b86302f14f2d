#pragma once
// A pool of connections to a server database, kept by the Orm: each entity manager (and its forks) holds
// one connection for its life and gives it back when the last of them ends, so that threads with their
// own entity managers work at once. A connection comes back rolled back if a transaction was left open,
// and is closed instead if it broke.
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
                                " connections of the pool stayed in use for the pool_timeout; an entity manager "
                                "holds its connection until it (and its forks) end");
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

}  // namespace ctorm::detail
