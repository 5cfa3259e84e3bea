#!/usr/bin/env bash
# Benchmarks duizhao-convert against its peers (zhconv, opencc-fmmseg, ferrous-opencc, Debian's
# opencc CLI) and writes the report to target/bench-convert.txt.
#
# Usage: scripts/bench-convert.sh [BENCH_DATA_DIR]
#   BENCH_RUNS=N   timed runs per throughput figure (median reported; default 5)
#   DUIZHAO_BENCH_DATA  data directory (default: ../shared/bench-data beside the workspace)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench/convert-peers"
OUT="$ROOT/target/bench-convert.txt"

say() { printf '==> %s\n' "$*" >&2; }

# Debian's opencc is the reference C++ implementation; the benchmark skips it (and says so) when
# it is missing, so a failed install must not stop the run.
install_opencc() {
    command -v opencc >/dev/null 2>&1 && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            say "opencc not installed and no root: the benchmark will skip it (apt-get install -y opencc)"
            return 0
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "no apt-get: the benchmark will skip the opencc CLI"
        return 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    # apt-get update is slow; run it only when the package lists do not know opencc, or when an
    # install from stale lists fails.
    if ! apt-cache policy opencc 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        say "apt-get update (package lists do not know opencc)"
        "${sudo[@]}" apt-get update -qq || true
    fi
    say "apt-get install -y opencc"
    if ! "${sudo[@]}" apt-get install -y -qq opencc >/dev/null; then
        say "install failed; retrying after apt-get update"
        "${sudo[@]}" apt-get update -qq || true
        "${sudo[@]}" apt-get install -y -qq opencc >/dev/null ||
            say "could not install opencc: the benchmark will report it as skipped"
    fi
}

install_opencc

say "building bench/convert-peers (release, target dir bench/convert-peers/target)"
cargo build --release --quiet \
    --manifest-path "$BENCH/Cargo.toml" \
    --target-dir "$BENCH/target"

mkdir -p "$(dirname "$OUT")"
say "running (progress on stderr; report -> ${OUT#"$ROOT"/})"
{
    printf '<!-- %s; %s; BENCH_RUNS=%s -->\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(rustc --version)" "${BENCH_RUNS:-5}"
    "$BENCH/target/release/convert-peers" "$@"
} | tee "$OUT"
say "report written to $OUT"
