#pragma once
// What an expression is. Columns, values, comparisons, aggregates, sub-queries and raw SQL fragments are
// all expression types with the same two sides:
//   template <class Ctx, class W> static constexpr void write_sql(W&)   its SQL text, from its type alone
//   template <class Q> void bind(Q&) const                              its values, in the text's order
// so the text of a whole query is made at compile time from the query's type, and only values cross at
// run time. An expression whose text depends on a run-time size (an `in` list) also declares
//   static constexpr std::size_t dynamic_count;                        how many sizes its text needs
//   template <class S> void collect_sizes(S&) const;                   those sizes, in the text's order
// and its statement is built once per shape and size instead (see query/statement.hpp).
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../db/type_mapping.hpp"
#include "../model/entity.hpp"

namespace ctorm {

// The value type of raw SQL whose type was not declared (ctorm::sql<"...">): type checks are left to the
// user, as they are for the text itself.
struct Untyped {};

namespace detail {
template <class E>
concept is_expression = requires { typename E::ctorm_expression; };
}  // namespace detail

// A column, value, comparison, aggregate, sub-query or SQL fragment.
template <class E>
concept expression = detail::is_expression<std::remove_cvref_t<E>>;

// The C++ type of an expression's value (bool for a condition, the field's type for a column).
template <class E>
using value_type_t = typename std::remove_cvref_t<E>::value_type;

// An expression that can be a `where` or `having`: a condition, a bool column, or untyped raw SQL.
template <class C>
concept condition = expression<C> && (std::same_as<value_type_t<C>, bool> || std::same_as<value_type_t<C>, Untyped>);

namespace detail {

template <class T>
struct NonNull {
  using type = T;
};
template <class T>
struct NonNull<std::optional<T>> {
  using type = T;
};
template <class T>
using non_null_t = typename NonNull<T>::type;

// What a column's values are compared and read as: a relation (Ref<X>) as its target's key, anything
// else as itself, NULL aside.
template <class T>
struct ComparedAs {
  using type = non_null_t<T>;
};
template <class T>
  requires(!std::is_void_v<ref_target<T>>)
struct ComparedAs<T> {
  using type = typename ComparedAs<typename PrimaryKeyFieldOf<ref_target<T>>::type>::type;
};
template <class T>
using compared_as_t = typename ComparedAs<T>::type;

// How many run-time sizes the text of E depends on (0: the text is a compile-time constant).
template <class E>
consteval std::size_t dynamic_count_of() {
  if constexpr (requires { E::dynamic_count; })
    return E::dynamic_count;
  else
    return 0;
}
template <class E>
inline constexpr std::size_t dynamic_count_v = dynamic_count_of<std::remove_cvref_t<E>>();

template <class E, class S>
void collect_sizes(const E& e, S& s) {
  if constexpr (dynamic_count_v<E> > 0) e.collect_sizes(s);
}

// Nothing: an absent part of a query (no where, no limit, ...). Writes and binds nothing.
struct Nothing {
  template <class Ctx, class W>
  static constexpr void write_sql(W&) {}
  template <class Q>
  void bind(Q&) const {}
};

// A condition written as an operand of another operator (`("age" > ?) = ?`, `not ("age" > ?)`) goes in
// parentheses: SQL's precedence of `=`, `is`, `like`, `in`, `between` and `not` is not C++'s.
template <class E>
concept predicate_expression = requires { E::is_predicate; };

template <class Ctx, class E, class W>
constexpr void write_operand(W& w) {
  if constexpr (predicate_expression<E>) {
    w.put('(');
    E::template write_sql<Ctx>(w);
    w.put(')');
  } else {
    E::template write_sql<Ctx>(w);
  }
}

// --- type rules ------------------------------------------------------------------------------------

// What a value is, for the purpose of comparing and reading: numbers compare with numbers, text with
// text; enums, time points, blobs and user-mapped types only with their own type.
enum class ValueClass : unsigned char { other, boolean, integer, real, text, untyped };

template <class T>
consteval ValueClass value_class() {
  using B = compared_as_t<T>;
  if constexpr (std::is_same_v<B, Untyped>)
    return ValueClass::untyped;
  else {
    constexpr MappingKind k = mapping_kind<B>();
    if constexpr (k == MappingKind::boolean) return ValueClass::boolean;
    else if constexpr (k == MappingKind::integer) return ValueClass::integer;
    else if constexpr (k == MappingKind::real) return ValueClass::real;
    else if constexpr (k == MappingKind::text) return ValueClass::text;
    else return ValueClass::other;
  }
}

// Whether a column (or other expression) of type F may be compared with a C++ value of type V.
template <class F, class V>
consteval bool comparable() {
  using B = compared_as_t<F>;
  using U = std::remove_cvref_t<V>;
  if constexpr (!std::is_void_v<ref_target<F>> && (std::is_same_v<U, ref_target<F>> || std::is_same_v<U, Ref<ref_target<F>>>)) {
    return true;  // a relation compared with its target (or a Ref to it): by the target's key
  } else if constexpr (std::is_same_v<B, Untyped>) {
    return std::is_convertible_v<const U&, std::string_view> || mapped_type<U>;
  } else {
    constexpr MappingKind k = mapping_kind<B>();
    if constexpr (k == MappingKind::user || k == MappingKind::enumeration || k == MappingKind::time ||
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
}

// Whether two expressions of types A and B may be compared (a column with a column, a sub-query, ...).
template <class A, class B>
consteval bool compatible() {
  constexpr ValueClass a = value_class<A>(), b = value_class<B>();
  if constexpr (a == ValueClass::untyped || b == ValueClass::untyped)
    return true;
  else if constexpr ((a == ValueClass::integer || a == ValueClass::real) &&
                     (b == ValueClass::integer || b == ValueClass::real))
    return true;
  else if constexpr (a == ValueClass::other || b == ValueClass::other)
    return std::is_same_v<compared_as_t<A>, compared_as_t<B>>;
  else
    return a == b;
}

// Whether a result of type V may be read into a field of type F. NULL reads as F's empty value unless F
// is a std::optional; an integer may be read into a floating-point field, not the other way round.
template <class V, class F>
consteval bool readable_into() {
  if constexpr (is_nullable<F>) {
    return readable_into<V, typename F::value_type>();
  } else if constexpr (!mapped_type<F> || mapping_kind<F>() == MappingKind::ref) {
    return false;  // a Ref is bound to the identity map: read the key into an integer field instead
  } else {
    constexpr ValueClass v = value_class<V>(), f = value_class<F>();
    if constexpr (v == ValueClass::untyped)
      return true;
    else if constexpr (v == ValueClass::integer)
      return f == ValueClass::integer || f == ValueClass::real;
    else if constexpr (v == ValueClass::other || f == ValueClass::other)
      return std::is_same_v<compared_as_t<V>, F>;
    else
      return v == f;
  }
}

template <class T>
inline constexpr bool is_numeric_v =
    value_class<T>() == ValueClass::integer || value_class<T>() == ValueClass::real ||
    value_class<T>() == ValueClass::untyped;

// How a value compared with an expression of type F is held and bound: strings are copied (a condition
// may outlive the caller's buffer), everything else is held as the column's own type.
template <class F>
using condition_value_t = std::conditional_t<mapping_kind<compared_as_t<F>>() == MappingKind::text, std::string,
                                              compared_as_t<F>>;

// How a value of C++ type V is held where no column type tells (raw SQL arguments).
template <class V>
using stored_value_t =
    std::conditional_t<std::is_convertible_v<const std::remove_cvref_t<V>&, std::string_view> &&
                           !mapped_type<std::remove_cvref_t<V>>,
                       std::string, std::remove_cvref_t<V>>;

// A value bound as a parameter: `?`.
template <class T>
struct Param {
  using ctorm_expression = void;
  using value_type = T;
  T value;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    w.placeholder();
  }
  template <class Q>
  void bind(Q& q) const {
    q.bind(value);
  }
};

template <class F, class V>
using operand_value_t =
    std::conditional_t<std::is_same_v<non_null_t<F>, Untyped>, stored_value_t<V>, condition_value_t<F>>;

// The expression for a value compared with an expression of type F: the value itself when it is an
// expression, else a parameter of the column's type.
template <class F, class V>
constexpr auto operand_for(V&& v) {
  using U = std::remove_cvref_t<V>;
  if constexpr (expression<V>) {
    return U(std::forward<V>(v));
  } else if constexpr (!std::is_void_v<ref_target<F>> && std::is_same_v<U, ref_target<F>>) {
    return Param<condition_value_t<F>>{condition_value_t<F>(primary_key_ref(v))};  // an entity: its key
  } else if constexpr (!std::is_void_v<ref_target<F>> && std::is_same_v<U, Ref<ref_target<F>>>) {
    return Param<condition_value_t<F>>{condition_value_t<F>(v.id())};  // a Ref: its target's key
  } else {
    return Param<operand_value_t<F, V>>{operand_value_t<F, V>(std::forward<V>(v))};
  }
}

template <class F, class V>
consteval bool operand_fits() {
  if constexpr (expression<V>)
    return compatible<F, value_type_t<V>>();
  else
    return comparable<F, V>();
}

// A sub-expression held by reference: the entity manager's find(where, ...) builds a query around the
// caller's condition without copying its values. Same text as E.
template <class E>
struct Borrowed {
  using ctorm_expression = void;
  using value_type = value_type_t<E>;
  static constexpr std::size_t dynamic_count = dynamic_count_v<E>;
  const E* ptr;

  template <class Ctx, class W>
  static constexpr void write_sql(W& w) {
    E::template write_sql<Ctx>(w);
  }
  template <class Q>
  void bind(Q& q) const {
    ptr->bind(q);
  }
  template <class S>
  void collect_sizes(S& s) const {
    detail::collect_sizes(*ptr, s);
  }
};

template <class E>
constexpr Borrowed<E> borrow(const E& e) {
  return Borrowed<E>{&e};
}

}  // namespace detail
}  // namespace ctorm
