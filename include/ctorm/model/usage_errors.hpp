#pragma once
// The messages of errors a user's mistake or a missing row causes (an entity the entity manager does not
// manage, a relation not loaded, no row for a key). They are built here, out of line and marked cold,
// rather than in every entity type's instantiation of the function that finds the mistake.
#include <cstdint>
#include <string>
#include <string_view>

#include "../config.hpp"
#include "../error.hpp"
#include "ref.hpp"

namespace ctorm::detail {

// A key as messages print it: a number, or a quoted text.
inline std::string key_text(std::int64_t key) { return std::to_string(key); }
inline std::string key_text(std::string_view key) { return "'" + std::string(key) + "'"; }

// `what`() was given an entity that the entity manager does not hold.
CTORM_COLD [[noreturn]] inline void throw_not_managed(const char* what, std::string_view type) {
  throw UsageError(std::string("ctorm: ") + what + "() was given a " + std::string(type) +
                   " that this entity manager does not manage (persist a new entity by value: "
                   "em.persist(T{...}))");
}

// A relation given to `what`() points at an entity that the entity manager does not hold.
CTORM_COLD [[noreturn]] inline void throw_foreign_target(const char* what, std::string_view type) {
  throw UsageError(std::string("ctorm: ") + what + "(): a relation points at a " + std::string(type) +
                   " that this entity manager does not manage; use an entity it returned "
                   "(persist, create, find or get_reference)");
}

// No row for a find_one_or_fail (key empty) or for the key of a reference being loaded.
CTORM_COLD [[noreturn]] inline void throw_not_found(std::string_view type, std::string_view key = {}) {
  std::string what = "ctorm: " + std::string(type);
  if (!key.empty()) {
    what += ' ';
    what += key;
  }
  throw NotFoundError(what + " not found");
}

// A Ref read before its target was loaded (key empty for an empty Ref).
CTORM_COLD [[noreturn]] inline void throw_relation_not_loaded(std::string_view type, std::string_view key) {
  std::string what = "ctorm: the relation to " + std::string(type);
  if (!key.empty()) {
    what += ' ';
    what += key;
  }
  what += " is not loaded: populate it, or call load() first";
  throw NotLoadedError(what);
}

// A flush's `what` ("update" or "delete") of the row of `table` with `key` changed no row: with a
// version field (`expected` not null), the row has another version or is gone; without, it is gone.
CTORM_COLD [[noreturn]] inline void throw_row_changed(const char* what, std::string_view table, std::string_view key,
                                                      const std::int64_t* expected, std::string sql,
                                                      std::string values) {
  std::string m = "ctorm: ";
  if (expected)
    m += "optimistic lock failed: the ";
  else
    m += "the ";
  m += what;
  m += " of \"" + std::string(table) + "\" " + std::string(key);
  if (expected)
    m += " expected version " + std::to_string(*expected) +
         ", but the row has another version or was deleted since it was loaded";
  else
    m += " changed no row: it was deleted since it was loaded";
  throw OptimisticLockError(m, std::move(sql), std::move(values));
}

// em.lock() found version `found` where the caller expected `expected`.
CTORM_COLD [[noreturn]] inline void throw_version_mismatch(std::string_view table, std::string_view key,
                                                           std::int64_t expected, std::int64_t found) {
  throw OptimisticLockError("ctorm: optimistic lock failed: \"" + std::string(table) + "\" " + std::string(key) +
                            " has version " + std::to_string(found) + ", expected " + std::to_string(expected));
}

}  // namespace ctorm::detail
