#pragma once
// The state of an entity when it was loaded or last flushed, kept so that flush can tell which columns
// changed. Values are kept in their stored form (the bytes of a string, the integer of a time point) in
// an arena owned by the entity manager: taking a snapshot allocates nothing per entity.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "../db/value.hpp"
#include "../model/entity.hpp"
#include "block_arena.hpp"

namespace ctorm::detail {

enum : unsigned char { snap_null, snap_integer, snap_real, snap_text, snap_blob };

inline std::size_t snap_size(std::int64_t) { return 1 + sizeof(std::int64_t); }
inline std::size_t snap_size(double) { return 1 + sizeof(double); }
inline std::size_t snap_size(std::string_view s) { return 1 + sizeof(std::uint32_t) + s.size(); }
inline std::size_t snap_size(BlobView b) { return 1 + sizeof(std::uint32_t) + b.size; }
inline std::size_t snap_size(std::nullptr_t) { return 1; }

inline std::byte* snap_put(std::byte* p, unsigned char tag, const void* data, std::size_t n) {
  *p++ = static_cast<std::byte>(tag);
  if (n) std::memcpy(p, data, n);
  return p + n;
}
inline std::byte* snap_write(std::byte* p, std::int64_t v) { return snap_put(p, snap_integer, &v, sizeof v); }
inline std::byte* snap_write(std::byte* p, double v) { return snap_put(p, snap_real, &v, sizeof v); }
inline std::byte* snap_write(std::byte* p, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  p = snap_put(p, snap_text, &n, sizeof n);
  if (n) std::memcpy(p, s.data(), n);
  return p + n;
}
inline std::byte* snap_write(std::byte* p, BlobView b) {
  const auto n = static_cast<std::uint32_t>(b.size);
  p = snap_put(p, snap_blob, &n, sizeof n);
  if (n) std::memcpy(p, b.data, n);
  return p + n;
}
inline std::byte* snap_write(std::byte* p, std::nullptr_t) { return snap_put(p, snap_null, nullptr, 0); }

// Compares the value at p with v and moves p past the snapshot's value.
inline bool snap_equal(const std::byte*& p, unsigned char tag, const void* data, std::size_t fixed) {
  const bool same_tag = static_cast<unsigned char>(*p) == tag;
  ++p;
  if (!same_tag) return false;
  const bool eq = std::memcmp(p, data, fixed) == 0;
  p += fixed;
  return eq;
}
inline std::size_t snap_skip(const std::byte* p) {
  switch (static_cast<unsigned char>(*p)) {
    case snap_null: return 1;
    case snap_integer:
    case snap_real: return 9;
    default: {
      std::uint32_t n;
      std::memcpy(&n, p + 1, sizeof n);
      return 1 + sizeof n + n;
    }
  }
}
inline bool snap_equal_bytes(const std::byte*& p, unsigned char tag, const void* data, std::size_t size) {
  const std::size_t whole = snap_skip(p);
  const std::byte* q = p;
  p += whole;
  if (static_cast<unsigned char>(*q) != tag) return false;
  std::uint32_t n;
  std::memcpy(&n, q + 1, sizeof n);
  return n == size && (size == 0 || std::memcmp(q + 1 + sizeof n, data, size) == 0);
}
inline bool snap_matches(const std::byte*& p, std::int64_t v) {
  if (static_cast<unsigned char>(*p) != snap_integer) {
    p += snap_skip(p);
    return false;
  }
  return snap_equal(p, snap_integer, &v, sizeof v);
}
inline bool snap_matches(const std::byte*& p, double v) {
  if (static_cast<unsigned char>(*p) != snap_real) {
    p += snap_skip(p);
    return false;
  }
  return snap_equal(p, snap_real, &v, sizeof v);
}
inline bool snap_matches(const std::byte*& p, std::string_view s) { return snap_equal_bytes(p, snap_text, s.data(), s.size()); }
inline bool snap_matches(const std::byte*& p, BlobView b) { return snap_equal_bytes(p, snap_blob, b.data, b.size); }
inline bool snap_matches(const std::byte*& p, std::nullptr_t) {
  const bool eq = static_cast<unsigned char>(*p) == snap_null;
  p += snap_skip(p);
  return eq;
}

// One field's part of a snapshot. Templates on the field's type, not on the column, so that every column of
// every entity with the same type (std::string, std::int64_t, ...) shares one instantiation.
template <class F>
std::size_t field_snap_size(const F& f) {
  return visit_db_value(f, [](auto v) { return snap_size(v); });
}
template <class F>
std::byte* field_snap_write(std::byte* p, const F& f) {
  return visit_db_value(f, [p](auto v) { return snap_write(p, v); });
}
template <class F>
bool field_snap_matches(const std::byte*& p, const F& f) {
  return visit_db_value(f, [&p](auto v) { return snap_matches(p, v); });
}

// Snapshots of an entity cover every column but the primary key, in column order.
template <class T>
std::size_t snapshot_size(const T& e) {
  using M = EntityMeta<T>;
  return [&]<std::size_t... C>(std::index_sequence<C...>) {
    std::size_t n = 0;
    ((C == M::pk_column ? 0 : (n += field_snap_size(column_ref<C>(e)), 0)), ...);
    return n;
  }(std::make_index_sequence<M::column_count>{});
}

template <class T>
void write_snapshot(std::byte* p, const T& e) {
  using M = EntityMeta<T>;
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    ((C == M::pk_column ? 0 : (p = field_snap_write(p, column_ref<C>(e)), 0)), ...);
  }(std::make_index_sequence<M::column_count>{});
}

// A bit per column whose value differs from the snapshot.
template <class T>
std::uint64_t changed_columns(const std::byte* p, const T& e) {
  using M = EntityMeta<T>;
  std::uint64_t mask = 0;
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    ((C == M::pk_column ? 0 : (field_snap_matches(p, column_ref<C>(e)) ? 0 : (mask |= std::uint64_t{1} << C, 0))),
     ...);
  }(std::make_index_sequence<M::column_count>{});
  return mask;
}

// A copy of snapshot `old` in which column `Column` takes the entity's current value (a lazy field just
// loaded); the other columns keep their snapshot values, so unflushed changes stay changes.
template <std::size_t Column, class T>
std::byte* patch_snapshot(BlockArena& arena, const std::byte* old, const T& e, std::size_t& size_out) {
  using M = EntityMeta<T>;
  std::size_t size = 0;
  {
    const std::byte* p = old;
    for (std::size_t c = 0; c < M::column_count; ++c) {
      if (c == M::pk_column) continue;
      const std::size_t n = snap_skip(p);
      p += n;
      if (c != Column) size += n;
    }
    size += field_snap_size(column_ref<Column>(e));
  }
  std::byte* out = arena.allocate(size);
  std::byte* w = out;
  const std::byte* p = old;
  for (std::size_t c = 0; c < M::column_count; ++c) {
    if (c == M::pk_column) continue;
    const std::size_t n = snap_skip(p);
    if (c == Column) {
      w = field_snap_write(w, column_ref<Column>(e));
    } else {
      std::memcpy(w, p, n);
      w += n;
    }
    p += n;
  }
  size_out = size;
  return out;
}

// A copy of snapshot `old` in which the columns of `fresh` take the entity's current values (columns a
// query just filled in on a partially loaded entity); the other columns keep their snapshot values, so
// unflushed changes stay changes. patch_snapshot for a run-time set of columns.
template <class T>
std::size_t merged_snapshot_size(const std::byte* old, const T& e, std::uint64_t fresh) {
  using M = EntityMeta<T>;
  std::size_t n = 0;
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    ((C == M::pk_column ? 0
                        : (n += fresh >> C & 1u ? field_snap_size(column_ref<C>(e))
                                                : snap_skip(old),
                           old += snap_skip(old), 0)),
     ...);
  }(std::make_index_sequence<M::column_count>{});
  return n;
}

template <class T>
void write_merged_snapshot(std::byte* p, const std::byte* old, const T& e, std::uint64_t fresh) {
  using M = EntityMeta<T>;
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    ((C == M::pk_column ? 0 : (fresh >> C & 1u
                                   ? (p = field_snap_write(p, column_ref<C>(e)), 0)
                                   : (std::memcpy(p, old, snap_skip(old)), p += snap_skip(old), 0),
                               old += snap_skip(old), 0)),
     ...);
  }(std::make_index_sequence<M::column_count>{});
}

}  // namespace ctorm::detail
