#pragma once
// How an Orm opens its connection: `ctorm::Orm<S> orm{"blog.db", {.busy_timeout = 200ms}};`.
#include <chrono>

namespace ctorm {

struct ConnectionOptions {
  // How long a statement that meets another connection's lock waits for it before it fails with
  // `DatabaseBusyError`; zero fails at once. Five seconds, as Python's sqlite3 module and Rails default
  // to: far longer than a healthy write transaction holds the lock, short enough that a stuck writer
  // surfaces as an error rather than a hang.
  std::chrono::milliseconds busy_timeout{5000};
};

}  // namespace ctorm
