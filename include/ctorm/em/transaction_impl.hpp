#pragma once
// EntityManager's transactions: transactional() on a fork.
#include <functional>
#include <type_traits>
#include <utility>

#include "../db/transaction.hpp"
#include "entity_manager.hpp"

namespace ctorm {

template <class Schema>
template <class F>
auto EntityManager<Schema>::transactional(F&& f, TransactionMode mode)
    -> std::decay_t<std::invoke_result_t<F&, EntityManager&>> {
  using R = std::decay_t<std::invoke_result_t<F&, EntityManager&>>;
  detail::TransactionScope tx(*conn_, tx_depth_, mode);
  EntityManager tem(conn_);  // destroyed before tx rolls back: no entity of it outlives the transaction
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

}  // namespace ctorm
