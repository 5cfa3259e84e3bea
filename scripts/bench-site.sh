#!/usr/bin/env bash
# Load benchmark for the reader site: `duizhao serve --demo` against nginx serving the same page
# as a static file, both loaded with wrk in the same run. Writes the report to
# target/bench-site.txt.
#
# Usage: scripts/bench-site.sh
#   BENCH_RUNS=N         measurements per server, alternating ours/nginx (default 3; medians reported)
#   BENCH_DURATION=15s   wrk duration per measurement
#   BENCH_CONNECTIONS=64 BENCH_THREADS=2
#   BENCH_PATH=/zh-hant/articles/youth-first-jobs/dual   the page
#   BENCH_SKIP_BUILD=1   use the existing target/release/duizhao
#
# Installs Debian's nginx-light and wrk when they are missing (needs root or passwordless sudo).
# Logging is set to RUST_LOG=warn for the run: at the default level the server writes one log
# line per request, which costs throughput.
#
# Targets: ours >= 50% of nginx's requests/s, and our p99 latency under 10 ms.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$ROOT/target/bench-site.txt"
RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
PAGE="${BENCH_PATH:-/zh-hant/articles/youth-first-jobs/dual}"

say() { printf '==> %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- tools ---------------------------------------------------------------------------------
install_packages() {
    local missing=() sudo=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null ||
            die "${missing[*]} missing and no root: apt-get install -y ${missing[*]}"
        sudo=(sudo -n)
    fi
    command -v apt-get >/dev/null 2>&1 || die "${missing[*]} missing and no apt-get"
    export DEBIAN_FRONTEND=noninteractive
    say "apt-get install -y ${missing[*]}"
    if ! "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; then
        say "install failed; retrying after apt-get update"
        "${sudo[@]}" apt-get update -qq
        "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
install_packages
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# --- processes and cleanup -----------------------------------------------------------------
WORK="$(mktemp -d)"
APP_PID=""
NGINX_PID=""
cleanup() {
    local pid
    for pid in "$APP_PID" "$NGINX_PID"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # URL PID NAME LOG
    local i
    for i in $(seq 1 200); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { cat "$4" >&2; die "$3 exited before answering"; }
        sleep 0.1
    done
    cat "$4" >&2
    die "$3 did not answer $1 within 20 s"
}

# --- our server ----------------------------------------------------------------------------
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    say "cargo build --release -p duizhao"
    (cd "$ROOT" && cargo build --release --quiet -p duizhao)
fi
BIN="$TARGET_DIR/release/duizhao"
[ -x "$BIN" ] || die "$BIN not built"

APP_PORT="$(free_port)"
mkdir -p "$WORK/data"
say "starting duizhao serve --demo on 127.0.0.1:$APP_PORT (RUST_LOG=warn)"
RUST_LOG=warn "$BIN" serve --demo --data-dir "$WORK/data" --listen "127.0.0.1:$APP_PORT" \
    >"$WORK/app.log" 2>&1 &
APP_PID=$!
APP_URL="http://127.0.0.1:$APP_PORT$PAGE"
wait_for "http://127.0.0.1:$APP_PORT/healthz" "$APP_PID" duizhao "$WORK/app.log"

# --- the same page as a static file under nginx --------------------------------------------
chmod 755 "$WORK" # nginx's workers run as an unprivileged user when started as root
mkdir -p "$WORK/www$(dirname "$PAGE")" "$WORK/nginx"
curl -fsS -o "$WORK/www$PAGE" "$APP_URL" || die "cannot fetch $APP_URL"
chmod -R a+rX "$WORK/www"
PAGE_BYTES="$(wc -c <"$WORK/www$PAGE")"

NGINX_PORT="$(free_port)"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    # wrk keeps its connections open, and hyper never closes a kept-alive one; do not make
    # nginx reconnect every 1,000 requests either.
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/client_body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    types { }
    default_type "text/html; charset=utf-8";
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
    }
}
CONF
say "starting nginx ($("$NGINX" -v 2>&1 | sed 's/^nginx version: //')) on 127.0.0.1:$NGINX_PORT"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
    -g 'daemon off;' >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT$PAGE"
wait_for "$NGINX_URL" "$NGINX_PID" nginx "$WORK/nginx/error.log"
[ "$(curl -fsS "$NGINX_URL" | wc -c)" -eq "$PAGE_BYTES" ] || die "nginx serves a different page"

# --- measurements --------------------------------------------------------------------------
# Prints "REQUESTS_PER_S P99_MS ERRORS" from one wrk report.
parse_wrk() { # LOGFILE
    awk '
        function to_ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "99%" { p99 = to_ms($2) }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.3f %d\n", rps, p99, errors + 0 }
    ' "$1"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

say "warm-up: 3 s each"
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$APP_URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$NGINX_URL" >/dev/null

declare -a OURS_RPS OURS_P99 NGINX_RPS NGINX_P99
ERRORS=0
TOTAL=$((RUNS * 2))
n=0
for run in $(seq 1 "$RUNS"); do
    for who in ours nginx; do
        n=$((n + 1))
        if [ "$who" = ours ]; then url="$APP_URL"; else url="$NGINX_URL"; fi
        say "run $n/$TOTAL: $who (round $run/$RUNS, wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
        log="$WORK/wrk-$who-$run.txt"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$log" 2>&1 ||
            { cat "$log" >&2; die "wrk failed"; }
        read -r rps p99 errs < <(parse_wrk "$log")
        ERRORS=$((ERRORS + errs))
        printf '    %s: %s requests/s, p99 %s ms%s\n' "$who" "$rps" "$p99" \
            "$([ "$errs" -gt 0 ] && echo ", $errs errors" || true)" >&2
        if [ "$who" = ours ]; then
            OURS_RPS+=("$rps"); OURS_P99+=("$p99")
        else
            NGINX_RPS+=("$rps"); NGINX_P99+=("$p99")
        fi
    done
done
kill -0 "$APP_PID" 2>/dev/null || die "duizhao died during the run"
APP_WARNINGS="$(grep -c . "$WORK/app.log" || true)"

ours_rps="$(printf '%s\n' "${OURS_RPS[@]}" | median)"
ours_p99="$(printf '%s\n' "${OURS_P99[@]}" | median)"
nginx_rps="$(printf '%s\n' "${NGINX_RPS[@]}" | median)"
nginx_p99="$(printf '%s\n' "${NGINX_P99[@]}" | median)"
ratio="$(awk -v a="$ours_rps" -v b="$nginx_rps" 'BEGIN { printf "%.1f", 100 * a / b }')"
tput_ok="$(awk -v r="$ratio" 'BEGIN { print (r >= 50) ? "MEETS" : "MISSES" }')"
p99_ok="$(awk -v p="$ours_p99" 'BEGIN { print (p < 10) ? "MEETS" : "MISSES" }')"

mkdir -p "$(dirname "$OUT")"
{
    echo "Duizhao reader site vs nginx serving the same page as a static file"
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: $(nproc) CPUs, $(uname -sr); $(rustc --version 2>/dev/null || echo rustc ?)"
    echo "nginx:   $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), worker_processes auto, access_log off, sendfile"
    echo "load:    wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $RUNS runs each alternating (ours, nginx, ...); medians"
    echo "page:    $PAGE ($PAGE_BYTES bytes)"
    echo "logging: RUST_LOG=warn for this run; the default level (info) logs one line per request,"
    echo "         which costs throughput"
    echo
    printf '%-8s %14s %12s   %s\n' "server" "requests/s" "p99" "runs (requests/s / p99 ms)"
    runs() { local -n r=$1 p=$2; local i out=""; for i in "${!r[@]}"; do out+="${r[$i]}/${p[$i]}  "; done; echo "$out"; }
    printf '%-8s %14s %9s ms   %s\n' "duizhao" "$ours_rps" "$ours_p99" "$(runs OURS_RPS OURS_P99)"
    printf '%-8s %14s %9s ms   %s\n' "nginx" "$nginx_rps" "$nginx_p99" "$(runs NGINX_RPS NGINX_P99)"
    echo
    echo "ratio (ours/nginx requests/s): $ratio%"
    echo "$tput_ok the throughput target: ours >= 50% of nginx's ($ratio%)"
    echo "$p99_ok the latency target: our p99 < 10 ms ($ours_p99 ms)"
    [ "$ERRORS" -gt 0 ] && echo "WARNING: $ERRORS non-2xx responses or socket errors (see wrk output)"
    [ "${APP_WARNINGS:-0}" -gt 0 ] && echo "note: the server logged $APP_WARNINGS line(s) at warn or above"
    echo
    echo "Caveats: wrk runs on the same $(nproc) CPUs as the server it loads, so both servers share"
    echo "the machine with their load generator; compare the ratio more than the absolute figures."
    spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f", (lo > 0) ? 100 * (hi - lo) / lo : 0 }'; }
    echo "Spread of requests/s between runs (max over min): duizhao $(spread "${OURS_RPS[@]}")%," \
        "nginx $(spread "${NGINX_RPS[@]}")%; above ~20% the machine was busy with other work"
    echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)); re-run on a quiet machine."
} | tee "$OUT"
say "report -> ${OUT#"$ROOT"/}"
