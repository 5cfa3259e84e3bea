#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for SECONDS each (default 600), starting from
# the committed seeds in fuzz/seeds/<target> plus whatever fuzz/corpus/<target> gathered in earlier
# runs, then prints each target's executions and coverage. A crash stops that target with the
# input in fuzz/artifacts/<target>/; turn it into a regression test in the crate it is about.
#   cargo install cargo-fuzz      # once
#   SECONDS_PER_TARGET=1800 scripts/fuzz.sh [target …]
# Stable Rust: built with `--sanitizer none` (AddressSanitizer needs nightly); the crates forbid
# unsafe code, so what a sanitizer would add is in their dependencies.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${SECONDS_PER_TARGET:-600}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  echo "== $t for ${seconds}s"
  log="$(mktemp)"
  status=0
  cargo fuzz run -s none -O "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  grep -a -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+ +DONE|SUMMARY|panicked" "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "   FAILED (exit $status); the end of its output:"
    tail -n 20 "$log" | sed 's/^/   | /'
  fi
  rm -f "$log"
  echo "   corpus: $(ls "corpus/$t" | wc -l) inputs"
done
