#pragma once
// A field's value as the database stores it, whatever the database: one of five forms (integer, real,
// text, blob, NULL), printed for the query log, and the facts about where a value is read to that a read
// error names. Each backend's codec (db/<backend>/codec.hpp) binds and reads these forms.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <ratio>
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

// Whether a value is converted into a temporary before it is bound (a user mapping's to_db, the key a
// Ref's id() returns by value): the backend must then copy its bytes.
template <class T>
consteval bool through_temporary() {
  if constexpr (mapping_kind<T>() == MappingKind::user || mapping_kind<T>() == MappingKind::ref) return true;
  else if constexpr (mapping_kind<T>() == MappingKind::optional) return through_temporary<typename T::value_type>();
  else return false;
}
template <class T>
inline constexpr bool converts_through_temporary = through_temporary<T>();

inline void append_db(std::string& out, std::int64_t v) { out += std::to_string(v); }
inline void append_db(std::string& out, double v) {
  // The shortest text that reads back as the same double: 0.99, not 0.98999999999999999.
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
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

// Where a column value is read to, for the error a value that does not fit it raises: the entity's table
// and column, and where the row's key is in the result (`key_delta` columns after the value's; none when
// `key_column` is empty). All compile-time constants: nothing on the hot path computes them. Without a
// site the error names the result column.
struct ReadSite {
  std::string_view table;
  std::string_view column;
  std::string_view key_column;
  int key_delta = 0;
};

// The bounds of the integers that fit T (ctorm stores every integer as a std::int64_t; std::uint64_t keeps
// its bit pattern, so every stored value fits it).
template <class T>
struct IntegerRange {
  static constexpr bool all = sizeof(T) >= sizeof(std::int64_t);
  static constexpr std::int64_t lo = all ? 0 : static_cast<std::int64_t>(std::numeric_limits<T>::min());
  static constexpr std::int64_t hi = all ? 0 : static_cast<std::int64_t>(std::numeric_limits<T>::max());
};

struct BoolRange {
  static constexpr bool all = false;
  static constexpr std::int64_t lo = 0;
  static constexpr std::int64_t hi = 1;
};

// The milliseconds a time point of duration D holds exactly. When a millisecond is a whole number of D's
// periods (std::chrono's clocks) converting is a multiplication, and a range compare is the whole check;
// otherwise read_column_value converts the value back and compares.
template <class D>
struct MillisecondRange {
  using Factor = std::ratio_divide<std::milli, typename D::period>;
  static constexpr bool integral = std::is_integral_v<typename D::rep>;
  static constexpr bool exact = !integral || Factor::den == 1;
  static constexpr std::int64_t lo = integral && exact
                                         ? std::chrono::duration_cast<std::chrono::milliseconds>(D::min()).count()
                                         : std::numeric_limits<std::int64_t>::min();
  static constexpr std::int64_t hi = integral && exact
                                         ? std::chrono::duration_cast<std::chrono::milliseconds>(D::max()).count()
                                         : std::numeric_limits<std::int64_t>::max();
  static constexpr bool all =
      lo == std::numeric_limits<std::int64_t>::min() && hi == std::numeric_limits<std::int64_t>::max();
};

}  // namespace ctorm::detail
