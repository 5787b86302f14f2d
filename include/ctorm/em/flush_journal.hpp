#pragma once
// What the flushes inside em.begin() ... em.commit() did, so that em.rollback() can put the entity
// manager back in step with the rolled-back database: entities they inserted are no longer managed,
// entities they updated or deleted are read again from their rows.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../model/entity_state.hpp"
#include "flush_run.hpp"

namespace ctorm::detail {

template <class B>
class FlushJournal : public FlushObserver<B> {
 public:
  FlushJournal() : FlushObserver<B>{&record} {}

  // After the database rolled back: the latest flush first, so that an entity inserted by one flush
  // and deleted by a later one ends as it was before both (not managed).
  void undo() {
    std::vector<EntryBase*> reread;
    for (std::size_t i = steps_.size(); i-- > 0;) {
      const Step& s = steps_[i];
      for (EntryBase* e : s.deletes) {
        e->state = EntityState::managed;
        s.kernels->settle_new(s.store, *e);  // back into the identity map
        reread.push_back(e);
      }
      for (EntryBase* e : s.inserts) {
        s.kernels->forget(s.store, *e);
        e->state = EntityState::detached;
      }
      for (EntryBase* e : s.generated) s.kernels->set_key(*e, 0);
      reread.insert(reread.end(), s.updates.begin(), s.updates.end());
    }
    // The row as the database has it again: the fields and the snapshot (the version too).
    for (EntryBase* e : reread)
      if (e->state == EntityState::managed) e->loader->load_entity(*e);
    steps_.clear();
  }

 private:
  struct Step {
    const FlushKernels<B>* kernels;
    void* store;
    std::vector<EntryBase*> inserts;
    std::vector<EntryBase*> generated;  // of inserts, those whose key the database generated
    std::vector<EntryBase*> updates;
    std::vector<EntryBase*> deletes;
  };

  static void record(FlushObserver<B>& self, const FlushStep<B>* steps, std::size_t n) {
    auto& journal = static_cast<FlushJournal&>(self);
    for (std::size_t i = 0; i < n; ++i) {
      const FlushStep<B>& f = steps[i];
      if (f.inserts.empty() && f.updates.empty() && f.deletes.empty()) continue;
      Step s{f.kernels, f.store, f.inserts, f.assigned_keys, {}, f.deletes};
      s.updates.reserve(f.updates.size());
      for (const EntityUpdate& u : f.updates) s.updates.push_back(u.entry);
      journal.steps_.push_back(std::move(s));
    }
  }

  std::vector<Step> steps_;
};

}  // namespace ctorm::detail
