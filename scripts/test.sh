#!/usr/bin/env bash
# Configures, builds and tests ctorm in four trees (the first three one per build type), each with -Wall -Wextra -Werror:
#   build/gcc    g++,     Release, with the benchmarks (bench_smoke checks every workload at 1 % size)
#   build/clang  clang++, RelWithDebInfo
#   build/asan   g++,     Debug, -DCTORM_SANITIZE=ON (ASan + UBSan)
#   build/tsan   clang++, RelWithDebInfo, -DCTORM_SANITIZE=thread (TSan): builds and runs test_threads only
# Release (-O3) is where GCC's flow-based warnings (-Wrestrict, -Wstringop-*, -Wmaybe-uninitialized) see
# the most inlined code, so one tree builds it.
# Every tree is tried even if an earlier one fails; exits non-zero if any step of any tree failed.
# Usage: scripts/test.sh [gcc|clang|asan|tsan ...]   (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${CTORM_JOBS:-2}"

configure_build_test() {
  local name=$1 cxx=$2 build_type=$3
  shift 3
  local dir="build/${name}"
  local only="${only:-}"  # one target to build and test, when the caller sets it
  echo "=== ${name}: configure (${cxx}, ${build_type}) ==="
  cmake -S . -B "${dir}" \
    -DCMAKE_CXX_COMPILER="${cxx}" \
    -DCMAKE_BUILD_TYPE="${build_type}" \
    -DCTORM_BUILD_TESTS=ON \
    -DCTORM_BUILD_EXAMPLES=ON \
    "$@" &&
  echo "=== ${name}: build ===" &&
  cmake --build "${dir}" -j"${jobs}" ${only:+--target "${only}"} &&
  echo "=== ${name}: test ===" &&
  ctest --test-dir "${dir}" --output-on-failure -j"${jobs}" ${only:+-R "^${only}\$"}
}

run_tree() {
  case "$1" in
    gcc)   configure_build_test gcc   g++     Release -DCTORM_BUILD_BENCH=ON ;;
    clang) configure_build_test clang clang++ RelWithDebInfo ;;
    asan)  configure_build_test asan  g++     Debug -DCTORM_SANITIZE=ON ;;
    tsan)  only=test_threads configure_build_test tsan clang++ RelWithDebInfo -DCTORM_SANITIZE=thread ;;
    *) echo "test.sh: unknown tree '$1' (gcc, clang, asan, tsan)" >&2; return 2 ;;
  esac
}

trees=("$@")
if [[ ${#trees[@]} -eq 0 ]]; then
  trees=(gcc clang asan tsan)
fi

failed=()
for tree in "${trees[@]}"; do
  if ! run_tree "${tree}"; then
    failed+=("${tree}")
    echo "=== ${tree}: FAILED ===" >&2
  fi
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "test.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all trees passed (${trees[*]})"
