#pragma once
// Getting the prepared statement of a query. A query whose text is a compile-time constant uses the
// connection's slot for its type. A query whose text depends on run-time sizes (its `in` lists) builds
// the text once per shape and sizes, keeps it for the program's life (the texts of one shape are few:
// list lengths are rounded, see in.hpp), and the connection caches the statement by text.
#include <array>
#include <cstddef>
#include <atomic>
#include <string>
#include <string_view>
#include <unordered_map>


#include "../db/statement_slot.hpp"
#include "../text/static_text.hpp"
#include "expression.hpp"

namespace ctorm::detail {

struct SizeSink {
  std::size_t* out;
  std::size_t n = 0;
  void push(std::size_t size) { out[n++] = size; }
};

// Writes a text at run time; run-time-sized parts ask it for their sizes, in the text's order.
template <class D>
struct DynamicWriter {
  using dialect = D;
  std::string& out;
  const std::size_t* sizes;
  std::size_t next = 0;
  std::size_t params = 0;
  void put(std::string_view s) { out.append(s); }
  void put(char c) { out.push_back(c); }
  void placeholder() { D::put_placeholder(*this, ++params); }
  std::size_t next_size() { return sizes[next++]; }
};

template <std::size_t N>
struct SizesHash {
  std::size_t operator()(const std::array<std::size_t, N>& a) const noexcept {
    std::size_t h = 0;
    for (std::size_t v : a) h = (h ^ v) * 0x100000001B3ull;  // FNV-style: the sizes are small numbers
    return h;
  }
};

// A lock on an atomic_flag (C++20 wait/notify): the critical section is one lookup, and <mutex> is slow
// to parse in every TU.
class TextLock {
 public:
  explicit TextLock(std::atomic_flag& flag) noexcept : flag_(flag) {
    while (flag_.test_and_set(std::memory_order_acquire)) flag_.wait(true, std::memory_order_relaxed);
  }
  TextLock(const TextLock&) = delete;
  TextLock& operator=(const TextLock&) = delete;
  ~TextLock() {
    flag_.clear(std::memory_order_release);
    flag_.notify_one();
  }

 private:
  std::atomic_flag& flag_;
};

template <class Text, class D, std::size_t N>
const std::string& dynamic_text(const std::array<std::size_t, N>& sizes) {
  static std::atomic_flag busy;
  static std::unordered_map<std::array<std::size_t, N>, std::string, SizesHash<N>> texts;  // node-based: stable
  const TextLock lock(busy);
  auto it = texts.find(sizes);
  if (it == texts.end()) {
    std::string text;
    DynamicWriter<D> w{text, sizes.data()};
    Text::build(w);
    it = texts.emplace(sizes, std::move(text)).first;
  }
  return it->second;
}

// The statement of text builder Text, whose run-time sizes (if any) `source` reports.
template <class Text, class Conn, class Source>
auto prepare_text(Conn& conn, const Source& source) {
  using D = typename Conn::dialect;
  using Prepared = PreparedText<decltype(conn.statement(std::size_t{}, std::string_view{}))>;
  constexpr std::size_t n = dynamic_count_v<Source>;
  if constexpr (n == 0) {
    return Prepared{conn.statement(statement_slot<Text>(), static_text<Text, D>), static_text<Text, D>};
  } else {
    std::array<std::size_t, n> sizes{};
    SizeSink sink{sizes.data()};
    source.collect_sizes(sink);
    const std::string& text = dynamic_text<Text, D>(sizes);
    return Prepared{conn.statement(text), text};
  }
}

// The text of builder Text in dialect D for `source`'s run-time sizes, as a string (for logs and tests).
template <class Text, class D, class Source>
std::string text_of(const Source& source) {
  constexpr std::size_t n = dynamic_count_v<Source>;
  if constexpr (n == 0) {
    return std::string(static_text<Text, D>);
  } else {
    std::array<std::size_t, n> sizes{};
    SizeSink sink{sizes.data()};
    source.collect_sizes(sink);
    return dynamic_text<Text, D>(sizes);
  }
}

}  // namespace ctorm::detail
