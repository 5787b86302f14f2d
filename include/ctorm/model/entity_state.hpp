#pragma once
// What every managed entity carries beside its fields: its state, whether it is loaded, and the way
// back to the entity manager that holds it (so that Ref::load and Collection::init can query).
#include <cstdint>

namespace ctorm {

// Where an entity stands with its entity manager.
enum class EntityState : unsigned char {
  new_entity,  // persisted, not yet inserted
  managed,     // in the database and tracked
  removed,     // to be deleted by the next flush
  detached     // deleted, or no longer tracked
};

namespace detail {

struct EntryBase;

// Implemented by the entity manager's store of each entity type.
class Loader {
 public:
  virtual void load_entity(EntryBase& entry) = 0;  // fills in a reference (one query)

 protected:
  ~Loader() = default;
};

struct EntryBase {
  EntityState state = EntityState::new_entity;
  bool initialized = true;
  std::uint32_t snapshot_size = 0;  // here rather than in Entry<T>, where it would cost a padded word
  Loader* loader = nullptr;
};

}  // namespace detail
}  // namespace ctorm
