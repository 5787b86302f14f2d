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
  SharedConnection(const std::string& where, const ConnectionOptions& options)
      : conn_(std::make_shared<Connection>(where, options)) {}

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
