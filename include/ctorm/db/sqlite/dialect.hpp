#pragma once
// How SQLite spells what differs between databases, as compile-time facts: the statement builders ask the
// writer's dialect (`W::dialect`) and never which database they write for. Needs no SQLite header, so
// that SQL text can be made (and tested) without the C library.
#include <cstddef>
#include <string_view>

#include "../../text/static_text.hpp"
#include "../type_mapping.hpp"

namespace ctorm::detail {

struct SqliteDialect {
  static constexpr std::string_view name = "SQLite";

  template <class W>
  static constexpr void put_placeholder(W& w, std::size_t) {
    w.put('?');
  }

  // The type of a column that names none (no column_type option, no type_mapping sql_type). `length`:
  // a text's max_length, or 0.
  template <class W>
  static constexpr void put_column_type(W& w, MappingKind kind, std::size_t length) {
    switch (kind) {
      case MappingKind::real: w.put("real"); break;
      case MappingKind::text:
        if (length == 0) {
          w.put("text");
        } else {
          w.put("varchar(");
          put_number(w, length);
          w.put(')');
        }
        break;
      case MappingKind::blob: w.put("blob"); break;
      default: w.put("integer"); break;  // integers, booleans, enums, time points: SQLite's integer
    }
  }

  // After the key column's type: `integer primary key` makes the column the rowid, which SQLite fills
  // when it is not given; autoincrement never reuses the key of a deleted row (MikroORM's behaviour).
  template <class W>
  static constexpr void put_primary_key(W& w, bool generated) {
    w.put(generated ? " primary key autoincrement" : " primary key");
  }

  // An insert learns its generated key from sqlite3_last_insert_rowid: nothing to add to the text.
  template <class W>
  static constexpr void put_returning_key(W&, std::string_view) {}

  // A generated key's value in an upsert row: bound, NULL when unset, which SQLite replaces with a new key.
  template <class W>
  static constexpr void put_generated_key_value(W& w, std::string_view, std::string_view) {
    w.placeholder();
  }

  // An offset with no limit: SQLite's grammar wants a limit before an offset, -1 being none.
  static constexpr std::string_view no_limit = " limit -1";

  // `in` an empty list: SQLite reads `in ()` as false and `not in ()` as true, even for NULL.
  template <class W>
  static constexpr void put_empty_in(W& w, bool negated) {
    w.put(negated ? " not in ()" : " in ()");
  }

  // Matching that ignores case: SQLite's like already does (for ASCII letters).
  static constexpr std::string_view ilike = " like ";
  // A like pattern in which nothing escapes (ctorm::escaped not given): SQLite's like has no escape
  // character unless one is named.
  static constexpr std::string_view like_without_escape = "";

  // group_concat(e) or group_concat(e, separator): SQLite's own aggregate, "," unless a separator is
  // given. `value()` and `separator()` write the argument and the separator.
  template <class W, class V, class S>
  static constexpr void put_group_concat(W& w, bool distinct, bool has_separator, V value, S separator) {
    w.put(distinct ? "group_concat(distinct " : "group_concat(");
    value();
    if (has_separator) {
      w.put(", ");
      separator();
    }
    w.put(')');
  }

};

// SQLite's dialect where a backend is asked for and none is known (a query made on its own, the public
// create_table_sql): what ctorm::sqlite gives, without SQLite's header.
struct SqliteText {
  using dialect = SqliteDialect;
};

}  // namespace ctorm::detail
