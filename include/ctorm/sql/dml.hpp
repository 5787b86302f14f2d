#pragma once
// The statements the entity manager runs, as compile-time constants built from the entity's type (and,
// for conditions, the condition's type).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "../config.hpp"
#include "../model/names.hpp"
#include "../query/context.hpp"
#include "../text/static_text.hpp"
#include "ddl.hpp"

namespace ctorm::detail {

template <class Naming, class T, class W>
constexpr void put_column_list(W& w) {
  for (std::size_t c = 0; c < EntityMeta<T>::column_count; ++c) {
    if (c) w.put(", ");
    put_ident(w, column_names<Naming, T>[c]);
  }
}

template <class Naming, class T, class W>
constexpr void put_pk_equals(W& w) {
  put_ident(w, column_names<Naming, T>[EntityMeta<T>::pk_column]);
  w.put(" = ");
  w.placeholder();
}

// An update or delete by a flush finds its row by key and, with optimistic locking, by version.
template <class Naming, class T, class W>
constexpr void put_pk_and_version_equal(W& w) {
  put_pk_equals<Naming, T>(w);
  if constexpr (EntityMeta<T>::has_version) {
    w.put(" and ");
    put_ident(w, column_names<Naming, T>[EntityMeta<T>::version_column]);
    w.put(" = ");
    w.placeholder();
  }
}

// The columns a default select reads: all but the lazy ones.
template <class Naming, class T, class W>
constexpr void put_select_list(W& w) {
  for (std::size_t p = 0; p < EntityMeta<T>::eager_count; ++p) {
    if (p) w.put(", ");
    put_ident(w, column_names<Naming, T>[EntityMeta<T>::eager_columns[p]]);
  }
}

// select "id", "full_name", ... from "user"
template <class Naming, class T, class W>
constexpr void put_select_from(W& w) {
  w.put("select ");
  put_select_list<Naming, T>(w);
  w.put(" from ");
  put_ident(w, table_name_of<Naming, T>);
}

template <class Naming, class T>
struct SelectAllText {
  template <class W>
  static constexpr void build(W& w) {
    put_select_from<Naming, T>(w);
  }
};

template <class Naming, class T>
struct SelectByKeyText {
  template <class W>
  static constexpr void build(W& w) {
    put_select_from<Naming, T>(w);
    w.put(" where ");
    put_pk_equals<Naming, T>(w);
    w.put(" limit 1");
  }
};

template <class Naming, class T, class Cond, bool One>
struct SelectWhereText {
  template <class W>
  static constexpr void build(W& w) {
    put_select_from<Naming, T>(w);
    w.put(" where ");
    Cond::template write_sql<TableContext<Naming, T>>(w);
    if (One) w.put(" limit 1");
  }
};

template <class Naming, class T, class Cond>
struct CountText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("select count(*) from ");
    put_ident(w, table_name_of<Naming, T>);
    if constexpr (!std::is_void_v<Cond>) {
      w.put(" where ");
      Cond::template write_sql<TableContext<Naming, T>>(w);
    }
  }
};

// insert into "user" ("full_name", ...) values: the head of an insert and of an upsert
template <class Naming, class T, bool WithKey, class W>
constexpr void put_insert_head(W& w) {
  using M = EntityMeta<T>;
  w.put("insert into ");
  put_ident(w, table_name_of<Naming, T>);
  w.put(" (");
  bool first = true;
  for (std::size_t c = 0; c < M::column_count; ++c) {
    if (!WithKey && c == M::pk_column) continue;
    if (!first) w.put(", ");
    first = false;
    put_ident(w, column_names<Naming, T>[c]);
  }
  w.put(") values ");
}

// insert into "user" ("full_name", ...) values (?, ...); WithKey says whether the key column is written
// (a key the user set) or left to the database (a generated key still 0), which then returns it where the
// dialect needs that (`returning "id"`).
template <class Naming, class T, bool WithKey>
struct InsertText {
  template <class W>
  static constexpr void build(W& w) {
    using M = EntityMeta<T>;
    put_insert_head<Naming, T, WithKey>(w);
    w.put('(');
    bool first = true;
    for (std::size_t c = 0; c < M::column_count; ++c) {
      if (!WithKey && c == M::pk_column) continue;
      if (!first) w.put(", ");
      w.placeholder();
      first = false;
    }
    w.put(')');
    if constexpr (!WithKey) W::dialect::put_returning_key(w, column_names<Naming, T>[M::pk_column]);
  }
};

// ByKeyOnly: without the version, for the delete of a reference, whose version was never read.
template <class Naming, class T, bool ByKeyOnly = false>
struct DeleteByKeyText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("delete from ");
    put_ident(w, table_name_of<Naming, T>);
    w.put(" where ");
    if constexpr (ByKeyOnly)
      put_pk_equals<Naming, T>(w);
    else
      put_pk_and_version_equal<Naming, T>(w);
  }
};

template <class Naming, class T, class Cond>
struct DeleteWhereText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("delete from ");
    put_ident(w, table_name_of<Naming, T>);
    if constexpr (!std::is_void_v<Cond>) {
      w.put(" where ");
      Cond::template write_sql<TableContext<Naming, T>>(w);
    }
  }
};

// The update statement for one set of changed columns. Its text depends on which columns changed, so it
// is made at run time, once per set, from the compile-time column names; the entity manager caches it.
// Out of line and the same for every entity: it runs once per set. With a version column (not in
// changed_columns), the statement increments it and matches the row's version too:
// `update "t" set "a" = ?, "version" = "version" + 1 where "id" = ? and "version" = ?`.
template <class D>
CTORM_COLD std::string update_sql_text(std::string_view table, const std::string_view* columns,
                                              std::size_t column_count, std::size_t key_column,
                                              std::uint64_t changed_columns, std::size_t version_column = no_field) {
  std::string sql;
  StringWriter<D> w{sql};
  w.put("update ");
  put_ident(w, table);
  w.put(" set ");
  bool first = true;
  for (std::size_t c = 0; c < column_count; ++c) {
    if (!(changed_columns >> c & 1u)) continue;
    if (!first) w.put(", ");
    first = false;
    put_ident(w, columns[c]);
    w.put(" = ");
    w.placeholder();
  }
  if (version_column != no_field) {
    if (!first) w.put(", ");
    put_ident(w, columns[version_column]);
    w.put(" = ");
    put_ident(w, columns[version_column]);
    w.put(" + 1");
  }
  w.put(" where ");
  put_ident(w, columns[key_column]);
  w.put(" = ");
  w.placeholder();
  if (version_column != no_field) {
    w.put(" and ");
    put_ident(w, columns[version_column]);
    w.put(" = ");
    w.placeholder();
  }
  return sql;
}

template <class Naming, class T, class D>
inline std::string update_sql(std::uint64_t changed_columns) {
  using M = EntityMeta<T>;
  return update_sql_text<D>(table_name_of<Naming, T>, column_names<Naming, T>.data(), M::column_count, M::pk_column,
                         changed_columns, M::version_column);
}

}  // namespace ctorm::detail
