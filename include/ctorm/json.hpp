#pragma once
// ctorm::to_json: an entity as JSON (nlohmann::json), with the relations that are loaded as nested
// objects and those that are not as their key. Hidden fields are never written; lazy fields are written
// when the type says they were populated (a Loaded<T, Plan>). Include this header to use it; it needs
// nlohmann/json (Debian: nlohmann-json3-dev).
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <ctime>
#include <string>
#include <unordered_set>

#include "ctorm.hpp"

namespace ctorm {

namespace detail {

inline std::string iso8601(TimePoint t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  long rem = static_cast<long>(ms % 1000);
  if (rem < 0) {
    rem += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%.*s.%03ldZ", static_cast<int>(n), buf, rem);
  return out;
}

template <class F>
nlohmann::json scalar_to_json(const F& v) {
  constexpr MappingKind k = mapping_kind<F>();
  if constexpr (k == MappingKind::optional) {
    return v ? scalar_to_json(*v) : nlohmann::json(nullptr);
  } else if constexpr (k == MappingKind::time) {
    return iso8601(std::chrono::time_point_cast<TimePoint::duration>(v));
  } else if constexpr (k == MappingKind::blob) {
    nlohmann::json a = nlohmann::json::array();
    for (std::byte b : v) a.push_back(static_cast<int>(b));
    return a;
  } else if constexpr (k == MappingKind::enumeration) {
    return static_cast<std::underlying_type_t<F>>(v);
  } else if constexpr (k == MappingKind::user) {
    return scalar_to_json(type_mapping<F>::to_db(v));
  } else {
    return v;
  }
}

class JsonWriter {
 public:
  // Plan: what the type says was populated (void: nothing known; relations are checked at run time).
  template <class T, class Plan>
  nlohmann::json entity(const T& e) {
    if (!visiting_.insert(&e).second) return key_json(e);  // a cycle: the key stands for the entity
    nlohmann::json out = nlohmann::json::object();
    [&]<std::size_t... I>(std::index_sequence<I...>) { (field<T, Plan, I>(e, out), ...); }(
        std::make_index_sequence<field_count<T>>{});
    visiting_.erase(&e);
    return out;
  }

 private:
  template <class T>
  static nlohmann::json key_json(const T& e) {
    return key_of(e);
  }

  template <class Plan, class T, std::size_t I>
  struct SubPlanOf {
    using type = SubPlan<Plan, I>;
  };

  template <class T, class Plan, std::size_t I>
  void field(const T& e, nlohmann::json& out) {
    const auto& v = boost::pfr::get<I>(e);
    using F = std::remove_cvref_t<decltype(v)>;
    const std::string name{field_name<T, I>};
    constexpr FieldRole role = field_role<T, I>();
    if constexpr (role == FieldRole::embedded) {
      nlohmann::json inner = nlohmann::json::object();
      [&]<std::size_t... S>(std::index_sequence<S...>) {
        ((inner[std::string(field_name<F, S>)] = scalar_to_json(boost::pfr::get<S>(v))), ...);
      }(std::make_index_sequence<field_count<F>>{});
      out[name] = std::move(inner);
    } else if constexpr (role == FieldRole::column) {
      constexpr std::size_t c = column_of_field<T>(I);
      constexpr ColumnInfo col = EntityMeta<T>::columns[c];
      if constexpr (col.hidden) {
        return;
      } else {
        if (col.lazy && !Plan_has<Plan>(I)) return;
        out[name] = scalar_to_json(v);
      }
    } else {
      using SubP = typename std::conditional_t<!std::is_void_v<Plan> && Plan_has<Plan>(I), SubPlanOf<Plan, T, I>,
                                               std::type_identity<void>>::type;
      if constexpr (role == FieldRole::collection) {
        if (!v.is_initialized()) return;
        nlohmann::json a = nlohmann::json::array();
        for (const auto* item : v.raw_items()) a.push_back(entity<typename F::value_type, SubP>(*item));
        out[name] = std::move(a);
      } else {
        const auto* ref = [&]() -> const auto* {
          if constexpr (IsOptional<F>::value)
            return v ? &*v : nullptr;
          else
            return &v;
        }();
        if (!ref || !*ref) {
          out[name] = nullptr;
        } else if (ref->is_initialized()) {
          out[name] = entity<ref_target<F>, SubP>(*ref->unchecked());
        } else {
          out[name] = ref->id();
        }
      }
    }
  }

  template <class Plan>
  static constexpr bool Plan_has(std::size_t i) {
    if constexpr (std::is_void_v<Plan>)
      return false;
    else
      return Plan::has(i);
  }

  std::unordered_set<const void*> visiting_;
};

}  // namespace detail

// The entity as JSON: columns by field name (hidden ones left out, lazy ones left out because an entity
// alone does not say whether they were loaded), embedded structs as objects, loaded relations nested
// and unloaded ones as their key, loaded collections as arrays.
template <class T>
nlohmann::json to_json(const T& entity) {
  return detail::JsonWriter{}.entity<T, void>(entity);
}

// The same for what a find with populate returned: the lazy fields it populated are written too.
template <class T, class Plan>
nlohmann::json to_json(const Loaded<T, Plan>& loaded) {
  return detail::JsonWriter{}.entity<T, Plan>(loaded.get());
}

}  // namespace ctorm
