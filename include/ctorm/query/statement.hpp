#pragma once
// Getting the prepared statement of a query. A query whose text is a compile-time constant uses the
// connection's slot for its type. A query whose text depends on run-time sizes (its `in` lists) builds
// the text once per shape and sizes, keeps it for the program's life (the texts of one shape are few:
// list lengths are rounded, see in.hpp), and the connection caches the statement by text.
#include <sqlite3.h>

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/container_hash/hash.hpp>

#include "../db/connection.hpp"
#include "../sql/text.hpp"
#include "expression.hpp"

namespace ctorm::detail {

struct SizeSink {
  std::size_t* out;
  std::size_t n = 0;
  void push(std::size_t size) { out[n++] = size; }
};

// Writes a text at run time; run-time-sized parts ask it for their sizes, in the text's order.
struct DynamicWriter {
  std::string& out;
  const std::size_t* sizes;
  std::size_t next = 0;
  void put(std::string_view s) { out.append(s); }
  void put(char c) { out.push_back(c); }
  std::size_t next_size() { return sizes[next++]; }
};

template <std::size_t N>
struct SizesHash {
  std::size_t operator()(const std::array<std::size_t, N>& a) const noexcept {
    return boost::hash_range(a.begin(), a.end());
  }
};

template <class Text, std::size_t N>
const std::string& dynamic_text(const std::array<std::size_t, N>& sizes) {
  static std::mutex mutex;
  static std::unordered_map<std::array<std::size_t, N>, std::string, SizesHash<N>> texts;  // node-based: stable
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = texts.find(sizes);
  if (it == texts.end()) {
    std::string text;
    DynamicWriter w{text, sizes.data()};
    Text::build(w);
    it = texts.emplace(sizes, std::move(text)).first;
  }
  return it->second;
}

// The statement of text builder Text, whose run-time sizes (if any) `source` reports.
template <class Text, class Source>
PreparedText prepare_text(Connection& conn, const Source& source) {
  constexpr std::size_t n = dynamic_count_v<Source>;
  if constexpr (n == 0) {
    return {conn.statement(statement_slot<Text>(), static_text<Text>), static_text<Text>};
  } else {
    std::array<std::size_t, n> sizes{};
    SizeSink sink{sizes.data()};
    source.collect_sizes(sink);
    const std::string& text = dynamic_text<Text>(sizes);
    return {conn.statement(text), text};
  }
}

// The text of builder Text for `source`'s run-time sizes, as a string (for logs and tests).
template <class Text, class Source>
std::string text_of(const Source& source) {
  constexpr std::size_t n = dynamic_count_v<Source>;
  if constexpr (n == 0) {
    return std::string(static_text<Text>);
  } else {
    std::array<std::size_t, n> sizes{};
    SizeSink sink{sizes.data()};
    source.collect_sizes(sink);
    return dynamic_text<Text>(sizes);
  }
}

}  // namespace ctorm::detail
