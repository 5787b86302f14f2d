#pragma once
// PostgreSQL's side of moving a value between a C++ field and the database (db/sqlite/codec.hpp is
// SQLite's, with the same semantics): the parameters of one statement, built from the stored forms of
// db/value.hpp, and reading a result column back into a field with the checks that the value fits.
//
// Parameters and results travel in libpq's text format, except blobs, which are bound in binary (no
// escaping). Text reads into any field whatever the column's type, as SQLite's values do. Binary results
// would be faster (measured on a local server, a row of three integers, a double, a text and a boolean:
// 800 client instructions to read as text, 530 as binary, and the whole query 15-20% slower as text,
// mostly the double's printing and parsing); moving to them means this file's read path, dispatching on
// the column's type, and the result format PgQuery asks for.
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "../../config.hpp"
#include "../../error.hpp"
#include "../../reflect/type_name.hpp"
#include "../value.hpp"

namespace ctorm::detail {

// The type oids reading looks at (PostgreSQL's pg_type.dat; they never change).
inline constexpr Oid pg_bool_oid = 16;
inline constexpr Oid pg_bytea_oid = 17;
inline constexpr Oid pg_int8_oid = 20;
inline constexpr Oid pg_int2_oid = 21;
inline constexpr Oid pg_int4_oid = 23;
inline constexpr Oid pg_oid_oid = 26;
inline constexpr Oid pg_float4_oid = 700;
inline constexpr Oid pg_float8_oid = 701;
inline constexpr Oid pg_numeric_oid = 1700;

// A row of a result, as SQLite's statement handle is one: what read_column_value reads from. `sql` is the
// statement's text, for the error a value that does not fit raises (a PGresult does not keep it).
struct PgRow {
  const PGresult* res;
  int row;
  std::string_view sql = {};
};

inline bool column_is_null(PgRow r, int col) { return PQgetisnull(r.res, r.row, col) != 0; }

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

// Appends the value as the log prints it; `kind` is set to its type in words.
CTORM_COLD inline void append_column_value(std::string& out, PgRow r, int col, const char** kind = nullptr) {
  const char* k = "";
  const char* p = PQgetvalue(r.res, r.row, col);
  const auto n = static_cast<std::size_t>(PQgetlength(r.res, r.row, col));
  if (PQgetisnull(r.res, r.row, col)) {
    append_db(out, nullptr);
  } else {
    switch (PQftype(r.res, col)) {
      case pg_int2_oid:
      case pg_int4_oid:
      case pg_int8_oid:
      case pg_oid_oid:
        k = "the integer ";
        out.append(p, n);
        break;
      case pg_float4_oid:
      case pg_float8_oid:
      case pg_numeric_oid: {
        k = "the real ";
        double d = 0;
        const auto res = std::from_chars(p, p + n, d);
        if (res.ec == std::errc{} && res.ptr == p + n)
          append_db(out, d);  // as SQLite prints it: 7.5, not numeric's 7.5000000000000000
        else
          out.append(p, n);
        break;
      }
      case pg_bool_oid:
        k = "the boolean ";
        out += *p == 't' ? "true" : "false";
        break;
      case pg_bytea_oid:
        k = "a ";
        append_db(out, BlobView{nullptr, n >= 2 ? (n - 2) / 2 : 0});  // `\x` and two digits a byte
        break;
      default:
        k = "the text ";
        append_db(out, std::string_view(p, n));
        break;
    }
  }
  if (kind) *kind = k;
}

// Throws ValueMismatchError: result column i holds a value that the field (of type `type`) cannot hold.
// Names the entity's table, column and row key from `site`, or else the result column.
CTORM_COLD [[noreturn]] inline void throw_value_mismatch(PgRow r, int i, std::string_view type, const ReadSite* site) {
  std::string msg = "ctorm: ";
  if (site) {
    msg += "column \"" + std::string(site->column) + "\" of \"" + std::string(site->table) + "\"";
    if (!site->key_column.empty()) {
      msg += " (row \"" + std::string(site->key_column) + "\" = ";
      append_column_value(msg, r, i + site->key_delta);
      msg += ')';
    }
  } else {
    const char* name = PQfname(r.res, i);
    msg += "result column \"" + std::string(name ? name : "?") + "\"";
  }
  std::string value;
  const char* kind = "";
  append_column_value(value, r, i, &kind);
  msg += " holds ";
  msg += kind;
  msg += value + ", which does not fit the field's type " + std::string(type);
  throw ValueMismatchError(msg, std::string(r.sql));
}

// A real in PostgreSQL's text output (Infinity, -Infinity and NaN too: from_chars ignores case); false
// unless the whole text is one.
inline bool parse_pg_real(const char* p, int n, double& out) {
  const char* end = p + n;
  const auto r = std::from_chars(p, end, out);
  return r.ec == std::errc{} && r.ptr == end;
}

// An integer column's text (an optional '-' and digits, NUL-terminated, as PostgreSQL prints them) in
// std::int64_t; false for any other text (NULL's empty one included) and for a number beyond it. Not
// std::from_chars, which is not inlined and took 120 instructions an integer (libstdc++ 12); this takes
// about 5 a digit, and needs no PQgetlength.
[[gnu::always_inline]] inline bool parse_pg_int64(const char* p, std::int64_t& out) {
  const bool negative = *p == '-';
  p += negative;
  std::uint64_t v = static_cast<unsigned char>(*p) - static_cast<unsigned>('0');
  if (v > 9) return false;
  for (int digits = 1;; ++digits) {
    const unsigned d = static_cast<unsigned char>(*++p) - static_cast<unsigned>('0');
    if (d > 9) break;
    if (digits == 19) return false;  // 20 digits: beyond std::int64_t (19 never overflow the unsigned sum)
    v = v * 10 + d;
  }
  if (*p != '\0') return false;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (v > max + negative) return false;
  out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);  // 0 - 2^63 wraps to the minimum
  return true;
}

// The value of a column that is not an integer's text, read into an integer field: NULL is 0 (the
// field's empty value, as everywhere), a boolean 1 or 0, a real or numeric that is a whole number within
// std::int64_t that number; anything else (text, a fraction, a number beyond std::int64_t) throws.
CTORM_COLD inline std::int64_t integer_from_other(PgRow r, int i, std::string_view type, const ReadSite* site) {
  if (PQgetisnull(r.res, r.row, i)) return 0;
  const char* p = PQgetvalue(r.res, r.row, i);
  const std::string_view text(p, static_cast<std::size_t>(PQgetlength(r.res, r.row, i)));
  switch (PQftype(r.res, i)) {
    case pg_bool_oid:
      return *p == 't' ? 1 : 0;
    case pg_float4_oid:
    case pg_float8_oid: {
      double d = 0;
      if (parse_pg_real(p, static_cast<int>(text.size()), d) && d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d))
        return static_cast<std::int64_t>(d);
      break;
    }
    case pg_numeric_oid: {
      // exactly, not through a double: the integer digits of `7.000` (numeric prints no exponent)
      const std::size_t dot = text.find('.');
      std::int64_t x = 0;
      if (dot != std::string_view::npos && text.find_first_not_of('0', dot + 1) == std::string_view::npos &&
          parse_pg_int64(std::string(text.substr(0, dot)).c_str(), x))
        return x;
      break;
    }
    default:
      break;
  }
  throw_value_mismatch(r, i, type, site);
}

// Column i as an integer that fits T, which names the field's type in the error. The hot path is one
// parse of the column's text and, for types narrower than std::int64_t, a range compare; the rest is out
// of line. A text column that holds an integer's digits reads as that integer (PostgreSQL's text results
// do not say so without asking for the column's type, which the hot path does not).
template <class T, class Range = IntegerRange<T>>
[[gnu::always_inline]] inline std::int64_t read_integer(PgRow r, int i, const ReadSite* site) {
  std::int64_t x;
  if (CTORM_UNLIKELY(!parse_pg_int64(PQgetvalue(r.res, r.row, i), x)))
    x = integer_from_other(r, i, type_name<T>, site);
  if constexpr (!Range::all) {
    if (CTORM_UNLIKELY(x < Range::lo || x > Range::hi)) throw_value_mismatch(r, i, type_name<T>, site);
  }
  return x;
}

// A count or a key: column i as a std::int64_t (NULL is 0).
inline std::int64_t read_int64(PgRow r, int i) { return read_integer<std::int64_t>(r, i, nullptr); }

// A column that is not a real's text, read into a floating-point field: NULL is 0, a boolean 1 or 0;
// anything else (text, a blob) throws.
CTORM_COLD inline double real_from_other(PgRow r, int i, std::string_view type, const ReadSite* site) {
  if (PQgetisnull(r.res, r.row, i)) return 0;
  if (PQftype(r.res, i) == pg_bool_oid) return *PQgetvalue(r.res, r.row, i) == 't' ? 1 : 0;
  throw_value_mismatch(r, i, type, site);
}

// bytea's hex output (`\x0aff...`) into bytes.
CTORM_NOINLINE inline void decode_bytea_hex(const char* p, std::size_t n, Blob& out) {
  const auto nibble = [](char c) -> unsigned {
    return c <= '9' ? static_cast<unsigned>(c - '0') : static_cast<unsigned>((c | 0x20) - 'a' + 10);
  };
  out.resize((n - 2) / 2);
  for (std::size_t i = 0, j = 2; i < out.size(); ++i, j += 2)
    out[i] = static_cast<std::byte>(nibble(p[j]) << 4 | nibble(p[j + 1]));
}

// Reads result column i (0-based) into v: exactly what db/sqlite/codec.hpp's read_column_value does, from
// PostgreSQL's text. Strings reuse the field's buffer; integers are parsed in place. Always inlined, as
// SQLite's: it is hydration's copy, run for every column of every row. A stored value that does not fit
// v's type throws ValueMismatchError naming `site` (when given); NULL reads as the field's empty value.
template <class T>
[[gnu::always_inline]] inline void read_column_value(PgRow r, int i, T& v, const ReadSite* site = nullptr) {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) {
    using D = typename type_mapping<T>::db_type;
    D db{};
    read_column_value(r, i, db, site);
    v = type_mapping<T>::from_db(std::move(db));
  } else if constexpr (k == MappingKind::boolean) {
    // a boolean column's 't' or 'f'; an integer column's 0 or 1 as SQLite's
    const char* p = PQgetvalue(r.res, r.row, i);
    if (CTORM_LIKELY((*p == 't' || *p == 'f') && p[1] == '\0'))
      v = *p == 't';
    else
      v = read_integer<T, BoolRange>(r, i, site) != 0;
  } else if constexpr (k == MappingKind::integer) {
    v = static_cast<T>(read_integer<T>(r, i, site));
  } else if constexpr (k == MappingKind::enumeration) {
    using U = std::underlying_type_t<T>;
    v = static_cast<T>(static_cast<U>(read_integer<T, IntegerRange<U>>(r, i, site)));
  } else if constexpr (k == MappingKind::real) {
    double d;
    if (CTORM_UNLIKELY(!parse_pg_real(PQgetvalue(r.res, r.row, i), PQgetlength(r.res, r.row, i), d)))
      d = real_from_other(r, i, type_name<T>, site);
    if constexpr (sizeof(T) < sizeof(double)) {
      // a finite double beyond the type's largest value would become an infinity
      if (CTORM_UNLIKELY(std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<T>::max())))
        throw_value_mismatch(r, i, type_name<T>, site);
    }
    v = static_cast<T>(d);
  } else if constexpr (k == MappingKind::text) {
    // NULL's text is empty: the field's empty value
    v.assign(PQgetvalue(r.res, r.row, i), static_cast<std::size_t>(PQgetlength(r.res, r.row, i)));
  } else if constexpr (k == MappingKind::blob) {
    const char* p = PQgetvalue(r.res, r.row, i);
    const auto n = static_cast<std::size_t>(PQgetlength(r.res, r.row, i));
    if (n >= 2 && p[0] == '\\' && p[1] == 'x' && PQftype(r.res, i) == pg_bytea_oid) {
      decode_bytea_hex(p, n, v);
    } else {
      // NULL, or text read into a blob: its bytes, as SQLite
      const auto* b = reinterpret_cast<const std::byte*>(p);
      v.assign(b, b + n);
    }
  } else if constexpr (k == MappingKind::time) {
    using D = typename T::duration;
    const std::chrono::milliseconds ms{read_integer<T, MillisecondRange<D>>(r, i, site)};
    const D d = std::chrono::duration_cast<D>(ms);
    if constexpr (!MillisecondRange<D>::exact) {
      if (CTORM_UNLIKELY(std::chrono::duration_cast<std::chrono::milliseconds>(d) != ms))
        throw_value_mismatch(r, i, type_name<T>, site);
    }
    v = T{d};
  } else if constexpr (k == MappingKind::optional) {
    if (PQgetisnull(r.res, r.row, i)) {
      v.reset();
    } else {
      if (!v) v.emplace();
      read_column_value(r, i, *v, site);
    }
  } else {
    static_assert(always_false<T>, "ctorm: the type has no column mapping");
  }
}

template <class T>
inline void read_value(PgRow r, int i, T& v, const ReadSite* site = nullptr) {
  read_column_value(r, i, v, site);
}

// ---------------------------------------------------------------------------------------------------
// Binding
// ---------------------------------------------------------------------------------------------------

// Why PgParams::add refused a value; the statement must not run.
enum class PgRefused : unsigned char { none, nan, nul_in_text };

// Whether a value's text or bytes are a field's own (a std::string, a ctorm::Blob, or one in an optional),
// which can be passed in place: a user mapping's to_db, or a relation's key (Ref::id() returns a copy),
// gives a temporary.
template <class T>
consteval bool pg_bound_in_place() {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::optional) return pg_bound_in_place<typename T::value_type>();
  else return k == MappingKind::text || k == MappingKind::blob;
}

// The parameters of one statement as libpq takes them: three parallel arrays (values, lengths, formats).
// A number's text, and the bytes of a value made in a temporary, are kept in a small arena (then in
// blocks of their own); text and blobs of fields are passed where they are, which is safe because a
// statement runs before the fields it bound can change. Sixteen parameters and 256 bytes of numbers fit
// without allocating.
class PgParams {
 public:
  PgParams() = default;
  PgParams(const PgParams&) = delete;
  PgParams& operator=(const PgParams&) = delete;

  template <class T>
  PgRefused add(const T& v) {
    return visit_db_value(v, [&](auto db) { return put(db, !pg_bound_in_place<T>()); });
  }

  int size() const noexcept { return size_; }
  const char* const* values() const noexcept { return values_; }
  const int* lengths() const noexcept { return lengths_; }
  const int* formats() const noexcept { return formats_; }

 private:
  PgRefused put(std::int64_t v, bool) {
    char* p = scratch(24);
    char* end = std::to_chars(p, p + 23, v).ptr;
    *end = '\0';
    used(p, end + 1);
    push(p, static_cast<int>(end - p), 0);
    return PgRefused::none;
  }
  PgRefused put(double v, bool) {
    if (CTORM_UNLIKELY(std::isnan(v))) return PgRefused::nan;
    if (CTORM_UNLIKELY(std::isinf(v))) {
      push(v > 0 ? "Infinity" : "-Infinity", v > 0 ? 8 : 9, 0);
      return PgRefused::none;
    }
    char* p = scratch(32);
    char* end = std::to_chars(p, p + 31, v).ptr;  // the shortest text that reads back as the same double
    *end = '\0';
    used(p, end + 1);
    push(p, static_cast<int>(end - p), 0);
    return PgRefused::none;
  }
  PgRefused put(std::string_view v, bool copy) {
    // libpq reads a text parameter up to its NUL; PostgreSQL's text cannot hold one anyway
    if (CTORM_UNLIKELY(!v.empty() && std::memchr(v.data(), '\0', v.size()) != nullptr)) return PgRefused::nul_in_text;
    const char* p = v.data();  // a std::string's: NUL-terminated
    if (copy || !p) {
      char* c = scratch(v.size() + 1);
      if (!v.empty()) std::memcpy(c, v.data(), v.size());
      c[v.size()] = '\0';
      used(c, c + v.size() + 1);
      p = c;
    }
    push(p, static_cast<int>(v.size()), 0);
    return PgRefused::none;
  }
  PgRefused put(BlobView v, bool copy) {
    // a null pointer would bind NULL: an empty blob points at something
    const char* p = v.size ? static_cast<const char*>(v.data) : "";
    if (copy && v.size) {
      char* c = scratch(v.size);
      std::memcpy(c, v.data, v.size);
      used(c, c + v.size);
      p = c;
    }
    push(p, static_cast<int>(v.size), 1);
    return PgRefused::none;
  }
  PgRefused put(std::nullptr_t, bool) {
    push(nullptr, 0, 0);
    return PgRefused::none;
  }

  void push(const char* value, int length, int format) {
    if (CTORM_UNLIKELY(size_ == capacity_)) grow();
    values_[size_] = value;
    lengths_[size_] = length;
    formats_[size_] = format;
    ++size_;
  }
  CTORM_NOINLINE void grow() {
    const int cap = capacity_ * 2;
    auto values = std::make_unique<const char*[]>(static_cast<std::size_t>(cap));
    auto lengths = std::make_unique<int[]>(static_cast<std::size_t>(cap));
    auto formats = std::make_unique<int[]>(static_cast<std::size_t>(cap));
    std::copy(values_, values_ + size_, values.get());
    std::copy(lengths_, lengths_ + size_, lengths.get());
    std::copy(formats_, formats_ + size_, formats.get());
    heap_values_ = std::move(values);
    heap_lengths_ = std::move(lengths);
    heap_formats_ = std::move(formats);
    values_ = heap_values_.get();
    lengths_ = heap_lengths_.get();
    formats_ = heap_formats_.get();
    capacity_ = cap;
  }

  // Room for n bytes that stay where they are until the statement ran; `used` says how many were taken.
  char* scratch(std::size_t n) {
    if (CTORM_LIKELY(arena_used_ + n <= sizeof arena_)) return arena_ + arena_used_;
    return block(n);
  }
  void used(const char* begin, const char* end) {
    if (begin == arena_ + arena_used_) arena_used_ += static_cast<std::size_t>(end - begin);
  }
  CTORM_NOINLINE char* block(std::size_t n) {
    blocks_.emplace_back(std::make_unique<char[]>(n));
    return blocks_.back().get();
  }

  static constexpr int inline_count = 16;
  int size_ = 0;
  int capacity_ = inline_count;
  const char** values_ = inline_values_;
  int* lengths_ = inline_lengths_;
  int* formats_ = inline_formats_;
  std::size_t arena_used_ = 0;
  const char* inline_values_[inline_count];
  int inline_lengths_[inline_count];
  int inline_formats_[inline_count];
  char arena_[256];
  std::unique_ptr<const char*[]> heap_values_;
  std::unique_ptr<int[]> heap_lengths_;
  std::unique_ptr<int[]> heap_formats_;
  std::vector<std::unique_ptr<char[]>> blocks_;  // moving a block's pointer leaves its bytes where they are
};

}  // namespace ctorm::detail
