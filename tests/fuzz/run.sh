#!/usr/bin/env bash
# Fuzzes every target (or those named) for SECONDS each (default 60) and prints executions and
# findings per target. Installs cargo-fuzz when missing.
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets: quantity, scenario, manifests, catalog_csv, usage, plan_verify. Seeds are in seeds/<target>
# (committed, read only); the growing corpus goes to corpus/<target>, crashes to
# artifacts/<target>, logs to logs/<target>.log (all ignored by git).
#
# No nightly needed: cargo-fuzz 0.13 builds with the stable compiler when no sanitizer is asked
# for (`-s none`, the default here): libFuzzer's coverage-guided search, debug assertions and
# overflow checks are on; AddressSanitizer is off, which costs little for crates that forbid
# unsafe code. A sanitizer needs -Z flags: FUZZ_SANITIZER=address runs with RUSTC_BOOTSTRAP=1
# (or FUZZ_TOOLCHAIN=nightly). The release build lands in $CARGO_TARGET_DIR (default ./target).
# FUZZ_ARGS adds libFuzzer flags (such as -max_len=4096).
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(quantity scenario manifests catalog_csv usage plan_verify)
sanitizer="${FUZZ_SANITIZER:-none}"
cargo=(cargo)
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
  cargo=(cargo "+${FUZZ_TOOLCHAIN}")
elif [ "$sanitizer" != none ]; then
  export RUSTC_BOOTSTRAP=1
fi

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

nice -n 10 "${cargo[@]}" fuzz build -s "$sanitizer"

mkdir -p logs
summary=()
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(find "artifacts/$t" -type f | wc -l)
  log="logs/$t.log"
  echo "=== $t: ${seconds}s" >&2
  started=$SECONDS
  set +e
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  nice -n 10 "${cargo[@]}" fuzz run -s "$sanitizer" "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  set -e
  took=$((SECONDS - started))
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || true)
  [ -n "$runs" ] || runs=$(grep -Eo '^Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || true)
  crashes=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
  corpus=$(find "corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then
    result="ok"
  else
    result="FAILED (exit $rc; see $log and artifacts/$t)"
    status=1
  fi
  summary+=("$(printf '%-12s %8ss %14s %10s %8s %8s  %s' "$t" "$took" "${runs:-?}" "${rate:-?}" "$corpus" "$crashes" "$result")")
done

printf '%-12s %9s %14s %10s %8s %8s  %s\n' target time executions exec/s corpus crashes result
printf '%s\n' "${summary[@]}"
exit "$status"
