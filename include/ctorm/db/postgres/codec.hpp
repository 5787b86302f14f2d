#pragma once
// PostgreSQL's side of moving a value between a C++ field and the database (db/sqlite/codec.hpp is
// SQLite's, with the same semantics): the parameters of one statement, built from the stored forms of
// db/value.hpp, and reading a result column back into a field with the checks that the value fits.
//
// Results come in binary or text by statement (PgStatement, connection.hpp: binary when every column's
// type is a PgColumn), and every read decodes either, by the column's type, with the same semantics: any
// column reads into any field whose type holds its value, as SQLite's values do. Parameters go in binary
// where the type the server inferred takes the value (a bigint's 8 bytes), else as text, which the server
// converts. Binary results cost the server no printing of integers and doubles and the client no parsing
// (a double's text is the dear one); for integers and text the client's instructions are about the same
// either way (libpq aligns binary values, and a binary integer needs PQgetlength to tell NULL), see
// docs/benchmarks.md, round 9.
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

// The type oids reading and binding look at (PostgreSQL's pg_type.dat; they never change).
inline constexpr Oid pg_bool_oid = 16;
inline constexpr Oid pg_bytea_oid = 17;
inline constexpr Oid pg_name_oid = 19;
inline constexpr Oid pg_int8_oid = 20;
inline constexpr Oid pg_int2_oid = 21;
inline constexpr Oid pg_int4_oid = 23;
inline constexpr Oid pg_text_oid = 25;
inline constexpr Oid pg_oid_oid = 26;
inline constexpr Oid pg_json_oid = 114;
inline constexpr Oid pg_float4_oid = 700;
inline constexpr Oid pg_float8_oid = 701;
inline constexpr Oid pg_bpchar_oid = 1042;
inline constexpr Oid pg_varchar_oid = 1043;
inline constexpr Oid pg_numeric_oid = 1700;

// A result column's type as the binary read path sees it. A statement whose columns are all one of these
// (other than `other`) asks for its results in binary; any other type (numeric, uuid, dates and times,
// arrays, a user's enum, ...) keeps the whole statement's results in text. Each of these reads into every
// kind of field exactly as its text does (a statement's first run is in text, the next in binary):
// timestamptz is not one, since its text is in the session's time zone, which its binary value does not
// carry; nor is "char", whose NUL prints as nothing.
enum class PgColumn : unsigned char { other, int2, int4, int8, oid, boolean, float4, float8, bytea, text };

inline PgColumn pg_column_of(Oid type) noexcept {
  switch (type) {
    case pg_int2_oid: return PgColumn::int2;
    case pg_int4_oid: return PgColumn::int4;
    case pg_int8_oid: return PgColumn::int8;
    case pg_oid_oid: return PgColumn::oid;
    case pg_bool_oid: return PgColumn::boolean;
    case pg_float4_oid: return PgColumn::float4;
    case pg_float8_oid: return PgColumn::float8;
    case pg_bytea_oid: return PgColumn::bytea;
    // their binary form is their text's bytes
    case pg_text_oid:
    case pg_varchar_oid:
    case pg_bpchar_oid:
    case pg_name_oid:
    case pg_json_oid: return PgColumn::text;
    default: return PgColumn::other;
  }
}

// Network byte order (PostgreSQL's binary format) to host.
[[gnu::always_inline]] inline std::uint64_t pg_load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
[[gnu::always_inline]] inline std::uint32_t pg_load32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline std::int16_t pg_load16(const char* p) noexcept {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return static_cast<std::int16_t>(__builtin_bswap16(v));
}
[[gnu::always_inline]] inline double pg_load_float8(const char* p) noexcept {
  const std::uint64_t bits = pg_load64(p);
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}
inline float pg_load_float4(const char* p) noexcept {
  const std::uint32_t bits = pg_load32(p);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// A row of a result, as SQLite's statement handle is one: what read_column_value reads from. `sql` is the
// statement's text, for the error a value that does not fit raises (a PGresult does not keep it).
// `binary` is the statement's column types when its results come in binary (one per column), else null.
struct PgRow {
  const PGresult* res;
  int row;
  std::string_view sql = {};
  const PgColumn* binary = nullptr;
};

inline bool column_is_null(PgRow r, int col) { return PQgetisnull(r.res, r.row, col) != 0; }

// The column's type when result column `col` is in binary, else PgColumn::other (text: its value is
// PostgreSQL's text output). From the result itself, for the paths that are not hot.
inline PgColumn binary_column(PgRow r, int col) {
  return PQfformat(r.res, col) == 1 ? pg_column_of(PQftype(r.res, col)) : PgColumn::other;
}

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

// A real as PostgreSQL prints it (extra_float_digits = 3): the shortest digits that read back as the same
// value, in fixed notation when the decimal exponent is at least -4 and below 15 (a double) or 6 (a
// float4), else in scientific notation (1e+15, 1.5e-07).
template <class F>
CTORM_COLD inline void append_pg_real(std::string& out, F v) {
  if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
    return;
  }
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buf[64];
  char* end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  const char* e = std::find(buf, end, 'e');
  int exponent = 0;
  std::from_chars(e + 1 + (e[1] == '+'), end, exponent);
  constexpr int fixed_below = sizeof(F) == sizeof(float) ? 6 : 15;
  if (exponent >= -4 && exponent < fixed_below)
    end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr;
  out.append(buf, end);
}

// Column i's value as PostgreSQL's text output gives it: what a text field reads, whatever the format it
// came in.
CTORM_COLD inline void pg_value_text(PgRow r, int i, std::string& out) {
  out.clear();
  if (PQgetisnull(r.res, r.row, i)) return;
  const char* p = PQgetvalue(r.res, r.row, i);
  const auto n = static_cast<std::size_t>(PQgetlength(r.res, r.row, i));
  switch (binary_column(r, i)) {
    case PgColumn::int2: out += std::to_string(pg_load16(p)); break;
    case PgColumn::int4: out += std::to_string(static_cast<std::int32_t>(pg_load32(p))); break;
    case PgColumn::int8: out += std::to_string(static_cast<std::int64_t>(pg_load64(p))); break;
    case PgColumn::oid: out += std::to_string(pg_load32(p)); break;
    case PgColumn::boolean: out += *p ? "t" : "f"; break;
    case PgColumn::float4: append_pg_real(out, pg_load_float4(p)); break;
    case PgColumn::float8: append_pg_real(out, pg_load_float8(p)); break;
    case PgColumn::bytea: {
      // as bytea_output = hex prints it
      static constexpr char digits[] = "0123456789abcdef";
      out.resize(2 + 2 * n);
      out[0] = '\\';
      out[1] = 'x';
      for (std::size_t k = 0; k < n; ++k) {
        out[2 + 2 * k] = digits[static_cast<unsigned char>(p[k]) >> 4];
        out[3 + 2 * k] = digits[static_cast<unsigned char>(p[k]) & 15];
      }
      break;
    }
    default: out.assign(p, n); break;  // text, or any column in text
  }
}

// Appends the value as the log prints it; `kind` is set to its type in words.
CTORM_COLD inline void append_column_value(std::string& out, PgRow r, int col, const char** kind = nullptr) {
  const char* k = "";
  const char* p = PQgetvalue(r.res, r.row, col);
  const auto n = static_cast<std::size_t>(PQgetlength(r.res, r.row, col));
  const bool binary = PQfformat(r.res, col) == 1;
  if (PQgetisnull(r.res, r.row, col)) {
    append_db(out, nullptr);
  } else {
    switch (PQftype(r.res, col)) {
      case pg_int2_oid:
      case pg_int4_oid:
      case pg_int8_oid:
      case pg_oid_oid:
        k = "the integer ";
        if (binary) {
          std::string text;
          pg_value_text(r, col, text);
          out += text;
        } else {
          out.append(p, n);
        }
        break;
      case pg_float4_oid:
      case pg_float8_oid:
      case pg_numeric_oid: {
        k = "the real ";
        double d = 0;
        if (binary) {
          // as its text would print: a float4 by its own shortest digits (1e-05, not 9.99999974737875e-06)
          std::string text;
          pg_value_text(r, col, text);
          std::from_chars(text.data(), text.data() + text.size(), d);
          append_db(out, d);
          break;
        }
        const auto res = std::from_chars(p, p + n, d);
        if (res.ec == std::errc{} && res.ptr == p + n)
          append_db(out, d);  // as SQLite prints it: 7.5, not numeric's 7.5000000000000000
        else
          out.append(p, n);
        break;
      }
      case pg_bool_oid:
        k = "the boolean ";
        out += (binary ? *p != 0 : *p == 't') ? "true" : "false";
        break;
      case pg_bytea_oid:
        k = "a ";
        append_db(out, BlobView{nullptr, binary ? n : n >= 2 ? (n - 2) / 2 : 0});  // text: `\x` and two digits a byte
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

// The value of a column that is not an int8 or int4 (or an integer's text), read into an integer field:
// NULL is 0 (the field's empty value, as everywhere), an integer of another width that integer, a
// boolean 1 or 0, a real or numeric that is a whole number within std::int64_t that number, text that
// is an integer's digits that integer; anything else (other text, a fraction, a number beyond
// std::int64_t, a blob) throws.
CTORM_COLD inline std::int64_t integer_from_other(PgRow r, int i, std::string_view type, const ReadSite* site) {
  if (PQgetisnull(r.res, r.row, i)) return 0;
  const char* p = PQgetvalue(r.res, r.row, i);
  const std::string_view text(p, static_cast<std::size_t>(PQgetlength(r.res, r.row, i)));
  std::int64_t x = 0;
  double d = 0;
  bool real = false;
  if (PQfformat(r.res, i) == 1) {
    switch (pg_column_of(PQftype(r.res, i))) {
      case PgColumn::int2: return pg_load16(p);
      case PgColumn::int4: return static_cast<std::int32_t>(pg_load32(p));
      case PgColumn::int8: return static_cast<std::int64_t>(pg_load64(p));
      case PgColumn::oid: return pg_load32(p);
      case PgColumn::boolean: return *p != 0;
      case PgColumn::float4: d = static_cast<double>(pg_load_float4(p)), real = true; break;
      case PgColumn::float8: d = pg_load_float8(p), real = true; break;
      case PgColumn::text:
        if (parse_pg_int64(p, x)) return x;
        break;
      default: break;
    }
  } else {
    switch (PQftype(r.res, i)) {
      case pg_bool_oid:
        return *p == 't' ? 1 : 0;
      case pg_float4_oid:
      case pg_float8_oid:
        real = parse_pg_real(p, static_cast<int>(text.size()), d);
        break;
      case pg_numeric_oid: {
        // exactly, not through a double: the integer digits of `7.000` (numeric prints no exponent)
        const std::size_t dot = text.find('.');
        if (dot != std::string_view::npos && text.find_first_not_of('0', dot + 1) == std::string_view::npos &&
            parse_pg_int64(std::string(text.substr(0, dot)).c_str(), x))
          return x;
        break;
      }
      default:
        if (parse_pg_int64(p, x)) return x;
        break;
    }
  }
  if (real && d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d)) return static_cast<std::int64_t>(d);
  throw_value_mismatch(r, i, type, site);
}

// Column i as an integer that fits T, which names the field's type in the error. The hot path is, in
// binary, a load of an int8 or int4 column's bytes; in text, one parse of the column's text; and for
// types narrower than std::int64_t a range compare. The rest is out of line. A text column that holds
// an integer's digits reads as that integer, as on SQLite.
template <class T, class Range = IntegerRange<T>>
[[gnu::always_inline]] inline std::int64_t read_integer(PgRow r, int i, const ReadSite* site) {
  std::int64_t x;
  const char* p = PQgetvalue(r.res, r.row, i);
  if (r.binary) {
    const int n = PQgetlength(r.res, r.row, i);  // 0 for NULL
    if (CTORM_LIKELY(r.binary[i] == PgColumn::int8 && n == 8))
      x = static_cast<std::int64_t>(pg_load64(p));
    else if (r.binary[i] == PgColumn::int4 && n == 4)
      x = static_cast<std::int32_t>(pg_load32(p));
    else
      x = integer_from_other(r, i, type_name<T>, site);
  } else if (CTORM_UNLIKELY(!parse_pg_int64(p, x))) {
    x = integer_from_other(r, i, type_name<T>, site);
  }
  if constexpr (!Range::all) {
    if (CTORM_UNLIKELY(x < Range::lo || x > Range::hi)) throw_value_mismatch(r, i, type_name<T>, site);
  }
  return x;
}

// A count or a key: column i as a std::int64_t (NULL is 0).
inline std::int64_t read_int64(PgRow r, int i) { return read_integer<std::int64_t>(r, i, nullptr); }

// A column that is not a double (a float8, or a real's text), read into a floating-point field: NULL is
// 0, a boolean 1 or 0, a float4 or an integer its value, text that is a real's that real; anything else
// (other text, a blob) throws.
CTORM_COLD inline double real_from_other(PgRow r, int i, std::string_view type, const ReadSite* site) {
  if (PQgetisnull(r.res, r.row, i)) return 0;
  const char* p = PQgetvalue(r.res, r.row, i);
  if (PQfformat(r.res, i) == 1) {
    double d = 0;
    switch (pg_column_of(PQftype(r.res, i))) {
      case PgColumn::boolean: return *p != 0 ? 1 : 0;
      case PgColumn::float4: return static_cast<double>(pg_load_float4(p));
      case PgColumn::int2:
      case PgColumn::int4:
      case PgColumn::int8:
      case PgColumn::oid: return static_cast<double>(integer_from_other(r, i, type, site));
      case PgColumn::text:
        if (parse_pg_real(p, PQgetlength(r.res, r.row, i), d)) return d;
        break;
      default: break;
    }
  } else if (PQftype(r.res, i) == pg_bool_oid) {
    return *p == 't' ? 1 : 0;
  }
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

// A column read into a blob that is not a bytea: NULL is empty, any other value the bytes of its text,
// as on SQLite.
CTORM_COLD inline void blob_from_other(PgRow r, int i, Blob& v) {
  std::string text;
  pg_value_text(r, i, text);
  const auto* b = reinterpret_cast<const std::byte*>(text.data());
  v.assign(b, b + text.size());
}

// Reads result column i (0-based) into v: exactly what db/sqlite/codec.hpp's read_column_value does, from
// PostgreSQL's binary results (by the column's type) or text. Strings reuse the field's buffer. Always
// inlined, as SQLite's: it is hydration's copy, run for every column of every row. A stored value that
// does not fit v's type throws ValueMismatchError naming `site` (when given); NULL reads as the field's
// empty value.
template <class T>
[[gnu::always_inline]] inline void read_column_value(PgRow r, int i, T& v, const ReadSite* site = nullptr) {
  constexpr MappingKind k = mapping_kind<T>();
  if constexpr (k == MappingKind::user) {
    using D = typename type_mapping<T>::db_type;
    D db{};
    read_column_value(r, i, db, site);
    v = type_mapping<T>::from_db(std::move(db));
  } else if constexpr (k == MappingKind::boolean) {
    const char* p = PQgetvalue(r.res, r.row, i);
    if (r.binary) {
      // a boolean's one byte (NULL's value is empty: false); an integer column's 0 or 1 as SQLite's
      if (CTORM_LIKELY(r.binary[i] == PgColumn::boolean))
        v = *p != 0;
      else
        v = read_integer<T, BoolRange>(r, i, site) != 0;
    } else if (CTORM_LIKELY((*p == 't' || *p == 'f') && p[1] == '\0')) {
      v = *p == 't';  // a boolean column's 't' or 'f'
    } else {
      v = read_integer<T, BoolRange>(r, i, site) != 0;
    }
  } else if constexpr (k == MappingKind::integer) {
    v = static_cast<T>(read_integer<T>(r, i, site));
  } else if constexpr (k == MappingKind::enumeration) {
    using U = std::underlying_type_t<T>;
    v = static_cast<T>(static_cast<U>(read_integer<T, IntegerRange<U>>(r, i, site)));
  } else if constexpr (k == MappingKind::real) {
    double d;
    const char* p = PQgetvalue(r.res, r.row, i);
    if (r.binary) {
      if (CTORM_LIKELY(r.binary[i] == PgColumn::float8 && PQgetlength(r.res, r.row, i) == 8))
        d = pg_load_float8(p);
      else
        d = real_from_other(r, i, type_name<T>, site);
    } else if (CTORM_UNLIKELY(!parse_pg_real(p, PQgetlength(r.res, r.row, i), d))) {
      d = real_from_other(r, i, type_name<T>, site);
    }
    if constexpr (sizeof(T) < sizeof(double)) {
      // a finite double beyond the type's largest value would become an infinity
      if (CTORM_UNLIKELY(std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<T>::max())))
        throw_value_mismatch(r, i, type_name<T>, site);
    }
    v = static_cast<T>(d);
  } else if constexpr (k == MappingKind::text) {
    // text's bytes, in either format; NULL's are empty: the field's empty value
    if (CTORM_LIKELY(!r.binary || r.binary[i] == PgColumn::text))
      v.assign(PQgetvalue(r.res, r.row, i), static_cast<std::size_t>(PQgetlength(r.res, r.row, i)));
    else
      pg_value_text(r, i, v);
  } else if constexpr (k == MappingKind::blob) {
    const char* p = PQgetvalue(r.res, r.row, i);
    const auto n = static_cast<std::size_t>(PQgetlength(r.res, r.row, i));
    if (r.binary) {
      if (CTORM_LIKELY(r.binary[i] == PgColumn::bytea || r.binary[i] == PgColumn::text)) {
        const auto* b = reinterpret_cast<const std::byte*>(p);
        v.assign(b, b + n);
      } else {
        blob_from_other(r, i, v);
      }
    } else if (n >= 2 && p[0] == '\\' && p[1] == 'x' && PQftype(r.res, i) == pg_bytea_oid) {
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

  // `type` is the parameter's type as the server inferred it when the statement was prepared (0 when not
  // known): a value that type takes in binary goes in binary, anything else as text, which the server
  // reads into whatever type it inferred (a bigint's text into a numeric, say), as before.
  template <class T>
  PgRefused add(const T& v, Oid type = 0) {
    return visit_db_value(v, [&](auto db) { return put(db, !pg_bound_in_place<T>(), type); });
  }

  int size() const noexcept { return size_; }
  const char* const* values() const noexcept { return values_; }
  const int* lengths() const noexcept { return lengths_; }
  const int* formats() const noexcept { return formats_; }

 private:
  PgRefused put(std::int64_t v, bool, Oid type) {
    // binary where the type holds the value; else its text, and the server's error if it does not fit
    switch (type) {
      case pg_int8_oid: return put_be64(static_cast<std::uint64_t>(v));
      case pg_int4_oid:
        if (v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max())
          return put_be32(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
        break;
      case pg_bool_oid:
        if (v == 0 || v == 1) {
          push(v ? "\1" : "\0", 1, 1);
          return PgRefused::none;
        }
        break;
      default: break;
    }
    char* p = scratch(24);
    char* end = std::to_chars(p, p + 23, v).ptr;
    *end = '\0';
    used(p, end + 1);
    push(p, static_cast<int>(end - p), 0);
    return PgRefused::none;
  }
  PgRefused put(double v, bool, Oid type) {
    if (CTORM_UNLIKELY(std::isnan(v))) return PgRefused::nan;
    if (type == pg_float8_oid) {
      std::uint64_t bits;
      std::memcpy(&bits, &v, 8);
      return put_be64(bits);
    }
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
  PgRefused put(std::string_view v, bool copy, Oid type) {
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
    // text's binary form is its bytes, with the length given (libpq runs strlen on a text parameter)
    const bool binary = type == pg_text_oid || type == pg_varchar_oid;
    push(p, static_cast<int>(v.size()), binary ? 1 : 0);
    return PgRefused::none;
  }
  PgRefused put(BlobView v, bool copy, Oid) {
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
  PgRefused put(std::nullptr_t, bool, Oid) {
    push(nullptr, 0, 0);
    return PgRefused::none;
  }

  PgRefused put_be64(std::uint64_t v) {
    char* p = scratch(8);
    v = __builtin_bswap64(v);
    std::memcpy(p, &v, 8);
    used(p, p + 8);
    push(p, 8, 1);
    return PgRefused::none;
  }
  PgRefused put_be32(std::uint32_t v) {
    char* p = scratch(4);
    v = __builtin_bswap32(v);
    std::memcpy(p, &v, 4);
    used(p, p + 4);
    push(p, 4, 1);
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
