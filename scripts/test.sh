#!/usr/bin/env bash
# Configures, builds and tests ctorm in four trees (the first three one per build type), each with -Wall -Wextra -Werror:
#   build/gcc    g++,     Release, with the benchmarks (bench_smoke checks every workload at 1 % size)
#   build/clang  clang++, RelWithDebInfo
#   build/asan   g++,     Debug, -DCTORM_SANITIZE=ON (ASan + UBSan)
#   build/tsan   clang++, RelWithDebInfo, -DCTORM_SANITIZE=thread (TSan): builds and runs test_threads only
# Every tree needs libpq (-DCTORM_POSTGRES=ON), so that a machine without it fails instead of skipping the
# PostgreSQL tests. The gcc and asan trees also build every portable test a second time against PostgreSQL
# (<stem>_pg); the clang and tsan trees do not (-DCTORM_TEST_POSTGRES_VARIANTS=OFF), which keeps the run
# within CI's time: the second copies cost as much to build as the first.
# Release (-O3) is where GCC's flow-based warnings (-Wrestrict, -Wstringop-*, -Wmaybe-uninitialized) see
# the most inlined code, so one tree builds it.
# Every tree is tried even if an earlier one fails; exits non-zero if any step of any tree failed.
# The PostgreSQL tests find their server through CTORM_TEST_PG (a libpq URI). When the caller has not set it,
# one private server (scripts/pg_server.sh) runs for the whole run, in a temporary directory, and is
# stopped when the script exits, also on a failure or Ctrl-C; every tree's ctest inherits the variable.
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
    -DCTORM_POSTGRES=ON \
    -DCTORM_CLI=ON \
    "$@" &&
  echo "=== ${name}: build ===" &&
  cmake --build "${dir}" -j"${jobs}" ${only:+--target "${only}"} &&
  echo "=== ${name}: test ===" &&
  ctest --test-dir "${dir}" --output-on-failure -j"${jobs}" ${only:+-R "^${only}\$"}
}

run_tree() {
  case "$1" in
    gcc)   configure_build_test gcc   g++     Release -DCTORM_BUILD_BENCH=ON ;;
    clang) configure_build_test clang clang++ RelWithDebInfo -DCTORM_TEST_POSTGRES_VARIANTS=OFF ;;
    asan)  configure_build_test asan  g++     Debug -DCTORM_SANITIZE=ON ;;
    tsan)  only=test_threads configure_build_test tsan clang++ RelWithDebInfo -DCTORM_SANITIZE=thread \
             -DCTORM_TEST_POSTGRES_VARIANTS=OFF ;;
    *) echo "test.sh: unknown tree '$1' (gcc, clang, asan, tsan)" >&2; return 2 ;;
  esac
}

pg_dir=
stop_pg_server() {
  if [[ -n ${pg_dir} ]]; then
    bash scripts/pg_server.sh stop "${pg_dir}" || echo "test.sh: could not stop the server in ${pg_dir}" >&2
    pg_dir=
  fi
}
if [[ -z ${CTORM_TEST_PG:-} ]]; then
  trap stop_pg_server EXIT
  trap 'exit 130' INT    # exit runs the EXIT trap
  trap 'exit 143' TERM
  # Under /tmp rather than $TMPDIR: the postgres OS user must reach it, and the socket path must be short.
  pg_dir=$(mktemp -d /tmp/ctorm_pg.XXXXXX)
  echo "=== PostgreSQL: private server in ${pg_dir} ==="
  bash scripts/pg_server.sh start "${pg_dir}" >/dev/null
  # shellcheck source=/dev/null
  source "${pg_dir}/env"   # export CTORM_TEST_PG=...
else
  echo "=== PostgreSQL: the caller's server ==="
fi
echo "CTORM_TEST_PG=${CTORM_TEST_PG}"

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
