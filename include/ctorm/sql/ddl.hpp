#pragma once
// `create table` and `create index` text of an entity, as compile-time constants.
#include <array>
#include <cstddef>
#include <string_view>

#include "../model/names.hpp"
#include "text.hpp"

namespace ctorm::detail {

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
      if (col.length != 0 && col.storage == Storage::text && col.sql_type == "text") {
        w.put("varchar(");
        put_number(w, col.length);
        w.put(')');
      } else {
        w.put(col.sql_type);
      }
      if (!col.nullable) w.put(" not null");
      if (col.primary_key) w.put(col.generated ? " primary key autoincrement" : " primary key");
      if (!col.default_sql.empty()) {
        w.put(" default ");
        w.put(col.default_sql);
      }
    }
    w.put(')');
  }
};

template <class Naming, class T>
consteval std::size_t index_option_count() {
  std::size_t n = 0;
  for (const auto& o : EntityMeta<T>::option_entries)
    if (o.kind == OptionKind::unique || o.kind == OptionKind::index) ++n;
  return n;
}

template <class T>
consteval const OptionEntry& index_option(std::size_t k) {
  for (const auto& o : EntityMeta<T>::option_entries) {
    if (o.kind == OptionKind::unique || o.kind == OptionKind::index) {
      if (k == 0) return o;
      --k;
    }
  }
  return EntityMeta<T>::option_entries[0];
}

template <class T>
constexpr std::size_t column_of_field(std::size_t field) {
  for (std::size_t c = 0; c < EntityMeta<T>::column_count; ++c)
    if (EntityMeta<T>::columns[c].field == field) return c;
  return no_field;
}

// `create unique index "user_email_unique" on "user" ("email")`, names as MikroORM makes them.
template <class Naming, class T, std::size_t K>
struct CreateIndexText {
  template <class W>
  static constexpr void build(W& w) {
    constexpr const OptionEntry& o = index_option<T>(K);
    const bool is_unique = o.kind == OptionKind::unique;
    w.put(is_unique ? "create unique index " : "create index ");
    w.put('"');
    w.put(table_name_of<Naming, T>);
    for (std::size_t i = 0; i < o.field_count; ++i) {
      w.put('_');
      w.put(column_names<Naming, T>[column_of_field<T>(o.fields[i])]);
    }
    w.put(is_unique ? "_unique\" on " : "_index\" on ");
    put_ident(w, table_name_of<Naming, T>);
    w.put(" (");
    for (std::size_t i = 0; i < o.field_count; ++i) {
      if (i) w.put(", ");
      put_ident(w, column_names<Naming, T>[column_of_field<T>(o.fields[i])]);
    }
    w.put(')');
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

// The `create table` statement of entity T (under a naming strategy), a compile-time constant.
template <class T, class Naming = UnderscoreNaming>
inline constexpr std::string_view create_table_sql = detail::static_text<detail::CreateTableText<Naming, T>>;

// The `create index` statements of entity T's unique and index options, compile-time constants.
template <class T, class Naming = UnderscoreNaming>
inline constexpr auto create_index_sql = []<std::size_t... K>(std::index_sequence<K...>) {
  return std::array<std::string_view, sizeof...(K)>{detail::static_text<detail::CreateIndexText<Naming, T, K>>...};
}(std::make_index_sequence<detail::index_option_count<Naming, T>()>{});

template <class T, class Naming = UnderscoreNaming>
inline constexpr std::string_view drop_table_sql = detail::static_text<detail::DropTableText<Naming, T>>;

}  // namespace ctorm
