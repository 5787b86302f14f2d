#!/usr/bin/env bash
# Builds and runs the blog example (examples/blog) with g++ in build/gcc. Arguments go to the blog: none for
# a temporary SQLite file, an SQLite file, or a PostgreSQL URI (postgresql://...) [--schema NAME].
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build/gcc \
  -DCMAKE_CXX_COMPILER=g++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCTORM_BUILD_TESTS=ON \
  -DCTORM_BUILD_EXAMPLES=ON
cmake --build build/gcc -j"${CTORM_JOBS:-2}" --target blog
./build/gcc/examples/blog/blog "$@"
