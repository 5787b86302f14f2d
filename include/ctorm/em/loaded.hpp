#pragma once
// Loaded<T, Plan>: what find returns with a populate request. Its type knows which relations and lazy
// fields were loaded, so reading them through get<&T::field>() needs no check at run time, and reading
// one that was not populated is a compile error (MikroORM's Loaded<T, P>, made airtight). The entity's
// plain members stay available, and Ref/Collection check at run time there.
#include <cstddef>
#include <optional>
#include <vector>

#include "../query/populate.hpp"

namespace ctorm {

template <class T, class Plan>
class Loaded;

// The items of a populated collection, each as Loaded with what was populated under it.
template <class T, class Plan>
class LoadedRange {
 public:
  explicit LoadedRange(const std::vector<T*>& items) : items_(&items) {}
  class iterator {
   public:
    explicit iterator(typename std::vector<T*>::const_iterator it) : it_(it) {}
    Loaded<T, Plan> operator*() const { return Loaded<T, Plan>(*it_); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    typename std::vector<T*>::const_iterator it_;
  };
  iterator begin() const { return iterator(items_->begin()); }
  iterator end() const { return iterator(items_->end()); }
  std::size_t size() const { return items_->size(); }
  bool empty() const { return items_->empty(); }
  Loaded<T, Plan> operator[](std::size_t i) const { return Loaded<T, Plan>((*items_)[i]); }

 private:
  const std::vector<T*>* items_;
};

namespace detail {
CTORM_DIAG_PUSH_UNDEFINED_VAR
template <class Entity, auto Field>
struct FieldWasNotPopulated {
  static_assert(always_false<Entity>,
                "ctorm: reading a relation that this find did not populate (the Field above); add it to "
                "ctorm::populate<...>, or read the entity's member, which checks at run time");
  static constexpr bool value = false;
};
template <class T, std::size_t I>
consteval bool not_populated() {
  using F = field_type<T, I>;
  return FieldWasNotPopulated<T, FieldPointer<F>{&boost::pfr::get<I>(fake_object<T>)}>::value;
}
CTORM_DIAG_POP
}  // namespace detail

template <class T, class Plan>
class Loaded {
 public:
  explicit Loaded(T* entity) noexcept : entity_(entity) {}

  T& get() const noexcept { return *entity_; }
  T& operator*() const noexcept { return *entity_; }
  T* operator->() const noexcept { return entity_; }
  operator T&() const noexcept { return *entity_; }  // NOLINT: a Loaded<T> is a T

  // A populated relation or lazy field: a Ref as Loaded<Target> (std::optional for an optional Ref), a
  // Collection as a LoadedRange, a lazy field as its value.
  template <auto Member>
  decltype(auto) get() const {
    static_assert(std::is_same_v<detail::member_class<Member>, T>, "ctorm: get<&T::field>() takes a member of T");
    constexpr std::size_t i = detail::field_index<Member>;
    constexpr bool lazy_column = [] {
      if constexpr (detail::is_relation<T, i>) {
        return false;
      } else {
        constexpr std::size_t c = detail::column_of_field<T>(i);
        return c != detail::no_field && detail::EntityMeta<T>::columns[c].lazy;
      }
    }();
    if constexpr (!detail::is_relation<T, i> && !lazy_column) {
      static_assert(detail::always_false<T>,
                    "ctorm: get<&T::field>() reads populated relations and lazy fields; read other fields through ->");
      return 0;
    } else if constexpr (!Plan::has(i)) {
      static_assert(detail::not_populated<T, i>());
      return 0;
    } else {
      auto& field = boost::pfr::get<i>(*entity_);
      using F = std::remove_cvref_t<decltype(field)>;
      if constexpr (detail::IsCollection<F>::value) {
        return LoadedRange<typename F::value_type, detail::SubPlan<Plan, i>>(field.raw_items());
      } else if constexpr (detail::IsRef<F>::value && detail::field_role<T, i>() == detail::FieldRole::inverse_ref) {
        // the inverse side of a one-to-one may have no row on the other side
        using L = Loaded<typename detail::IsRef<F>::target, detail::SubPlan<Plan, i>>;
        return field ? std::optional<L>(L(field.unchecked())) : std::optional<L>();
      } else if constexpr (detail::IsRef<F>::value) {
        return Loaded<typename detail::IsRef<F>::target, detail::SubPlan<Plan, i>>(field.unchecked());
      } else if constexpr (!std::is_void_v<detail::ref_target<F>>) {
        using L = Loaded<detail::ref_target<F>, detail::SubPlan<Plan, i>>;
        return field ? std::optional<L>(L(field->unchecked())) : std::optional<L>();
      } else {
        return static_cast<const F&>(field);
      }
    }
  }

 private:
  T* entity_;
};

}  // namespace ctorm
