#!/usr/bin/env bash
# Evaluates duizhao-align on the Bible zh-en set (Bertalign's) beside the Gale–Church baseline:
# strict and lax precision, recall and F1, and the median time of BENCH_RUNS runs. Writes the
# report to target/bench-align.txt.
#
# Usage: scripts/bench-align.sh [BENCH_DATA_DIR]
#   BENCH_RUNS=N        timed runs per method (median reported; default 5)
#   DUIZHAO_BENCH_DATA  data directory (default: ../shared/bench-data beside the workspace)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/bench-align.txt"

say() { printf '==> %s\n' "$*" >&2; }

say "building the evaluation (profile bench)"
cargo build --quiet --profile bench --manifest-path "$ROOT/Cargo.toml" -p duizhao-align --example bible
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

mkdir -p "$(dirname "$OUT")"
say "running (report -> ${OUT#"$ROOT"/})"
{
    printf '<!-- %s; %s; %s cores; BENCH_RUNS=%s -->\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        "$(rustc --version)" "$(nproc 2>/dev/null || echo '?')" "${BENCH_RUNS:-5}"
    "$TARGET_DIR/release/examples/bible" "$@"
} | tee "$OUT"
say "report written to $OUT"
