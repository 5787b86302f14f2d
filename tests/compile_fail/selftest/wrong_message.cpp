// expect: ctorm: selftest message
// Harness self-test (registered with WILL_FAIL): this snippet fails to compile, but with a different
// message, so the compile-fail check must report a failure. Not globbed as a normal compile-fail case.
template <class T>
inline constexpr bool always_false = sizeof(T) == 0;

template <class T>
void reject() {
  static_assert(always_false<T>, "ctorm: some other message");
}

int main() { reject<int>(); }
