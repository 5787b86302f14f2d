#pragma once
// Column expressions, named by member pointer: `ctorm::col<&User::email>`. A path names a column of a
// related entity, the join made for the user: `ctorm::col<&Article::author, &User::full_name>` (through
// Ref and Collection fields), and a field of an embedded struct: `ctorm::col<&Article::ts,
// &Timestamps::created_at>`. `ctorm::outer(col<...>)` names a column of the enclosing query from inside
// a sub-query on the same entity; `ctorm::qualified(col<...>)` a column of this query with its table's
// name, for raw SQL that has tables of its own.
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "../db/type_mapping.hpp"
#include "../model/entity.hpp"
#include "../model/options.hpp"
#include "../reflect/member_pointer.hpp"
#include "context.hpp"
#include "expression.hpp"

namespace ctorm {
namespace detail {

template <auto M>
consteval bool check_column_member() {
  if constexpr (!std::is_member_object_pointer_v<decltype(M)>) {
    static_assert(always_false<decltype(M)>,
                  "ctorm: the member named is not a column: col<>, asc<>, desc<>, fields<> and set() take a pointer "
                  "to a data member of an entity, such as &User::email");
    return false;
  } else if constexpr (IsCollection<member_type<M>>::value) {
    static_assert(always_false<decltype(M)>,
                  "ctorm: a collection is not a column: name a column of its entity through a path "
                  "(col<&User::articles, &Article::title>), or count it with a sub-query");
    return false;
  } else {
    static_assert(mapped_type<member_type<M>>,
                  "ctorm: the field named is not a column (its type has no column mapping)");
    return mapped_type<member_type<M>>;
  }
}

// What a member pointer names, without hard errors for members that are not data members (the check
// above reports those once, with a readable message).
template <auto M, bool = std::is_member_object_pointer_v<decltype(M)>>
struct ColumnMember {
  using entity = void;
  using field_type = Untyped;
  static constexpr std::size_t field = no_field;
};
template <auto M>
struct ColumnMember<M, true> {
  using entity = member_class<M>;
  using field_type = member_type<M>;
  static constexpr std::size_t field = field_index<M>;
};

template <class Seq, auto... P>
struct PathPrefix;
template <std::size_t... I, auto... P>
struct PathPrefix<std::index_sequence<I...>, P...> {
  using type = MemberPath<std::get<I>(std::tuple{P...})...>;
};

template <auto M>
consteval bool is_embedded_member() {
  if constexpr (std::is_member_object_pointer_v<decltype(M)>)
    return embeddable<member_type<M>>::value;
  else
    return false;
}

// A path P1, ..., Pn: relations, then possibly an embedded struct, then the column's field.
template <auto... P>
struct PathParts {
  static constexpr std::size_t size = sizeof...(P);
  static constexpr auto last = std::get<size - 1>(std::tuple{P...});
  static constexpr bool embedded = [] {
    if constexpr (size >= 2)
      return is_embedded_member<std::get<size - 2>(std::tuple{P...})>();
    else
      return false;
  }();
  // The member holding the column in its entity: the embedded struct, or the field itself.
  static constexpr auto holder = [] {
    if constexpr (embedded)
      return std::get<size - 2>(std::tuple{P...});
    else
      return last;
  }();
  using relations = typename PathPrefix<std::make_index_sequence<size - 1 - (embedded ? 1 : 0)>, P...>::type;
};

}  // namespace detail

// A column of an entity, named by its member pointer (or a path of them).
template <auto... Path>
struct Column {
  static_assert(sizeof...(Path) >= 1, "ctorm: col<...> takes at least one member pointer");
  using parts = detail::PathParts<Path...>;
  static constexpr auto member = parts::last;
  static_assert(detail::check_column_member<member>());

  // The entity whose table holds the column, the relations leading to it, and its field (with the
  // field within an embedded struct).
  using entity = typename detail::ColumnMember<parts::holder>::entity;
  using path = typename parts::relations;
  static constexpr std::size_t field = detail::ColumnMember<parts::holder>::field;
  static constexpr std::size_t sub = parts::embedded ? detail::ColumnMember<member>::field : detail::no_field;
  // The class and index of the field itself, for its name.
  using leaf_class = typename detail::ColumnMember<member>::entity;
  static constexpr std::size_t leaf_field = detail::ColumnMember<member>::field;

  using ctorm_expression = void;
  using value_type = typename detail::ColumnMember<member>::field_type;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    Ctx::template put_column<Column, false>(w);
  }
  template <class Q>
  void bind(Q&) const {}
};

template <auto... Path>
inline constexpr Column<Path...> col{};

namespace detail {
template <class C>
struct IsColumn : std::false_type {};
template <auto... P>
struct IsColumn<Column<P...>> : std::true_type {};
}  // namespace detail

template <class C>
concept column_expression = detail::IsColumn<std::remove_cvref_t<C>>::value;

// A column written with its table's name or alias: of the enclosing query (Enclosing, outer()) or of
// this one (qualified()).
template <class Col, bool Enclosing>
struct QualifiedColumn {
  using ctorm_expression = void;
  using value_type = typename Col::value_type;
  using column = Col;
  static constexpr bool enclosing = Enclosing;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    if constexpr (!Enclosing) {
      Ctx::template put_column<Col, true>(w);
    } else {
      static_assert(Ctx::has_parent, "ctorm: outer(col<...>) is used outside a sub-query");
      if constexpr (Ctx::has_parent) Ctx::parent::template put_column<Col, true>(w);
    }
  }
  template <class Q>
  void bind(Q&) const {}
};

namespace detail {
template <class E>
struct IsQualifiedColumn : std::false_type {};
template <class Col, bool Enclosing>
struct IsQualifiedColumn<QualifiedColumn<Col, Enclosing>> : std::true_type {};
}  // namespace detail

// A column of the enclosing query, written from a sub-query: needed only when the sub-query is on the
// same entity as the query around it (otherwise a plain col<...> resolves outward by itself).
template <class Col>
using Outer = QualifiedColumn<Col, true>;

template <auto... P>
constexpr Outer<Column<P...>> outer(Column<P...>) {
  return {};
}

// A column of this query written with its table's name or alias (`"user"."id"`, `"e0"."id"`) even where
// ctorm writes it bare (a query on one table). For a raw SQL fragment holding a sub-query of its own,
// where a bare `"id"` would name the fragment's table: `ctorm::sql<R"(exists (select 1 from "article" as
// "a" where "a"."author_id" = ?))">(ctorm::qualified(col<&User::id>))`.
template <class Col>
using Qualified = QualifiedColumn<Col, false>;

template <auto... P>
constexpr Qualified<Column<P...>> qualified(Column<P...>) {
  return {};
}

}  // namespace ctorm
