// expect: ctorm: selftest message
// This snippet tests the compile-fail harness itself (cmake/ctorm_compile_fail.cmake), not ctorm: it must
// fail to compile with exactly the message above. Real must-not-compile cases for ctorm sit next to it.
#include <type_traits>

template <class T>
inline constexpr bool false_v = !std::is_same_v<T, T>;   // dependent, so only fires on instantiation

template <class T>
void reject() {
  static_assert(false_v<T>, "ctorm: selftest message");
}

int main() { reject<int>(); }
