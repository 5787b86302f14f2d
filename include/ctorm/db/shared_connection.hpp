#pragma once
// Where an Orm gets the connection of an entity manager. SQLite: one connection that every entity
// manager of the Orm shares (an in-memory database exists once per connection, and SQLite serializes
// writers anyway); a server database uses a pool instead (db/connection_pool.hpp).
#include <memory>
#include <string>
#include <utility>

#include "connection_options.hpp"

namespace ctorm::detail {

template <class Connection>
class SharedConnection {
 public:
  // An entity manager's hold on the connection (see ConnectionPool::Handle for what a pool's does): the
  // one connection, always.
  class Handle {
   public:
    explicit Handle(std::shared_ptr<Connection> conn) noexcept : conn_(std::move(conn)) {}
    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_.get(); }
    // Nothing to give back; a destructor of its own so that a `use` variable does not read as unused.
    struct Use {
      ~Use() {}
    };
    Use use() const noexcept { return {}; }
    void pin() const noexcept {}
    void unpin() const noexcept {}
    Handle fork() const noexcept { return *this; }
    Handle share() const noexcept { return *this; }

   private:
    std::shared_ptr<Connection> conn_;
  };

  SharedConnection(const std::string& where, const ConnectionOptions& options)
      : conn_(std::make_shared<Connection>(where, options)) {}

  Handle handle() const noexcept { return Handle(conn_); }
  std::shared_ptr<Connection> acquire() const { return conn_; }
  template <class Logger>
  void set_logger(Logger logger) {
    conn_->set_logger(std::move(logger));
  }
  auto native_handle() const noexcept { return conn_->handle(); }

 private:
  std::shared_ptr<Connection> conn_;
};

}  // namespace ctorm::detail
