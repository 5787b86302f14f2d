#pragma once
// The entity manager: identity map and unit of work over one connection, as MikroORM's EntityManager.
// This header is its interface; the member functions are defined in one header per concern, included at
// the end: persist_impl.hpp (persist, create, assign, remove), find_impl.hpp (find, count, exists, the
// query builder, native update and delete), hydrate_impl.hpp (rows into managed entities),
// relations_impl.hpp (collections and Refs bound to this manager, both sides of a relation kept in step),
// populate_impl.hpp (loading relations and lazy fields), flush_impl.hpp (the unit of work written),
// transaction_impl.hpp (transactional, begin, commit, rollback) and upsert_impl.hpp (insert or update at
// once).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <functional>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../db/in_list.hpp"
#include "../db/sqlite/backend.hpp"
#include "../db/transaction_mode.hpp"
#include "../model/relations.hpp"
#include "../model/schema.hpp"
#include "../query/builder.hpp"
#include "../query/condition.hpp"
#include "../query/populate.hpp"
#include "../query/props.hpp"
#include "../sql/dml.hpp"
#include "../sql/relation_sql.hpp"
#include "../sql/upsert.hpp"
#include "change_set.hpp"
#include "flush_run.hpp"
#include "loaded.hpp"
#include "store.hpp"

namespace ctorm {

template <class Schema, class Backend = sqlite>
class EntityManager;

namespace detail {

template <class B>
struct OpenTransaction;

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

}  // namespace detail

template <class Schema, class Backend>
class EntityManager {
  using Naming = typename Schema::naming;
  using Dialect = typename Backend::dialect;
  using Connection = typename Backend::connection;
  using Query = typename Backend::query;
  using Row = typename Backend::row;
  using Statement = typename Backend::statement;
  // How this manager reaches its connection: the Orm's one (SQLite) or one of its pool, leased per
  // operation (db/connection_pool.hpp).
  using ConnectionHandle = typename Backend::connection_source::Handle;
  template <class T>
  using Key = detail::key_type<T>;
  template <class T>
  using EntryT = detail::Entry<T>;

 public:
  using backend = Backend;

  explicit EntityManager(ConnectionHandle conn) : conn_(std::move(conn)) {
    std::apply([&](auto&... s) { (s.set_owner(this, &reload_thunk<typename std::remove_cvref_t<decltype(s)>::EntryT>), ...); },
               stores_);
  }
  // Managed entities point back at their entity manager, so it stays where it was made: hold it by
  // value where orm.em() or fork() returns it (C++17 guarantees no copy), or in a std::unique_ptr.
  EntityManager(const EntityManager&) = delete;
  EntityManager& operator=(const EntityManager&) = delete;

  // A new entity manager on the same connection, with an empty identity map and unit of work.
  EntityManager fork() const { return EntityManager(conn_.fork()); }

  // --- unit of work (em/persist_impl.hpp; flush in em/flush_impl.hpp) ------------------------------

  // Makes a new entity managed; the next flush inserts it, and the new entities it reaches through its
  // collections (cascade persist). Returns the managed object, which stays at the same address until
  // clear() or the entity manager's end.
  template <class T>
    requires(!std::is_reference_v<T>)
  T& persist(T&& entity);

  // A new managed entity from named properties, persisted (MikroORM's em.create). A relation takes the
  // target's key, the target, or a Ref. Leaving out a required property is a compile error that names it.
  template <class T, class... Props>
    requires(detail::is_prop_value<std::remove_cvref_t<Props>> && ...)
  T& create(Props&&... props);

  // Sets several properties of a managed entity at once; keys given for relations become references.
  template <class T, class... Props>
    requires(detail::is_prop_value<std::remove_cvref_t<Props>> && ...)
  T& assign(T& entity, Props&&... props);

  // Persisting an entity that is already managed changes nothing (and undoes a remove()).
  template <class T>
  T& persist(T& entity);

  // Writes every change of the unit of work in one transaction: inserts (in foreign-key order), then
  // updates of the changed columns only, then deletes. Nothing runs when nothing changed. When a
  // statement fails, the transaction is rolled back and the unit of work and every entity are left as
  // they were, so the flush can be retried.
  void flush();

  // Marks a managed entity for deletion at the next flush (a new one is simply forgotten).
  template <class T>
  void remove(T& entity);

  // --- transactions (em/transaction_impl.hpp) --------------------------------------------------------

  // Runs f(tem) on a fork of this entity manager inside a transaction, flushes the fork and commits;
  // returns what f returns (by value). An exception rolls back, discards the fork and goes on; this
  // entity manager is not touched either way. Inside a transaction, a savepoint.
  template <class F>
  auto transactional(F&& f, TransactionMode mode = TransactionMode::deferred)
      -> std::decay_t<std::invoke_result_t<F&, EntityManager&>>;

  // A transaction held open until commit() or rollback(); flushes inside it are savepoints. rollback()
  // puts the entity manager back in step with the database: entities the flushes since begin() inserted
  // are no longer managed (detached, a generated key back to 0), and those they updated or deleted are
  // managed again with their rows' values. A second begin(), or commit()/rollback() without one, is a
  // UsageError. The entity manager's end rolls back an open transaction.
  void begin(TransactionMode mode = TransactionMode::deferred);
  void commit();
  void rollback();
  bool in_transaction() const noexcept { return tx_ != nullptr; }

  // --- upsert (em/upsert_impl.hpp) ---------------------------------------------------------------------

  // Inserts the entity's row, or updates the row with the same key (or the same values of the unique
  // members named by ctorm::on_conflict<&T::member>), in one statement, at once (not at the next flush).
  // Returns the managed entity for the row, holding the database's values.
  template <class T, auto... Ms>
  T& upsert(const T& entity, OnConflict<Ms...> = {});

  // The same for many entities, in statements of many rows (one transaction); the managed entities in
  // the order given.
  template <std::ranges::forward_range R, auto... Ms>
  auto upsert_many(const R& entities, OnConflict<Ms...> = {}) -> std::vector<std::ranges::range_value_t<R>*>;

  // --- finding (em/find_impl.hpp) ------------------------------------------------------------------

  // The rows of T (all, or those matching a condition), with the relations a populate request names.
  template <class T, class... Args>
    requires(detail::find_argument<Args> && ...)
  auto find(const Args&... args);

  // The entity with this primary key, or nullptr. A managed entity is answered from the identity map,
  // with no query. A populate request may follow the key.
  template <class T, class K, class... Args>
    requires(!condition<K> && !detail::is_populate<K> && std::is_constructible_v<detail::key_type<T>, const K&> &&
             (detail::find_argument<Args> && ...))
  auto find_one(const K& key, const Args&... args);

  // The first row of T that matches a condition, or nullptr (std::nullopt with a populate request).
  template <class T, condition C, class... Args>
    requires(detail::find_argument<Args> && ...)
  auto find_one(const C& where, const Args&... args);

  // As find_one, but a missing entity is a ctorm::NotFoundError.
  template <class T, class K, class... Args>
  decltype(auto) find_one_or_fail(const K& key_or_condition, const Args&... args);

  template <class T>
  std::int64_t count();
  template <class T, condition C>
  std::int64_t count(const C& where);

  // Whether any row of T matches (`select 1 from ... limit 1`).
  template <class T>
  bool exists();
  template <class T, condition C>
  bool exists(const C& where);

  // The rows of a page and the number of rows without limit and offset: `auto [items, total] = ...`.
  // Takes what find takes but a populate request: a condition and options (order_by, limit, offset,
  // fields).
  template <class T, class... Args>
    requires((condition<Args> || query_option<Args>) && ...)
  ItemsAndTotal<T*> find_and_count(const Args&... args);

  // A query builder on T, run through this entity manager (query/builder.hpp).
  template <class T>
  auto query();

  // Deletes the rows matching a condition at once, outside the unit of work; the number deleted.
  template <class T, condition C>
  std::int64_t native_delete(const C& where);

  // Updates the rows matching a condition at once, outside the unit of work; the number updated. Takes
  // ctorm::set(col, value) assignments and at most one condition, in any order:
  // `native_update<User>(ctorm::set(col<&User::bio>, "..."), col<&User::id> == 1)`. Managed entities are
  // not refreshed: refresh() them, or use a fork, when they may be stale.
  template <class T, class... Args>
  std::int64_t native_update(const Args&... args);

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

  // Optimistic locking (MikroORM's em.lock(entity, LockMode.OPTIMISTIC, version)): throws
  // OptimisticLockError when the managed entity's version is not `expected_version` (the version a
  // client read earlier, say). T must have a ctorm::version<...> field. No statement runs: the flush
  // checks the row's version again.
  template <class T>
  void lock(const T& entity, std::int64_t expected_version) {
    static_assert(detail::EntityMeta<T>::has_version,
                  "ctorm: em.lock() needs a version field: give the entity ctorm::version<&T::field> in "
                  "ctorm::entity_options<T>");
    if constexpr (detail::EntityMeta<T>::has_version) {
      const auto& entry = entry_or_throw(entity, "lock");
      const std::int64_t found = detail::column_ref<detail::EntityMeta<T>::version_column>(entity);
      if (found != expected_version)
        detail::throw_version_mismatch(detail::table_name_of<Naming, T>, detail::key_text(entry.key),
                                       expected_version, found);
    }
  }

  // Loads more relations (or lazy fields) of entities already loaded; what is loaded already is kept
  // (em/populate_impl.hpp).
  template <auto... Items, class T>
    requires(Schema::template contains<T>)
  auto populate(T& entity, PopulateRequest<Items...> = {});
  template <auto... Items, class T>
  void populate(const std::vector<T*>& entities, PopulateRequest<Items...> = {});

  // Forgets every managed entity: references to them dangle afterwards.
  void clear() {
    std::apply([](auto&... s) { (s.clear(), ...); }, stores_);
  }

  // How many entities of T the identity map holds.
  template <class T>
  std::size_t managed_count() {
    return store<T>().size();
  }

  // The connection of the operation under way (taken from the pool if there is none: it is then held
  // until the next operation ends).
  Connection& connection() { return *conn_; }

  // --- for ctorm's own machinery (collections, populate) ---------------------------------------------

  template <class T, std::size_t I>
  void init_collection(T& owner);

 private:
  template <class>
  friend struct detail::EmAccess;

  // The builder query of a find: its condition (by reference) and options; populate requests and
  // strategies are the caller's.
  template <class T, class Where, class... Args>
  auto find_query(const Where* where, const Args&... args);
  template <class Q>
  static auto apply_find_options(Q&& q);
  template <class Q, class A, class... Rest>
  static auto apply_find_options(Q&& q, const A& a, const Rest&... rest);
  template <class T, class C>
  std::int64_t count_impl(const C* where);

  template <class T>
  detail::Store<T>& store() {
    detail::check_in_schema<Schema, T>();
    if constexpr (Schema::template contains<T>)
      return std::get<Schema::template index_of<T>>(stores_);
    else
      return *static_cast<detail::Store<T>*>(nullptr);  // unreachable: the static_assert above stops the build
  }

  // The text of builder Text in this backend's dialect.
  template <class Text>
  static constexpr std::string_view sql_of = detail::static_text<Text, Dialect>;

  template <class Text>
  Statement statement() {
    return conn_->statement(detail::statement_slot<Text>(), sql_of<Text>);
  }

  template <class E>
  static void reload_thunk(void* self, E& entry) {
    static_cast<EntityManager*>(self)->reload_or_throw(entry);
  }

  template <class T>
  void cascade_remove(T& target);

  template <class T>
  EntryT<T>& entry_or_throw(const T& entity, const char* what) {
    auto* e = store<std::remove_const_t<T>>().entry_of(entity);
    if (!e) detail::throw_not_managed(what, detail::type_name<T>);
    return *e;
  }

  template <class T, std::uint64_t Target>
  void upsert_rows(const T* const* rows, std::size_t n, T** out);
  template <class T>
  static void bind_upsert_row(Query& q, const T& e);

  // --- create and assign (em/persist_impl.hpp) -----------------------------------------------------

  template <class T, class... Props>
  T& create_impl(Props&&... props);

  template <class T, auto M, class V>
  void assign_prop(T& entity, PropValue<M, V>&& p);

  // A key, an entity or a Ref, as a Ref bound to the identity map.
  template <class X, class V>
  Ref<X> to_ref(V&& v);

  // --- hydration (em/hydrate_impl.hpp) -------------------------------------------------------------

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
  static Key<T> read_key(Row st, int pos);

  // Reads the column at select position `pos` into its field; a relation's key becomes a Ref to the
  // identity map's entry for it (the managed entity, or a new reference). The row's key is at select
  // position pos + KeyDelta.
  template <class T, std::size_t C, int KeyDelta>
  void read_column(Row st, int pos, T& e);

  // Reads the default (eager) columns starting at select position `offset`.
  template <class T>
  void read_row(Row st, int offset, T& e);

  // The managed entity for the current row: the one already in the identity map (kept as it is, with
  // its unflushed changes) or one read from the row.
  template <class T>
  EntryT<T>* hydrate(Row st, int offset = 0);

  // The managed entity for a row that selects the columns of Mask (ctorm::fields<...>: the key and some
  // columns, lazy ones included) in column order. An entity that lacks some of them, loaded partially
  // before, gets them filled in; its other columns, and their unflushed changes, are left as they are.
  template <class T, std::uint64_t Mask>
  EntryT<T>* hydrate_columns(Row st);

  // Reads the columns of `only` from a row selecting the columns of Mask (from position `offset`).
  template <class T, std::uint64_t Mask>
  void read_masked(Row st, int offset, T& e, std::uint64_t only);

  // Fills in the columns `missing` of a partially loaded entity and their part of its snapshot.
  template <class T, std::uint64_t Mask>
  void fill_in(EntryT<T>& entry, Row st, int offset, std::uint64_t missing);

  // Reads the row into an entry; `attach` when the entry was not loaded before (reload() of a loaded one
  // keeps its collections). The one caller of read_row, so that read_row is inlined here.
  template <class T>
  void fill(EntryT<T>& entry, Row st, int offset, bool attach = true);

  template <class T>
  T* load_by_key(const Key<T>& k);

  template <class T>
  bool reload(EntryT<T>& entry);

  template <class T>
  void reload_or_throw(EntryT<T>& entry);

  // --- relations: keeping both sides in step (em/relations_impl.hpp) ---------------------------------

  template <class T, std::size_t I>
  struct CollectionOpsFor;

  // The binding of T's collection field I, made on first use: the field's offset needs an entity.
  template <class T, std::size_t I>
  const detail::CollectionBinding* collection_binding(const T& e, const void* field);

  // A new entity: its collections answer to this manager, their new items are persisted with it, and
  // its relations must point at entities this manager holds.
  template <class T>
  void attach_new(EntryT<T>& entry);

  // An entity read from the database: its collections are not loaded until populated or init()-ed.
  template <class T>
  void attach_loaded(EntryT<T>& entry);

  // A Ref the user set points at an entity: find that entity's entry, so the Ref knows its state.
  template <class F>
  void resolve_ref(F& field, const char* what);

  // --- populate (em/populate_impl.hpp) -------------------------------------------------------------

  // The rows of in-list text family Text (db/in_list.hpp) over the keys.
  template <class Text, class K>
  detail::InListRows<Backend> in_list_rows(const std::vector<K>& keys);

  // What populate does per relation kind lives in templates on the target (and key) type, shared by the
  // relations with the same target; the code per relation only gathers the owners' fields.
  template <class X>
  void load_ref_targets(const std::vector<Key<X>>& keys);

  // The collection of field I of the managed T with key k, or nullptr.
  template <class T, std::size_t I>
  static auto owner_collection(EntityManager& em, const Key<T>& k);

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
  struct FlushOps;

  // Many-to-many field I of T's kernels of a flush.
  template <class T, std::size_t I>
  struct PivotOps;

  template <class T, std::size_t I>
  static void collect_pivot(detail::Store<T>& s, std::vector<detail::PivotWork>& pivots);

  ConnectionHandle conn_;
  int tx_depth_ = 0;  // transactions this manager runs in, for the savepoints' names
  std::unique_ptr<detail::OpenTransaction<Backend>> tx_;  // begin() ... commit()
  detail::FlushObserver<Backend>* observer_ = nullptr;    // tx_'s journal, or nullptr: what flush tests
  typename detail::MapEntities<Schema, detail::Store>::type stores_;
};

}  // namespace ctorm

#include "find_impl.hpp"
#include "flush_impl.hpp"
#include "hydrate_impl.hpp"
#include "persist_impl.hpp"
#include "populate_impl.hpp"
#include "relations_impl.hpp"
#include "transaction_impl.hpp"
#include "upsert_impl.hpp"
