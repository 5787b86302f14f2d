#pragma once
// Conditions: `ctorm::col<&User::email> == "foo@bar.com" && ctorm::col<&User::age> >= 18`. The shape
// of a condition is its type, so its SQL text is a compile-time constant; the values it holds are bound.
#include <chrono>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "../model/names.hpp"
#include "../model/type_mapping.hpp"
#include "../reflect/member_pointer.hpp"
#include "../sql/ddl.hpp"

namespace ctorm {

// A column of an entity, named by its member pointer.
template <auto Member>
struct Column {
  using entity = detail::member_class<Member>;
  using field_type = detail::member_type<Member>;
  static constexpr std::size_t field = detail::field_index<Member>;
};

template <auto Member>
inline constexpr Column<Member> col{};

enum class CompareOp : unsigned char { eq, ne, lt, le, gt, ge };

namespace detail {

template <class T>
struct NonNull {
  using type = T;
};
template <class T>
struct NonNull<std::optional<T>> {
  using type = T;
};

// How a value compared with a column of type F is held and bound: strings are copied (a condition may
// outlive the caller's buffer), everything else is held as the column's own type.
template <class B>
consteval auto condition_value_of() {
  if constexpr (mapping_kind<B>() == MappingKind::text)
    return std::type_identity<std::string>{};
  else if constexpr (mapping_kind<B>() == MappingKind::ref)  // a relation: compared by the target's key
    return condition_value_of<typename PrimaryKeyFieldOf<typename IsRef<B>::target>::type>();
  else
    return std::type_identity<B>{};
}
template <class F>
using condition_value_t = typename decltype(condition_value_of<typename NonNull<F>::type>())::type;

template <class F, class V>
consteval bool comparable() {
  using B = typename NonNull<F>::type;
  using U = std::remove_cvref_t<V>;
  constexpr MappingKind k = mapping_kind<B>();
  if constexpr (k == MappingKind::ref)
    return comparable<typename PrimaryKeyFieldOf<typename IsRef<B>::target>::type, V>();
  else if constexpr (k == MappingKind::user || k == MappingKind::enumeration || k == MappingKind::time ||
                k == MappingKind::blob)
    return std::is_same_v<U, B>;
  else if constexpr (k == MappingKind::boolean)
    return std::is_same_v<U, bool>;
  else if constexpr (k == MappingKind::integer)
    return std::is_integral_v<U> && !std::is_same_v<U, bool> && !std::is_same_v<U, char>;
  else if constexpr (k == MappingKind::real)
    return std::is_arithmetic_v<U> && !std::is_same_v<U, bool> && !std::is_same_v<U, char>;
  else if constexpr (k == MappingKind::text)
    return std::is_convertible_v<const U&, std::string_view> && !std::is_same_v<U, std::nullptr_t>;
  else
    return false;
}

template <CompareOp Op>
constexpr std::string_view compare_op_sql() {
  switch (Op) {
    case CompareOp::eq: return " = ";
    case CompareOp::ne: return " <> ";
    case CompareOp::lt: return " < ";
    case CompareOp::le: return " <= ";
    case CompareOp::gt: return " > ";
    default: return " >= ";
  }
}

template <class Entity, class Col>
consteval void check_column_of() {
  static_assert(std::is_same_v<typename Col::entity, Entity>,
                "ctorm: the condition names a column of an entity that is not part of the query");
}

}  // namespace detail

template <class Col, CompareOp Op, class V>
struct Comparison {
  V value;

  template <class Naming, class Entity, class W>
  static constexpr void write_sql(W& w) {
    detail::check_column_of<Entity, Col>();
    detail::put_ident(w, detail::column_names<Naming, Entity>[detail::column_of_field<Entity>(Col::field)]);
    w.put(detail::compare_op_sql<Op>());
    w.put('?');
  }
  template <class Q>
  void bind(Q& q) const {
    q.bind(value);
  }
};

template <class L, class R, bool IsAnd>
struct Junction {
  L lhs;
  R rhs;

  template <class Naming, class Entity, class W>
  static constexpr void write_sql(W& w) {
    w.put('(');
    L::template write_sql<Naming, Entity>(w);
    w.put(IsAnd ? " and " : " or ");
    R::template write_sql<Naming, Entity>(w);
    w.put(')');
  }
  template <class Q>
  void bind(Q& q) const {
    lhs.bind(q);
    rhs.bind(q);
  }
};

// A condition: anything that writes its SQL and binds its values.
template <class C>
concept condition = requires(const C& c) { &C::template bind<int>; };

namespace detail {
template <CompareOp Op, auto Member, class V>
constexpr auto compare(V&& v) {
  using F = member_type<Member>;
  static_assert(comparable<F, V>(),
                "ctorm: a column is compared with a value of another type (see the column's field type F and "
                "the value's type V above)");
  return Comparison<Column<Member>, Op, condition_value_t<F>>{condition_value_t<F>(std::forward<V>(v))};
}
}  // namespace detail

template <auto M, class V>
constexpr auto operator==(Column<M>, V&& v) {
  return detail::compare<CompareOp::eq, M>(std::forward<V>(v));
}
template <auto M, class V>
constexpr auto operator!=(Column<M>, V&& v) {
  return detail::compare<CompareOp::ne, M>(std::forward<V>(v));
}
template <auto M, class V>
constexpr auto operator<(Column<M>, V&& v) {
  return detail::compare<CompareOp::lt, M>(std::forward<V>(v));
}
template <auto M, class V>
constexpr auto operator<=(Column<M>, V&& v) {
  return detail::compare<CompareOp::le, M>(std::forward<V>(v));
}
template <auto M, class V>
constexpr auto operator>(Column<M>, V&& v) {
  return detail::compare<CompareOp::gt, M>(std::forward<V>(v));
}
template <auto M, class V>
constexpr auto operator>=(Column<M>, V&& v) {
  return detail::compare<CompareOp::ge, M>(std::forward<V>(v));
}

template <condition L, condition R>
constexpr auto operator&&(L lhs, R rhs) {
  return Junction<L, R, true>{std::move(lhs), std::move(rhs)};
}
template <condition L, condition R>
constexpr auto operator||(L lhs, R rhs) {
  return Junction<L, R, false>{std::move(lhs), std::move(rhs)};
}

}  // namespace ctorm
