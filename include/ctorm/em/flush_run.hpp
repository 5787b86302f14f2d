#pragma once
// The part of a flush that does not depend on the entity types: the order of the steps, the loops over
// the entities, the transaction and the rollback. Each entity type brings a table of small kernels
// (FlushKernels, filled in by em/flush_impl.hpp), so that only those are compiled per type: the flush
// was a quarter of the machine code of a program with a few entities.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../db/statement_slot.hpp"
#include "../model/entity_state.hpp"
#include "block_arena.hpp"
#include "snapshot.hpp"
#include "store.hpp"

namespace ctorm::detail {

// A row a flush inserts into or deletes from a pivot table: the owner entity and the item.
struct PivotChange {
  void* owner;
  const void* item;
};

// One many-to-many field's part of a flush.
struct PivotKernels {
  void (*write)(void* em, const std::vector<PivotChange>& changes, bool insert);
  void (*settle)(void* owner);  // the owner's collection takes its new snapshot
};

struct PivotWork {
  const PivotKernels* kernels;
  std::vector<PivotChange> inserts;
  std::vector<PivotChange> deletes;
};

struct EntityUpdate {
  // Initialised members: as a non-trivial type the vector grows by a copy loop, not memmove, which
  // costs more on small elements (as callgrind counts).
  EntryBase* entry = nullptr;
  std::uint64_t columns = 0;
};

// Copies of entities (or of the fields on_update options set) taken before hooks and on_update options
// change them, so that a failed flush can put them back. The copies live in an arena: they are made
// once and never moved.
class FlushBackups {
 public:
  FlushBackups() = default;
  FlushBackups(const FlushBackups&) = delete;
  FlushBackups& operator=(const FlushBackups&) = delete;
  ~FlushBackups() {
    for (const Backup& b : backups_) b.destroy(b.copy);
  }

  template <class V>
  void keep(V& object) {
    if (backups_.size() == backups_.capacity()) backups_.reserve(backups_.size() * 2 + 8);  // push_back won't throw
    std::size_t room = sizeof(V) + alignof(V) - 1;
    void* at = arena_.allocate(room);
    at = std::align(alignof(V), sizeof(V), at, room);
    V* copy = ::new (at) V(object);
    backups_.push_back({&object, copy, &restore_as<V>, &destroy_as<V>});
  }

  // Newest first: a later copy (a whole entity) may hold an earlier change (its version set to 1) that an
  // earlier copy (the version field alone) undoes.
  void restore() {
    for (auto b = backups_.rbegin(); b != backups_.rend(); ++b) b->restore(b->object, b->copy);
  }

 private:
  template <class V>
  static void restore_as(void* object, void* copy) {
    *static_cast<V*>(object) = std::move(*static_cast<V*>(copy));
  }
  template <class V>
  static void destroy_as(void* copy) noexcept {
    static_cast<V*>(copy)->~V();
  }

  struct Backup {
    void* object;
    void* copy;
    void (*restore)(void*, void*);
    void (*destroy)(void*) noexcept;
  };
  BlockArena arena_;
  std::vector<Backup> backups_;
};

// The cached update statement for one set of changed columns; made on first use (if that throws, nothing
// is cached). One instantiation for every entity type: their caches have the same type.
template <class Shapes, class Connection>
CTORM_NOINLINE const UpdateShape& find_update_shape(Shapes& shapes, Connection& conn, std::uint64_t columns,
                                                    std::string (*make_sql)(std::uint64_t)) {
  return *shapes
              .find_or_insert(columns,
                              [&] {
                                std::string sql = make_sql(columns);
                                void* st = conn.statement(sql);
                                return UpdateShape{std::move(sql), st};
                              })
              .first;
}

template <class B>
struct FlushStep;

// What a flush needs of one entity type. `store` is the type's Store, `em` its entity manager. B: the
// backend, whose statements the kernels bind.
template <class B>
struct FlushKernels {
  using Connection = typename B::connection;
  using Query = typename B::query;

  // Before the transaction: change detection, before hooks and on_update options into step.updates
  // (with backups), many-to-many changes into `pivots`. True when T has entities to insert or delete.
  bool (*collect)(void* em, FlushStep<B>& step, FlushBackups& backups, std::vector<PivotWork>& pivots);
  // The store's lists of new and removed entities, into step.inserts and step.deletes.
  void (*take_lists)(void* store, FlushStep<B>& step);
  // Puts the targets of references to T itself before the entities that point at them; nullptr when T
  // has no such reference.
  void (*order_inserts)(std::vector<EntryBase*>& inserts);
  // Binds the entity's columns of `columns`, in column order, then its key when `key`.
  void (*bind)(Query& q, const EntryBase& entry, std::uint64_t columns, bool key);
  // Whether a new entity's key is left for the database to generate, and setting it; nullptr when T's key
  // is not generated.
  bool (*key_unset)(const EntryBase& entry);
  void (*set_key)(EntryBase& entry, std::int64_t key);
  const UpdateShape& (*update_shape)(void* store, Connection& conn, std::uint64_t columns);
  // After the commit: the store's lists emptied, with room in the identity map for the new entities.
  void (*clear_lists)(void* store);
  // A new entity becomes managed: its key into the identity map (flush_inserts took its snapshot).
  void (*settle_new)(void* store, EntryBase& entry);
  void (*snapshot)(void* store, EntryBase& entry);
  void (*forget)(void* store, EntryBase& entry);
  void (*after_hooks)(FlushStep<B>& step);  // nullptr when T has no after hooks
  // After the commit: an updated entity's version field takes the value the update gave the row;
  // nullptr when T has no version field.
  void (*bump_version)(EntryBase& entry);
  // Throws OptimisticLockError for an update (or a delete, `remove`) of `entry` that changed no row;
  // `values`: the statement's bound values, as the log prints them.
  void (*row_changed)(const EntryBase& entry, bool remove, std::string values, std::string_view sql);
  bool versioned;  // T has a version field: a delete that changes no row fails too
  StatementText insert;
  StatementText insert_generated;  // without the key column
  StatementText remove;
  StatementText remove_reference;  // with a version field: the delete by key alone, for a reference
  std::uint64_t columns;      // all of T's columns
  std::uint64_t key_column;   // the primary key's bit
};

// One entity type's part of a flush.
template <class B>
struct FlushStep {
  const FlushKernels<B>* kernels;
  void* store;
  std::vector<EntryBase*> inserts;
  std::vector<EntryBase*> deletes;
  std::vector<EntityUpdate> updates;
  std::vector<EntryBase*> assigned_keys;  // keys the database generated in this flush

  // Out of line, so that every entity type's change detection calls the same code.
  CTORM_NOINLINE void add_update(EntryBase* entry, std::uint64_t columns) { updates.push_back({entry, columns}); }
};

// Rows a flush writes, statement by statement, through the backend's batch (which may send many at once
// and call the `done` callbacks later, in order); out of line so that the loops are compiled once.
template <class B>
CTORM_NOINLINE inline void flush_inserts(typename B::connection& conn, FlushStep<B>& step) {
  using Query = typename B::query;
  using Result = typename B::batch::Result;
  const FlushKernels<B>& k = *step.kernels;
  if (k.order_inserts) k.order_inserts(step.inserts);
  // A row that points at another new row of its own table needs that row's key when it is bound: with
  // such references, each row's statement completes before the next is bound.
  const bool one_by_one = k.order_inserts != nullptr;
  typename B::batch batch(conn);
  for (EntryBase* e : step.inserts) {
    if (k.key_unset && k.key_unset(*e)) {
      step.assigned_keys.push_back(e);  // first: revert() then resets a key it may not have got
      batch.run(
          k.insert_generated, [&k, e](Query& q) { k.bind(q, *e, k.columns & ~k.key_column, false); },
          [&k, &step, e](const Result& r) {
            k.set_key(*e, r.key());
            k.snapshot(step.store, *e);
          });
    } else {
      // The new entity's first snapshot right after its insert, while the values just bound are in the
      // cache: taken after the commit, it read every inserted value from memory a second time. A new
      // entity's snapshot is not consulted before the commit makes it managed, and a rolled-back flush
      // takes it again next time.
      batch.run(
          k.insert, [&k, e](Query& q) { k.bind(q, *e, k.columns, false); },
          [&k, &step, e](const Result&) { k.snapshot(step.store, *e); });
    }
    if (CTORM_UNLIKELY(one_by_one)) batch.finish();
  }
  batch.finish();
}

template <class B>
CTORM_NOINLINE inline void flush_updates(typename B::connection& conn, FlushStep<B>& step) {
  using Query = typename B::query;
  using Result = typename B::batch::Result;
  using Statement = typename B::statement;
  const FlushKernels<B>& k = *step.kernels;
  // Updates of one flush mostly change the same columns: the shape is looked up again only when they
  // differ. A `done` may run after later shapes were added (and the shapes moved): it takes the text
  // from its result, never from the shape.
  const UpdateShape* shape = nullptr;
  std::uint64_t shape_columns = 0;
  bool busy = false;
  typename B::batch batch(conn);
  for (const EntityUpdate& u : step.updates) {
    if (!shape || u.columns != shape_columns) {
      shape = &k.update_shape(step.store, conn, u.columns);
      shape_columns = u.columns;
      busy = conn.busy(static_cast<Statement>(shape->statement));
    }
    batch.run(
        static_cast<Statement>(shape->statement), shape->sql, busy,
        [&k, &u](Query& q) { k.bind(q, *u.entry, u.columns, true); },
        [&k, &u](const Result& r) {
          // No row: another writer deleted it (or, with a version field, updated it) since it was loaded.
          if (CTORM_UNLIKELY(r.changed == 0)) k.row_changed(*u.entry, false, r.values(), r.sql());
        });
  }
  batch.finish();
}

template <class B>
CTORM_NOINLINE inline void flush_deletes(typename B::connection& conn, FlushStep<B>& step) {
  using Query = typename B::query;
  using Result = typename B::batch::Result;
  const FlushKernels<B>& k = *step.kernels;
  if (step.deletes.empty()) return;
  // Without a version field, a row already gone is what the delete asked for (a cascade of this flush
  // may have removed it); with one, the row's version is checked as an update's is.
  const bool versioned = k.versioned;
  typename B::batch batch(conn);
  for (EntryBase* e : step.deletes) {
    if (CTORM_UNLIKELY(versioned) && !e->initialized) {
      // A removed reference (em.remove(em.get_reference<T>(k))) of an entity with a version field: its
      // version was never read, so there is none to check; it is deleted by key, as without a version.
      batch.run(
          k.remove_reference, [&k, e](Query& q) { k.bind(q, *e, k.key_column, false); }, [](const Result&) {});
      continue;
    }
    batch.run(
        k.remove, [&k, e](Query& q) { k.bind(q, *e, 0, true); },
        [&k, e, versioned](const Result& r) {
          if (CTORM_UNLIKELY(versioned) && r.changed == 0) k.row_changed(*e, true, r.values(), k.remove.sql);
        });
  }
  batch.finish();
}

// The entities as they were before the flush: generated keys unset, hooks' changes undone.
template <class B>
inline void flush_revert(FlushStep<B>* steps, std::size_t n, FlushBackups& backups) {
  for (std::size_t i = 0; i < n; ++i)
    for (EntryBase* e : steps[i].assigned_keys) steps[i].kernels->set_key(*e, 0);
  backups.restore();
}

// After the commit: new entities become managed, updated ones get their new snapshots, and deleted ones
// leave the identity map.
template <class B>
inline void flush_settle(FlushStep<B>* steps, std::size_t n, std::vector<PivotWork>& pivots) {
  for (std::size_t i = 0; i < n; ++i) {
    FlushStep<B>& step = steps[i];
    const FlushKernels<B>& k = *step.kernels;
    k.clear_lists(step.store);
    for (EntryBase* e : step.inserts) {
      e->state = EntityState::managed;
      e->initialized = true;
      k.settle_new(step.store, *e);
    }
    if (k.bump_version)
      for (const EntityUpdate& u : step.updates) k.bump_version(*u.entry);
    for (const EntityUpdate& u : step.updates) k.snapshot(step.store, *u.entry);
  }
  for (const PivotWork& w : pivots) {
    for (const PivotChange& c : w.inserts) w.kernels->settle(c.owner);
    for (const PivotChange& c : w.deletes) w.kernels->settle(c.owner);
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (EntryBase* e : steps[i].deletes) {
      steps[i].kernels->forget(steps[i].store, *e);
      e->state = EntityState::detached;
    }
  }
}

// Told of each flush that committed, before its steps go (em/flush_journal.hpp: em.begin() keeps them
// so that em.rollback() can undo them). nullptr when no transaction of the entity manager is open.
template <class B>
struct FlushObserver {
  void (*flushed)(FlushObserver& self, const FlushStep<B>* steps, std::size_t n);
};

// The whole flush over the entity types' steps, in foreign-key order. A failure before the commit
// rolls back and leaves the unit of work and the entities as they were.
template <class B>
CTORM_NOINLINE inline void run_flush(typename B::connection& conn, void* em, FlushStep<B>* steps, std::size_t n,
                                     FlushObserver<B>* observer = nullptr) {
  FlushBackups backups;
  std::vector<PivotWork> pivots;
  bool work = false;
  try {
    for (std::size_t i = 0; i < n; ++i) {
      const bool lists = steps[i].kernels->collect(em, steps[i], backups, pivots);
      work = work || lists || !steps[i].updates.empty();
    }
  } catch (...) {
    flush_revert(steps, n, backups);
    throw;
  }
  if (!work && pivots.empty()) return;

  {
    typename B::transaction tx(conn);
    try {
      for (std::size_t i = 0; i < n; ++i) steps[i].kernels->take_lists(steps[i].store, steps[i]);
      for (std::size_t i = 0; i < n; ++i) flush_inserts<B>(conn, steps[i]);
      for (const PivotWork& w : pivots)
        if (!w.inserts.empty()) w.kernels->write(em, w.inserts, true);
      for (std::size_t i = 0; i < n; ++i) flush_updates<B>(conn, steps[i]);
      for (const PivotWork& w : pivots)
        if (!w.deletes.empty()) w.kernels->write(em, w.deletes, false);
      // deletes in reverse: rows that others point at go last
      for (std::size_t i = n; i-- > 0;) flush_deletes<B>(conn, steps[i]);
      tx.commit();
    } catch (...) {
      flush_revert(steps, n, backups);
      throw;
    }
  }

  flush_settle(steps, n, pivots);
  if (CTORM_UNLIKELY(observer != nullptr)) observer->flushed(*observer, steps, n);
  for (std::size_t i = 0; i < n; ++i)
    if (steps[i].kernels->after_hooks) steps[i].kernels->after_hooks(steps[i]);
}

}  // namespace ctorm::detail
