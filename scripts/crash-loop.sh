#!/usr/bin/env bash
# Kill -9 loop: the crash-safety tests of tests/security/storage.rs with many more rounds, on an
# optimised build. Each round starts `duizhao serve` (or `duizhao import`), kills it with SIGKILL
# at a random moment, and checks SQLite's integrity, every acknowledged write, and that every
# article present is whole.
#   ROUNDS=50 scripts/crash-loop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DUIZHAO_CRASH_ROUNDS="${ROUNDS:-50}"
# Enough articles that an optimised import is still running when it is killed.
export DUIZHAO_CRASH_ARTICLES="${ARTICLES:-2000}"
cargo test --release -p duizhao --test security storage -- --nocapture --test-threads 1 2>&1 \
  | grep -E "round|killed|^test |test result"
