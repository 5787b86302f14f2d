#pragma once
// SQL for relations, as compile-time constants: loading by a list of keys (`in (?, ?, ...)`, one text
// per list size bucket), many-to-many pivot reads and writes, and lazy fields.
#include <cstddef>
#include <string_view>

#include "ddl.hpp"
#include "dml.hpp"
#include "text.hpp"

namespace ctorm::detail {

// List sizes are padded up to a power of two (repeating the last key), so a relation has at most
// ten texts and prepared statements, whatever the number of keys; longer lists go in chunks.
inline constexpr std::size_t max_in_list = 512;

constexpr std::size_t in_list_bucket(std::size_t n) {
  std::size_t b = 1;
  while (b < n && b < max_in_list) b *= 2;
  return b;
}

template <class W>
constexpr void put_placeholders(W& w, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) w.put(i ? ", ?" : "?");
}

template <class Naming, class T, class W>
constexpr void put_qualified_select_list(W& w, std::string_view alias) {
  for (std::size_t p = 0; p < EntityMeta<T>::eager_count; ++p) {
    if (p) w.put(", ");
    put_ident(w, alias);
    w.put('.');
    put_ident(w, column_names<Naming, T>[EntityMeta<T>::eager_columns[p]]);
  }
}

// select <eager columns of X> from "x" where "<column C>" in (?, ... N)
template <class Naming, class X, std::size_t C, std::size_t N>
struct SelectInText {
  template <class W>
  static constexpr void build(W& w) {
    put_select_from<Naming, X>(w);
    w.put(" where ");
    put_ident(w, column_names<Naming, X>[C]);
    w.put(" in (");
    put_placeholders(w, N);
    w.put(')');
    if constexpr (C != EntityMeta<X>::pk_column) {
      w.put(" order by ");
      put_ident(w, column_names<Naming, X>[EntityMeta<X>::pk_column]);
    }
  }
};

// select "p"."<filter side>", <X's columns> from "x" as "e" join "<pivot>" as "p"
//   on "p"."<other side>" = "e"."id" where "p"."<filter side>" in (...)
// The pivot belongs to Owner's field I; Filter is the pivot side (0 owner, 1 target) of the entities
// whose collections are loaded, X the entity on the other side.
template <class Naming, class Owner, std::size_t I, int Filter, class X, std::size_t N>
struct PivotSelectText {
  template <class W>
  static constexpr void build(W& w) {
    constexpr int other = 1 - Filter;
    w.put("select \"p\".");
    put_ident(w, pivot_column_of<Naming, Owner, I, Filter>);
    w.put(", ");
    put_qualified_select_list<Naming, X>(w, "e");
    w.put(" from ");
    put_ident(w, table_name_of<Naming, X>);
    w.put(" as \"e\" join ");
    put_ident(w, pivot_table_of<Naming, Owner, I>);
    w.put(" as \"p\" on \"p\".");
    put_ident(w, pivot_column_of<Naming, Owner, I, other>);
    w.put(" = \"e\".");
    put_ident(w, column_names<Naming, X>[EntityMeta<X>::pk_column]);
    w.put(" where \"p\".");
    put_ident(w, pivot_column_of<Naming, Owner, I, Filter>);
    w.put(" in (");
    put_placeholders(w, N);
    w.put(") order by \"p\".");
    put_ident(w, pivot_column_of<Naming, Owner, I, Filter>);
    w.put(", \"e\".");
    put_ident(w, column_names<Naming, X>[EntityMeta<X>::pk_column]);
  }
};

// select "id", "<lazy column C>" from "t" where "id" in (...)
template <class Naming, class T, std::size_t C, std::size_t N>
struct LazySelectText {
  template <class W>
  static constexpr void build(W& w) {
    constexpr std::size_t pk = EntityMeta<T>::pk_column;
    w.put("select ");
    put_ident(w, column_names<Naming, T>[pk]);
    w.put(", ");
    put_ident(w, column_names<Naming, T>[C]);
    w.put(" from ");
    put_ident(w, table_name_of<Naming, T>);
    w.put(" where ");
    put_ident(w, column_names<Naming, T>[pk]);
    w.put(" in (");
    put_placeholders(w, N);
    w.put(')');
  }
};

template <class Naming, class T, std::size_t I>
struct PivotInsertText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("insert into ");
    put_ident(w, pivot_table_of<Naming, T, I>);
    w.put(" (");
    put_ident(w, pivot_column_of<Naming, T, I, 0>);
    w.put(", ");
    put_ident(w, pivot_column_of<Naming, T, I, 1>);
    w.put(") values (?, ?)");
  }
};

template <class Naming, class T, std::size_t I>
struct PivotDeleteText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("delete from ");
    put_ident(w, pivot_table_of<Naming, T, I>);
    w.put(" where ");
    put_ident(w, pivot_column_of<Naming, T, I, 0>);
    w.put(" = ? and ");
    put_ident(w, pivot_column_of<Naming, T, I, 1>);
    w.put(" = ?");
  }
};

// Families of texts over the list size, for EntityManager::query_in.
template <class Naming, class X, std::size_t C>
struct SelectInMaker {
  template <std::size_t N>
  using text = SelectInText<Naming, X, C, N>;
};
template <class Naming, class Owner, std::size_t I, int Filter, class X>
struct PivotSelectMaker {
  template <std::size_t N>
  using text = PivotSelectText<Naming, Owner, I, Filter, X, N>;
};
template <class Naming, class T, std::size_t C>
struct LazySelectMaker {
  template <std::size_t N>
  using text = LazySelectText<Naming, T, C, N>;
};

// Calls f(std::integral_constant<std::size_t, B>{}) with B the bucket for n keys (a power of two).
template <class F>
constexpr void with_bucket(std::size_t n, F&& f) {
  switch (in_list_bucket(n)) {
    case 1: f(std::integral_constant<std::size_t, 1>{}); break;
    case 2: f(std::integral_constant<std::size_t, 2>{}); break;
    case 4: f(std::integral_constant<std::size_t, 4>{}); break;
    case 8: f(std::integral_constant<std::size_t, 8>{}); break;
    case 16: f(std::integral_constant<std::size_t, 16>{}); break;
    case 32: f(std::integral_constant<std::size_t, 32>{}); break;
    case 64: f(std::integral_constant<std::size_t, 64>{}); break;
    case 128: f(std::integral_constant<std::size_t, 128>{}); break;
    case 256: f(std::integral_constant<std::size_t, 256>{}); break;
    default: f(std::integral_constant<std::size_t, 512>{}); break;
  }
}

}  // namespace ctorm::detail
