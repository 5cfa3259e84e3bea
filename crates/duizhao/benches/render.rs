//! Render benchmark: one reader page, from the store to the response body, in process.
//!
//! `cargo bench -p duizhao --bench render` builds the site over a fresh SQLite database in a
//! temporary directory with the demo publication loaded, then sends full requests through the
//! router (`tower::ServiceExt::oneshot`, every layer included: trace, timeout, catch-panic,
//! error pages) and reads each body whole. It prints the median, p90 and p99 per page and the
//! verdict against the target: a median of 1 ms or less for an uncached article page.
//!
//! "Uncached" here means there is no response cache anywhere: every request runs the handler,
//! which queries the store (the article, its taxonomy and media, the "more" list) and renders
//! the askama template. SQLite's own page cache and the OS file cache are warm after the
//! warm-up, as they are on a live server; nothing above the database remembers a page.
//!
//! No logging subscriber is installed, so the trace layer's per-request span and event cost
//! next to nothing (as with `RUST_LOG=warn`).
//!
//! Options (environment): `BENCH_ITERS` (default 2000), `BENCH_WARMUP` (default 200).
//! This is a benchmark, not a test: nothing asserts a time.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The target for the article page's median.
const TARGET: Duration = Duration::from_millis(1);

const PAGES: &[(&str, &str)] = &[
    (
        "article, natural mode",
        "/zh-hant/articles/youth-first-jobs",
    ),
    (
        "article, parallel mode",
        "/zh-hant/articles/youth-first-jobs/dual",
    ),
    ("home page", "/zh-hant/"),
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sends one GET through the router and reads the body; returns the body length.
async fn fetch(app: &axum::Router, uri: &str) -> usize {
    let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::OK, "GET {uri}");
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    bytes.len()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

struct Figures {
    name: &'static str,
    median: Duration,
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes no such flag but we are
    // harness = false, so run a short smoke pass there instead of the full measurement.
    let full = std::env::args().any(|a| a == "--bench");
    let iters = if full {
        env_usize("BENCH_ITERS", 2000)
    } else {
        5
    };
    let warmup = if full {
        env_usize("BENCH_WARMUP", 200)
    } else {
        1
    };

    // A current-thread runtime: requests are sequential, and the measurement should not
    // include hops between worker threads (the SQLite driver has its own worker thread
    // per connection either way).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = duizhao::config::SiteConfig::for_test(dir.path());
        config.base_url = "https://news.example".to_owned();
        // Uncached means uncached: without this every timed request after the first is a
        // page-cache hit.
        config.page_cache_seconds = 0;
        config.validate().expect("valid config");
        let state = duizhao::demo::site(config).await.expect("demo site");
        let app = duizhao::web::build_app(state);

        println!(
            "render benchmark: {iters} requests per page after {warmup} warm-up, \
             SQLite in a temp dir, demo publication, no response cache"
        );
        println!(
            "{:<24} {:>8} {:>11} {:>11} {:>11} {:>11}",
            "page", "bytes", "median", "p90", "p99", "max"
        );
        let mut results = Vec::new();
        for &(name, uri) in PAGES {
            let mut len = 0;
            for _ in 0..warmup {
                len = fetch(&app, uri).await;
            }
            let mut times = Vec::with_capacity(iters);
            for _ in 0..iters {
                let start = Instant::now();
                len = std::hint::black_box(fetch(&app, uri).await);
                times.push(start.elapsed());
            }
            times.sort_unstable();
            let median = percentile(&times, 0.5);
            println!(
                "{:<24} {:>8} {:>11} {:>11} {:>11} {:>11}",
                name,
                len,
                ms(median),
                ms(percentile(&times, 0.9)),
                ms(percentile(&times, 0.99)),
                ms(*times.last().unwrap()),
            );
            results.push(Figures { name, median });
        }
        println!();
        for f in results.iter().filter(|f| f.name.starts_with("article")) {
            let verdict = if f.median <= TARGET {
                "MEETS"
            } else {
                "MISSES"
            };
            println!(
                "{verdict} the target (median <= {}): {} median {} ({:.0}% of the budget)",
                ms(TARGET),
                f.name,
                ms(f.median),
                f.median.as_secs_f64() / TARGET.as_secs_f64() * 100.0
            );
        }
        if !full {
            println!("(smoke run: pass --bench, as `cargo bench` does, for real figures)");
        }
    });
}
