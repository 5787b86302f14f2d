#!/usr/bin/env bash
# A private, throw-away PostgreSQL 15 server for ctorm's tests and benchmarks.
#
#   scripts/pg_server.sh start DIR   initdb into DIR/data, start the server, create database ctorm_test,
#                                    write DIR/env (`export CTORM_TEST_PG="postgresql://..."`) and print it
#   scripts/pg_server.sh stop DIR    stop the server (fast shutdown) and remove DIR
#
# The server listens on a unix socket in DIR and on 127.0.0.1 at a free port (never assumed to be 5432: a
# system server may run there), with trust authentication for local connections and the superuser
# `postgres`. As root it runs as the `postgres` OS user, since PostgreSQL refuses to run as root; otherwise
# as the current user. It uses the binaries of /usr/lib/postgresql/15/bin (Debian's postgresql-15) and none
# found on PATH. scripts/test.sh starts one for the whole run unless CTORM_TEST_PG is already set.
set -euo pipefail

pg_bin=${CTORM_PG_BIN:-/usr/lib/postgresql/15/bin}
marker=.ctorm_pg_server   # written into DIR by start: stop removes only a directory that has it

die() {
  echo "pg_server.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

# Runs a command as the server's OS user, from a directory that user can enter.
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Prints a port that nothing listens on at 127.0.0.1 now. Another program may still take it before the
# server binds it; start() then tries another one.
pick_port() {
  local port tries
  for ((tries = 0; tries < 50; tries++)); do
    # Below Linux's ephemeral range (32768-60999), where outgoing connections take their ports.
    port=$((15000 + (RANDOM * 32768 + RANDOM) % 17000))
    # A refused connection means the port is free (bash's /dev/tcp, so no extra tool is needed).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      echo "${port}"
      return 0
    fi
  done
  die "no free port found on 127.0.0.1"
}

start() {
  local dir=$1
  [[ -x ${pg_bin}/initdb && -x ${pg_bin}/pg_ctl && -x ${pg_bin}/psql ]] ||
    die "${pg_bin}/initdb, pg_ctl or psql missing: install postgresql-15 (bash scripts/setup.sh)"

  mkdir -p "${dir}"
  dir=$(cd "${dir}" && pwd -P)
  [[ -z $(ls -A "${dir}") ]] || die "${dir} is not empty"
  touch "${dir}/${marker}"
  # The socket's path must fit in sockaddr_un (107 bytes): DIR/.s.PGSQL.NNNNN
  ((${#dir} + 17 <= 107)) || die "${dir} is too long for a unix socket path; use a shorter DIR"

  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' OS user (created by postgresql-15)"
    chown postgres: "${dir}"
    as_server_user test -w "${dir}" ||
      die "the postgres OS user cannot write to ${dir} (is a parent directory closed to it?); use a DIR under /tmp"
  fi
  chmod 755 "${dir}"   # the socket and DIR/env readable by the user running the tests

  # C.UTF-8 exists on every Debian system (unlike en_US.UTF-8), and gives the same collation everywhere.
  as_server_user "${pg_bin}/initdb" -D "${dir}/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"${dir}/initdb.log" 2>&1 ||
    { cat "${dir}/initdb.log" >&2; die "initdb failed"; }

  # The data is thrown away after the run, so durability buys nothing: fsync, synchronous_commit and
  # full_page_writes off make commits and table creation much faster. Tests of 8 threads each, run two at
  # a time by ctest -j2, fit well within 100 connections.
  cat >>"${dir}/data/postgresql.conf" <<EOF

# --- ctorm test server (scripts/pg_server.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
EOF

  local port='' try
  for ((try = 0; try < 5; try++)); do
    port=$(pick_port)
    rm -f "${dir}/server.log"
    if as_server_user "${pg_bin}/pg_ctl" start -D "${dir}/data" -l "${dir}/server.log" -w -t 60 \
         -o "-p ${port}" >/dev/null; then
      break
    fi
    # Another program may have taken the port between pick_port and the server's bind: try another.
    if grep -q 'could not bind\|could not create any TCP/IP sockets' "${dir}/server.log" 2>/dev/null; then
      port=
      continue
    fi
    cat "${dir}/server.log" >&2 || true
    die "pg_ctl start failed"
  done
  [[ -n ${port} ]] || { cat "${dir}/server.log" >&2 || true; die "could not bind a free port"; }

  # pg_ctl -w returns once the server is ready; check that a client gets in, over TCP as the tests do.
  local ready=0 i
  for ((i = 0; i < 100; i++)); do
    if "${pg_bin}/pg_isready" -q -h 127.0.0.1 -p "${port}" -U postgres -d postgres; then
      ready=1
      break
    fi
    sleep 0.1
  done
  ((ready)) || { cat "${dir}/server.log" >&2; die "the server does not accept connections on port ${port}"; }

  "${pg_bin}/psql" -X -q -v ON_ERROR_STOP=1 -h "${dir}" -p "${port}" -U postgres -d postgres \
    -c 'create database ctorm_test' || die "create database ctorm_test failed"

  local uri="postgresql://postgres@127.0.0.1:${port}/ctorm_test"
  echo "export CTORM_TEST_PG=\"${uri}\"" >"${dir}/env"
  echo "${port}" >"${dir}/port"
  echo "pg_server.sh: PostgreSQL $("${pg_bin}/postgres" --version | sed 's/^postgres (PostgreSQL) //') in ${dir}, port ${port}" >&2
  cat "${dir}/env"
}

stop() {
  local dir=$1
  [[ -d ${dir} ]] || { echo "pg_server.sh: ${dir} does not exist, nothing to stop" >&2; return 0; }
  [[ -e ${dir}/${marker} ]] || die "${dir} was not made by 'pg_server.sh start'; not touching it"
  if [[ -f ${dir}/data/postmaster.pid ]] &&
     ! as_server_user "${pg_bin}/pg_ctl" stop -D "${dir}/data" -m fast -w -t 60 >/dev/null; then
    # A server that died leaves its pid file behind: then there is nothing to stop (status 3).
    local status=0
    as_server_user "${pg_bin}/pg_ctl" status -D "${dir}/data" >/dev/null 2>&1 || status=$?
    ((status == 3)) || die "pg_ctl stop failed (${dir}/server.log)"
  fi
  rm -rf "${dir}"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
