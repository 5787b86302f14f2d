#!/usr/bin/env bash
# Installs everything ctorm needs to build and test on Debian 12 (bookworm).
# Runs as root (CI) or through sudo when available.
set -euo pipefail

packages=(
  build-essential
  cmake
  g++
  clang
  libclang-rt-14-dev  # clang's sanitizer runtimes (the tsan tree): only a Recommends of clang-14's packages
  libboost1.81-dev
  libsqlite3-dev
  catch2
  nlohmann-json3-dev
  time  # GNU time, for bench/compile_time/run.sh (C1)
  libcli11-dev   # CLI11, for the command line (ctorm::cli, <ctorm/cli.hpp>)
  libpq-dev      # the PostgreSQL backend's client library (ctorm::postgres)
  postgresql-15  # the test server: initdb, pg_ctl, postgres in /usr/lib/postgresql/15/bin (psql, pg_isready
                 # through its dependency postgresql-client-15); scripts/pg_server.sh runs a private one
)

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup.sh: must run as root, or sudo must be installed" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
