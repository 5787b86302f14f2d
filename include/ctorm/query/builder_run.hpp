#pragma once
// Running a query builder's statement: all() and one() read rows (entities through the entity manager's
// identity map, or values through query/result.hpp), run() executes an update, delete or insert, and
// count(), exists() and all_and_count() run a select made from the query's own tables and where. Part of
// builder.hpp. The member functions are defined `inline`, as they were inside the class: GCC gives
// functions declared inline a larger inlining budget.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "builder.hpp"
#include "result.hpp"
#include "statement.hpp"

namespace ctorm {

namespace detail {

// The entity manager's hydrate path, opened to the query builder (EntityManager befriends it).
template <class Em>
struct EmAccess {
  template <class T, std::uint64_t Mask>
  static T* hydrate(Em& em, typename Em::backend::row st) {
    return &em.template hydrate_columns<T, Mask>(st)->entity;
  }
  // The entity manager's connection for the statement's whole run.
  static auto use(Em& em) { return em.conn_.use(); }
  template <class T>
  static void reserve(Em& em, std::size_t more) {
    auto& s = em.template store<T>();
    s.reserve(s.size() + more);
  }
};

}  // namespace detail

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
template <class R>
inline std::vector<R> QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::all() const
  requires(!std::is_void_v<Em>)
{
  static_assert(Kind == StatementKind::select, "ctorm: all() reads the rows of a select; run() an update");
  using Reader = RowReader<R>;
  const auto use = detail::EmAccess<Em>::use(*em_);
  auto prepared = detail::prepare_text<Text>(em_->connection(), *this);
  typename Em::backend::query q(em_->connection(), prepared.statement, prepared.sql);
  bind(q);
  std::vector<R> out;
  // A limit says how many rows may come: make room for them once instead of growing step by step.
  if (const std::size_t n = row_hint()) {
    out.reserve(n);
    if constexpr (std::is_pointer_v<R>) detail::EmAccess<Em>::template reserve<Root>(*em_, n);
  }
  while (q.step()) out.push_back(Reader::read(*em_, q.row()));
  q.finish_rows();
  return out;
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
template <class R>
inline auto QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::one() const
  requires(!std::is_void_v<Em>)
{
  static_assert(Kind == StatementKind::select, "ctorm: one() reads a row of a select; run() an update");
  using Reader = RowReader<R>;
  using Out = std::conditional_t<std::is_pointer_v<R>, R, std::optional<R>>;
  const auto use = detail::EmAccess<Em>::use(*em_);
  auto prepared = detail::prepare_text<Text>(em_->connection(), *this);
  typename Em::backend::query q(em_->connection(), prepared.statement, prepared.sql);
  bind(q);
  Out out{};
  if (q.step()) out = Reader::read(*em_, q.row());
  q.finish_rows();
  return out;
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
inline RunResult QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::run() const
  requires(!std::is_void_v<Em>)
{
  static_assert(Kind != StatementKind::select, "ctorm: run() executes an update, delete or insert; all() or one() "
                                               "read a select");
  const auto use = detail::EmAccess<Em>::use(*em_);
  auto prepared = detail::prepare_text<Text>(em_->connection(), *this);
  typename Em::backend::query q(em_->connection(), prepared.statement, prepared.sql);
  bind(q);
  RunResult r;
  r.affected_rows = q.run();
  r.insert_id = q.generated_key();
  return r;
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
inline std::int64_t QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::count() const
  requires(!std::is_void_v<Em>)
{
  static_assert(Kind == StatementKind::select, "ctorm: count() counts the rows of a select");
  if constexpr (!detail::present<Group> && !IsDistinct && entity_mode && joins::template multiplies<Root>) {
    // entities joined to many rows: count the roots once each
    auto counter = remake_select<false>(detail::SelectList<detail::CountRoots>{}, detail::borrow_part(where_part()),
                                        detail::Nothing{}, detail::Nothing{});
    return counter.template scalar<std::int64_t, typename decltype(counter)::Text>();
  } else if constexpr (!detail::present<Group> && !distinct_rows) {
    auto counter = remake_select<false>(detail::SelectList<CountAll>{}, detail::borrow_part(where_part()),
                                        detail::Nothing{}, detail::Nothing{});
    return counter.template scalar<std::int64_t, typename decltype(counter)::Text>();
  } else {
    auto inner = remake_select<distinct_rows>(parts_.select, detail::borrow_part(where_part()),
                                           detail::borrow_part(parts_.group),
                                           detail::borrow_part(parts_.having));
    return inner.template scalar<std::int64_t, CountWrapped<typename decltype(inner)::shape>>();
  }
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
inline bool QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::exists() const
  requires(!std::is_void_v<Em>)
{
  static_assert(Kind == StatementKind::select, "ctorm: exists() tests the rows of a select");
  auto probe = remake_select<false>(detail::SelectList<RawSql<"1", std::int64_t>>{},
                                    detail::borrow_part(where_part()),
                                    detail::borrow_part(parts_.group),
                                    detail::borrow_part(parts_.having))
                   .template limit<1>();
  return probe.template scalar<std::optional<std::int64_t>, typename decltype(probe)::Text>().has_value();
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
template <class R>
inline ItemsAndTotal<R> QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::all_and_count() const
  requires(!std::is_void_v<Em>)
{
  ItemsAndTotal<R> out;
  out.items = all<R>();
  out.total = count();
  return out;
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
inline std::size_t QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::row_hint() const {
  constexpr std::int64_t cap = 1024;
  std::int64_t n = 0;
  if constexpr (std::is_same_v<LimitPart, Limit>)
    n = parts_.limit.value;
  else if constexpr (detail::IsStaticLimit<LimitPart>::value)
    n = detail::IsStaticLimit<LimitPart>::count;
  return n > 0 ? static_cast<std::size_t>(n < cap ? n : cap) : 0;
}

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
template <class R>
struct QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::RowReader {
  static R read(Em& em, typename Em::backend::row st) {
    if constexpr (std::is_pointer_v<R>) {
      static_assert(entity_mode && std::is_same_v<std::remove_const_t<std::remove_pointer_t<R>>, Root>,
                    "ctorm: a query reads entities (T*) only without select(): the entity it queries, through "
                    "the identity map");
      return detail::EmAccess<Em>::template hydrate<Root, load_mask>(em, st);
    } else {
      static_assert(!entity_mode, "ctorm: a query without select() reads entities: all() gives T*; select() "
                                  "columns to read them into a value, a tuple or a struct");
      return read_row(st, static_cast<Select*>(nullptr));
    }
  }
  template <class Row, class... Items>
  static R read_row(Row st, detail::SelectList<Items...>*) {
    using M = detail::row_mapping<R, Items...>;
    static_assert(M::valid);
    R r{};
    M::read(st, r);
    return r;
  }
};

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
template <class R, class TextT>
inline R QueryBuilder<Em, Naming, Root, Kind, IsDistinct, Joins, Parts>::scalar() const {
  const auto use = detail::EmAccess<Em>::use(*em_);
  auto prepared = detail::prepare_text<TextT>(em_->connection(), *this);
  typename Em::backend::query q(em_->connection(), prepared.statement, prepared.sql);
  bind(q);
  R r{};
  if (q.step()) read_value(q.row(), 0, r);
  q.finish_rows();
  return r;
}

}  // namespace ctorm
