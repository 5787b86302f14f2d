#pragma once
// SQL for relations, as compile-time constants: loading by a list of keys (the parts around the
// `in (?, ?, ...)` list, see db/in_list.hpp), many-to-many pivot reads and writes, and lazy fields.
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../query/populate.hpp"
#include "../text/static_text.hpp"
#include "ddl.hpp"
#include "dml.hpp"

namespace ctorm::detail {

template <class Naming, class T, class W>
constexpr void put_qualified_select_list(W& w, std::string_view alias) {
  for (std::size_t p = 0; p < EntityMeta<T>::eager_count; ++p) {
    if (p) w.put(", ");
    put_ident(w, alias);
    w.put('.');
    put_ident(w, column_names<Naming, T>[EntityMeta<T>::eager_columns[p]]);
  }
}

// select <eager columns of X> from "x" where "<column C>" in (...)
template <class Naming, class X, std::size_t C>
struct SelectInText {
  template <class W>
  static constexpr void head(W& w) {
    put_select_from<Naming, X>(w);
    w.put(" where ");
    put_ident(w, column_names<Naming, X>[C]);
    w.put(" in (");
  }
  template <class W>
  static constexpr void tail(W& w) {
    w.put(')');
    if constexpr (C != EntityMeta<X>::pk_column) {
      // by the key column first: an index on it gives the rows in this order, with no sort
      w.put(" order by ");
      put_ident(w, column_names<Naming, X>[C]);
      w.put(", ");
      put_ident(w, column_names<Naming, X>[EntityMeta<X>::pk_column]);
    }
  }
};

// select "p"."<filter side>", <X's columns> from "x" as "e" join "<pivot>" as "p"
//   on "p"."<other side>" = "e"."id" where "p"."<filter side>" in (...)
// The pivot belongs to Owner's field I; Filter is the pivot side (0 owner, 1 target) of the entities
// whose collections are loaded, X the entity on the other side.
template <class Naming, class Owner, std::size_t I, int Filter, class X>
struct PivotSelectText {
  template <class W>
  static constexpr void head(W& w) {
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
  }
  template <class W>
  static constexpr void tail(W& w) {
    w.put(") order by \"p\".");
    put_ident(w, pivot_column_of<Naming, Owner, I, Filter>);
    w.put(", \"e\".");
    put_ident(w, column_names<Naming, X>[EntityMeta<X>::pk_column]);
  }
};

// select "id", "<lazy column C>" from "t" where "id" in (...)
template <class Naming, class T, std::size_t C>
struct LazySelectText {
  template <class W>
  static constexpr void head(W& w) {
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
  }
  template <class W>
  static constexpr void tail(W& w) {
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
    w.put(") values (");
    w.placeholder();
    w.put(", ");
    w.placeholder();
    w.put(')');
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
    w.put(" = ");
    w.placeholder();
    w.put(" and ");
    put_ident(w, pivot_column_of<Naming, T, I, 1>);
    w.put(" = ");
    w.placeholder();
  }
};

}  // namespace ctorm::detail

namespace ctorm::detail {

// --- the joined strategy: one query with a left join per populated relation -------------------------

struct JoinNode {
  std::size_t parent = 0;
  std::size_t field = 0;
};

// The relations of a plan as a tree (shared path prefixes joined once); node 0 is the root entity.
template <class Plan>
consteval auto join_nodes() {
  std::array<JoinNode, 1 + Plan::size * max_path_length> nodes{};
  std::size_t n = 1;
  for (const auto& path : Plan::paths) {
    std::size_t at = 0;
    for (std::size_t s = 0; s < path.length; ++s) {
      std::size_t found = 0;
      for (std::size_t k = 1; k < n; ++k)
        if (nodes[k].parent == at && nodes[k].field == path.fields[s]) found = k;
      if (!found) {
        nodes[n] = {at, path.fields[s]};
        found = n++;
      }
      at = found;
    }
  }
  return std::pair{nodes, n};
}

template <class Root, class Plan, std::size_t K>
consteval auto join_node_type_of() {
  if constexpr (K == 0) {
    return std::type_identity<Root>{};
  } else {
    constexpr JoinNode node = join_nodes<Plan>().first[K];
    using P = typename decltype(join_node_type_of<Root, Plan, node.parent>())::type;
    if constexpr (is_relation<P, node.field>)
      return std::type_identity<relation_target<P, node.field>>{};
    else
      return std::type_identity<void>{};  // a lazy field: not a join
  }
}
template <class Root, class Plan, std::size_t K>
using join_node_type = typename decltype(join_node_type_of<Root, Plan, K>())::type;

// Where node K's columns start in the joined row.
template <class Root, class Plan, std::size_t K>
consteval std::size_t join_node_offset() {
  if constexpr (K == 0) {
    return 0;
  } else {
    using Prev = join_node_type<Root, Plan, K - 1>;
    if constexpr (std::is_void_v<Prev>)
      return join_node_offset<Root, Plan, K - 1>();
    else
      return join_node_offset<Root, Plan, K - 1>() + EntityMeta<Prev>::eager_count;
  }
}

template <class W>
constexpr void put_alias(W& w, char prefix, std::size_t k) {
  w.put('"');
  w.put(prefix);
  put_number(w, k);
  w.put('"');
}

template <class W>
constexpr void put_alias_column(W& w, char prefix, std::size_t k, std::string_view column) {
  put_alias(w, prefix, k);
  w.put('.');
  put_ident(w, column);
}

template <class Naming, class Root, class Plan, class Where, bool One>
struct JoinedText {
  static constexpr auto nodes = join_nodes<Plan>();

  template <std::size_t K, class W>
  static constexpr void put_columns(W& w) {
    using X = join_node_type<Root, Plan, K>;
    if constexpr (!std::is_void_v<X>) {
      for (std::size_t p = 0; p < EntityMeta<X>::eager_count; ++p) {
        if (K || p) w.put(", ");
        put_alias_column(w, 'e', K, column_names<Naming, X>[EntityMeta<X>::eager_columns[p]]);
      }
    }
  }

  template <std::size_t K, class W>
  static constexpr void put_join(W& w) {
    using X = join_node_type<Root, Plan, K>;
    if constexpr (K > 0 && !std::is_void_v<X>) {
      constexpr JoinNode node = nodes.first[K];
      using P = join_node_type<Root, Plan, node.parent>;
      using R = Relation<P, node.field>;
      constexpr auto x_pk = column_names<Naming, X>[EntityMeta<X>::pk_column];
      constexpr auto p_pk = column_names<Naming, P>[EntityMeta<P>::pk_column];
      if constexpr (R::kind == RelationKind::many_to_many_owner || R::kind == RelationKind::many_to_many_inverse) {
        using PivotOwner = std::conditional_t<R::kind == RelationKind::many_to_many_owner, P, X>;
        constexpr std::size_t pivot_field = R::kind == RelationKind::many_to_many_owner ? node.field : R::inverse;
        constexpr int parent_side = R::kind == RelationKind::many_to_many_owner ? 0 : 1;
        w.put(" left join ");
        put_ident(w, pivot_table_of<Naming, PivotOwner, pivot_field>);
        w.put(" as ");
        put_alias(w, 'p', K);
        w.put(" on ");
        put_alias_column(w, 'p', K, pivot_column_of<Naming, PivotOwner, pivot_field, parent_side>);
        w.put(" = ");
        put_alias_column(w, 'e', node.parent, p_pk);
        w.put(" left join ");
        put_ident(w, table_name_of<Naming, X>);
        w.put(" as ");
        put_alias(w, 'e', K);
        w.put(" on ");
        put_alias_column(w, 'e', K, x_pk);
        w.put(" = ");
        put_alias_column(w, 'p', K, pivot_column_of<Naming, PivotOwner, pivot_field, 1 - parent_side>);
      } else {
        w.put(" left join ");
        put_ident(w, table_name_of<Naming, X>);
        w.put(" as ");
        put_alias(w, 'e', K);
        w.put(" on ");
        if constexpr (R::kind == RelationKind::many_to_one) {
          put_alias_column(w, 'e', K, x_pk);
          w.put(" = ");
          put_alias_column(w, 'e', node.parent, column_names<Naming, P>[column_of_field<P>(node.field)]);
        } else {  // one-to-many, inverse one-to-one: the child holds the key
          put_alias_column(w, 'e', K, column_names<Naming, X>[column_of_field<X>(R::inverse)]);
          w.put(" = ");
          put_alias_column(w, 'e', node.parent, p_pk);
        }
      }
    }
  }

  template <std::size_t K, class W>
  static constexpr void put_order(W& w) {
    using X = join_node_type<Root, Plan, K>;
    if constexpr (!std::is_void_v<X>) {
      w.put(K ? ", " : " order by ");
      put_alias_column(w, 'e', K, column_names<Naming, X>[EntityMeta<X>::pk_column]);
    }
  }

  template <class W>
  static constexpr void build(W& w) {
    w.put("select ");
    [&]<std::size_t... K>(std::index_sequence<K...>) { (put_columns<K>(w), ...); }(std::make_index_sequence<nodes.second>{});
    w.put(" from (select * from ");
    put_ident(w, table_name_of<Naming, Root>);
    if constexpr (!std::is_void_v<Where>) {
      w.put(" where ");
      Where::template write_sql<TableContext<Naming, Root>>(w);
    }
    if (One) w.put(" limit 1");
    w.put(") as \"e0\"");
    [&]<std::size_t... K>(std::index_sequence<K...>) { (put_join<K>(w), ...); }(std::make_index_sequence<nodes.second>{});
    [&]<std::size_t... K>(std::index_sequence<K...>) { (put_order<K>(w), ...); }(std::make_index_sequence<nodes.second>{});
  }
};

}  // namespace ctorm::detail
