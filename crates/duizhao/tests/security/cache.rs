//! The page cache's memory, whatever the URLs.

use std::time::Duration;

use crate::common::live::{Backend, LiveSite};

async fn an_article(site: &LiveSite) -> String {
    let home = site.get("/en/").await.text();
    let at = home.find("\"/en/articles/").unwrap();
    home[at + 1..at + 1 + home[at + 1..].find('"').unwrap()].to_owned()
}

/// Issue 19, finding 2: 300 requests with `?utm=N` made 300 copies of a page (RSS from 343 MB
/// to 867 MB for a 0.9 MB article).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r19_tracking_parameters_share_one_cached_page() {
    let site = LiveSite::start(Backend::Sqlite, "cache", |_| {})
        .await
        .unwrap();
    let article = an_article(&site).await;
    let first = site.get(&article).await;
    assert_eq!(first.status, 200);
    let cache = site.state.page_cache();
    let (pages, bytes) = (cache.len(), cache.bytes());
    for i in 0..300 {
        let r = site
            .get(&format!("{article}?utm_source=x{i}&fbclid={i}&utm={i}"))
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body, first.body, "the same page");
    }
    assert_eq!(cache.len(), pages, "no copy per tracking parameter");
    assert_eq!(cache.bytes(), bytes);
    site.stop().await;
}

/// Whatever the URLs, the cache holds no more than its budget, and frees what expires.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cache_stays_within_its_budget_and_frees_expired_pages() {
    const BUDGET: u64 = 512 * 1024;
    let site = LiveSite::start(Backend::Sqlite, "cache-budget", |c| {
        c.page_cache_bytes = BUDGET;
        c.page_cache_seconds = 1;
    })
    .await
    .unwrap();
    let cache = site.state.page_cache();
    for i in 0..400 {
        // Distinct searches and list pages: every one a page of its own.
        let path = if i % 2 == 0 {
            format!("/en/search?q=trade{i}")
        } else {
            format!("/zh-hant/search?q=港{i}")
        };
        let r = site.get(&urlencode_query(&path)).await;
        assert_eq!(r.status, 200);
        assert!(cache.bytes() <= BUDGET, "{} bytes after {i}", cache.bytes());
    }
    assert!(cache.len() > 5, "the cache still caches: {}", cache.len());
    tokio::time::sleep(Duration::from_millis(1200)).await;
    // The next page kept sweeps what expired.
    assert_eq!(site.get("/en/").await.status, 200);
    assert_eq!(cache.len(), 1, "only the new page is left");
    site.stop().await;
}

fn urlencode_query(path: &str) -> String {
    let (p, q) = path.split_once("?q=").unwrap();
    format!(
        "{p}?q={}",
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
    )
}
