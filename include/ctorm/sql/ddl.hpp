#pragma once
// `create table` and `create index` text of an entity, as compile-time constants.
#include <array>
#include <cstddef>
#include <string_view>

#include "../model/names.hpp"
#include "../db/sqlite/dialect.hpp"
#include "../model/relations.hpp"
#include "../text/static_text.hpp"

namespace ctorm::detail {

// A column's type: the one its column_type option or type_mapping names, or the dialect's for its kind.
template <class W>
constexpr void put_column_type(W& w, const ColumnInfo& col) {
  if (col.sql_type.empty() || (col.length != 0 && col.storage == Storage::text && col.sql_type == "text"))
    W::dialect::put_column_type(w, col.kind, col.storage == Storage::text ? col.length : 0);
  else
    w.put(col.sql_type);
}

// "article_author_id_foreign": the constraint name of the foreign key of T's column C (a Ref), without quotes.
template <class Naming, class T, std::size_t C, class W>
constexpr void put_foreign_key_name(W& w) {
  put_ident_chars(w, table_name_of<Naming, T>);
  w.put('_');
  put_ident_chars(w, column_names<Naming, T>[C]);
  w.put("_foreign");
}

// The on delete rule of the foreign key of T's column C: cascade_remove on the Ref, or orphan_removal on
// the target's collection of this Ref, cascades; set_null_on_remove sets null; otherwise SQL's default.
template <class T, std::size_t C>
consteval std::string_view foreign_key_on_delete() {
  constexpr ColumnInfo col = EntityMeta<T>::columns[C];
  if constexpr (col.ref) {
    if (col.cascade_remove || is_cascade_remove_ref<T, col.field, ref_target<field_type<T, col.field>>>) return "cascade";
  }
  if (col.set_null_on_remove) return "set null";
  return "no action";
}

template <class Naming, class T>
struct CreateTableText {
  template <class W>
  static constexpr void build(W& w) {
    using M = EntityMeta<T>;
    w.put("create table ");
    put_ident(w, table_name_of<Naming, T>);
    w.put(" (");
    for (std::size_t c = 0; c < M::column_count; ++c) {
      const ColumnInfo& col = M::columns[c];
      if (c) w.put(", ");
      put_ident(w, column_names<Naming, T>[c]);
      w.put(' ');
      put_column_type(w, col);
      if (!col.nullable) w.put(" not null");
      if (col.primary_key) W::dialect::put_primary_key(w, col.generated);
      if (!col.default_sql.empty()) {
        w.put(" default ");
        w.put(col.default_sql);
      }
    }
    put_foreign_keys(w, std::make_index_sequence<M::column_count>{});
    w.put(')');
  }

 private:
  // , constraint "article_author_id_foreign" foreign key ("author_id") references "user" ("id") on update cascade
  template <class W, std::size_t... C>
  static constexpr void put_foreign_keys(W& w, std::index_sequence<C...>) {
    (put_foreign_key<C>(w), ...);
  }
  template <std::size_t C, class W>
  static constexpr void put_foreign_key(W& w) {
    constexpr ColumnInfo col = EntityMeta<T>::columns[C];
    if constexpr (col.ref) {
      using Target = ref_target<field_type<T, col.field>>;
      w.put(", constraint \"");
      put_foreign_key_name<Naming, T, C>(w);
      w.put("\" foreign key (");
      put_ident(w, column_names<Naming, T>[C]);
      w.put(") references ");
      put_ident(w, table_name_of<Naming, Target>);
      w.put(" (");
      put_ident(w, column_names<Naming, Target>[EntityMeta<Target>::pk_column]);
      w.put(") on update cascade");
      constexpr std::string_view on_delete = foreign_key_on_delete<T, C>();
      if constexpr (on_delete != "no action") {
        w.put(" on delete ");
        w.put(on_delete);
      }
    }
  }
};

// The indexes of an entity: its unique and index options, then one per foreign key column that no
// option already indexes first (as MikroORM's article_author_id_index).
template <class T>
consteval std::size_t index_count() {
  std::size_t n = 0;
  for (const auto& o : EntityMeta<T>::option_entries)
    if (o.kind == OptionKind::unique || o.kind == OptionKind::index) ++n;
  for (const auto& c : EntityMeta<T>::columns) {
    if (!c.ref) continue;
    bool covered = false;
    for (const auto& o : EntityMeta<T>::option_entries)
      if ((o.kind == OptionKind::unique || o.kind == OptionKind::index) && o.field_count && o.fields[0] == c.field)
        covered = true;
    if (!covered) ++n;
  }
  return n;
}

template <class T>
consteval OptionEntry index_option(std::size_t k) {
  for (const auto& o : EntityMeta<T>::option_entries) {
    if (o.kind == OptionKind::unique || o.kind == OptionKind::index) {
      if (k == 0) return o;
      --k;
    }
  }
  for (const auto& c : EntityMeta<T>::columns) {
    if (!c.ref) continue;
    bool covered = false;
    for (const auto& o : EntityMeta<T>::option_entries)
      if ((o.kind == OptionKind::unique || o.kind == OptionKind::index) && o.field_count && o.fields[0] == c.field)
        covered = true;
    if (covered) continue;
    if (k == 0) return OptionEntry{OptionKind::index, c.field, 0, {}, {c.field}, 1};
    --k;
  }
  return OptionEntry{};
}

// "user_email_unique", "article_title_index": the name of T's index K (index_option<T>(K)), without quotes.
template <class Naming, class T, std::size_t K, class W>
constexpr void put_index_name(W& w) {
  constexpr OptionEntry o = index_option<T>(K);
  put_ident_chars(w, table_name_of<Naming, T>);
  for (std::size_t i = 0; i < o.field_count; ++i) {
    w.put('_');
    put_ident_chars(w, column_names<Naming, T>[column_of_field<T>(o.fields[i])]);
  }
  w.put(o.kind == OptionKind::unique ? "_unique" : "_index");
}

// `create unique index "user_email_unique" on "user" ("email")`, names as MikroORM makes them.
template <class Naming, class T, std::size_t K>
struct CreateIndexText {
  template <class W>
  static constexpr void build(W& w) {
    constexpr OptionEntry o = index_option<T>(K);
    const bool is_unique = o.kind == OptionKind::unique;
    w.put(is_unique ? "create unique index " : "create index ");
    w.put('"');
    put_index_name<Naming, T, K>(w);
    w.put("\" on ");
    put_ident(w, table_name_of<Naming, T>);
    w.put(" (");
    for (std::size_t i = 0; i < o.field_count; ++i) {
      if (i) w.put(", ");
      put_ident(w, column_names<Naming, T>[column_of_field<T>(o.fields[i])]);
    }
    w.put(')');
  }
};

// --- many-to-many pivot tables (`article_tags`; their names are in model/names.hpp) ---------------

// "article_tags_article_id" + suffix ("_foreign", "_index"): a pivot table's constraint and index names.
template <class Naming, class T, std::size_t I, int Side, class W>
constexpr void put_pivot_name(W& w, std::string_view suffix) {
  put_ident_chars(w, pivot_table_of<Naming, T, I>);
  w.put('_');
  put_ident_chars(w, pivot_column_of<Naming, T, I, Side>);
  w.put(suffix);
}

template <class Naming, class T, std::size_t I>
struct CreatePivotText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("create table ");
    put_ident(w, pivot_table_of<Naming, T, I>);
    w.put(" (");
    put_ident(w, pivot_column_of<Naming, T, I, 0>);
    w.put(' ');
    put_column_type(w, EntityMeta<T>::columns[EntityMeta<T>::pk_column]);
    w.put(" not null, ");
    put_ident(w, pivot_column_of<Naming, T, I, 1>);
    w.put(' ');
    using X = relation_target<T, I>;
    put_column_type(w, EntityMeta<X>::columns[EntityMeta<X>::pk_column]);
    w.put(" not null");
    put_fk<0, T>(w);
    put_fk<1, X>(w);
    w.put(", primary key (");
    put_ident(w, pivot_column_of<Naming, T, I, 0>);
    w.put(", ");
    put_ident(w, pivot_column_of<Naming, T, I, 1>);
    w.put("))");
  }

 private:
  template <int Side, class X, class W>
  static constexpr void put_fk(W& w) {
    w.put(", constraint \"");
    put_pivot_name<Naming, T, I, Side>(w, "_foreign");
    w.put("\" foreign key (");
    put_ident(w, pivot_column_of<Naming, T, I, Side>);
    w.put(") references ");
    put_ident(w, table_name_of<Naming, X>);
    w.put(" (");
    put_ident(w, column_names<Naming, X>[EntityMeta<X>::pk_column]);
    w.put(") on delete cascade on update cascade");
  }
};

template <class Naming, class T, std::size_t I, int Side>
struct CreatePivotIndexText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("create index \"");
    put_pivot_name<Naming, T, I, Side>(w, "_index");
    w.put("\" on ");
    put_ident(w, pivot_table_of<Naming, T, I>);
    w.put(" (");
    put_ident(w, pivot_column_of<Naming, T, I, Side>);
    w.put(')');
  }
};

template <class Naming, class T, std::size_t I>
struct DropPivotText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("drop table if exists ");
    put_ident(w, pivot_table_of<Naming, T, I>);
  }
};

template <class Naming, class T>
struct DropTableText {
  template <class W>
  static constexpr void build(W& w) {
    w.put("drop table if exists ");
    put_ident(w, table_name_of<Naming, T>);
  }
};

}  // namespace ctorm::detail

namespace ctorm {

// The `create table` statement of entity T (under a naming strategy, in backend B's dialect: SQLite's
// unless given, e.g. ctorm::postgres), a compile-time constant.
template <class T, class Naming = UnderscoreNaming, class B = detail::SqliteText>
inline constexpr std::string_view create_table_sql =
    detail::static_text<detail::CreateTableText<Naming, T>, typename B::dialect>;

// The `create index` statements of entity T's unique and index options, compile-time constants.
template <class T, class Naming = UnderscoreNaming, class B = detail::SqliteText>
inline constexpr auto create_index_sql = []<std::size_t... K>(std::index_sequence<K...>) {
  return std::array<std::string_view, sizeof...(K)>{
      detail::static_text<detail::CreateIndexText<Naming, T, K>, typename B::dialect>...};
}(std::make_index_sequence<detail::index_count<T>()>{});

template <class T, class Naming = UnderscoreNaming, class B = detail::SqliteText>
inline constexpr std::string_view drop_table_sql = detail::static_text<detail::DropTableText<Naming, T>, typename B::dialect>;

// The statements that create the pivot table of T's many-to-many field I: the table, then its indexes.
template <class T, std::size_t I, class Naming = UnderscoreNaming, class B = detail::SqliteText>
inline constexpr std::array<std::string_view, 3> create_pivot_sql{
    detail::static_text<detail::CreatePivotText<Naming, T, I>, typename B::dialect>,
    detail::static_text<detail::CreatePivotIndexText<Naming, T, I, 0>, typename B::dialect>,
    detail::static_text<detail::CreatePivotIndexText<Naming, T, I, 1>, typename B::dialect>};

template <class T, std::size_t I, class Naming = UnderscoreNaming, class B = detail::SqliteText>
inline constexpr std::string_view drop_pivot_sql =
    detail::static_text<detail::DropPivotText<Naming, T, I>, typename B::dialect>;

}  // namespace ctorm
