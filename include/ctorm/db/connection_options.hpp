#pragma once
// How an Orm opens its connection: `ctorm::Orm<S> orm{"blog.db", {.busy_timeout = 200ms}};`.
#include <chrono>
#include <cstddef>

namespace ctorm {

struct ConnectionOptions {
  // How long a statement that meets another connection's lock waits for it before it fails with
  // `DatabaseBusyError`; zero fails at once. Five seconds, as Python's sqlite3 module and Rails default
  // to: far longer than a healthy write transaction holds the lock, short enough that a stuck writer
  // surfaces as an error rather than a hang.
  // On PostgreSQL the same wait applies to row and table locks (its lock_timeout).
  std::chrono::milliseconds busy_timeout{5000};

  // A server database's pool (PostgreSQL; an SQLite Orm shares one connection): how many connections it
  // opens at most, and how long em() waits for one when all are in use before it throws ConnectionError.
  std::size_t pool_size = 8;
  std::chrono::milliseconds pool_timeout{30000};
};

}  // namespace ctorm
