#pragma once
// Statements that load by a list of keys, `... in (?, ?, ...) ...`. List sizes are padded up to a power of
// two (the caller repeats the last key), so a family of texts has at most ten statements whatever the
// number of keys; longer lists go in chunks. Only the parts around the placeholders are compile-time
// constants: the text of a size is made at run time, once per connection, when its statement is first
// prepared. (One text per size at compile time made every relation instantiate its loop ten times.)
#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "../../config.hpp"
#include "../../text/static_text.hpp"
#include "connection.hpp"
#include "query.hpp"

namespace ctorm::detail {

inline constexpr std::size_t max_in_list = 512;
inline constexpr std::size_t in_list_bucket_count = 10;  // 1, 2, 4, ..., 512

constexpr std::size_t in_list_bucket(std::size_t n) {
  std::size_t b = 1;
  while (b < n && b < max_in_list) b *= 2;
  return b;
}

// A family of in-list texts: its first statement slot (one per bucket) and the constant parts.
struct InListFamily {
  std::size_t first_slot;
  std::string_view head;  // up to and with "in ("
  std::string_view tail;  // from ")"
};

// Text builders for the parts of a family type: `Text::head(w)` and `Text::tail(w)`.
template <class Text>
struct InListHead {
  template <class W>
  static constexpr void build(W& w) {
    Text::head(w);
  }
};
template <class Text>
struct InListTail {
  template <class W>
  static constexpr void build(W& w) {
    Text::tail(w);
  }
};

template <class Text>
inline InListFamily in_list_family() {
  static const std::size_t first = next_statement_slot(in_list_bucket_count);
  return {first, static_text<InListHead<Text>>, static_text<InListTail<Text>>};
}

CTORM_COLD inline sqlite3_stmt* prepare_in_list(SqliteConnection& conn, std::size_t slot, const InListFamily& family,
                                                std::size_t bucket) {
  std::string text;
  text.reserve(family.head.size() + 3 * bucket + family.tail.size());
  text.append(family.head);
  for (std::size_t i = 0; i < bucket; ++i) text.append(i ? ", ?" : "?");
  text.append(family.tail);
  return conn.statement(slot, text);
}

// The statement of `family` for a list of `bucket` keys (a power of two), and its text (SQLite keeps a
// copy of it with the statement, which lives as long as the connection).
inline PreparedText in_list_statement(SqliteConnection& conn, const InListFamily& family, std::size_t bucket) {
  std::size_t index = 0;
  while ((std::size_t{1} << index) < bucket) ++index;
  const std::size_t slot = family.first_slot + index;
  sqlite3_stmt* st = conn.cached(slot);
  if (CTORM_UNLIKELY(!st)) st = prepare_in_list(conn, slot, family, bucket);
  return {st, sqlite3_sql(st)};
}

// Binds element i of an array of keys.
using BindKeyAt = void (*)(SqliteQuery& q, const void* keys, std::size_t i);
template <class K>
void bind_key_at(SqliteQuery& q, const void* keys, std::size_t i) {
  q.bind(static_cast<const K*>(keys)[i]);
}

// The rows of the statements of a family over a list of keys, in chunks of at most max_in_list keys:
// `while (sqlite3_stmt* st = rows.next()) ...`. Compiled once for every relation, while the row code
// stays a loop in its caller (a row handler called through a pointer was not inlined into).
class InListRows {
 public:
  InListRows(SqliteConnection& conn, const InListFamily& family, const void* keys, std::size_t count, BindKeyAt bind) noexcept
      : conn_(conn), family_(family), keys_(keys), count_(count), bind_(bind) {}
  InListRows(const InListRows&) = delete;
  InListRows& operator=(const InListRows&) = delete;

  // The next row, or nullptr once every chunk is read.
  sqlite3_stmt* next() {
    if (CTORM_LIKELY(query_ && query_->step())) return query_->handle();
    return next_chunk();
  }

 private:
  // The current chunk, if any, has no more rows: the first row of the next chunks that has one.
  CTORM_NOINLINE sqlite3_stmt* next_chunk() {
    for (;;) {
      if (query_) {
        query_->finish_rows();
        query_.reset();
      }
      if (start_ >= count_) return nullptr;
      const std::size_t n = std::min(max_in_list, count_ - start_);
      const std::size_t bucket = in_list_bucket(n);
      const PreparedText text = in_list_statement(conn_, family_, bucket);
      query_.emplace(conn_, text.statement, text.sql);
      for (std::size_t i = 0; i < bucket; ++i) bind_(*query_, keys_, start_ + std::min(i, n - 1));
      start_ += n;
      if (query_->step()) return query_->handle();
    }
  }

  SqliteConnection& conn_;
  InListFamily family_;
  const void* keys_;
  std::size_t count_;
  BindKeyAt bind_;
  std::size_t start_ = 0;
  std::optional<SqliteQuery> query_;
};

}  // namespace ctorm::detail
