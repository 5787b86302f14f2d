#pragma once
// Statements that load by a list of keys, `... in (?, ?, ...) ...`. List sizes are padded up to a power of
// two (the caller repeats the last key), so a family of texts has at most ten statements whatever the
// number of keys; longer lists go in chunks. The text of a size is written at run time, in the
// connection's dialect, once per connection, when its statement is first prepared. (One text per size at
// compile time made every relation instantiate its loop ten times.)
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "../config.hpp"
#include "../text/static_text.hpp"
#include "statement_slot.hpp"

namespace ctorm::detail {

inline constexpr std::size_t max_in_list = 512;
inline constexpr std::size_t in_list_bucket_count = 10;  // 1, 2, 4, ..., 512

constexpr std::size_t in_list_bucket(std::size_t n) {
  std::size_t b = 1;
  while (b < n && b < max_in_list) b *= 2;
  return b;
}

// A family of in-list texts: its first statement slot (one per bucket) and the writer of a text of a
// list size. Text has `head(w)` (up to and with "in (") and `tail(w)` (from ")").
struct InListFamily {
  std::size_t first_slot;
  void (*write)(std::string& out, std::size_t bucket);
};

template <class Text, class D>
CTORM_COLD void write_in_list(std::string& out, std::size_t bucket) {
  StringWriter<D> w{out};
  Text::head(w);
  for (std::size_t i = 0; i < bucket; ++i) {
    if (i) w.put(", ");
    w.placeholder();
  }
  Text::tail(w);
}

template <class Text, class D>
inline InListFamily in_list_family() {
  static const std::size_t first = next_statement_slot(in_list_bucket_count);
  return {first, &write_in_list<Text, D>};
}

// The statement of `family` for a list of `bucket` keys (a power of two), and its text (the connection
// keeps it with the statement).
template <class Conn>
inline auto in_list_statement(Conn& conn, const InListFamily& family, std::size_t bucket) {
  std::size_t index = 0;
  while ((std::size_t{1} << index) < bucket) ++index;
  const std::size_t slot = family.first_slot + index;
  auto st = conn.cached(slot);
  if (CTORM_UNLIKELY(!st)) {
    std::string text;
    family.write(text, bucket);
    st = conn.statement(slot, text);
  }
  return PreparedText<decltype(st)>{st, conn.sql_of(st)};
}

// Binds element i of an array of keys.
template <class Query>
using BindKeyAt = void (*)(Query& q, const void* keys, std::size_t i);
template <class K, class Query>
void bind_key_at(Query& q, const void* keys, std::size_t i) {
  q.bind(static_cast<const K*>(keys)[i]);
}

// The rows of the statements of a family over a list of keys, in chunks of at most max_in_list keys:
// `while (rows.next()) ... rows.row() ...`. Compiled once for every relation, while the row code
// stays a loop in its caller (a row handler called through a pointer was not inlined into).
template <class B>
class InListRows {
  using Connection = typename B::connection;
  using Query = typename B::query;
  using Row = typename B::row;

 public:
  InListRows(Connection& conn, const InListFamily& family, const void* keys, std::size_t count,
             BindKeyAt<Query> bind) noexcept
      : conn_(conn), family_(family), keys_(keys), count_(count), bind_(bind) {}
  InListRows(const InListRows&) = delete;
  InListRows& operator=(const InListRows&) = delete;

  // The next row, or false once every chunk is read.
  bool next() {
    if (CTORM_LIKELY(query_ && query_->step())) return true;
    return next_chunk();
  }
  Row row() const { return query_->row(); }

 private:
  // The current chunk, if any, has no more rows: the first row of the next chunks that has one.
  CTORM_NOINLINE bool next_chunk() {
    for (;;) {
      if (query_) {
        query_->finish_rows();
        query_.reset();
      }
      if (start_ >= count_) return false;
      const std::size_t n = std::min(max_in_list, count_ - start_);
      const std::size_t bucket = in_list_bucket(n);
      const auto text = in_list_statement(conn_, family_, bucket);
      query_.emplace(conn_, text.statement, text.sql);
      for (std::size_t i = 0; i < bucket; ++i) bind_(*query_, keys_, start_ + std::min(i, n - 1));
      start_ += n;
      if (query_->step()) return true;
    }
  }

  Connection& conn_;
  InListFamily family_;
  const void* keys_;
  std::size_t count_;
  BindKeyAt<Query> bind_;
  std::size_t start_ = 0;
  std::optional<Query> query_;
};

}  // namespace ctorm::detail
