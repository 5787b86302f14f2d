#pragma once
// EntityManager's transactions: transactional() on a fork; begin(), commit() and rollback() with a
// journal of the flushes in between.
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "../db/transaction_mode.hpp"
#include "../error.hpp"
#include "entity_manager.hpp"
#include "flush_journal.hpp"

namespace ctorm {

namespace detail {

template <class B>
struct OpenTransaction {
  typename B::transaction_scope scope;
  FlushJournal<B> journal;
};

CTORM_COLD [[noreturn]] inline void throw_transaction_misuse(const char* what) {
  throw UsageError(std::string("ctorm: ") + what);
}

}  // namespace detail

template <class Schema, class Backend>
template <class F>
auto EntityManager<Schema, Backend>::transactional(F&& f, TransactionMode mode)
    -> std::decay_t<std::invoke_result_t<F&, EntityManager&>> {
  using R = std::decay_t<std::invoke_result_t<F&, EntityManager&>>;
  const auto use = conn_.use();
  typename Backend::transaction_scope tx(*conn_, tx_depth_, mode);
  // on the transaction's connection; destroyed before tx rolls back: no entity of it outlives the transaction
  EntityManager tem(conn_.share());
  tem.tx_depth_ = tx_depth_ + 1;
  if constexpr (std::is_void_v<R>) {
    std::invoke(f, tem);
    tem.flush();
    tx.commit();
  } else {
    R result = std::invoke(f, tem);
    tem.flush();
    tx.commit();
    return result;
  }
}

template <class Schema, class Backend>
void EntityManager<Schema, Backend>::begin(TransactionMode mode) {
  if (tx_) detail::throw_transaction_misuse("begin(): a transaction of this entity manager is open already");
  const auto use = conn_.use();
  tx_.reset(new detail::OpenTransaction<Backend>{typename Backend::transaction_scope(*conn_, tx_depth_, mode), {}});
  conn_.pin();  // the transaction's connection stays this manager's until commit() or rollback()
  observer_ = &tx_->journal;
  ++tx_depth_;
}

template <class Schema, class Backend>
void EntityManager<Schema, Backend>::commit() {
  if (!tx_) detail::throw_transaction_misuse("commit() without begin()");
  tx_->scope.commit();  // a failure (a busy database) leaves the transaction open: commit() or rollback() again
  observer_ = nullptr;
  tx_.reset();
  --tx_depth_;
  conn_.unpin();
}

template <class Schema, class Backend>
void EntityManager<Schema, Backend>::rollback() {
  if (!tx_) detail::throw_transaction_misuse("rollback() without begin()");
  std::unique_ptr<detail::OpenTransaction<Backend>> tx = std::move(tx_);
  observer_ = nullptr;
  --tx_depth_;
  struct Unpin {
    ConnectionHandle& conn;
    ~Unpin() { conn.unpin(); }
  } unpin{conn_};  // after the rollback and the journal's rereads, which use the connection
  tx->scope.rollback();
  tx->journal.undo();
}

}  // namespace ctorm
