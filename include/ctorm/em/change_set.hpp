#pragma once
// What a flush does to one entity, as lifecycle hooks see it: `before_update(ctorm::ChangeSet<User>&)`
// can ask whether the password changed before hashing it.
#include <cstddef>
#include <cstdint>

#include "../model/entity.hpp"
#include "../reflect/member_pointer.hpp"

namespace ctorm {

enum class ChangeKind : unsigned char { create, update, remove };

template <class T>
class ChangeSet {
 public:
  ChangeSet(T& entity, ChangeKind kind, std::uint64_t columns) noexcept
      : entity_(entity), kind_(kind), columns_(columns) {}

  T& entity() const noexcept { return entity_; }
  ChangeKind kind() const noexcept { return kind_; }
  // A bit per column (in ctorm's column order) that the flush writes.
  std::uint64_t changed_columns() const noexcept { return columns_; }

  // Whether the flush writes this field: every field of a new entity, the changed ones of an update.
  template <auto Member>
  bool changed() const noexcept {
    static_assert(std::is_same_v<detail::member_class<Member>, T>, "ctorm: ChangeSet<T>::changed takes a member of T");
    constexpr std::size_t column = detail::column_of_field<T>(detail::field_index<Member>);
    static_assert(column != detail::no_field, "ctorm: ChangeSet<T>::changed takes a field that is a column");
    if constexpr (column == detail::no_field)
      return false;
    else
      return (columns_ >> column) & 1u;
  }

 private:
  T& entity_;
  ChangeKind kind_;
  std::uint64_t columns_;
};

namespace detail {

// Lifecycle hooks are member functions an entity may declare, with or without the change set.
#define CTORM_DETAIL_HOOK(name)                                           \
  template <class T>                                                      \
  void call_##name(T& e, ChangeSet<T>& cs) {                              \
    if constexpr (requires { e.name(cs); })                               \
      e.name(cs);                                                         \
    else if constexpr (requires { e.name(); })                            \
      e.name();                                                           \
  }                                                                       \
  template <class T>                                                      \
  inline constexpr bool has_##name = requires(T & e, ChangeSet<T> & cs) { e.name(cs); } || requires(T & e) { e.name(); };

CTORM_DETAIL_HOOK(before_create)
CTORM_DETAIL_HOOK(after_create)
CTORM_DETAIL_HOOK(before_update)
CTORM_DETAIL_HOOK(after_update)
CTORM_DETAIL_HOOK(before_delete)
CTORM_DETAIL_HOOK(after_delete)
#undef CTORM_DETAIL_HOOK

}  // namespace detail
}  // namespace ctorm
