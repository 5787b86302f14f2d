#pragma once
// Where a query's expressions write their columns: the tables of the query (its root entity and the
// entities it joins), each with an alias, and the enclosing query for a sub-query. A column resolves to
// the first table of its entity (or, for a path through relations, to the table joined along that path);
// a column of no table of this query resolves in the enclosing query (a correlated sub-query), and a
// column of no table at all is a compile error.
//
// A query on one table and no joins writes bare column names (`"email" = ?`); one with joins aliases its
// tables `e0`, `e1`, ... and qualifies every column (`"e0"."email"`). Sub-queries alias theirs `e1_0`,
// `e2_0`, ... by depth, so an outer column written inside one (`"user"."id"`, `"e0"."id"`) is never
// shadowed by the sub-query's own tables.
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "../model/names.hpp"
#include "../db/type_mapping.hpp"
#include "../text/static_text.hpp"

namespace ctorm::detail {

// A path of member pointers through relations, from the query's root: `&Article::author`.
template <auto... Members>
struct MemberPath {};

// One table of a query: an entity, reached from the root along Path (empty for the root). A table
// reached through a left join may have no row to match, so every column of it can read NULL.
template <class Entity, class Path = MemberPath<>, bool LeftJoined = false>
struct Source {
  using entity = Entity;
  using path = Path;
  static constexpr bool left_joined = LeftJoined;
};

struct NoParent {};

inline constexpr std::size_t no_source = static_cast<std::size_t>(-1);

template <class Col, class S>
consteval bool column_matches_source() {
  if constexpr (!std::is_same_v<typename Col::entity, typename S::entity>)
    return false;
  else if constexpr (std::is_same_v<typename Col::path, MemberPath<>>)
    return true;  // a plain column: the first table of its entity
  else
    return std::is_same_v<typename Col::path, typename S::path>;
}

template <class Naming, class Parent, bool Aliased, class... Sources>
struct QueryContext {
  using naming = Naming;
  using parent = Parent;
  static constexpr bool has_parent = !std::is_same_v<Parent, NoParent>;
  static constexpr std::size_t depth = [] {
    if constexpr (has_parent)
      return Parent::depth + 1;
    else
      return std::size_t{0};
  }();
  static constexpr bool aliased = Aliased;
  static constexpr std::size_t source_count = sizeof...(Sources);

  // The context of a sub-query written inside this one.
  template <class... ChildSources>
  using child = QueryContext<Naming, QueryContext, true, ChildSources...>;

  template <std::size_t I>
  using source_entity = typename std::tuple_element_t<I, std::tuple<Sources...>>::entity;

  // The table joined along Path (MemberPath<> for the root), or no_source.
  template <class Path>
  static constexpr std::size_t source_of_path = [] {
    std::size_t i = 0, found = no_source;
    ((found == no_source && std::is_same_v<typename Sources::path, Path> ? (found = i, ++i) : ++i), ...);
    return found;
  }();

  template <class Col>
  static constexpr std::size_t source_of = [] {
    std::size_t i = 0, found = no_source;
    ((found == no_source && column_matches_source<Col, Sources>() ? (found = i, ++i) : ++i), ...);
    return found;
  }();

  // Whether column Col can read NULL here: a std::optional field, or any column of a left-joined table.
  template <class Col>
  static consteval bool column_may_be_null() {
    constexpr std::size_t i = source_of<Col>;
    if constexpr (i != no_source)
      return std::tuple_element_t<i, std::tuple<Sources...>>::left_joined || is_nullable<typename Col::value_type>;
    else if constexpr (has_parent)
      return Parent::template column_may_be_null<Col>();
    else
      return true;  // of no table of the query: put_column reports it
  }

  template <std::size_t I, class W>
  static constexpr void put_alias(W& w) {
    w.put("\"e");
    if (depth > 0) {
      put_number(w, depth);
      w.put('_');
    }
    put_number(w, I);
    w.put('"');
  }

  // The alias of the pivot table a many-to-many join to table I goes through: "p1", "p1_2".
  template <std::size_t I, class W>
  static constexpr void put_pivot_alias(W& w) {
    w.put("\"p");
    if (depth > 0) {
      put_number(w, depth);
      w.put('_');
    }
    put_number(w, I);
    w.put('"');
  }

  // The table as written after from/join: `"user"` or `"user" as "e0"`.
  template <std::size_t I, class W>
  static constexpr void put_table(W& w) {
    put_ident(w, table_name_of<Naming, source_entity<I>>);
    if constexpr (Aliased) {
      w.put(" as ");
      put_alias<I>(w);
    }
  }

  // Column C (by column index) of table I; qualified when the query is aliased or when written from a
  // sub-query.
  template <std::size_t I, std::size_t C, bool FromChild, class W>
  static constexpr void put_source_column(W& w) {
    using E = source_entity<I>;
    if constexpr (Aliased) {
      put_alias<I>(w);
      w.put('.');
    } else if constexpr (FromChild) {
      put_ident(w, table_name_of<Naming, E>);
      w.put('.');
    }
    put_ident(w, column_names<Naming, E>[C]);
  }

  template <class Col, bool FromChild, class W>
  static constexpr void put_column(W& w) {
    constexpr std::size_t i = source_of<Col>;
    if constexpr (i != no_source) {
      using E = source_entity<i>;
      constexpr std::size_t c = column_of_field<E>(Col::field, Col::sub);
      static_assert(c != no_field, "ctorm: the field named has no column in its entity's table");
      put_source_column<i, c, FromChild>(w);
    } else if constexpr (has_parent) {
      Parent::template put_column<Col, true>(w);
    } else {
      static_assert(always_false<Col>,
                    "ctorm: the condition names a column of an entity that is not part of the query (conditions, "
                    "selected columns, grouping and ordering may name columns of the queried entity, of the "
                    "entities it joins, or of an enclosing query)");
    }
  }
};

// The context of a statement on one table, written without aliases: `"email" = ?`.
template <class Naming, class T>
using TableContext = QueryContext<Naming, NoParent, false, Source<T>>;

}  // namespace ctorm::detail
