#pragma once
// Moving one value between a C++ field and SQLite: bind, read, and print it for the query log. Every
// mapped type goes through the same four storage forms (integer, real, text, blob) or NULL.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "type_mapping.hpp"

namespace ctorm::detail {

struct BlobView {
  const void* data;
  std::size_t size;
};

// Calls f with the value as stored: std::int64_t, double, std::string_view, BlobView or nullptr.
template <class T, class F>
inline decltype(auto) visit_db_value(const T& v, F&& f) {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) {
    const auto db = type_mapping<T>::to_db(v);
    return visit_db_value(db, f);
  } else if constexpr (k == MappingKind::boolean || k == MappingKind::integer) {
    return f(static_cast<std::int64_t>(v));
  } else if constexpr (k == MappingKind::enumeration) {
    return f(static_cast<std::int64_t>(static_cast<std::underlying_type_t<T>>(v)));
  } else if constexpr (k == MappingKind::real) {
    return f(static_cast<double>(v));
  } else if constexpr (k == MappingKind::text) {
    return f(std::string_view{v});
  } else if constexpr (k == MappingKind::blob) {
    return f(BlobView{v.data(), v.size()});
  } else if constexpr (k == MappingKind::time) {
    return f(static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(v.time_since_epoch()).count()));
  } else if constexpr (k == MappingKind::optional) {
    if (!v) return f(nullptr);
    return visit_db_value(*v, f);
  } else if constexpr (k == MappingKind::ref) {
    if (!v) return f(nullptr);  // an empty required relation: the NOT NULL constraint reports it
    return visit_db_value(v.id(), f);
  } else {
    static_assert(always_false<T>, "ctorm: the type has no column mapping");
  }
}

// `copy` asks SQLite to copy text and blob bytes: needed when they live in a temporary.
inline int bind_db(sqlite3_stmt* st, int i, std::int64_t v, bool) { return sqlite3_bind_int64(st, i, v); }
inline int bind_db(sqlite3_stmt* st, int i, double v, bool) { return sqlite3_bind_double(st, i, v); }
inline int bind_db(sqlite3_stmt* st, int i, std::string_view v, bool copy) {
  // A non-null pointer even for "": a null one would bind NULL instead of an empty string.
  return sqlite3_bind_text64(st, i, v.data() ? v.data() : "", v.size(), copy ? SQLITE_TRANSIENT : SQLITE_STATIC,
                             SQLITE_UTF8);
}
inline int bind_db(sqlite3_stmt* st, int i, BlobView v, bool copy) {
  return v.size == 0 ? sqlite3_bind_zeroblob(st, i, 0)
                     : sqlite3_bind_blob64(st, i, v.data, v.size, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}
inline int bind_db(sqlite3_stmt* st, int i, std::nullptr_t, bool) { return sqlite3_bind_null(st, i); }

template <class T>
consteval bool through_temporary() {
  if constexpr (mapping_kind<T>() == MappingKind::user) return true;
  else if constexpr (mapping_kind<T>() == MappingKind::optional) return through_temporary<typename T::value_type>();
  else return false;
}
template <class T>
inline constexpr bool converts_through_temporary = through_temporary<T>();

// Binds v to parameter i (1-based). Text and blob bytes of fields are bound without a copy: they must
// stay alive until the statement is reset, which ctorm's statements always are before returning.
template <class T>
inline int bind_value(sqlite3_stmt* st, int i, const T& v) {
  return visit_db_value(v, [&](auto db) { return bind_db(st, i, db, converts_through_temporary<T>); });
}

inline void append_db(std::string& out, std::int64_t v) { out += std::to_string(v); }
inline void append_db(std::string& out, double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  out.append(buf, static_cast<std::size_t>(n));
}
inline void append_db(std::string& out, std::string_view v) {
  constexpr std::size_t max_shown = 200;
  out += '\'';
  for (std::size_t i = 0; i < v.size() && i < max_shown; ++i) {
    if (v[i] == '\'') out += '\'';
    if (v[i] == '\0')
      out += "\\0";
    else
      out += v[i];
  }
  if (v.size() > max_shown) out += "...(" + std::to_string(v.size()) + " bytes)";
  out += '\'';
}
inline void append_db(std::string& out, BlobView v) { out += "<blob " + std::to_string(v.size) + " bytes>"; }
inline void append_db(std::string& out, std::nullptr_t) { out += "null"; }

// Prints v as the query log and error messages show it.
template <class T>
inline void describe_value(std::string& out, const T& v) {
  if (!out.empty()) out += ", ";
  visit_db_value(v, [&](auto db) { append_db(out, db); });
}

// Reads result column i (0-based) into v. Strings reuse the field's buffer. This is hydration's copy,
// always inlined: it runs for every column of every row, and GCC, out of inlining budget in a large
// translation unit, left it a call on the row path of some entities. Elsewhere, read_value.
template <class T>
[[gnu::always_inline]] inline void read_column_value(sqlite3_stmt* st, int i, T& v) {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) {
    using D = typename type_mapping<T>::db_type;
    D db{};
    read_column_value(st, i, db);
    v = type_mapping<T>::from_db(std::move(db));
  } else if constexpr (k == MappingKind::boolean) {
    v = sqlite3_column_int64(st, i) != 0;
  } else if constexpr (k == MappingKind::integer) {
    v = static_cast<T>(sqlite3_column_int64(st, i));
  } else if constexpr (k == MappingKind::enumeration) {
    v = static_cast<T>(static_cast<std::underlying_type_t<T>>(sqlite3_column_int64(st, i)));
  } else if constexpr (k == MappingKind::real) {
    v = static_cast<T>(sqlite3_column_double(st, i));
  } else if constexpr (k == MappingKind::text) {
    // One column lookup, then the value's text and size (blobs below likewise): sqlite3_column_text and
    // sqlite3_column_bytes would each look the column up and redo the statement's error bookkeeping. The
    // value is unprotected, which is safe because a connection is used by one thread at a time.
    sqlite3_value* cv = sqlite3_column_value(st, i);
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(cv));
    const int n = sqlite3_value_bytes(cv);
    if (p)
      v.assign(p, static_cast<std::size_t>(n));
    else
      v.clear();
  } else if constexpr (k == MappingKind::blob) {
    sqlite3_value* cv = sqlite3_column_value(st, i);
    const auto* p = static_cast<const std::byte*>(sqlite3_value_blob(cv));
    const int n = sqlite3_value_bytes(cv);
    v.assign(p, p + n);
  } else if constexpr (k == MappingKind::time) {
    v = T{std::chrono::duration_cast<typename T::duration>(std::chrono::milliseconds{sqlite3_column_int64(st, i)})};
  } else if constexpr (k == MappingKind::optional) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) {
      v.reset();
    } else {
      if (!v) v.emplace();
      read_column_value(st, i, *v);
    }
  } else {
    static_assert(always_false<T>, "ctorm: the type has no column mapping");
  }
}

template <class T>
inline void read_value(sqlite3_stmt* st, int i, T& v) {
  read_column_value(st, i, v);
}

}  // namespace ctorm::detail
