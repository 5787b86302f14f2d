#!/usr/bin/env bash
# C1 of ../../../shared/bench/WORKLOADS.md: compile time and compiler peak memory of one translation unit
# that declares the four blog entities and runs 20 typical queries, raw sqlite3 (raw_tu.cpp) vs ctorm
# (ctorm_tu.cpp, skipped with a message while it does not exist).
#
# usage: bench/compile_time/run.sh [-n REPS] [--check]
#   -n REPS   compile each TU REPS times, report the median wall time and median peak memory (default 5)
#   --check   first build each TU into a program (linked with -lsqlite3) and run it: it must exit 0
# environment: CXX (default g++), CXXFLAGS_EXTRA (added to every compile, default empty)
#
# Each measurement is: /usr/bin/time -f '%e %M %U %S' $CXX -std=c++20 -O2 -I<repo>/include -c FILE -o /dev/null
# (%e wall seconds, %M peak resident set of the compiler in KB; %U + %S, the compiler's CPU seconds, are
# reported too: unlike wall time they hardly move when other jobs load the machine).
# Needs GNU time: apt-get install time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cxx="${CXX:-g++}"
reps=5
check=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) reps="${2:?-n needs a number}"; shift 2 ;;
    --check) check=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -n needs a positive number" >&2; exit 2; }

if [[ ! -x /usr/bin/time ]]; then
  echo "run.sh: /usr/bin/time (GNU time) is missing: install the 'time' package (apt-get install time)" >&2
  exit 2
fi
command -v "$cxx" >/dev/null || { echo "run.sh: compiler '$cxx' not found" >&2; exit 2; }

flags=(-std=c++20 -O2 -I"$repo/include")
# shellcheck disable=SC2206
[[ -n "${CXXFLAGS_EXTRA:-}" ]] && flags+=(${CXXFLAGS_EXTRA})

tus=(raw_tu.cpp ctorm_tu.cpp)
present=()
for tu in "${tus[@]}"; do
  if [[ -f "$here/$tu" ]]; then
    present+=("$tu")
  else
    echo "run.sh: $tu does not exist yet, skipped"
  fi
done
[[ ${#present[@]} -gt 0 ]] || { echo "run.sh: nothing to measure" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ $check -eq 1 ]]; then
  for tu in "${present[@]}"; do
    if ! "$cxx" "${flags[@]}" "$here/$tu" -o "$work/prog" -lsqlite3 2>"$work/err"; then
      echo "run.sh: $tu does not build into a program:" >&2; cat "$work/err" >&2; exit 1
    fi
    if ! "$work/prog" >"$work/out" 2>&1; then
      echo "run.sh: $tu built but its program failed:" >&2; cat "$work/out" >&2; exit 1
    fi
    echo "check $tu: $(tail -n 1 "$work/out")"
  done
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A wall_of cpu_of mem_of
echo "compiler: $("$cxx" --version | head -n 1)"
echo "command:  /usr/bin/time -f '%e %M %U %S' $cxx ${flags[*]} -c FILE -o /dev/null   (median of $reps)"
for tu in "${present[@]}"; do
  : >"$work/walls"; : >"$work/cpus"; : >"$work/mems"
  for ((i = 0; i < reps; ++i)); do
    if ! /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$cxx" "${flags[@]}" -c "$here/$tu" -o /dev/null 2>"$work/err"; then
      echo "run.sh: $tu does not compile:" >&2; cat "$work/err" >&2; exit 1
    fi
    read -r wall mem usr sys < <(tail -n 1 "$work/time")
    echo "$wall" >>"$work/walls"; echo "$mem" >>"$work/mems"
    awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }' >>"$work/cpus"
  done
  wall_of[$tu]="$(median <"$work/walls")"
  cpu_of[$tu]="$(median <"$work/cpus")"
  mem_of[$tu]="$(median <"$work/mems")"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
printf '\n%-14s | %8s | %8s | %10s\n' "TU" "wall s" "cpu s" "peak KB"
printf '%s\n' "---------------+----------+----------+-----------"
for tu in "${present[@]}"; do
  printf '%-14s | %8.2f | %8.2f | %10d\n' "$tu" "${wall_of[$tu]}" "${cpu_of[$tu]}" "${mem_of[$tu]%.*}"
done
if [[ -n "${wall_of[ctorm_tu.cpp]:-}" && -n "${wall_of[raw_tu.cpp]:-}" ]]; then
  printf '%-14s | %8s | %8s | %10s\n' "ctorm / raw" \
    "$(ratio "${wall_of[ctorm_tu.cpp]}" "${wall_of[raw_tu.cpp]}")" \
    "$(ratio "${cpu_of[ctorm_tu.cpp]}" "${cpu_of[raw_tu.cpp]}")" \
    "$(ratio "${mem_of[ctorm_tu.cpp]}" "${mem_of[raw_tu.cpp]}")"
else
  echo "(ratio ctorm / raw: needs ctorm_tu.cpp)"
fi
