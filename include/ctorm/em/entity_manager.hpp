#pragma once
// The entity manager: identity map and unit of work over one connection, as MikroORM's EntityManager.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../db/connection.hpp"
#include "../db/query.hpp"
#include "../model/schema.hpp"
#include "../query/builder.hpp"
#include "../query/condition.hpp"
#include "../sql/dml.hpp"
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

}  // namespace detail

template <class Schema>
class EntityManager {
  using Naming = typename Schema::naming;
  template <class T>
  using Key = detail::key_type<T>;

 public:
  explicit EntityManager(std::shared_ptr<detail::Connection> conn) : conn_(std::move(conn)) {}
  EntityManager(EntityManager&&) noexcept = default;
  EntityManager& operator=(EntityManager&&) noexcept = default;
  EntityManager(const EntityManager&) = delete;
  EntityManager& operator=(const EntityManager&) = delete;

  // A new entity manager on the same connection, with an empty identity map and unit of work.
  EntityManager fork() const { return EntityManager(conn_); }

  // Makes a new entity managed; the next flush inserts it. Returns the managed object, which stays at
  // the same address until clear() or the entity manager's end.
  template <class T>
    requires(!std::is_reference_v<T>)
  T& persist(T&& entity) {
    detail::check_in_schema<Schema, T>();
    return store<T>().add_new(std::move(entity)).entity;
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

  // Writes every change of the unit of work in one transaction: inserts, then updates of the changed
  // columns only, then deletes. Nothing runs when nothing changed. When a statement fails, the
  // transaction is rolled back and the unit of work is left as it was, so the flush can be retried.
  void flush();

  // Every row of T.
  template <class T>
  std::vector<T*> find() {
    detail::check_in_schema<Schema, T>();
    using Text = detail::SelectAllText<Naming, T>;
    detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
    return load_all<T>(q);
  }

  // The rows of T that match a condition.
  template <class T, condition C>
  std::vector<T*> find(const C& where) {
    return query<T>().where(detail::borrow(where)).all();
  }

  // With options: `find<User>(where, ctorm::order_by(ctorm::desc<&User::id>), ctorm::limit(10),
  // ctorm::offset(20), ctorm::fields<&User::email>)`, or the options alone.
  template <class T, condition C, find_option... Os>
    requires(sizeof...(Os) > 0)
  std::vector<T*> find(const C& where, const Os&... options) {
    return query<T>().where(detail::borrow(where)).apply(options...).all();
  }
  template <class T, find_option... Os>
    requires(sizeof...(Os) > 0)
  std::vector<T*> find(const Os&... options) {
    return query<T>().apply(options...).all();
  }

  // The rows of a page and the number of rows without limit and offset: `auto [items, total] = ...`.
  template <class T, class... Args>
  ItemsAndTotal<T*> find_and_count(const Args&... args) {
    return with_condition<T>(args...).all_and_count();
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

  // A query builder on T, run through this entity manager (query/builder.hpp).
  template <class T>
  auto query() {
    detail::check_in_schema<Schema, T>();
    return QueryBuilder<EntityManager, Naming, T, StatementKind::select, false, detail::JoinList<>, detail::NoParts>(
        this, {});
  }

  // The entity with this primary key, or nullptr. A managed entity is answered from the identity map,
  // with no query.
  template <class T, class K>
    requires(!condition<K>)
  T* find_one(const K& key) {
    detail::check_in_schema<Schema, T>();
    const Key<T> k(key);
    auto& s = store<T>();
    if (auto* e = s.find(k); e && e->initialized) return e->state == EntityState::detached ? nullptr : &e->entity;
    return load_by_key<T>(k);
  }

  // The first row of T that matches a condition, or nullptr.
  template <class T, condition C>
  T* find_one(const C& where) {
    return query<T>().where(detail::borrow(where)).template limit<1>().one();
  }
  template <class T, condition C, find_option... Os>
    requires(sizeof...(Os) > 0)
  T* find_one(const C& where, const Os&... options) {
    return query<T>().where(detail::borrow(where)).apply(options...).template limit<1>().one();
  }

  // As find_one, but a missing entity is a ctorm::NotFoundError.
  template <class T, class K>
  T& find_one_or_fail(const K& key_or_condition) {
    T* found = find_one<T>(key_or_condition);
    if (!found) throw NotFoundError("ctorm: " + std::string(detail::type_name<T>) + " not found");
    return *found;
  }

  template <class T>
  std::int64_t count() {
    return count_impl<T, void>(nullptr);
  }
  template <class T, condition C>
  std::int64_t count(const C& where) {
    return query<T>().where(detail::borrow(where)).count();
  }

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
    if (!entry.initialized) {
      if (!reload(entry))
        throw NotFoundError("ctorm: " + std::string(detail::type_name<T>) + " not found", "",
                            "key " + key_text(entry.key));
    }
    return entity;
  }

  // Reloads an entity from the database, dropping its unflushed changes. False when its row is gone.
  template <class T>
  bool refresh(T& entity) {
    return reload(entry_or_throw(entity, "refresh"));
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

 private:
  template <class>
  friend struct detail::EmAccess;

  // The query for find_and_count's arguments: an optional condition, then options.
  template <class T>
  auto with_condition() {
    return query<T>();
  }
  template <class T, class First, class... Os>
  auto with_condition(const First& first, const Os&... options) {
    if constexpr (condition<First>)
      return query<T>().where(detail::borrow(first)).apply(options...);
    else
      return query<T>().apply(first, options...);
  }

  template <class T>
  detail::Store<T>& store() {
    return std::get<Schema::template index_of<T>>(stores_);
  }

  template <class Text>
  sqlite3_stmt* statement() {
    return conn_->statement(detail::statement_slot<Text>(), detail::static_text<Text>);
  }

  template <class T>
  detail::Entry<T>& entry_or_throw(const T& entity, const char* what) {
    auto* e = store<std::remove_const_t<T>>().entry_of(entity);
    if (!e)
      throw UsageError(std::string("ctorm: ") + what + "() was given a " + std::string(detail::type_name<T>) +
                       " that this entity manager does not manage (persist a new entity by value: "
                       "em.persist(T{...}))");
    return *e;
  }

  template <class K>
  static std::string key_text(const K& k) {
    if constexpr (std::is_same_v<K, std::string>)
      return k;
    else
      return std::to_string(k);
  }

  template <class T>
  static void read_columns(sqlite3_stmt* st, T& e) {
    [&]<std::size_t... C>(std::index_sequence<C...>) {
      (detail::read_value(st, static_cast<int>(C), detail::column_ref<C>(e)), ...);
    }(std::make_index_sequence<detail::EntityMeta<T>::column_count>{});
  }

  // The managed entity for the current row: the one already in the identity map (kept as it is, with
  // its unflushed changes) or a new one read from the row.
  template <class T>
  detail::Entry<T>* hydrate(sqlite3_stmt* st) {
    return hydrate_columns<T, detail::all_columns_mask<T>>(st);
  }

  // The same for a row that selects only the columns of Mask (ctorm::fields<...>). A managed entity that
  // lacks some of them (loaded partially before) gets them filled in, its other columns left as they are.
  template <class T, std::uint64_t Mask>
  detail::Entry<T>* hydrate_columns(sqlite3_stmt* st) {
    using M = detail::EntityMeta<T>;
    Key<T> k{};
    detail::read_value(st, detail::result_index(Mask, M::pk_column), k);
    auto& s = store<T>();
    detail::Entry<T>* entry = s.find_or_add(k).first;
    if (!entry->initialized) {
      detail::read_loaded_columns<Mask>(st, entry->entity);
      entry->initialized = true;
      entry->loaded = Mask;
      s.take_snapshot(*entry);
    } else if (const std::uint64_t missing = Mask & ~entry->loaded) {
      detail::read_loaded_columns<Mask>(st, entry->entity, missing);
      entry->loaded |= missing;
      s.update_snapshot(*entry, missing);
    }
    return entry;
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
  bool reload(detail::Entry<T>& entry) {
    using Text = detail::SelectByKeyText<Naming, T>;
    detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
    q.bind(entry.key);
    const bool found = q.step();
    if (found) {
      read_columns(q.handle(), entry.entity);
      entry.initialized = true;
      entry.loaded = detail::all_columns_mask<T>;
      store<T>().take_snapshot(entry);
    }
    q.finish_rows();
    return found;
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

  // --- flush ---------------------------------------------------------------------------------------

  template <class T>
  struct Pending {
    std::vector<std::pair<detail::Entry<T>*, std::uint64_t>> updates;
    std::vector<detail::Entry<T>*> assigned_keys;  // generated keys written by this flush
  };

  template <class T>
  void collect_updates(Pending<T>& p) {
    store<T>().entries().for_each([&](detail::Entry<T>& e) {
      if (e.state != EntityState::managed || !e.initialized) return;
      // columns a partial load left out are never written
      if (const std::uint64_t mask = detail::changed_columns(e.snapshot, e.entity) & e.loaded)
        p.updates.emplace_back(&e, mask);
    });
  }

  template <class T>
  void insert_all(Pending<T>& p) {
    using M = detail::EntityMeta<T>;
    for (detail::Entry<T>* e : store<T>().inserts()) {
      if constexpr (M::generated_key) {
        if (detail::primary_key_ref(e->entity) == 0) {
          insert_one<T, false>(e->entity);
          detail::primary_key_ref(e->entity) =
              static_cast<typename M::key_field_type>(sqlite3_last_insert_rowid(conn_->handle()));
          p.assigned_keys.push_back(e);
          continue;
        }
      }
      insert_one<T, true>(e->entity);
    }
  }

  template <class T, bool WithKey>
  void insert_one(T& e) {
    using M = detail::EntityMeta<T>;
    using Text = detail::InsertText<Naming, T, WithKey>;
    detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
    [&]<std::size_t... C>(std::index_sequence<C...>) {
      ((WithKey || C != M::pk_column ? q.bind(detail::column_ref<C>(e)) : void()), ...);
    }(std::make_index_sequence<M::column_count>{});
    q.run();
  }

  template <class T>
  void update_all(Pending<T>& p) {
    using M = detail::EntityMeta<T>;
    auto& shapes = store<T>().update_shapes();
    for (auto& update : p.updates) {
      detail::Entry<T>* e = update.first;
      const std::uint64_t mask = update.second;
      auto it = shapes.find(mask);
      if (it == shapes.end()) {
        std::string sql = detail::update_sql<Naming, T>(mask);
        sqlite3_stmt* st = conn_->statement(sql);
        it = shapes.emplace(mask, detail::UpdateShape<T>{std::move(sql), st}).first;
      }
      detail::Query q(*conn_, it->second.statement, it->second.sql);
      [&]<std::size_t... C>(std::index_sequence<C...>) {
        (((mask >> C) & 1u ? q.bind(detail::column_ref<C>(e->entity)) : void()), ...);
      }(std::make_index_sequence<M::column_count>{});
      q.bind(e->key);
      q.run();
    }
  }

  template <class T>
  void delete_all() {
    using Text = detail::DeleteByKeyText<Naming, T>;
    for (detail::Entry<T>* e : store<T>().deletes()) {
      detail::Query q(*conn_, statement<Text>(), detail::static_text<Text>);
      q.bind(e->key);
      q.run();
    }
  }

  // After commit: what was written becomes the new snapshot.
  template <class T>
  void settle(Pending<T>& p) {
    auto& s = store<T>();
    for (detail::Entry<T>* e : s.inserts()) {
      e->key = detail::key_of(e->entity);
      e->state = EntityState::managed;
      e->initialized = true;
      s.index(*e);
      s.take_snapshot(*e);
    }
    for (auto& update : p.updates) s.take_snapshot(*update.first);
    for (detail::Entry<T>* e : s.deletes()) {
      s.forget(*e);
      e->state = EntityState::detached;
    }
    s.inserts().clear();
    s.deletes().clear();
  }

  template <class T>
  static void revert_keys(Pending<T>& p) {
    if constexpr (detail::EntityMeta<T>::generated_key)
      for (detail::Entry<T>* e : p.assigned_keys) detail::primary_key_ref(e->entity) = 0;
  }

  template <class T>
  bool has_work(const Pending<T>& p) {
    auto& s = store<T>();
    return !s.inserts().empty() || !s.deletes().empty() || !p.updates.empty();
  }

  std::shared_ptr<detail::Connection> conn_;
  typename detail::MapEntities<Schema, detail::Store>::type stores_;
};

template <class Schema>
void EntityManager<Schema>::flush() {
  typename detail::MapEntities<Schema, Pending>::type pending;
  bool work = false;
  Schema::for_each([&]<class T>(std::type_identity<T>) {
    auto& p = std::get<Schema::template index_of<T>>(pending);
    collect_updates<T>(p);
    work = work || has_work<T>(p);
  });
  if (!work) return;

  detail::Transaction tx(*conn_);
  try {
    Schema::for_each([&]<class T>(std::type_identity<T>) { insert_all<T>(std::get<Schema::template index_of<T>>(pending)); });
    Schema::for_each([&]<class T>(std::type_identity<T>) { update_all<T>(std::get<Schema::template index_of<T>>(pending)); });
    Schema::for_each_reverse([&]<class T>(std::type_identity<T>) { delete_all<T>(); });
    tx.commit();
  } catch (...) {
    Schema::for_each([&]<class T>(std::type_identity<T>) { revert_keys<T>(std::get<Schema::template index_of<T>>(pending)); });
    throw;
  }
  Schema::for_each([&]<class T>(std::type_identity<T>) { settle<T>(std::get<Schema::template index_of<T>>(pending)); });
}

}  // namespace ctorm
