// expect: ctorm: selftest message
// Harness self-test (registered with WILL_FAIL): this snippet COMPILES, so the compile-fail check must
// report a failure. Not globbed as a normal compile-fail case.
int main() { return 0; }
