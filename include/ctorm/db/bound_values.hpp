#pragma once
// The values bound to one statement, kept as where they live and how to print them, so that the query
// log and error messages can print them without copying them when bound. A value must outlive the
// statement's use, as every bound value does. Every backend's query keeps one.
#include <string>
#include <vector>

#include "../config.hpp"
#include "value.hpp"

namespace ctorm::detail {

class BoundValues {
 public:
  BoundValues() = default;
  BoundValues(const BoundValues&) = delete;
  BoundValues& operator=(const BoundValues&) = delete;

  // Records the next value; its number (1-based).
  template <class T>
  int add(const T& v) {
    const int i = ++count_;
    if (i <= inline_count)
      printers_[i - 1] = {&v, &print<T>};
    else
      more_.push_back({&v, &print<T>});
    return i;
  }

  int size() const noexcept { return count_; }

  // The values as the log prints them: `1, 'a', null`. Out of line: it was inlined into every statement's
  // use, with the rest of the logging and error paths.
  CTORM_NOINLINE std::string text() const {
    std::string out;
    for (int i = 0; i < count_ && i < inline_count; ++i) printers_[i].fn(out, printers_[i].value);
    for (const auto& p : more_) p.fn(out, p.value);
    return out;
  }

 private:
  struct Printer {
    const void* value;
    void (*fn)(std::string&, const void*);
  };
  template <class T>
  static void print(std::string& out, const void* v) {
    describe_value(out, *static_cast<const T*>(v));
  }

  static constexpr int inline_count = 16;
  int count_ = 0;
  Printer printers_[inline_count];
  std::vector<Printer> more_;
};

}  // namespace ctorm::detail
