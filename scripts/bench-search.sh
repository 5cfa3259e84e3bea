#!/usr/bin/env bash
# Search at scale: generate a synthetic publication (default 100,000 bilingual articles) on
# SQLite, build the search index from scratch, and measure search latency (median and p99 over
# 200 fixed queries in English, Simplified and Traditional Chinese).
#
#   BENCH_ARTICLES=N    articles to generate (default 100000)
#   BENCH_DIR=DIR       where the publication lives (default target/bench-search); kept between
#                       runs: delete it to regenerate
# The report is printed and written to target/bench-search.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_ARTICLES:-100000}"
DIR="${BENCH_DIR:-target/bench-search/$N}"
REPORT=target/bench-search.txt

echo "==> cargo build --release -p duizhao"
cargo build --release --locked -p duizhao
BIN=target/release/duizhao

if [ ! -f "$DIR/duizhao.db" ]; then
  echo "==> generating $N articles into $DIR"
  mkdir -p "$DIR"
  "$BIN" bench-gen --articles "$N" --data-dir "$DIR"
else
  echo "==> reusing the publication in $DIR"
fi

echo "==> building the index from scratch"
rm -rf "$DIR/search"
start=$(date +%s.%N)
reindex_out=$("$BIN" reindex --data-dir "$DIR")
end=$(date +%s.%N)
echo "$reindex_out"

echo "==> searching"
search_out=$("$BIN" bench-search --data-dir "$DIR")

{
  echo "Duizhao search at scale"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine:  $(nproc) CPUs; load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "corpus:   $N synthetic bilingual articles (duizhao bench-gen), SQLite"
  echo "index:    $reindex_out"
  echo "          wall time including start-up: $(awk "BEGIN{printf \"%.1f\", $end - $start}") s"
  echo "$search_out"
} | tee "$REPORT"
