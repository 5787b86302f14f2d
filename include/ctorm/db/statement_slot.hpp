#pragma once
// Statements whose text is a compile-time constant get a small number, their slot in every connection's
// cache, the first time they are used: a cache hit is an index, not a hash of the text. Every backend's
// connection keeps its statements by these slots.
#include <atomic>
#include <cstddef>
#include <string_view>

namespace ctorm::detail {

// `count` consecutive slots (a family of texts, as the in-list buckets of db/sqlite/in_list.hpp, takes several).
inline std::size_t next_statement_slot(std::size_t count = 1) {
  static std::atomic<std::size_t> counter{0};  // slots are global; connections may live on different threads
  return counter.fetch_add(count, std::memory_order_relaxed);
}

// Text's slot; the dialect is part of Text's type where the texts differ.
template <class Text>
inline std::size_t statement_slot() {
  static const std::size_t slot = next_statement_slot();
  return slot;
}

// A statement whose text is a compile-time constant: its cache slot and its text.
struct StatementText {
  std::size_t (*slot)();
  std::string_view sql;
};

// A prepared statement (the backend's handle) and its text, kept for the log, error messages and a second
// copy when the cached statement is in use.
template <class Statement>
struct PreparedText {
  Statement statement;
  std::string_view sql;
};

}  // namespace ctorm::detail
