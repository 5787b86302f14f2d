#pragma once
// The query builder: `em.query<Article>()` (executable) or `ctorm::query<Comment>()` (a sub-query).
//
//   auto rows = em.query<Article>()
//                   .select(col<&Article::title>, ctorm::as<"comments">(ctorm::count()))
//                   .where(col<&Article::title> != "")
//                   .group_by(col<&Article::title>)
//                   .order_by(ctorm::descending(ctorm::count()))
//                   .limit(10)
//                   .all<Listing>();
//
// Every call returns a builder of a new type: the type is the query's shape, so its SQL text is a
// compile-time constant (`decltype(q)::sql()`), and the builder holds only the values to bind. Execution
// modes are MikroORM's: all() (every row), one() (the first row), run() (an update, delete or insert:
// affected rows and last insert id), plus count(), exists() and all_and_count().
//
// Without select(), a query returns managed entities through the identity map (all() gives T*), with
// fields<...>() loading only some columns. With select(), rows are read into a value, a std::tuple or a
// plain struct (see query/result.hpp).
//
// This header is the builder's shape: its building calls and its SQL text. The parts it holds are in
// builder_parts.hpp, and its execution (all, one, run, count, exists) in builder_run.hpp, included at
// the end.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../db/sqlite/dialect.hpp"
#include "../model/naming.hpp"
#include "aggregate.hpp"
#include "alias.hpp"
#include "assignment.hpp"
#include "builder_parts.hpp"
#include "condition.hpp"
#include "context.hpp"
#include "expression.hpp"
#include "fields.hpp"
#include "join.hpp"
#include "order.hpp"
#include "paging.hpp"
#include "parts.hpp"
#include "query_option.hpp"
#include "raw_sql.hpp"
#include "statement.hpp"

namespace ctorm {

enum class StatementKind : unsigned char { select, update, remove, insert };

// What run() reports: the rows an update, delete or insert changed, and the last inserted row's id.
struct RunResult {
  std::int64_t affected_rows = 0;
  std::int64_t insert_id = 0;
};

// A page of results and the number of rows there are without limit and offset.
template <class R>
struct ItemsAndTotal {
  std::vector<R> items;
  std::int64_t total = 0;
};

namespace detail {

// The dialect a query made on its own (no entity manager) writes its text in: SQLite's.
template <class Em>
struct EmBackend {
  using type = typename Em::backend;
};
template <>
struct EmBackend<void> {
  using type = SqliteText;
};

}  // namespace detail

template <class Em, class Naming, class Root, StatementKind Kind, bool IsDistinct, class Joins, class Parts>
class QueryBuilder {
  using default_backend = typename detail::EmBackend<Em>::type;
  template <std::size_t I>
  using part_t = typename detail::PartAt<I, Parts>::type;
  using Select = part_t<detail::p_select>;
  using Where = part_t<detail::p_where>;
  using Group = part_t<detail::p_group>;
  using Having = part_t<detail::p_having>;
  using Order = part_t<detail::p_order>;
  using LimitPart = part_t<detail::p_limit>;
  using OffsetPart = part_t<detail::p_offset>;
  using FieldsPart = part_t<detail::p_fields>;
  using Assign = part_t<detail::p_assign>;

  static constexpr bool entity_mode = !detail::present<Select>;

  // Every join: the ones asked for, and those the columns' relation paths need (query/join.hpp).
  using joins = typename detail::CompleteJoins<Joins, Select, Where, Group, Having, Order>::type;
  // Entities are read once each even when a join repeats their rows.
  static constexpr bool distinct_rows = IsDistinct || (entity_mode && joins::template multiplies<Root>);
  static constexpr std::uint64_t load_mask = [] {
    if constexpr (detail::present<FieldsPart>)
      return FieldsPart::mask;
    else
      return detail::EntityMeta<Root>::eager_mask;
  }();

 public:
  using ctorm_expression = void;
  static constexpr bool is_query = true;
  using entity = Root;
  // As a sub-query: the value of its one selected column (void when it selects several, or none).
  using value_type = typename detail::SelectedValue<Select>::type;
  static constexpr std::size_t dynamic_count = []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + detail::dynamic_count_v<part_t<I>>);
  }(std::make_index_sequence<detail::p_fields + 1>{});

  // The same query without an entity manager: names its text and statement slot for every manager.
  using shape = QueryBuilder<void, Naming, Root, Kind, IsDistinct, Joins, Parts>;

  QueryBuilder(Em* em, Parts parts) : em_(em), parts_(std::move(parts)) {}

  // --- building ----------------------------------------------------------------------------------

  // The selected columns, expressions, aggregates and sub-queries (ctorm::as<"name">(e) names one).
  template <expression... Items>
  auto select(Items&&... items) const& {
    return QueryBuilder(*this).select(std::forward<Items>(items)...);
  }
  template <expression... Items>
  auto select(Items&&... items) && {
    static_assert(Kind == StatementKind::select, "ctorm: select() on an update, delete or insert");
    static_assert(sizeof...(Items) > 0, "ctorm: select() names at least one column or expression");
    static_assert(!detail::present<FieldsPart>, "ctorm: select() and fields<...>() do not go together");
    return std::move(*this).template with<detail::p_select>(
        detail::SelectList<std::remove_cvref_t<Items>...>{{std::forward<Items>(items)...}});
  }

  // Joins a relation (or a path of them) of the queried entity: `.join<&Article::author>()` is an inner
  // join, `.left_join<&Article::tags>()` a left one. Columns of the joined entity are then named by their
  // path (`col<&Article::author, &User::full_name>`, which alone would left-join it) or, when only one
  // table of the query is of their entity, plainly (`col<&User::full_name>`).
  template <auto... Path>
  auto join() const& {
    return QueryBuilder(*this).template join<Path...>();
  }
  template <auto... Path>
  auto join() && {
    return std::move(*this).template add_join<JoinKind::inner, Path...>();
  }
  template <auto... Path>
  auto left_join() const& {
    return QueryBuilder(*this).template left_join<Path...>();
  }
  template <auto... Path>
  auto left_join() && {
    return std::move(*this).template add_join<JoinKind::left, Path...>();
  }

  // `select distinct`.
  auto distinct() const& { return QueryBuilder(*this).distinct(); }
  auto distinct() && { return std::move(*this).template remake<Kind, true>(std::move(parts_)); }

  // A condition; a second where() is joined to the first with `and`.
  template <condition C>
  auto where(C&& c) const& {
    return QueryBuilder(*this).where(std::forward<C>(c));
  }
  template <condition C>
  auto where(C&& c) && {
    return std::move(*this).template with<detail::p_where>(
        detail::and_condition(std::move(parts_.where), std::forward<C>(c)));
  }

  template <expression... Es>
  auto group_by(Es&&... es) const& {
    return QueryBuilder(*this).group_by(std::forward<Es>(es)...);
  }
  template <expression... Es>
  auto group_by(Es&&... es) && {
    static_assert(sizeof...(Es) > 0, "ctorm: group_by() names at least one column");
    return std::move(*this).template with<detail::p_group>(
        detail::GroupBy<std::remove_cvref_t<Es>...>{{std::forward<Es>(es)...}});
  }

  // A condition on groups (aggregates allowed); a second having() is joined with `and`.
  template <condition C>
  auto having(C&& c) const& {
    return QueryBuilder(*this).having(std::forward<C>(c));
  }
  template <condition C>
  auto having(C&& c) && {
    return std::move(*this).template with<detail::p_having>(
        detail::and_condition(std::move(parts_.having), std::forward<C>(c)));
  }

  template <class... Os>
  auto order_by(Os&&... os) const& {
    return QueryBuilder(*this).order_by(std::forward<Os>(os)...);
  }
  template <class... Os>
  auto order_by(Os&&... os) && {
    if constexpr (sizeof...(Os) == 1 && (detail::IsOrderBy<std::remove_cvref_t<Os>>::value && ...))
      return std::move(*this).template with<detail::p_order>(std::remove_cvref_t<Os>(std::forward<Os>(os))...);
    else
      return std::move(*this).template with<detail::p_order>(ctorm::order_by(std::forward<Os>(os)...));
  }

  // `limit ?` (bound); limit<N>() writes the number into the text.
  auto limit(std::int64_t n) const& { return QueryBuilder(*this).limit(n); }
  auto limit(std::int64_t n) && { return std::move(*this).template with<detail::p_limit>(Limit{n}); }
  template <std::int64_t N>
  auto limit() const& {
    return QueryBuilder(*this).template limit<N>();
  }
  template <std::int64_t N>
  auto limit() && {
    static_assert(N >= 0, "ctorm: limit<N>() takes a count");
    return std::move(*this).template with<detail::p_limit>(detail::StaticLimit<N>{});
  }

  auto offset(std::int64_t n) const& { return QueryBuilder(*this).offset(n); }
  auto offset(std::int64_t n) && { return std::move(*this).template with<detail::p_offset>(Offset{n}); }

  // Loads only these columns (and the key) of the entities the query returns.
  template <auto... Members>
  auto fields() const& {
    return QueryBuilder(*this).template fields<Members...>();
  }
  template <auto... Members>
  auto fields() && {
    static_assert(entity_mode, "ctorm: fields<...>() loads part of an entity; with select() name the columns there");
    return std::move(*this).template with<detail::p_fields>(
        detail::LoadMask<detail::fields_mask<Root, Members...>()>{});
  }

  // Applies find() options: order_by(...), limit(n), offset(n), fields<...>.
  template <query_option... Os>
  auto apply(const Os&... os) const& {
    return QueryBuilder(*this).apply(os...);
  }
  auto apply() && { return std::move(*this); }
  template <query_option O, query_option... Os>
  auto apply(const O& o, const Os&... os) && {
    return std::move(*this).apply_one(o).apply(os...);
  }

  // `update "t" set ...`: run() executes it.
  template <assignment... As>
  auto update(As&&... as) const& {
    return QueryBuilder(*this).update(std::forward<As>(as)...);
  }
  template <assignment... As>
  auto update(As&&... as) && {
    static_assert(sizeof...(As) > 0, "ctorm: update() sets at least one column");
    check_assignments<std::remove_cvref_t<As>...>();
    static_assert(Kind == StatementKind::select && entity_mode && !detail::present<Group> && !detail::present<Order> &&
                      !detail::present<LimitPart> && !detail::present<OffsetPart> && Joins::empty,
                  "ctorm: update() takes a plain query: a where() at most");
    return std::move(*this).template remake<StatementKind::update, false>(detail::replace_part<detail::p_assign>(
        std::move(parts_), detail::Assignments<std::remove_cvref_t<As>...>{{std::forward<As>(as)...}}));
  }

  // `delete from "t" ...`: run() executes it.
  auto delete_rows() const& { return QueryBuilder(*this).delete_rows(); }
  auto delete_rows() && {
    static_assert(Kind == StatementKind::select && entity_mode && !detail::present<Group> && !detail::present<Order> &&
                      !detail::present<LimitPart> && !detail::present<OffsetPart> && Joins::empty,
                  "ctorm: delete_rows() takes a plain query: a where() at most");
    return std::move(*this).template remake<StatementKind::remove, false>(std::move(parts_));
  }

  // `insert into "t" (...) values (...)`: run() executes it and reports the new row's id.
  template <assignment... As>
  auto insert(As&&... as) const& {
    return QueryBuilder(*this).insert(std::forward<As>(as)...);
  }
  template <assignment... As>
  auto insert(As&&... as) && {
    static_assert(sizeof...(As) > 0, "ctorm: insert() sets at least one column");
    check_assignments<std::remove_cvref_t<As>...>();
    static_assert(Kind == StatementKind::select && entity_mode && !detail::present<Where> &&
                      !detail::present<Group> && !detail::present<Order> && !detail::present<LimitPart> &&
                      !detail::present<OffsetPart> && Joins::empty,
                  "ctorm: insert() starts from a bare query<T>()");
    return std::move(*this).template remake<StatementKind::insert, false>(detail::replace_part<detail::p_assign>(
        std::move(parts_), detail::Assignments<std::remove_cvref_t<As>...>{{std::forward<As>(as)...}}));
  }

  // --- text --------------------------------------------------------------------------------------

  using top_context = typename joins::template context<Naming, detail::NoParent, !joins::empty, Root>;

  // The statement's SQL, a compile-time constant (for queries without run-time lists).
  // The statement's SQL, a compile-time constant (for queries without run-time lists), in the dialect of
  // the entity manager the query was made from (SQLite for a query made on its own, or ask for one:
  // `q.sql<ctorm::postgres>()`).
  template <class B = default_backend>
  static consteval std::string_view sql()
    requires(dynamic_count == 0)
  {
    return detail::static_text<Text, typename B::dialect>;
  }
  // The statement's SQL for this query's list sizes.
  template <class B = default_backend>
  std::string sql_text() const {
    return detail::text_of<Text, typename B::dialect>(*this);
  }

  template <class Ctx, class W>
  static constexpr void write_statement(W& w) {
    if constexpr (Kind == StatementKind::select) {
      w.put(distinct_rows ? "select distinct " : "select ");
      if constexpr (!entity_mode)
        Select::template write_sql<Ctx>(w);
      else if constexpr (Ctx::has_parent)
        w.put('1');  // exists (select 1 ...)
      else
        write_entity_columns<Ctx>(w);
      w.put(" from ");
      Ctx::template put_table<0>(w);
      joins::template write_sql<Ctx>(w);
      write_clause<Ctx, Where>(w, " where ");
      write_clause<Ctx, Group>(w, " group by ");
      write_clause<Ctx, Having>(w, " having ");
      write_clause<Ctx, Order>(w, " order by ");
      if constexpr (detail::present<LimitPart>)
        write_clause<Ctx, LimitPart>(w, " limit ");
      else if constexpr (detail::present<OffsetPart>)
        w.put(W::dialect::no_limit);
      write_clause<Ctx, OffsetPart>(w, " offset ");
    } else if constexpr (Kind == StatementKind::update) {
      static_assert(joins::empty, "ctorm: an update cannot join; name related rows with a sub-query (in, exists)");
      w.put("update ");
      Ctx::template put_table<0>(w);
      w.put(" set ");
      Assign::template write_sql<Ctx>(w);
      write_clause<Ctx, Where>(w, " where ");
    } else if constexpr (Kind == StatementKind::remove) {
      static_assert(joins::empty, "ctorm: a delete cannot join; name related rows with a sub-query (in, exists)");
      w.put("delete from ");
      Ctx::template put_table<0>(w);
      write_clause<Ctx, Where>(w, " where ");
    } else {
      w.put("insert into ");
      Ctx::template put_table<0>(w);
      w.put(" (");
      write_assignment_list<Ctx>(w, true);
      w.put(") values (");
      write_assignment_list<Ctx>(w, false);
      w.put(')');
      // run()'s insert_id: the dialect returns the key where the database does not report it otherwise
      if constexpr (detail::EntityMeta<Root>::generated_key)
        W::dialect::put_returning_key(w, detail::column_names<Naming, Root>[detail::EntityMeta<Root>::pk_column]);
    }
  }

  // As a sub-query: `(select ...)`, its tables aliased by depth, outer columns resolved outward.
  template <class Outer, class W>
  static constexpr void write_sql(W& w) {
    static_assert(Kind == StatementKind::select, "ctorm: only a select can be a sub-query");
    using Ctx = typename joins::template context<typename Outer::naming, Outer, true, Root>;
    w.put('(');
    write_statement<Ctx>(w);
    w.put(')');
  }

  // Binds every value, in the order of the text's placeholders.
  template <class Q>
  void bind(Q& q) const {
    parts_.for_each([&](const auto& part) { part.bind(q); });
  }
  template <class S>
  void collect_sizes(S& s) const {
    parts_.for_each([&](const auto& part) { detail::collect_sizes(part, s); });
  }

  // --- execution (query/builder_run.hpp) -----------------------------------------------------------

  // The row type all() and one() give without a type: T* for entities, the value of a single selected
  // column, or a std::tuple of the selected values.
  using default_row = typename detail::DefaultRow<Root, Select>::type;

  // Every row.
  template <class R = default_row>
  std::vector<R> all() const
    requires(!std::is_void_v<Em>);

  // The first row: nullptr (entities) or an empty optional when there is none.
  template <class R = default_row>
  auto one() const
    requires(!std::is_void_v<Em>);

  // Runs an update, delete or insert.
  RunResult run() const
    requires(!std::is_void_v<Em>);

  // How many rows the query matches, without its limit and offset.
  std::int64_t count() const
    requires(!std::is_void_v<Em>);

  // Whether the query matches any row: `select 1 from ... limit 1`.
  bool exists() const
    requires(!std::is_void_v<Em>);

  // A page of rows and the total without limit and offset (the guide's paginated listing).
  template <class R = default_row>
  ItemsAndTotal<R> all_and_count() const
    requires(!std::is_void_v<Em>);

 private:
  template <class, class, class, StatementKind, bool, class, class>
  friend class QueryBuilder;

  // Execution's helpers (query/builder_run.hpp). The most rows the limit lets through (up to 1,024), or 0
  // when there is no limit.
  std::size_t row_hint() const;
  // Reads a row into R.
  template <class R>
  struct RowReader;
  // Runs a select of one value (count(), exists()).
  template <class R, class TextT>
  R scalar() const;

  struct Text {
    template <class W>
    static constexpr void build(W& w) {
      shape::template write_statement<typename shape::top_context>(w);
    }
  };
  template <class Inner>
  struct CountWrapped {
    template <class W>
    static constexpr void build(W& w) {
      w.put("select count(*) from (");
      Inner::template write_statement<typename Inner::top_context>(w);
      w.put(") as \"rows\"");  // PostgreSQL (before 16) wants a derived table named
    }
  };

  template <std::size_t I, class V>
  auto with(V&& v) && {
    return std::move(*this).template remake<Kind, IsDistinct>(
        detail::replace_part<I>(std::move(parts_), std::forward<V>(v)));
  }
  template <StatementKind K, bool D, class P>
  auto remake(P&& parts) && {
    return QueryBuilder<Em, Naming, Root, K, D, Joins, std::remove_cvref_t<P>>(em_, std::forward<P>(parts));
  }
  template <JoinKind JK, auto... Path>
  auto add_join() && {
    static_assert(sizeof...(Path) > 0, "ctorm: join<...>() names a relation: join<&Article::author>()");
    static_assert(Kind == StatementKind::select, "ctorm: only a select joins");
    using Spec = detail::JoinSpec<JK, detail::MemberPath<Path...>>;
    using Target = typename detail::PathTarget<Root, detail::MemberPath<Path...>>::type;  // checks the path
    static_assert(!std::is_void_v<Target>);
    return QueryBuilder<Em, Naming, Root, Kind, IsDistinct, boost::mp11::mp_push_back<Joins, Spec>, Parts>(
        em_, std::move(parts_));
  }

  // A select over this query's tables and where, with other parts (count() and exists()).
  template <bool D, class S, class W, class G, class H>
  auto remake_select(S s, W w, G g, H h) const {
    using P = detail::QueryParts<detail::Nothing, S, W, G, H, detail::Nothing, detail::Nothing, detail::Nothing,
                                 detail::Nothing>;
    return QueryBuilder<Em, Naming, Root, StatementKind::select, D, Joins, P>(
        em_, P{{}, std::move(s), std::move(w), std::move(g), std::move(h), {}, {}, {}, {}});
  }

  const Where& where_part() const { return parts_.where; }

  template <class O>
  auto apply_one(const O& o) && {
    if constexpr (detail::IsOrderBy<O>::value)
      return std::move(*this).template with<detail::p_order>(o);
    else if constexpr (std::is_same_v<O, Limit>)
      return std::move(*this).template with<detail::p_limit>(o);
    else if constexpr (std::is_same_v<O, Offset>)
      return std::move(*this).template with<detail::p_offset>(o);
    else
      return apply_fields(std::move(*this), static_cast<const O*>(nullptr));
  }
  template <class Q, auto... Ms>
  static auto apply_fields(Q&& q, const Fields<Ms...>*) {
    return std::forward<Q>(q).template fields<Ms...>();
  }

  template <class... As>
  static consteval void check_assignments() {
    static_assert((std::is_same_v<typename As::column::entity, Root> && ...),
                  "ctorm: set() names a column of another entity than the one written");
  }

  template <class Ctx, class Part, class W>
  static constexpr void write_clause(W& w, std::string_view keyword) {
    if constexpr (detail::present<Part>) {
      w.put(keyword);
      Part::template write_sql<Ctx>(w);
    }
  }

  template <class Ctx, class W>
  static constexpr void write_entity_columns(W& w) {
    bool first = true;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
      ((load_mask >> C & 1u ? (w.put(first ? "" : ", "), first = false,
                               Ctx::template put_source_column<0, C, false>(w), 0)
                            : 0),
       ...);
    }(std::make_index_sequence<detail::EntityMeta<Root>::column_count>{});
  }

  template <class Ctx, class W>
  static constexpr void write_assignment_list(W& w, bool columns) {
    write_assignment_list<Ctx>(w, columns, static_cast<Assign*>(nullptr));
  }
  template <class Ctx, class W, class... As>
  static constexpr void write_assignment_list(W& w, bool columns, detail::Assignments<As...>*) {
    std::size_t i = 0;
    ((w.put(i++ == 0 ? "" : ", "),
      columns ? As::template write_column<Ctx>(w) : As::template write_value<Ctx>(w)),
     ...);
  }

  Em* em_;
  Parts parts_;
};

// A query on T without an entity manager: a sub-query, or a query whose text one wants to see.
template <class T, class Naming = UnderscoreNaming>
auto query() {
  return QueryBuilder<void, Naming, T, StatementKind::select, false, detail::JoinList<>, detail::NoParts>(nullptr, {});
}

}  // namespace ctorm

#include "builder_run.hpp"
