#pragma once
// SQLite's side of moving a value between a C++ field and the database: binding the stored forms of
// db/value.hpp and reading a result column back into a field, with the checks that a stored value fits.
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "../../config.hpp"
#include "../../error.hpp"
#include "../../reflect/type_name.hpp"
#include "../value.hpp"

namespace ctorm::detail {

// What bind_db returns for a value ctorm refuses to bind (a NaN); SQLite's result codes are never negative.
inline constexpr int invalid_value_rc = -1;

// `copy` asks SQLite to copy text and blob bytes: needed when they live in a temporary.
inline int bind_db(sqlite3_stmt* st, int i, std::int64_t v, bool) { return sqlite3_bind_int64(st, i, v); }
inline int bind_db(sqlite3_stmt* st, int i, double v, bool) {
  // SQLite binds a NaN as NULL: an optional field would read back empty, a required one fail as NOT NULL.
  if (CTORM_UNLIKELY(std::isnan(v))) return invalid_value_rc;
  return sqlite3_bind_double(st, i, v);
}
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

// Binds v to parameter i (1-based). Text and blob bytes of fields are bound without a copy: they must
// stay alive until the statement is reset, which ctorm's statements always are before returning.
template <class T>
inline int bind_value(sqlite3_stmt* st, int i, const T& v) {
  return visit_db_value(v, [&](auto db) { return bind_db(st, i, db, converts_through_temporary<T>); });
}

// Appends the value as the log prints it; `kind` is set to its storage class in words.
CTORM_COLD inline void append_column_value(std::string& out, sqlite3_value* cv, const char** kind = nullptr) {
  const char* k = "";
  switch (sqlite3_value_type(cv)) {
    case SQLITE_INTEGER:
      k = "the integer ";
      append_db(out, static_cast<std::int64_t>(sqlite3_value_int64(cv)));
      break;
    case SQLITE_FLOAT:
      k = "the real ";
      append_db(out, sqlite3_value_double(cv));
      break;
    case SQLITE_TEXT:
      k = "the text ";
      append_db(out, std::string_view(reinterpret_cast<const char*>(sqlite3_value_text(cv)),
                                      static_cast<std::size_t>(sqlite3_value_bytes(cv))));
      break;
    case SQLITE_BLOB:
      k = "a ";
      append_db(out, BlobView{nullptr, static_cast<std::size_t>(sqlite3_value_bytes(cv))});
      break;
    default:
      append_db(out, nullptr);
      break;
  }
  if (kind) *kind = k;
}

// Throws ValueMismatchError: result column i holds a value that the field (of type `type`) cannot hold.
CTORM_COLD [[noreturn]] inline void throw_value_mismatch(sqlite3_stmt* st, int i, std::string_view type,
                                                          const ReadSite* site) {
  std::string msg = "ctorm: ";
  if (site) {
    msg += "column \"" + std::string(site->column) + "\" of \"" + std::string(site->table) + "\"";
    if (!site->key_column.empty()) {
      msg += " (row \"" + std::string(site->key_column) + "\" = ";
      append_column_value(msg, sqlite3_column_value(st, i + site->key_delta));
      msg += ')';
    }
  } else {
    const char* name = sqlite3_column_name(st, i);
    msg += "result column \"" + std::string(name ? name : "?") + "\"";
  }
  std::string value;
  const char* kind = "";
  append_column_value(value, sqlite3_column_value(st, i), &kind);
  msg += " holds ";
  msg += kind;
  msg += value + ", which does not fit the field's type " + std::string(type);
  const char* sql = sqlite3_sql(st);
  throw ValueMismatchError(msg, sql ? sql : "");
}

// The value of a non-integer column read into an integer field: NULL is 0 (the field's empty value, as
// everywhere), a real that is a whole number within std::int64_t is that number; anything else throws.
CTORM_COLD inline std::int64_t integer_from_other(sqlite3_stmt* st, int i, sqlite3_value* cv, std::string_view type,
                                                  const ReadSite* site) {
  const int t = sqlite3_value_type(cv);
  if (t == SQLITE_NULL) return 0;
  if (t == SQLITE_FLOAT) {
    const double d = sqlite3_value_double(cv);
    if (d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d)) return static_cast<std::int64_t>(d);
  }
  throw_value_mismatch(st, i, type, site);
}

// Column i as an integer that fits T, which names the field's type in the error. The hot path is one
// type test and, for types narrower than std::int64_t, a range compare; the rest is out of line.
template <class T, class Range = IntegerRange<T>>
[[gnu::always_inline]] inline std::int64_t read_integer(sqlite3_stmt* st, int i, const ReadSite* site) {
  sqlite3_value* cv = sqlite3_column_value(st, i);
  std::int64_t x;
  if (CTORM_LIKELY(sqlite3_value_type(cv) == SQLITE_INTEGER))
    x = sqlite3_value_int64(cv);
  else
    x = integer_from_other(st, i, cv, type_name<T>, site);
  if constexpr (!Range::all) {
    if (CTORM_UNLIKELY(x < Range::lo || x > Range::hi)) throw_value_mismatch(st, i, type_name<T>, site);
  }
  return x;
}

// Reads result column i (0-based) into v. Strings reuse the field's buffer. This is hydration's copy,
// always inlined: it runs for every column of every row, and GCC, out of inlining budget in a large
// translation unit, left it a call on the row path of some entities. Elsewhere, read_value. A stored
// value that does not fit v's type throws ValueMismatchError naming `site` (when given); NULL reads as the
// field's empty value.
template <class T>
[[gnu::always_inline]] inline void read_column_value(sqlite3_stmt* st, int i, T& v, const ReadSite* site = nullptr) {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) {
    using D = typename type_mapping<T>::db_type;
    D db{};
    read_column_value(st, i, db, site);
    v = type_mapping<T>::from_db(std::move(db));
  } else if constexpr (k == MappingKind::boolean) {
    v = read_integer<T, BoolRange>(st, i, site) != 0;
  } else if constexpr (k == MappingKind::integer) {
    v = static_cast<T>(read_integer<T>(st, i, site));
  } else if constexpr (k == MappingKind::enumeration) {
    using U = std::underlying_type_t<T>;
    v = static_cast<T>(static_cast<U>(read_integer<T, IntegerRange<U>>(st, i, site)));
  } else if constexpr (k == MappingKind::real) {
    sqlite3_value* cv = sqlite3_column_value(st, i);
    const int t = sqlite3_value_type(cv);
    if (CTORM_UNLIKELY(t == SQLITE_TEXT || t == SQLITE_BLOB)) throw_value_mismatch(st, i, type_name<T>, site);
    const double d = sqlite3_value_double(cv);
    if constexpr (sizeof(T) < sizeof(double)) {
      // a finite double beyond the type's largest value would become an infinity
      if (CTORM_UNLIKELY(std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<T>::max())))
        throw_value_mismatch(st, i, type_name<T>, site);
    }
    v = static_cast<T>(d);
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
    using D = typename T::duration;
    const std::chrono::milliseconds ms{read_integer<T, MillisecondRange<D>>(st, i, site)};
    const D d = std::chrono::duration_cast<D>(ms);
    if constexpr (!MillisecondRange<D>::exact) {
      if (CTORM_UNLIKELY(std::chrono::duration_cast<std::chrono::milliseconds>(d) != ms))
        throw_value_mismatch(st, i, type_name<T>, site);
    }
    v = T{d};
  } else if constexpr (k == MappingKind::optional) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) {
      v.reset();
    } else {
      if (!v) v.emplace();
      read_column_value(st, i, *v, site);
    }
  } else {
    static_assert(always_false<T>, "ctorm: the type has no column mapping");
  }
}

template <class T>
inline void read_value(sqlite3_stmt* st, int i, T& v, const ReadSite* site = nullptr) {
  read_column_value(st, i, v, site);
}

inline bool column_is_null(sqlite3_stmt* st, int i) { return sqlite3_column_type(st, i) == SQLITE_NULL; }

// An integer result (a count, a rowid key) without the checks of read_integer.
inline std::int64_t read_int64(sqlite3_stmt* st, int i) { return sqlite3_column_int64(st, i); }

// A row of an SQLite result, as the code above db/ sees it: the statement being stepped, in a type of
// ctorm's own, so that the row functions (read_value, column_is_null, ...) are found by argument-dependent
// lookup for every backend's row alike.
struct SqliteRow {
  sqlite3_stmt* st;
};

template <class T>
[[gnu::always_inline]] inline void read_column_value(SqliteRow r, int i, T& v, const ReadSite* site = nullptr) {
  read_column_value(r.st, i, v, site);
}
template <class T>
inline void read_value(SqliteRow r, int i, T& v, const ReadSite* site = nullptr) {
  read_column_value(r.st, i, v, site);
}
inline bool column_is_null(SqliteRow r, int i) { return column_is_null(r.st, i); }
inline std::int64_t read_int64(SqliteRow r, int i) { return read_int64(r.st, i); }
CTORM_COLD [[noreturn]] inline void throw_value_mismatch(SqliteRow r, int i, std::string_view type,
                                                          const ReadSite* site) {
  throw_value_mismatch(r.st, i, type, site);
}

}  // namespace ctorm::detail
