#!/bin/sh
# Runs every libFuzzer target of fuzz/ for a set time: `make fuzz`
# (FUZZ_SECONDS per target, default 60). Each starts from a scratch copy of
# its seed corpus plus its regression inputs, so the repository is not
# touched; FUZZ_MERGE=1 afterwards merges the new inputs that add coverage
# into fuzz/corpus/<target>/. Crashes are kept in var/fuzz/<target>/.
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
set -eu
build=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
targets=${*:-$(ls "$root/fuzz/corpus")}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
crashes=0
printf '%-14s %8s %12s %10s %8s  %s\n' target seconds executions execs/s corpus result
for t in $targets; do
  exe="$root/$build/fuzz/fuzz_$t"
  [ -x "$exe" ] || { echo "$exe missing: run make build-fuzz" >&2; exit 1; }
  mkdir -p "$scratch/$t" "$root/var/fuzz/$t" "$root/fuzz/regressions/$t"
  cp "$root/fuzz/corpus/$t/"* "$scratch/$t/"
  dict=""
  [ -f "$root/fuzz/$t.dict" ] && dict="-dict=$root/fuzz/$t.dict"
  result=ok
  # shellcheck disable=SC2086
  "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$root/var/fuzz/$t/" \
    $dict "$scratch/$t" "$root/fuzz/regressions/$t" >"$scratch/$t.log" 2>&1 || result=CRASH
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$t.log")
  size=$(ls "$scratch/$t" | wc -l)
  printf '%-14s %8s %12s %10s %8s  %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$size" "$result"
  if [ "$result" != ok ]; then
    crashes=$((crashes + 1))
    grep -m3 -E 'ERROR|runtime error|invariant broken' "$scratch/$t.log" >&2 || tail -20 "$scratch/$t.log" >&2
    ls "$root/var/fuzz/$t/" >&2
  fi
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    "$exe" -merge=1 "$root/fuzz/corpus/$t" "$scratch/$t" >/dev/null 2>&1
  fi
done
[ "$crashes" = 0 ] || { echo "$crashes target(s) crashed: see var/fuzz/" >&2; exit 1; }
