#pragma once
// The mode a user's transaction opens in (em.begin(mode), em.transactional(f, mode)).

namespace ctorm {

// How `begin` takes SQLite's locks. `deferred` (SQLite's default) takes the write lock at the first
// write, which fails at once with DatabaseBusyError when another writer got in after this transaction
// read; `immediate` takes it at `begin`, where a busy database waits under the busy timeout instead.
// Inside an open transaction (a savepoint) the mode does not apply.
enum class TransactionMode { deferred, immediate, exclusive };
// PostgreSQL has no lock to take at `begin`: there every mode opens a plain `begin` (read committed).

}  // namespace ctorm
