#pragma once
// The upsert statement of an entity: `insert into "t" (...) values (...), ... on conflict ("target") do
// update set "c" = excluded."c", ... returning ...`. Its parts are compile-time constants; the statement
// of one row is one too, the texts of more rows are written at run time from the parts (em/upsert_impl.hpp).
#include <cstddef>
#include <cstdint>

#include "../model/entity.hpp"
#include "../model/names.hpp"
#include "../model/options.hpp"
#include "../reflect/member_pointer.hpp"
#include "../text/static_text.hpp"
#include "dml.hpp"

namespace ctorm {

// The conflict target of an upsert: the primary key (no members, the default) or the members of one of the
// entity's ctorm::unique<...> options: em.upsert(user, ctorm::on_conflict<&User::email>).
template <auto... Members>
struct OnConflict {};
template <auto... Members>
inline constexpr OnConflict<Members...> on_conflict{};

}  // namespace ctorm

namespace ctorm::detail {

// The columns of the conflict target as a mask, or 0 when the members are neither the primary key nor
// exactly the members of a unique option.
template <class T, auto... Ms>
consteval std::uint64_t upsert_target_mask() {
  using M = EntityMeta<T>;
  if constexpr (sizeof...(Ms) == 0) {
    return std::uint64_t{1} << M::pk_column;
  } else if constexpr (!(std::is_same_v<member_class<Ms>, T> && ...)) {
    return 0;
  } else {
    constexpr std::size_t fields[] = {field_index<Ms>...};
    std::uint64_t mask = 0;
    for (std::size_t f : fields) {
      const std::size_t c = column_of_field<T>(f);
      if (c == no_field) return 0;
      mask |= std::uint64_t{1} << c;
    }
    if (mask == std::uint64_t{1} << M::pk_column) return mask;
    for (const auto& o : entity_option_entries<T>) {
      if (o.kind != OptionKind::unique || o.field_count != sizeof...(Ms)) continue;
      std::uint64_t unique_mask = 0;
      for (std::size_t i = 0; i < o.field_count; ++i) {
        const std::size_t c = column_of_field<T>(o.fields[i]);
        if (c != no_field) unique_mask |= std::uint64_t{1} << c;
      }
      if (unique_mask == mask) return mask;
    }
    return 0;
  }
}

// insert into "user" ("id", "full_name", ...) values
// Every column is written; an unset generated key is bound as NULL, so SQLite assigns one.
template <class Naming, class T>
struct UpsertHead {
  template <class W>
  static constexpr void build(W& w) {
    put_insert_head<Naming, T, true>(w);
  }
};

// (?, ?, ...): one row's values. An unset generated key is bound as NULL, which the dialect turns into a
// key of its own where NULL is not one.
template <class Naming, class T>
struct UpsertRow {
  template <class W>
  static constexpr void build(W& w) {
    using M = EntityMeta<T>;
    w.put('(');
    for (std::size_t c = 0; c < M::column_count; ++c) {
      if (c) w.put(", ");
      if (M::generated_key && c == M::pk_column)
        W::dialect::put_generated_key_value(w, table_name_of<Naming, T>, column_names<Naming, T>[c]);
      else
        w.placeholder();
    }
    w.put(')');
  }
};

//  on conflict ("email") do update set "full_name" = excluded."full_name", ... returning "id", ...
// The key and the target are not updated; a version is incremented, whatever the row's value was.
template <class Naming, class T, std::uint64_t Target>
struct UpsertTail {
  template <class W>
  static constexpr void build(W& w) {
    using M = EntityMeta<T>;
    const auto& names = column_names<Naming, T>;
    w.put(" on conflict (");
    bool first = true;
    for (std::size_t c = 0; c < M::column_count; ++c) {
      if (!(Target >> c & 1u)) continue;
      if (!first) w.put(", ");
      first = false;
      put_ident(w, names[c]);
    }
    w.put(") do update set ");
    first = true;
    for (std::size_t c = 0; c < M::column_count; ++c) {
      if (c == M::pk_column || Target >> c & 1u || c == M::version_column) continue;
      if (!first) w.put(", ");
      first = false;
      put_ident(w, names[c]);
      w.put(" = excluded.");
      put_ident(w, names[c]);
    }
    if constexpr (M::has_version) {
      if (!first) w.put(", ");
      first = false;
      put_ident(w, names[M::version_column]);
      w.put(" = ");
      put_ident(w, table_name_of<Naming, T>);  // the row's own, not excluded's (PostgreSQL wants it said)
      w.put('.');
      put_ident(w, names[M::version_column]);
      w.put(" + 1");
    }
    if (first) {  // nothing but the key and the target: still an update, so that the row is returned
      put_ident(w, names[M::pk_column]);
      w.put(" = excluded.");
      put_ident(w, names[M::pk_column]);
    }
    w.put(" returning ");
    put_select_list<Naming, T>(w);
  }
};


}  // namespace ctorm::detail
