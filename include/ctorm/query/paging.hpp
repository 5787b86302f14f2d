#pragma once
// Paging: `ctorm::limit(10)`, `ctorm::offset(20)`: `limit ? offset ?`, the numbers bound, so one
// statement serves every page. An offset alone is `limit -1 offset ?`.
#include <cstdint>

namespace ctorm {

struct Limit {
  std::int64_t value;
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.placeholder();
  }
  template <class Q>
  void bind(Q& q) const {
    q.bind(value);
  }
};

struct Offset {
  std::int64_t value;
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.placeholder();
  }
  template <class Q>
  void bind(Q& q) const {
    q.bind(value);
  }
};

constexpr Limit limit(std::int64_t n) { return {n}; }
constexpr Offset offset(std::int64_t n) { return {n}; }

namespace detail {
// `limit 1`, written as a constant (find_one).
struct LimitOne {
  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.put('1');
  }
  template <class Q>
  void bind(Q&) const {}
};
}  // namespace detail

}  // namespace ctorm
