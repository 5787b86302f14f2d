#pragma once
// Compiler switches shared by every ctorm header.

#if defined(__clang__)
#define CTORM_DIAG_PUSH_UNDEFINED_VAR \
  _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wundefined-var-template\"")
#define CTORM_DIAG_POP _Pragma("clang diagnostic pop")
#else
#define CTORM_DIAG_PUSH_UNDEFINED_VAR
#define CTORM_DIAG_POP
#endif

#if defined(__GNUC__)
#define CTORM_LIKELY(x) __builtin_expect(!!(x), 1)
#define CTORM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CTORM_LIKELY(x) (x)
#define CTORM_UNLIKELY(x) (x)
#endif

// Cold paths (building error messages, texts made once): kept out of line so that they are compiled
// once, not into every caller, and out of the hot code's way.
#if defined(__GNUC__)
#define CTORM_COLD [[gnu::cold, gnu::noinline]]
#define CTORM_NOINLINE [[gnu::noinline]]
#else
#define CTORM_COLD
#define CTORM_NOINLINE
#endif

namespace ctorm::detail {
// A false that depends on a template argument, for static_asserts in templates that must not be used.
template <class...>
inline constexpr bool always_false = false;
}  // namespace ctorm::detail
