#pragma once
// The entity manager: identity map and unit of work over one connection, as MikroORM's EntityManager.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>


#include "../db/connection.hpp"
#include "../db/query.hpp"
#include "../model/relations.hpp"
#include "../model/schema.hpp"
#include "../query/builder.hpp"
#include "../query/condition.hpp"
#include "../query/populate.hpp"
#include "../query/props.hpp"
#include "../sql/dml.hpp"
#include "../sql/relation_sql.hpp"
#include "change_set.hpp"
#include "flush_run.hpp"
#include "loaded.hpp"
#include "loaded_columns.hpp"
#include "store.hpp"

namespace ctorm {

template <class Schema>
class EntityManager;

namespace detail {

template <class Schema, class T>
consteval void check_in_schema() {
  static_assert(Schema::template contains<T>,
                "ctorm: the entity type is not part of the schema this entity manager was made for");
}

// std::tuple<W<E>...> over the schema's entities.
template <class Schema, template <class> class W>
struct MapEntities;
template <class Naming, class... Es, template <class> class W>
struct MapEntities<basic_schema<Naming, Es...>, W> {
  using type = std::tuple<W<Es>...>;
};

template <class T>
inline constexpr bool has_before_hooks = has_before_create<T> || has_before_update<T> || has_before_delete<T>;
template <class T>
inline constexpr bool has_after_hooks = has_after_create<T> || has_after_update<T> || has_after_delete<T>;

template <class T>
consteval bool has_on_update_option() {
  bool any = false;
  for (const auto& o : entity_option_entries<T>) any = any || o.kind == OptionKind::on_update;
  for_each_embedded<T>([&](auto i) {
    for (const auto& o : entity_option_entries<field_type<T, i()>>) any = any || o.kind == OptionKind::on_update;
  });
  return any;
}

}  // namespace detail

template <class Schema>
class EntityManager {
  using Naming = typename Schema::naming;
  template <class T>
  using Key = detail::key_type<T>;
  template <class T>
  using EntryT = detail::Entry<T>;

 public:
  explicit EntityManager(std::shared_ptr<detail::Connection> conn) : conn_(std::move(conn)) {
    std::apply([&](auto&... s) { (s.set_owner(this, &reload_thunk<typename std::remove_cvref_t<decltype(s)>::EntryT>), ...); },
               stores_);
  }
  // Managed entities point back at their entity manager, so it stays where it was made: hold it by
  // value where orm.em() or fork() returns it (C++17 guarantees no copy), or in a std::unique_ptr.
  EntityManager(const EntityManager&) = delete;
  EntityManager& operator=(const EntityManager&) = delete;

  // A new entity manager on the same connection, with an empty identity map and unit of work.
  EntityManager fork() const { return EntityManager(conn_); }

  // --- unit of work --------------------------------------------------------------------------------

  // Makes a new entity managed; the next flush inserts it, and the new entities it reaches through its
  // collections (cascade persist). Returns the managed object, which stays at the same address until
  // clear() or the entity manager's end.
  template <class T>
    requires(!std::is_reference_v<T>)
  T& persist(T&& entity) {
    detail::check_in_schema<Schema, T>();
    EntryT<T>& entry = store<T>().add_new(std::move(entity));
    attach_new(entry);
    return entry.entity;
  }

  // A new managed entity from named properties, persisted (MikroORM's em.create). A relation takes the
  // target's key, the target, or a Ref. Leaving out a required property is a compile error that names it.
  template <class T, class... Props>
    requires(detail::is_prop_value<std::remove_cvref_t<Props>> && ...)
  T& create(Props&&... props) {
    detail::check_in_schema<Schema, T>();
    constexpr bool complete = detail::check_create_props<T, std::remove_cvref_t<Props>...>();
    if constexpr (complete)
      return create_impl<T>(std::forward<Props>(props)...);
    else
      return *static_cast<T*>(nullptr);  // unreachable: check_create_props stopped the build
  }

 private:
  template <class T, class... Props>
  T& create_impl(Props&&... props) {
    T entity{};
    (assign_prop(entity, std::forward<Props>(props)), ...);
    return persist(std::move(entity));
  }

 public:

  // Sets several properties of a managed entity at once; keys given for relations become references.
  template <class T, class... Props>
    requires(detail::is_prop_value<std::remove_cvref_t<Props>> && ...)
  T& assign(T& entity, Props&&... props) {
    static_assert(((std::is_same_v<detail::member_class<detail::prop_member(static_cast<const std::remove_cvref_t<Props>*>(nullptr))>, T>) && ...),
                  "ctorm: assign() takes properties of the entity's own type (ctorm::prop<&T::field>)");
    entry_or_throw(entity, "assign");
    (assign_prop(entity, std::forward<Props>(props)), ...);
    return entity;
  }

  // Persisting an entity that is already managed changes nothing (and undoes a remove()).
  template <class T>
  T& persist(T& entity) {
    detail::check_in_schema<Schema, std::remove_const_t<T>>();
    auto& entry = entry_or_throw(entity, "persist");
    if (entry.state == EntityState::removed) {
      entry.state = EntityState::managed;
      std::erase(store<std::remove_const_t<T>>().deletes(), &entry);
    }
    return entry.entity;
  }

  // Writes every change of the unit of work in one transaction: inserts (in foreign-key order), then
  // updates of the changed columns only, then deletes. Nothing runs when nothing changed. When a
  // statement fails, the transaction is rolled back and the unit of work and every entity are left as
  // they were, so the flush can be retried.
  void flush();

  // Marks a managed entity for deletion at the next flush (a new one is simply forgotten).
  template <class T>
  void remove(T& entity) {
    detail::check_in_schema<Schema, T>();
    auto& s = store<T>();
    auto& entry = entry_or_throw(entity, "remove");
    if (entry.state == EntityState::new_entity) {
      entry.state = EntityState::detached;
      std::erase(s.inserts(), &entry);
    } else if (entry.state == EntityState::managed) {
      entry.state = EntityState::removed;
      s.deletes().push_back(&entry);
    }
  }

  // --- finding -------------------------------------------------------------------------------------

  // The rows of T (all, or those matching a condition), with the relations a populate request names.
  template <class T, class... Args>
    requires(detail::find_argument<Args> && ...)
  auto find([[maybe_unused]] const Args&... args) {
    detail::check_in_schema<Schema, T>();
    using A = detail::FindArgs<T, Args...>;
    using Where = typename A::where_type;
    using Plan = typename A::populate_type;
    const Where* where = detail::find_where<Where>(args...);
    std::vector<T*> roots;
    if constexpr (A::joined && !Plan::empty && !A::has_options) {
      roots = load_joined<T, Where, Plan, false>(where);
    } else {  // the query builder (query/builder.hpp); with options, populate is select-in
      roots = find_query<T, Where>(where, args...).all();
      populate_select_in<T, Plan>(roots);
    }
    if constexpr (Plan::empty)
      return roots;
    else
      return std::vector<Loaded<T, Plan>>(roots.begin(), roots.end());
  }

  // The entity with this primary key, or nullptr. A managed entity is answered from the identity map,
  // with no query. A populate request may follow the key.
  template <class T, class K, class... Args>
    requires(!condition<K> && !detail::is_populate<K> && std::is_constructible_v<detail::key_type<T>, const K&> &&
             (detail::find_argument<Args> && ...))
  auto find_one(const K& key, [[maybe_unused]] const Args&... args) {
    detail::check_in_schema<Schema, T>();
    using A = detail::FindArgs<T, Args...>;
    using Plan = typename A::populate_type;
    static_assert(!A::has_options,
                  "ctorm: find_one by key answers from the identity map and takes no order_by, limit, offset or "
                  "fields; use find_one(condition, options...)");
    const Key<T> k(key);
    T* found = nullptr;
    if (auto* e = store<T>().find(k); e && e->initialized)
      found = e->state == EntityState::detached ? nullptr : &e->entity;
    else
      found = load_by_key<T>(k);
    if constexpr (Plan::empty) {
      return found;
    } else {
      if (found) {
        std::vector<T*> one{found};
        populate_select_in<T, Plan>(one);
      }
      return found ? std::optional<Loaded<T, Plan>>(Loaded<T, Plan>(found)) : std::nullopt;
    }
  }

  // The first row of T that matches a condition, or nullptr (std::nullopt with a populate request).
  template <class T, condition C, class... Args>
    requires(detail::find_argument<Args> && ...)
  auto find_one(const C& where, [[maybe_unused]] const Args&... args) {
    detail::check_in_schema<Schema, T>();
    using A = detail::FindArgs<T, Args...>;
    using Plan = typename A::populate_type;
    T* found = nullptr;
    if constexpr (A::joined && !Plan::empty && !A::has_options) {
      auto roots = load_joined<T, C, Plan, true>(&where);
      found = roots.empty() ? nullptr : roots.front();
    } else {
      found = find_query<T, C>(&where, args...).template limit<1>().one();
      if (found) {
        std::vector<T*> one{found};
        populate_select_in<T, Plan>(one);
      }
    }
    if constexpr (Plan::empty)
      return found;
    else
      return found ? std::optional<Loaded<T, Plan>>(Loaded<T, Plan>(found)) : std::nullopt;
  }

  // As find_one, but a missing entity is a ctorm::NotFoundError.
  template <class T, class K, class... Args>
  decltype(auto) find_one_or_fail(const K& key_or_condition, const Args&... args) {
    auto found = find_one<T>(key_or_condition, args...);
    if (!found) detail::throw_not_found(detail::type_name<T>);
    if constexpr (std::is_pointer_v<decltype(found)>)
      return static_cast<T&>(*found);
    else
      return typename decltype(found)::value_type(*found);
  }

  template <class T>
  std::int64_t count() {
    return count_impl<T, void>(nullptr);
  }
  template <class T, condition C>
  std::int64_t count(const C& where) {
    return query<T>().where(detail::borrow(where)).count();
  }

  // Whether any row of T matches (`select 1 from ... limit 1`).
  template <class T>
  bool exists() {
    return query<T>().exists();
  }
  template <class T, condition C>
  bool exists(const C& where) {
    return query<T>().where(detail::borrow(where)).exists();
  }

  // The rows of a page and the number of rows without limit and offset: `auto [items, total] = ...`.
  // Takes what find takes but a populate request: a condition and options (order_by, limit, offset,
  // fields).
  template <class T, class... Args>
    requires((condition<Args> || query_option<Args>) && ...)
  ItemsAndTotal<T*> find_and_count(const Args&... args) {
    using Where = typename detail::FindArgs<T, Args...>::where_type;
    return find_query<T, Where>(detail::find_where<Where>(args...), args...).all_and_count();
  }

  // A query builder on T, run through this entity manager (query/builder.hpp).
  template <class T>
  auto query() {
    detail::check_in_schema<Schema, T>();
    return QueryBuilder<EntityManager, Naming, T, StatementKind::select, false, detail::JoinList<>, detail::NoParts>(
        this, {});
  }

  // Deletes the rows matching a condition at once, outside the unit of work; the number deleted.
  template <class T, condition C>
  std::int64_t native_delete(const C& where) {
    return query<T>().where(detail::borrow(where)).delete_rows().run().affected_rows;
  }

  // Updates the rows matching a condition at once, outside the unit of work; the number updated. Takes
  // ctorm::set(col, value) assignments and at most one condition, in any order:
  // `native_update<User>(ctorm::set(col<&User::bio>, "..."), col<&User::id> == 1)`. Managed entities are
  // not refreshed: refresh() them, or use a fork, when they may be stale.
  template <class T, class... Args>
  std::int64_t native_update(const Args&... args) {
    static_assert(((assignment<Args> || condition<Args>) && ...),
                  "ctorm: native_update takes ctorm::set(col, value) assignments and a condition");
    const auto conditions = std::tuple_cat(detail::borrow_if_condition(args)...);
    static_assert(std::tuple_size_v<decltype(conditions)> <= 1, "ctorm: native_update takes one condition at most");
    const auto update = std::apply([&](const auto&... a) { return query<T>().update(a...); },
                                   std::tuple_cat(detail::ref_if_assignment(args)...));
    if constexpr (std::tuple_size_v<decltype(conditions)> == 0)
      return update.run().affected_rows;
    else
      return update.where(std::get<0>(conditions)).run().affected_rows;
  }

  // --- references and state ------------------------------------------------------------------------

  // The entity with this key without a query: the managed one, or a reference that has only its key
  // until it is loaded (is_initialized() tells).
  template <class T, class K>
  T& get_reference(const K& key) {
    detail::check_in_schema<Schema, T>();
    return store<T>().find_or_add(Key<T>(key)).first->entity;
  }

  // False for a reference from get_reference that has not been loaded yet.
  template <class T>
  bool is_initialized(const T& entity) {
    return entry_or_throw(entity, "is_initialized").initialized;
  }

  template <class T>
  bool is_managed(const T& entity) {
    auto* e = store<std::remove_const_t<T>>().entry_of(entity);
    return e && e->state != EntityState::detached;
  }

  template <class T>
  EntityState state(const T& entity) {
    auto* e = store<std::remove_const_t<T>>().entry_of(entity);
    return e ? e->state : EntityState::detached;
  }

  // Loads a reference (one query); an initialized entity is left as it is.
  template <class T>
  T& load(T& entity) {
    auto& entry = entry_or_throw(entity, "load");
    if (!entry.initialized) reload_or_throw(entry);
    return entity;
  }

  // Reloads an entity from the database, dropping its unflushed changes. False when its row is gone.
  template <class T>
  bool refresh(T& entity) {
    return reload(entry_or_throw(entity, "refresh"));
  }

  // Loads more relations (or lazy fields) of entities already loaded; what is loaded already is kept.
  template <auto... Items, class T>
    requires(Schema::template contains<T>)
  auto populate(T& entity, PopulateRequest<Items...> = {}) {
    using Plan = detail::PopulatePlan<T, Items...>;
    entry_or_throw(entity, "populate");
    std::vector<T*> one{&entity};
    populate_select_in<T, Plan>(one);
    return Loaded<T, Plan>(&entity);
  }
  template <auto... Items, class T>
  void populate(const std::vector<T*>& entities, PopulateRequest<Items...> = {}) {
    populate_select_in<T, detail::PopulatePlan<T, Items...>>(entities);
  }

  // Forgets every managed entity: references to them dangle afterwards.
  void clear() {
    std::apply([](auto&... s) { (s.clear(), ...); }, stores_);
  }

  // How many entities of T the identity map holds.
  template <class T>
  std::size_t managed_count() {
    return store<T>().size();
  }

  detail::Connection& connection() { return *conn_; }

  // --- for ctorm's own machinery (collections, populate) ---------------------------------------------

  template <class T, std::size_t I>
  void init_collection(T& owner);

 private:
  template <class>
  friend struct detail::EmAccess;

  // The builder query of a find: its condition (by reference) and options; populate requests and
  // strategies are the caller's.
  template <class T, class Where, class... Args>
  auto find_query(const Where* where, const Args&... args) {
    auto q = query<T>();
    if constexpr (std::is_void_v<Where>)
      return apply_find_options(std::move(q), args...);
    else
      return apply_find_options(std::move(q).where(detail::borrow(*where)), args...);
  }
  template <class Q>
  static auto apply_find_options(Q&& q) {
    return std::forward<Q>(q);
  }
  template <class Q, class A, class... Rest>
  static auto apply_find_options(Q&& q, const A& a, const Rest&... rest) {
    if constexpr (query_option<A>)
      return apply_find_options(std::forward<Q>(q).apply(a), rest...);
    else
      return apply_find_options(std::forward<Q>(q), rest...);
  }

  template <class T>
  detail::Store<T>& store() {
    detail::check_in_schema<Schema, T>();
    if constexpr (Schema::template contains<T>)
      return std::get<Schema::template index_of<T>>(stores_);
    else
      return *static_cast<detail::Store<T>*>(nullptr);  // unreachable: the static_assert above stops the build
  }

  template <class Text>
  sqlite3_stmt* statement() {
    return conn_->statement(detail::statement_slot<Text>(), detail::static_text<Text>);
  }

  template <class E>
  static void reload_thunk(void* self, E& entry) {
    static_cast<EntityManager*>(self)->reload_or_throw(entry);
  }

  template <class T>
  EntryT<T>& entry_or_throw(const T& entity, const char* what) {
    auto* e = store<std::remove_const_t<T>>().entry_of(entity);
    if (!e) detail::throw_not_managed(what, detail::type_name<T>);
    return *e;
  }

  // --- create and assign ---------------------------------------------------------------------------

  template <class T, auto M, class V>
  void assign_prop(T& entity, PropValue<M, V>&& p) {
    auto& field = entity.*M;
    using F = std::remove_cvref_t<decltype(field)>;
    if constexpr (!std::is_void_v<detail::ref_target<F>>) {
      field = to_ref<detail::ref_target<F>>(std::forward<V>(p.value));
    } else {
      constexpr bool text_from_number =
          std::is_same_v<typename detail::NonNull<F>::type, std::string> && !std::is_convertible_v<V, std::string_view> &&
          !std::is_same_v<std::remove_cvref_t<V>, F>;
      static_assert(std::is_assignable_v<F&, V&&> && !text_from_number,
                    "ctorm: the value given for a property cannot be assigned to it");
      field = std::forward<V>(p.value);
    }
  }

  // A key, an entity or a Ref, as a Ref bound to the identity map.
  template <class X, class V>
  Ref<X> to_ref(V&& v) {
    using U = std::remove_cvref_t<V>;
    Ref<X> r;
    if constexpr (std::is_same_v<U, Ref<X>>) {
      r = v;
      resolve_ref(r, "create");
    } else if constexpr (std::is_same_v<U, X>) {
      static_assert(std::is_lvalue_reference_v<V>, "ctorm: a relation takes a managed entity, not a temporary one");
      r = Ref<X>(v);
      resolve_ref(r, "create");
    } else if constexpr (std::is_same_v<U, X*>) {
      if (v) {
        r = Ref<X>(*v);
        resolve_ref(r, "create");
      }
    } else {
      constexpr bool key_like =
          std::is_integral_v<Key<X>> ? std::is_integral_v<U> && !std::is_same_v<U, bool> && !std::is_same_v<U, char>
                                     : std::is_convertible_v<V, std::string_view>;
      static_assert(key_like && std::is_constructible_v<Key<X>, V>,
                    "ctorm: a relation is given a value that is neither the target's key, the target nor a Ref");
      auto* entry = store<X>().find_or_add(Key<X>(std::forward<V>(v))).first;
      r.bind_entry(&entry->entity, entry);
    }
    return r;
  }

  // --- hydration -----------------------------------------------------------------------------------

  // Names the table and column, and the row by its key `KeyDelta` columns on in the result, in the error
  // about a stored value that does not fit its field. `HasKey` false: the value read is the key.
  template <class T, std::size_t C, int KeyDelta = 0, bool HasKey = true>
  static constexpr detail::ReadSite read_site{
      detail::table_name_of<Naming, T>, detail::column_name_of<Naming, T, C>,
      HasKey ? detail::column_name_of<Naming, T, detail::EntityMeta<T>::pk_column> : std::string_view{}, KeyDelta};

  // The key of the row's entity T at select position `pos`. An integer key is a rowid (ctorm's integer
  // keys are `integer primary key`), which SQLite keeps an integer: only a key field narrower than
  // std::int64_t needs a range compare.
  template <class T>
  static Key<T> read_key(sqlite3_stmt* st, int pos) {
    using M = detail::EntityMeta<T>;
    using F = typename M::key_field_type;
    Key<T> k{};
    if constexpr (std::is_integral_v<F>) {
      k = sqlite3_column_int64(st, pos);
      if constexpr (sizeof(F) < sizeof(std::int64_t) || std::is_unsigned_v<F>) {
        if (CTORM_UNLIKELY(k != static_cast<std::int64_t>(static_cast<F>(k))))
          detail::throw_value_mismatch(st, pos, detail::type_name<F>, &read_site<T, M::pk_column, 0, false>);
      }
    } else {
      detail::read_value(st, pos, k, &read_site<T, M::pk_column, 0, false>);
    }
    return k;
  }

  // Reads the column at select position `pos` into its field; a relation's key becomes a Ref to the
  // identity map's entry for it (the managed entity, or a new reference). The row's key is at select
  // position pos + KeyDelta.
  template <class T, std::size_t C, int KeyDelta>
  void read_column(sqlite3_stmt* st, int pos, T& e) {
    auto& field = detail::column_ref<C>(e);
    using F = std::remove_cvref_t<decltype(field)>;
    if constexpr (detail::EntityMeta<T>::columns[C].ref) {
      using X = detail::ref_target<F>;
      if (sqlite3_column_type(st, pos) == SQLITE_NULL) {
        field = F{};
      } else {
        // read as the target's key field, so that it is checked against that field's type
        typename detail::EntityMeta<X>::key_field_type key{};
        detail::read_value(st, pos, key, &read_site<T, C, KeyDelta>);
        auto* target = store<X>().find_or_add(Key<X>(std::move(key))).first;
        Ref<X> r;
        r.bind_entry(&target->entity, target);
        field = r;
      }
    } else {
      detail::read_column_value(st, pos, field, &read_site<T, C, KeyDelta>);  // the row path: always inlined
    }
  }

  // Reads the default (eager) columns starting at select position `offset`.
  template <class T>
  void read_row(sqlite3_stmt* st, int offset, T& e) {
    using M = detail::EntityMeta<T>;
    [&]<std::size_t... P>(std::index_sequence<P...>) {
      // the key is in the entity already (find_or_add set it, or the entity was loaded before)
      ((M::eager_columns[P] == M::pk_column
            ? void()
            : read_column<T, M::eager_columns[P], static_cast<int>(M::pk_position) - static_cast<int>(P)>(
                  st, offset + static_cast<int>(P), e)),
       ...);
    }(std::make_index_sequence<M::eager_count>{});
  }

  // The managed entity for the current row: the one already in the identity map (kept as it is, with
  // its unflushed changes) or one read from the row.
  template <class T>
  EntryT<T>* hydrate(sqlite3_stmt* st, int offset = 0) {
    using M = detail::EntityMeta<T>;
    const Key<T> k = read_key<T>(st, offset + static_cast<int>(M::pk_position));
    auto& s = store<T>();
    EntryT<T>* entry = s.find_or_add(k).first;
    if (!entry->initialized)
      fill(*entry, st, offset);
    else if (const std::uint64_t missing = entry->absent_eager())
      fill_in<T, M::eager_mask>(*entry, st, offset, missing);
    return entry;
  }

  // The managed entity for a row that selects the columns of Mask (ctorm::fields<...>: the key and some
  // columns, lazy ones included) in column order. An entity that lacks some of them, loaded partially
  // before, gets them filled in; its other columns, and their unflushed changes, are left as they are.
  template <class T, std::uint64_t Mask>
  EntryT<T>* hydrate_columns(sqlite3_stmt* st) {
    using M = detail::EntityMeta<T>;
    if constexpr (Mask == M::eager_mask) {
      return hydrate<T>(st);
    } else {
      const Key<T> k = read_key<T>(st, detail::result_index(Mask, M::pk_column));
      auto& s = store<T>();
      EntryT<T>* entry = s.find_or_add(k).first;
      if (!entry->initialized) {
        read_masked<T, Mask>(st, 0, entry->entity, Mask);
        entry->initialized = true;
        entry->absent &= ~Mask;
        attach_loaded(*entry);
        s.take_snapshot(*entry);
      } else {
        const std::uint64_t missing = Mask & entry->absent;
        if (missing) fill_in<T, Mask>(*entry, st, 0, missing);
      }
      return entry;
    }
  }

  // Reads the columns of `only` from a row selecting the columns of Mask (from position `offset`).
  template <class T, std::uint64_t Mask>
  void read_masked(sqlite3_stmt* st, int offset, T& e, std::uint64_t only) {
    [&]<std::size_t... C>(std::index_sequence<C...>) {
      ((Mask >> C & 1u && only >> C & 1u
            ? read_column<T, C, detail::result_index(Mask, detail::EntityMeta<T>::pk_column) - detail::result_index(Mask, C)>(
                  st, offset + detail::result_index(Mask, C), e)
            : void()),
       ...);
    }(std::make_index_sequence<detail::EntityMeta<T>::column_count>{});
  }

  // Fills in the columns `missing` of a partially loaded entity and their part of its snapshot.
  template <class T, std::uint64_t Mask>
  void fill_in(EntryT<T>& entry, sqlite3_stmt* st, int offset, std::uint64_t missing) {
    read_masked<T, Mask>(st, offset, entry.entity, missing);
    entry.absent &= ~missing;
    store<T>().update_snapshot(entry, missing);
  }

  // Reads the row into an entry; `attach` when the entry was not loaded before (reload() of a loaded one
  // keeps its collections). The one caller of read_row, so that read_row is inlined here.
  template <class T>
  void fill(EntryT<T>& entry, sqlite3_stmt* st, int offset, bool attach = true) {
    read_row(st, offset, entry.entity);
    entry.initialized = true;
    entry.absent &= ~detail::EntityMeta<T>::eager_mask;
    if (attach) attach_loaded(entry);
    store<T>().take_snapshot(entry);
  }

  template <class T>
  std::vector<T*> load_all(detail::Query& q) {
    std::vector<T*> out;
    while (q.step()) out.push_back(&hydrate<T>(q.handle())->entity);
    q.finish_rows();
    return out;
  }

  template <class T>
  T* load_by_key(const Key<T>& k) {
    using Text = detail::SelectByKeyText<Naming, T>;
    detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
    q.bind(k);
    T* found = q.step() ? &hydrate<T>(q.handle())->entity : nullptr;
    q.finish_rows();
    return found;
  }

  template <class T>
  bool reload(EntryT<T>& entry) {
    using Text = detail::SelectByKeyText<Naming, T>;
    detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
    q.bind(entry.key);
    const bool found = q.step();
    if (found) fill(entry, q.handle(), 0, !entry.initialized);
    q.finish_rows();
    return found;
  }

  template <class T>
  void reload_or_throw(EntryT<T>& entry) {
    if (!reload(entry))
      detail::throw_not_found(detail::type_name<T>, detail::key_text(entry.key));
  }

  template <class T, class C>
  std::int64_t count_impl(const C* where) {
    detail::check_in_schema<Schema, T>();
    using Text = detail::CountText<Naming, T, C>;
    detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
    if constexpr (!std::is_void_v<C>) where->bind(q);
    q.step();
    const std::int64_t n = sqlite3_column_int64(q.handle(), 0);
    q.finish_rows();
    return n;
  }

  // --- relations: keeping both sides in step -------------------------------------------------------

  template <class T, std::size_t I>
  struct CollectionOpsFor {
    using R = detail::Relation<T, I>;
    using X = typename R::target;
    static EntityManager& em(void* ctx) { return *static_cast<EntityManager*>(ctx); }

    static void on_add(void* ctx, void* owner, void* item) {
      T& o = *static_cast<T*>(owner);
      X& x = *static_cast<X*>(item);
      if constexpr (R::kind == detail::RelationKind::one_to_many) {
        auto& ref = boost::pfr::get<R::inverse>(x);
        Ref<T> r(o);
        if (auto* entry = em(ctx).template store<T>().entry_of(o)) r.bind_entry(&o, entry);
        ref = r;
      } else if constexpr (R::kind == detail::RelationKind::many_to_many_inverse) {
        boost::pfr::get<R::inverse>(x).add(o);
      } else if constexpr (R::kind == detail::RelationKind::many_to_many_owner && R::inverse != detail::no_field) {
        auto& other = boost::pfr::get<R::inverse>(x);
        if (other.is_initialized() && !other.contains(o)) other.raw_items().push_back(&o);
      }
    }
    static void on_remove(void*, void* owner, void* item) {
      T& o = *static_cast<T*>(owner);
      X& x = *static_cast<X*>(item);
      if constexpr (R::kind == detail::RelationKind::one_to_many) {
        auto& ref = boost::pfr::get<R::inverse>(x);
        if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(ref)>>::value) ref.reset();
      } else if constexpr (R::kind == detail::RelationKind::many_to_many_inverse) {
        boost::pfr::get<R::inverse>(x).remove(o);
      } else if constexpr (R::kind == detail::RelationKind::many_to_many_owner && R::inverse != detail::no_field) {
        auto& other = boost::pfr::get<R::inverse>(x);
        std::erase(other.raw_items(), &o);
      }
    }
    static void init(void* ctx, void* owner) { em(ctx).template init_collection<T, I>(*static_cast<T*>(owner)); }
    static void* persist(void* ctx, void* item) { return &em(ctx).persist(std::move(*static_cast<X*>(item))); }

    static constexpr detail::CollectionOps ops{&on_add, &on_remove, &init, &persist,
                                               R::kind == detail::RelationKind::many_to_many_owner};
  };

  // The binding of T's collection field I, made on first use: the field's offset needs an entity.
  template <class T, std::size_t I>
  const detail::CollectionBinding* collection_binding(const T& e, const void* field) {
    detail::CollectionBinding& b = store<T>().template collection_binding<detail::collection_slot<T, I>>();
    if (!b.ops) [[unlikely]]
      b = {&CollectionOpsFor<T, I>::ops, this,
           static_cast<const char*>(field) - reinterpret_cast<const char*>(&e)};
    return &b;
  }

  // A new entity: its collections answer to this manager, their new items are persisted with it, and
  // its relations must point at entities this manager holds.
  template <class T>
  void attach_new(EntryT<T>& entry) {
    T& e = entry.entity;
    detail::for_each_relation<T>([&](auto i) {
      constexpr std::size_t I = i();
      using R = detail::Relation<T, I>;
      auto& field = boost::pfr::get<I>(e);
      if constexpr (R::kind == detail::RelationKind::many_to_one) {
        resolve_ref(field, "persist");
        // the other side: a loaded collection of the target gains the new entity
        if constexpr (R::inverse != detail::no_field) {
          Ref<typename R::target>* ref = nullptr;
          if constexpr (detail::IsOptional<std::remove_cvref_t<decltype(field)>>::value)
            ref = field ? &*field : nullptr;
          else
            ref = &field;
          if (ref && *ref && ref->is_initialized()) {
            auto& other = boost::pfr::get<R::inverse>(*ref->unchecked());
            if (other.is_initialized() && !other.contains(e)) other.raw_items().push_back(&e);
          }
        }
      } else if constexpr (R::kind != detail::RelationKind::one_to_one_inverse) {
        field.attach(collection_binding<T, I>(e, &field));
        if (auto* owned_items = field.owned_items()) {
          for (auto& owned : *owned_items) {
            using X = typename R::target;
            X* managed = &persist(std::move(*owned));
            field.replace(owned.get(), managed);
          }
          owned_items->clear();
        }
        for (auto* item : field.raw_items()) CollectionOpsFor<T, I>::on_add(this, &e, item);
      }
    });
  }

  // An entity read from the database: its collections are not loaded until populated or init()-ed.
  template <class T>
  void attach_loaded(EntryT<T>& entry) {
    T& e = entry.entity;
    detail::for_each_relation<T>([&](auto i) {
      constexpr std::size_t I = i();
      using R = detail::Relation<T, I>;
      if constexpr (R::kind != detail::RelationKind::many_to_one && R::kind != detail::RelationKind::one_to_one_inverse) {
        auto& field = boost::pfr::get<I>(e);
        field.attach_unloaded(collection_binding<T, I>(e, &field));
      }
    });
  }

  // A Ref the user set points at an entity: find that entity's entry, so the Ref knows its state.
  template <class F>
  void resolve_ref(F& field, const char* what) {
    if constexpr (detail::IsOptional<F>::value) {
      if (field) resolve_ref(*field, what);
    } else {
      using X = typename detail::IsRef<F>::target;
      if (!field || field.entry()) return;
      X* target = field.unchecked();
      auto* entry = store<X>().entry_of(*target);
      if (!entry) detail::throw_foreign_target(what, detail::type_name<X>);
      field.bind_entry(target, entry);
    }
  }

  // --- populate (em/populate_impl.hpp) -------------------------------------------------------------

  // The rows of in-list text family Text (sql/in_list.hpp) over the keys.
  template <class Text, class K>
  detail::InListRows in_list_rows(const std::vector<K>& keys) {
    return {*conn_, detail::in_list_family<Text>(), keys.data(), keys.size(), &detail::bind_key_at<K>};
  }

  // What populate does per relation kind lives in templates on the target (and key) type, shared by the
  // relations with the same target; the code per relation only gathers the owners' fields.
  template <class X>
  void load_ref_targets(const std::vector<Key<X>>& keys) {
    auto rows = in_list_rows<detail::SelectInText<Naming, X, detail::EntityMeta<X>::pk_column>>(keys);
    while (sqlite3_stmt* st = rows.next()) hydrate<X>(st);
  }

  // The collection of field I of the managed T with key k, or nullptr.
  template <class T, std::size_t I>
  static auto owner_collection(EntityManager& em, const Key<T>& k) {
    auto* entry = em.store<T>().find(k);
    return entry ? &boost::pfr::get<I>(entry->entity) : nullptr;
  }

  template <class X, class K>
  void load_collections(const std::vector<void*>& collections, const std::vector<K>& keys,
                        Collection<X>* (*owner_collection)(EntityManager&, const K&), const detail::InListFamily& family,
                        int item_offset, int key_position);

  template <class T, class Plan>
  void populate_select_in(const std::vector<T*>& roots);

  template <class T, std::size_t... Steps>
  void populate_path(const std::vector<T*>& level, std::index_sequence<Steps...>);

  template <class T, std::size_t I>
  auto populate_relation(const std::vector<T*>& owners, bool always, bool want_next = true);

  template <class T, std::size_t C>
  void populate_lazy(const std::vector<T*>& entities);

  template <class T, class Where, class Plan, bool One>
  std::vector<T*> load_joined(const Where* where);

  // --- flush (em/flush_impl.hpp; the type-independent part in em/flush_run.hpp) --------------------

  template <class... Es>
  void flush_entities(std::tuple<Es...>*);

  // Entity type T's kernels of a flush.
  template <class T>
  struct FlushOps {
    using M = detail::EntityMeta<T>;
    static EntityManager& em(void* self) { return *static_cast<EntityManager*>(self); }
    static detail::Store<T>& store_of(void* s) { return *static_cast<detail::Store<T>*>(s); }
    static EntryT<T>& entry(detail::EntryBase& e) { return static_cast<EntryT<T>&>(e); }

    // The entity's columns that differ from its snapshot; columns a partial load left out are never written.
    static std::uint64_t changed(const EntryT<T>& e) {
      return detail::changed_columns(e.snapshot, e.entity) & ~e.absent_eager();
    }
    static bool collect(void* self, detail::FlushStep& step, detail::FlushBackups& backups,
                        std::vector<detail::PivotWork>& pivots);
    CTORM_NOINLINE static std::uint64_t before_update(EntityManager& em, EntryT<T>& e, std::uint64_t mask,
                                       detail::FlushBackups& backups);
    CTORM_NOINLINE static void resolve_refs(EntityManager& em, T& e);
    static void order_inserts(std::vector<detail::EntryBase*>& inserts);

    static void take_lists(void* s, detail::FlushStep& step) {
      auto& st = store_of(s);
      step.inserts.reserve(st.inserts().size());
      for (auto* e : st.inserts()) step.inserts.push_back(e);
      step.deletes.reserve(st.deletes().size());
      for (auto* e : st.deletes()) step.deletes.push_back(e);
    }
    static void bind(detail::Query& q, const detail::EntryBase& base, std::uint64_t columns, bool key) {
      const auto& e = static_cast<const EntryT<T>&>(base);
      if (columns) {
        [&]<std::size_t... C>(std::index_sequence<C...>) {
          ((columns >> C & 1u ? q.bind(detail::column_ref<C>(e.entity), detail::field_label<T, C>) : void()), ...);
        }(std::make_index_sequence<M::column_count>{});
      }
      if (key) q.bind(e.key);
    }
    static bool key_unset(const detail::EntryBase& e) {
      return detail::primary_key_ref(static_cast<const EntryT<T>&>(e).entity) == 0;
    }
    // Only keys the database generates (integers) are ever set or reset by a flush.
    static void set_key(detail::EntryBase& e, std::int64_t key) {
      if constexpr (M::generated_key)
        detail::primary_key_ref(entry(e).entity) = static_cast<typename M::key_field_type>(key);
      else
        (void)e, (void)key;
    }
    static const detail::UpdateShape& update_shape(void* s, detail::Connection& conn, std::uint64_t columns) {
      return detail::find_update_shape(store_of(s).update_shapes(), conn, columns, &detail::update_sql<Naming, T>);
    }
    static void clear_lists(void* s) {
      auto& st = store_of(s);
      st.reserve(st.size() + st.inserts().size());  // for the new entities, before they are indexed
      st.inserts().clear();
      st.deletes().clear();
    }
    static void settle_new(void* s, detail::EntryBase& base) {
      EntryT<T>& e = entry(base);
      e.key = detail::key_of(e.entity);
      e.absent = 0;  // a new entity's lazy fields are what the user set
      store_of(s).index(e);
    }
    static void snapshot(void* s, detail::EntryBase& e) { store_of(s).take_snapshot(entry(e)); }
    static void forget(void* s, detail::EntryBase& e) { store_of(s).forget(entry(e)); }
    static void after_hooks(detail::FlushStep& step);

    static constexpr bool self_ref = [] {
      bool r = false;
      detail::for_each_relation<T>([&](auto i) {
        r = r || (detail::Relation<T, i()>::kind == detail::RelationKind::many_to_one && detail::Relation<T, i()>::self);
      });
      return r;
    }();

    static constexpr detail::FlushKernels kernels = [] {
      detail::FlushKernels k{};
      k.collect = &collect;
      k.take_lists = &take_lists;
      if constexpr (self_ref) k.order_inserts = &order_inserts;
      k.bind = &bind;
      if constexpr (M::generated_key) {
        k.key_unset = &key_unset;
        k.set_key = &set_key;
      }
      k.update_shape = &update_shape;
      k.clear_lists = &clear_lists;
      k.settle_new = &settle_new;
      k.snapshot = &snapshot;
      k.forget = &forget;
      if constexpr (detail::has_after_hooks<T>) k.after_hooks = &after_hooks;
      using Insert = detail::InsertText<Naming, T, true>;
      using Remove = detail::DeleteByKeyText<Naming, T>;
      k.insert = {&detail::statement_slot<Insert>, detail::static_text<Insert>};
      if constexpr (M::generated_key) {
        using InsertGenerated = detail::InsertText<Naming, T, false>;
        k.insert_generated = {&detail::statement_slot<InsertGenerated>, detail::static_text<InsertGenerated>};
      }
      k.remove = {&detail::statement_slot<Remove>, detail::static_text<Remove>};
      k.columns = M::all_mask;
      k.key_column = std::uint64_t{1} << M::pk_column;
      return k;
    }();
  };

  // Many-to-many field I of T's kernels of a flush.
  template <class T, std::size_t I>
  struct PivotOps {
    static void write(void* self, const std::vector<detail::PivotChange>& changes, bool insert);
    static void settle(void* owner) { boost::pfr::get<I>(*static_cast<T*>(owner)).take_snapshot(); }
    static constexpr detail::PivotKernels kernels{&write, &settle};
  };

  template <class T, std::size_t I>
  static void collect_pivot(detail::Store<T>& s, std::vector<detail::PivotWork>& pivots);

  std::shared_ptr<detail::Connection> conn_;
  typename detail::MapEntities<Schema, detail::Store>::type stores_;
};

}  // namespace ctorm

#include "flush_impl.hpp"
#include "populate_impl.hpp"
