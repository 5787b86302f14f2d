#pragma once
// Upsert: rows written with `insert ... on conflict ... do update ... returning`, and the returned rows
// hydrated through the identity map. Part of entity_manager.hpp.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entity_manager.hpp"

namespace ctorm {

namespace detail {

// The most rows one upsert statement takes (a power of two, at most 512); SQLite's limit on bound values
// may make it fewer. A variable so that tests can force several statements with a few rows.
inline std::size_t upsert_max_rows = 512;
inline constexpr std::size_t upsert_bucket_count = 10;  // statements of 1, 2, 4, ..., 512 rows

// An entity's upsert statements, one slot per row count, and the writer of the text of a row count.
struct UpsertFamily {
  std::size_t first_slot;
  void (*write)(std::string& out, std::size_t rows);
};

template <class Naming, class T, std::uint64_t Target, class D>
CTORM_COLD void write_upsert(std::string& out, std::size_t rows) {
  StringWriter<D> w{out};
  UpsertHead<Naming, T>::build(w);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i) w.put(", ");
    UpsertRow<Naming, T>::build(w);
  }
  UpsertTail<Naming, T, Target>::build(w);
}

template <class Naming, class T, std::uint64_t Target, class D>
inline UpsertFamily upsert_family() {
  static const std::size_t first = next_statement_slot(upsert_bucket_count);
  return {first, &write_upsert<Naming, T, Target, D>};
}

// The statement for `rows` rows (a power of two), made once per connection and row count.
template <class Conn>
inline auto upsert_statement(Conn& conn, const UpsertFamily& f, std::size_t rows) {
  const std::size_t slot = f.first_slot + static_cast<std::size_t>(std::countr_zero(rows));
  auto st = conn.cached(slot);
  if (CTORM_UNLIKELY(!st)) {
    std::string text;
    f.write(text, rows);
    st = conn.statement(slot, text);
  }
  return PreparedText<decltype(st)>{st, conn.sql_of(st)};
}

// The rows of the largest statement: a power of two that keeps the bound values within the database's
// limit.
template <class Conn>
inline std::size_t upsert_chunk_rows(Conn& conn, std::size_t columns) {
  const std::size_t limit = conn.max_parameters();
  const std::size_t most = std::min({upsert_max_rows, std::size_t{1} << (upsert_bucket_count - 1),
                                     std::max<std::size_t>(1, limit / columns)});
  return std::bit_floor(std::max<std::size_t>(most, 1));
}

// What an unset generated key and an unset version are bound as (the query log points at them).
inline const std::optional<std::int64_t> upsert_null_key{};
inline const std::int64_t upsert_first_version = 1;

CTORM_COLD [[noreturn]] inline void throw_upsert_new(std::string_view type) {
  throw UsageError("ctorm: upsert() was given a " + std::string(type) +
                   " that is persisted but not flushed yet; flush it first, or upsert a plain value");
}

}  // namespace detail

template <class Schema, class Backend>
template <class T, auto... Ms>
inline T& EntityManager<Schema, Backend>::upsert(const T& entity, OnConflict<Ms...>) {
  detail::check_in_schema<Schema, T>();
  constexpr std::uint64_t target = detail::upsert_target_mask<T, Ms...>();
  static_assert(target != 0,
                "ctorm: on_conflict<...> must name the primary key or exactly the members of one of the "
                "entity's ctorm::unique<...> options");
  T* out = nullptr;
  const T* row = &entity;
  if constexpr (target != 0) upsert_rows<T, target>(&row, 1, &out);
  return *out;
}

template <class Schema, class Backend>
template <std::ranges::forward_range R, auto... Ms>
inline auto EntityManager<Schema, Backend>::upsert_many(const R& entities, OnConflict<Ms...>)
    -> std::vector<std::ranges::range_value_t<R>*> {
  using T = std::ranges::range_value_t<R>;
  detail::check_in_schema<Schema, T>();
  constexpr std::uint64_t target = detail::upsert_target_mask<T, Ms...>();
  static_assert(target != 0,
                "ctorm: on_conflict<...> must name the primary key or exactly the members of one of the "
                "entity's ctorm::unique<...> options");
  std::vector<const T*> rows;
  if constexpr (std::ranges::sized_range<R>) rows.reserve(std::ranges::size(entities));
  for (const T& e : entities) rows.push_back(&e);
  std::vector<T*> out(rows.size());
  if constexpr (target != 0)
    if (!rows.empty()) upsert_rows<T, target>(rows.data(), rows.size(), out.data());
  return out;
}

template <class Schema, class Backend>
template <class T>
inline void EntityManager<Schema, Backend>::bind_upsert_row(Query& q, const T& e) {
  using M = detail::EntityMeta<T>;
  [&]<std::size_t... C>(std::index_sequence<C...>) {
    (
        [&] {
          const auto& field = detail::column_ref<C>(e);
          if constexpr (C == M::pk_column && M::generated_key) {
            if (field == 0) return q.bind(detail::upsert_null_key);
          } else if constexpr (C == M::version_column) {
            if (field == 0) return q.bind(detail::upsert_first_version);
          }
          q.bind(field, detail::field_label<T, C>);
        }(),
        ...);
  }(std::make_index_sequence<M::column_count>{});
}

template <class Schema, class Backend>
template <class T, std::uint64_t Target>
void EntityManager<Schema, Backend>::upsert_rows(const T* const* rows, std::size_t n, T** out) {
  const auto use = conn_.use();
  using M = detail::EntityMeta<T>;
  auto& s = store<T>();
  if (CTORM_UNLIKELY(!s.inserts().empty())) {
    for (std::size_t i = 0; i < n; ++i)
      for (const auto* p : s.inserts())
        if (&p->entity == rows[i]) detail::throw_upsert_new(detail::type_name<T>);
  }
  const detail::UpsertFamily family = detail::upsert_family<Naming, T, Target, Dialect>();
  const std::size_t chunk = detail::upsert_chunk_rows(*conn_, M::column_count);
  // What a failure must undo: entities this upsert added to the identity map, and those it refilled.
  std::vector<EntryT<T>*> added, refilled;
  std::vector<detail::EntryBase*> generated;  // of added, those whose key the database generated
  added.reserve(n);
  try {
    // One statement is atomic on its own; more run in one transaction (or a savepoint in the user's). Where
    // an error aborts the user's transaction (PostgreSQL), one runs in a savepoint too, so that its failure
    // undoes only itself, as on SQLite.
    std::optional<typename Backend::transaction> tx;
    if (n > chunk || (Connection::errors_abort_transaction && conn_->in_transaction())) tx.emplace(*conn_);
    for (std::size_t done = 0; done < n;) {
      const std::size_t count = n - done >= chunk ? chunk : std::bit_floor(n - done);
      const auto text = detail::upsert_statement(*conn_, family, count);
      Query q(*conn_, text.statement, text.sql);
      for (std::size_t i = 0; i < count; ++i) bind_upsert_row(q, *rows[done + i]);
      // SQLite returns the rows in the order of the values
      for (std::size_t i = 0; i < count && q.step(); ++i) {
        Row st = q.row();
        const auto [entry, is_new] = s.find_or_add(read_key<T>(st, static_cast<int>(M::pk_position)));
        (is_new ? added : refilled).push_back(entry);
        if constexpr (M::generated_key)
          if (is_new && detail::column_ref<M::pk_column>(*rows[done + i]) == 0) generated.push_back(entry);
        fill(*entry, st, 0, !entry->initialized);
        out[done + i] = &entry->entity;
      }
      while (q.step()) {
      }
      q.finish_rows();
      done += count;
    }
    if (tx) tx->commit();
  } catch (...) {
    // rolled back: the identity map forgets the rows it learnt and reads again those it changed
    for (auto* e : added) s.forget(*e);
    for (auto* e : refilled) {
      try {
        reload(*e);
      } catch (...) {  // the first error is the one to report
      }
    }
    throw;
  }
  // Inside em.begin(): the transaction's journal learns what this upsert did, as it learns a flush's
  // work, so that em.rollback() forgets the entities it added and reads again those it refilled.
  if (CTORM_UNLIKELY(observer_ != nullptr)) {
    detail::FlushStep<Backend> step{&FlushOps<T>::kernels, &s, {}, {}, {}, std::move(generated)};
    step.inserts.assign(added.begin(), added.end());
    for (auto* e : refilled) step.updates.push_back({e, 0});
    observer_->flushed(*observer_, &step, 1);
  }
}

}  // namespace ctorm
