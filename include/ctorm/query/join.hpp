#pragma once
// Joins along relations. A query joins every relation path its columns name
// (`col<&Article::author, &User::full_name>` joins `author`), with a left join, and the ones asked for
// with `.join<&Article::author>()` (inner) or `.left_join<&Article::tags>()`. The joins are worked out
// from the query's type at compile time: every prefix of every path, each once, parents first; then the
// table of each path gets an alias (`e1`, `e2`, ... after the root's `e0`) and its join condition from
// the relation's kind:
//   many-to-one        left join "user" as "e1" on "e1"."id" = "e0"."author_id"
//   one-to-many        left join "comment" as "e1" on "e1"."article_id" = "e0"."id"
//   one-to-one inverse the same, the key on the other side
//   many-to-many       left join "article_tags" as "p1" on "p1"."article_id" = "e0"."id"
//                      left join "tag" as "e1" on "e1"."id" = "p1"."tag_id"
#include <cstddef>
#include <type_traits>
#include <utility>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "../config.hpp"
#include "../model/names.hpp"
#include "../model/relations.hpp"
#include "aggregate.hpp"
#include "alias.hpp"
#include "arithmetic.hpp"
#include "between.hpp"
#include "column.hpp"
#include "condition.hpp"
#include "context.hpp"
#include "in.hpp"
#include "like.hpp"
#include "null.hpp"
#include "order.hpp"
#include "raw_sql.hpp"

namespace ctorm {

enum class JoinKind : unsigned char { inner, left };

namespace detail {

namespace mp = boost::mp11;

template <JoinKind K, class Path>
struct JoinSpec {
  static constexpr JoinKind kind = K;
  using path = Path;
};

// --- paths --------------------------------------------------------------------------------------------

template <class Path>
struct PathInfo;
template <auto... P>
struct PathInfo<MemberPath<P...>> {
  static constexpr std::size_t size = sizeof...(P);
  using parent = typename PathPrefix<std::make_index_sequence<size - 1>, P...>::type;
  static constexpr auto last = std::get<size - 1>(std::tuple{P...});
  template <class K>
  using prefix = typename PathPrefix<std::make_index_sequence<K::value + 1>, P...>::type;
  using prefixes = mp::mp_transform<prefix, mp::mp_iota_c<size>>;  // MemberPath<P1>, MemberPath<P1, P2>, ...
};

// The entity a path of relations from Root leads to.
template <class Root, class Path>
struct PathTarget;
template <class Root>
struct PathTarget<Root, MemberPath<>> {
  using type = Root;
};
template <class Root, auto First, auto... Rest>
struct PathTarget<Root, MemberPath<First, Rest...>> {
  static_assert(std::is_member_object_pointer_v<decltype(First)> && std::is_same_v<member_class<First>, Root>,
                "ctorm: a path through relations names a member of another entity than the one it comes from "
                "(col<&Article::author, &User::full_name>: author is Article's, full_name User's)");
  static_assert(is_relation<Root, field_index<First>>,
                "ctorm: a path through relations names a field that is not a relation (a Ref or a Collection)");
  using type = typename PathTarget<relation_target<Root, field_index<First>>, MemberPath<Rest...>>::type;
};

// The relation paths an expression's columns name (not those of its sub-queries: they join their own).
template <class E>
struct PathsOf {
  using type = mp::mp_list<>;
};
template <class... Es>
using paths_of_all = mp::mp_append<typename PathsOf<Es>::type...>;

template <auto... P>
struct PathsOf<Column<P...>> {
  using path = typename Column<P...>::path;
  using type = std::conditional_t<std::is_same_v<path, MemberPath<>>, mp::mp_list<>, mp::mp_list<path>>;
};
template <class C>
struct PathsOf<QualifiedColumn<C, false>> {  // qualified(); outer() joins nothing here (see docs/query.md)
  using type = paths_of_all<C>;
};
template <class L, CompareOp Op, class R>
struct PathsOf<Comparison<L, Op, R>> {
  using type = paths_of_all<L, R>;
};
template <bool IsAnd, class... Cs>
struct PathsOf<Junction<IsAnd, Cs...>> {
  using type = paths_of_all<Cs...>;
};
template <class C>
struct PathsOf<Not<C>> {
  using type = paths_of_all<C>;
};
template <class E, class P, bool Escaped>
struct PathsOf<Like<E, P, Escaped>> {
  using type = paths_of_all<E, P>;
};
template <class E, bool IsNull>
struct PathsOf<NullCheck<E, IsNull>> {
  using type = paths_of_all<E>;
};
template <class E, class A, class B>
struct PathsOf<Between<E, A, B>> {
  using type = paths_of_all<E, A, B>;
};
template <class E, class T, bool N>
struct PathsOf<InList<E, T, N>> {
  using type = paths_of_all<E>;
};
template <class E, class Sub, bool N>
struct PathsOf<InQuery<E, Sub, N>> {
  using type = paths_of_all<E>;
};
template <FixedString Text, class T, class... Args>
struct PathsOf<RawSql<Text, T, Args...>> {
  using type = paths_of_all<Args...>;
};
template <AggregateFn Fn, class E, bool D, class Sep>
struct PathsOf<Aggregate<Fn, E, D, Sep>> {
  using type = paths_of_all<E, Sep>;
};
template <class L, ArithOp Op, class R>
struct PathsOf<Arithmetic<L, Op, R>> {
  using type = paths_of_all<L, R>;
};
template <FixedString Name, class E>
struct PathsOf<Aliased<Name, E>> {
  using type = paths_of_all<E>;
};
template <class E, bool Desc>
struct PathsOf<Ordering<E, Desc>> {
  using type = paths_of_all<E>;
};
template <class... Items>
struct PathsOf<OrderBy<Items...>> {
  using type = paths_of_all<Items...>;
};
template <class E>
struct PathsOf<Borrowed<E>> {
  using type = paths_of_all<E>;
};

template <class Path>
struct PathLength;
template <auto... P>
struct PathLength<MemberPath<P...>> : std::integral_constant<std::size_t, sizeof...(P)> {};
template <class A, class B>
using shorter_path = mp::mp_bool<(PathLength<A>::value < PathLength<B>::value)>;

template <class A, class B>
consteval bool is_prefix_of() {
  if constexpr (PathLength<A>::value > PathLength<B>::value)
    return false;
  else
    return std::is_same_v<typename mp::mp_at_c<typename PathInfo<B>::prefixes, PathLength<A>::value - 1>, A>;
}

// Every join a query needs: each prefix of each path named (explicitly or by a column), once, shorter
// first. A path is inner-joined when an explicit inner join goes through it, left-joined otherwise.
template <class Explicit, class Implicit>
struct CompleteJoinsOf {
  template <class Spec>
  using spec_path = typename Spec::path;
  template <class Path>
  using prefixes_of = typename PathInfo<Path>::prefixes;
  using named = mp::mp_append<mp::mp_transform<spec_path, Explicit>, Implicit>;
  using all = mp::mp_sort<mp::mp_unique<mp::mp_flatten<mp::mp_transform<prefixes_of, named>>>, shorter_path>;

  template <class Path>
  struct Kind {
    template <class Spec>
    using inner_through = mp::mp_bool<Spec::kind == JoinKind::inner && is_prefix_of<Path, typename Spec::path>()>;
    static constexpr JoinKind value = mp::mp_any_of<Explicit, inner_through>::value ? JoinKind::inner : JoinKind::left;
  };
  template <class Path>
  using spec_of = JoinSpec<Kind<Path>::value, Path>;
  using type = mp::mp_transform<spec_of, all>;
};

// --- the join list -------------------------------------------------------------------------------------

template <class Root, class Spec>
consteval bool multiplies_rows() {
  using Info = PathInfo<typename Spec::path>;
  using Owner = typename PathTarget<Root, typename Info::parent>::type;
  constexpr RelationKind k = Relation<Owner, field_index<Info::last>>::kind;
  return k != RelationKind::many_to_one && k != RelationKind::one_to_one_inverse;
}

// The joins of a query: explicit ones while it is built (Complete = false), every one once it is written.
template <class... Js>
struct JoinList {
  static constexpr bool empty = sizeof...(Js) == 0;

  template <class Naming, class Parent, bool Aliased, class Root>
  using context =
      QueryContext<Naming, Parent, Aliased, Source<Root>,
                   Source<typename PathTarget<Root, typename Js::path>::type, typename Js::path,
                          Js::kind == JoinKind::left>...>;

  // Whether a join repeats the root's rows (one-to-many, many-to-many).
  template <class Root>
  static constexpr bool multiplies = (false || ... || multiplies_rows<Root, Js>());

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (write_join<Ctx, Js, K + 1>(w), ...);
    }(std::index_sequence_for<Js...>{});
  }

  template <class Ctx, class Spec, std::size_t I, class W>
  static constexpr void write_join(W& w) {
    using Info = PathInfo<typename Spec::path>;
    constexpr std::size_t parent = Ctx::template source_of_path<typename Info::parent>;
    using P = typename Ctx::template source_entity<parent>;
    using X = typename Ctx::template source_entity<I>;
    constexpr std::size_t field = field_index<Info::last>;
    using R = Relation<P, field>;
    using Naming = typename Ctx::naming;
    constexpr std::size_t p_pk = EntityMeta<P>::pk_column;
    constexpr std::size_t x_pk = EntityMeta<X>::pk_column;
    const std::string_view join = Spec::kind == JoinKind::inner ? " join " : " left join ";
    if constexpr (R::kind == RelationKind::many_to_many_owner || R::kind == RelationKind::many_to_many_inverse) {
      using PivotOwner = std::conditional_t<R::kind == RelationKind::many_to_many_owner, P, X>;
      constexpr std::size_t pivot_field = R::kind == RelationKind::many_to_many_owner ? field : R::inverse;
      constexpr int parent_side = R::kind == RelationKind::many_to_many_owner ? 0 : 1;
      w.put(join);
      put_ident(w, pivot_table_of<Naming, PivotOwner, pivot_field>);
      w.put(" as ");
      Ctx::template put_pivot_alias<I>(w);
      w.put(" on ");
      Ctx::template put_pivot_alias<I>(w);
      w.put('.');
      put_ident(w, pivot_column_of<Naming, PivotOwner, pivot_field, parent_side>);
      w.put(" = ");
      Ctx::template put_source_column<parent, p_pk, false>(w);
      w.put(join);
      Ctx::template put_table<I>(w);
      w.put(" on ");
      Ctx::template put_source_column<I, x_pk, false>(w);
      w.put(" = ");
      Ctx::template put_pivot_alias<I>(w);
      w.put('.');
      put_ident(w, pivot_column_of<Naming, PivotOwner, pivot_field, 1 - parent_side>);
    } else {
      w.put(join);
      Ctx::template put_table<I>(w);
      w.put(" on ");
      if constexpr (R::kind == RelationKind::many_to_one) {
        Ctx::template put_source_column<I, x_pk, false>(w);
        w.put(" = ");
        Ctx::template put_source_column<parent, column_of_field<P>(field), false>(w);
      } else {  // one-to-many, inverse one-to-one: the other side holds the key
        Ctx::template put_source_column<I, column_of_field<X>(R::inverse), false>(w);
        w.put(" = ");
        Ctx::template put_source_column<parent, p_pk, false>(w);
      }
    }
  }
};

template <class Explicit, class... Parts>
struct CompleteJoins;
template <class... Js, class... Parts>
struct CompleteJoins<JoinList<Js...>, Parts...> {
  using type = mp::mp_rename<
      typename CompleteJoinsOf<mp::mp_list<Js...>, mp::mp_unique<paths_of_all<Parts...>>>::type, JoinList>;
};

}  // namespace detail
}  // namespace ctorm
