#!/usr/bin/env bash
# Builds the fuzz targets (release, nightly, debug assertions on) and runs each for SECONDS.
# The decode targets start from tests/fixtures/*.json. Prints the executions each target
# reached; exits non-zero when any target crashes (the input is kept in fuzz/artifacts/).
#
# Usage: fuzz/run.sh SECONDS
set -euo pipefail

seconds=${1:?usage: fuzz/run.sh SECONDS}
cd "$(dirname "${BASH_SOURCE[0]}")/.."

targets=(start_response state_response urls poller)
# The core forbids unsafe code: what the fuzzer looks for is panics and broken invariants,
# so no sanitizer, which leaves more executions per second.
flags=(--release --debug-assertions --sanitizer none)

cargo +nightly fuzz build "${flags[@]}"

# Seeds in the decode targets' layout: the status (two bytes, big-endian) the file name
# gives (200 unless it says otherwise), then the body.
seed() {
  local corpus=$1 fixture name status
  mkdir -p "$corpus"
  for fixture in tests/fixtures/*.json; do
    name=$(basename "$fixture" .json)
    status=$(grep -oE -- '-[1-5][0-9]{2}-' <<<"$name" | tr -d - || true)
    status=${status:-200}
    { printf "\\x$(printf %02x $((status >> 8)))\\x$(printf %02x $((status & 255)))"; cat "$fixture"; } \
      >"$corpus/fixture-$name"
  done
}

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=()
for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  case $target in start_response | state_response) seed "$corpus" ;; esac
  log=$logs/$target.log
  if cargo +nightly fuzz run "${flags[@]}" "$target" "$corpus" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    outcome=ok
  else
    outcome=CRASH
    failed+=("$target")
    tail -n 40 "$log"
  fi
  executions=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log")
  printf '%-15s %-5s %s executions in %s s\n' "$target" "$outcome" "${executions:-?}" "$seconds"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
