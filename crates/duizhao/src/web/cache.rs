//! An in-memory cache of rendered pages, bounded in bytes.
//!
//! A page is a function of its path, the query parameters pages read ([`PAGE_PARAMETERS`]),
//! the content, and the three preference cookies (edition, reading mode, text size), so those
//! make the key; nothing else about the request changes the HTML. Parameters no page reads
//! (`?utm_source=…`, `?fbclid=…`, `?x=N` from a crawler or an attacker) are left out of the
//! key, so they reach the page already cached and cannot make copies of it.
//!
//! The cache holds at most `page_cache_bytes` (bodies, headers and keys counted); when full, it
//! drops the pages least likely to be asked for again (quick_cache's CLOCK-Pro). Entries are
//! dropped when this process changes content (a generation counter that every write bumps),
//! and expire after `page_cache_seconds`, which bounds how stale a page can be when another
//! app server (sharing a PostgreSQL database) made the change, and lets scheduled articles
//! appear on time. Expired entries are freed by a sweep at most once per lifetime (on the
//! next insert, and from the background jobs), not merely ignored. Only successful HTML
//! answers to plain GETs are kept.
//!
//! Rendering a page uncached takes well under a millisecond, but it is a handful of database
//! round trips; under load, the cache is what lets one server answer tens of thousands of
//! requests a second.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::prefs::Prefs;

/// Pages larger than this are served but not kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// What an entry costs besides its body and key: the entry, its headers, the map's slot.
const ENTRY_OVERHEAD: u64 = 1024;

/// The query parameters that change a cached page: `page` on every list, and the search
/// page's query and filters. Any other parameter is ignored by every page.
pub const PAGE_PARAMETERS: [&str; 8] = [
    "page", "q", "topic", "author", "section", "from", "to", "sort",
];

#[derive(Debug)]
struct Entry {
    headers: HeaderMap,
    body: Bytes,
    generation: u64,
    created: Instant,
    weight: u64,
}

#[derive(Clone, Debug)]
struct ByBytes;

impl quick_cache::Weighter<String, Arc<Entry>> for ByBytes {
    fn weight(&self, _key: &String, entry: &Arc<Entry>) -> u64 {
        entry.weight
    }
}

/// The cache and its generation counter.
pub struct PageCache {
    entries: quick_cache::sync::Cache<String, Arc<Entry>, ByBytes>,
    generation: AtomicU64,
    ttl: Duration,
    budget: u64,
    started: Instant,
    /// Milliseconds since `started` of the last sweep of expired entries.
    last_sweep: AtomicU64,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("ttl", &self.ttl)
            .field("budget", &self.budget)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl PageCache {
    /// A cache of up to `budget` bytes, each page kept at most `ttl` (zero: no caching).
    pub fn new(budget: u64, ttl: Duration) -> PageCache {
        // quick_cache sizes its shards from an estimate of the item count; a typical page
        // is some tens of kilobytes.
        let estimated_items = (budget / (32 * 1024)).clamp(16, 1 << 20) as usize;
        PageCache {
            entries: quick_cache::sync::Cache::with_weighter(
                estimated_items,
                budget.max(1),
                ByBytes,
            ),
            generation: AtomicU64::new(0),
            ttl,
            budget,
            started: Instant::now(),
            last_sweep: AtomicU64::new(0),
        }
    }

    /// Forgets every page: content changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.clear();
    }

    /// The bytes the cache holds now.
    pub fn bytes(&self) -> u64 {
        self.entries.weight()
    }

    /// How many pages the cache holds now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds no page.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Frees every entry that has expired or belongs to an older generation.
    pub fn sweep(&self) {
        let generation = self.generation.load(Ordering::Acquire);
        let ttl = self.ttl;
        self.entries
            .retain(|_, e| e.generation == generation && e.created.elapsed() < ttl);
        self.last_sweep
            .store(self.started.elapsed().as_millis() as u64, Ordering::Release);
    }

    /// Sweeps if the last sweep is a lifetime ago.
    fn sweep_if_due(&self) {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.last_sweep.load(Ordering::Acquire);
        if now.saturating_sub(last) >= self.ttl.as_millis() as u64
            && self
                .last_sweep
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            self.sweep();
        }
    }

    fn enabled(&self) -> bool {
        !self.ttl.is_zero() && self.budget > 0
    }
}

/// The cache key of a request: its path, the page parameters of its query in a canonical
/// form (decoded, re-encoded, in name order; repeated names keep their order, which is what
/// the pages read), and the preference cookies.
fn key(request: &Request) -> String {
    let prefs = Prefs::from_headers(request.headers());
    let uri = request.uri();
    let mut key = String::with_capacity(uri.path().len() + 32);
    key.push_str(uri.path());
    if let Some(query) = uri.query() {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .filter(|(name, _)| PAGE_PARAMETERS.contains(&name.as_ref()))
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        if !pairs.is_empty() {
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            key.push('?');
            key.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish(),
            );
        }
    }
    key.push('|');
    key.push_str(prefs.edition.map_or("", |e| e.code()));
    key.push('|');
    key.push_str(prefs.mode.map_or("", |m| m.code()));
    key.push('|');
    key.push_str(prefs.size.unwrap_or(""));
    key
}

/// The middleware: answer from the cache, or render and keep.
pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = state.page_cache();
    if request.method() != Method::GET || !cache.enabled() {
        return next.run(request).await;
    }
    let key = key(&request);
    let generation = cache.generation.load(Ordering::Acquire);
    if let Some(entry) = cache.entries.get(&key)
        && entry.generation == generation
        && entry.created.elapsed() < cache.ttl
    {
        let mut response = Response::new(Body::from(entry.body.clone()));
        *response.headers_mut() = entry.headers.clone();
        return response;
    }
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if response.status() != StatusCode::OK || !is_html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "cannot read a rendered page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let header_bytes: usize = parts
        .headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    let weight = (body.len() + key.len() + header_bytes) as u64 + ENTRY_OVERHEAD;
    cache.sweep_if_due();
    cache.entries.insert(
        key,
        Arc::new(Entry {
            headers: parts.headers.clone(),
            body: body.clone(),
            generation,
            created: Instant::now(),
            weight,
        }),
    );
    Response::from_parts(parts, Body::from(body))
}

/// Every change to published content can change any page (lists, navigation, feeds): the
/// cache is emptied.
impl crate::editorial::events::Consumer for PageCache {
    fn apply<'a>(
        &'a self,
        _change: &'a crate::editorial::Change,
    ) -> crate::editorial::events::Applied<'a> {
        self.invalidate();
        Box::pin(std::future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(uri: &str, cookie: Option<&str>) -> String {
        let mut request = Request::builder().uri(uri);
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        key(&request.body(Body::empty()).unwrap())
    }

    #[test]
    fn keys_keep_only_what_pages_read() {
        let plain = key_of("/en/articles/x", None);
        assert_eq!(key_of("/en/articles/x?utm_source=a&fbclid=b", None), plain);
        assert_eq!(
            key_of("/en/articles/x?utm=1", None),
            key_of("/en/articles/x?utm=2", None)
        );
        assert_ne!(key_of("/en/?page=2", None), key_of("/en/", None));
        // One search, however it is spelt.
        assert_eq!(
            key_of("/en/search?q=a+b&topic=t&x=1", None),
            key_of("/en/search?topic=t&q=a%20b", None)
        );
        assert_ne!(
            key_of("/en/search?q=a", None),
            key_of("/en/search?q=b", None)
        );
        // Repeated names keep their order: the page reads the last one.
        assert_ne!(
            key_of("/en/?page=2&page=3", None),
            key_of("/en/?page=3&page=2", None)
        );
    }

    #[test]
    fn the_budget_bounds_the_bytes() {
        let cache = PageCache::new(1024 * 1024, Duration::from_secs(60));
        for i in 0..200 {
            cache.entries.insert(
                format!("/p{i}"),
                Arc::new(Entry {
                    headers: HeaderMap::new(),
                    body: Bytes::from(vec![b'x'; 64 * 1024]),
                    generation: 0,
                    created: Instant::now(),
                    weight: 65 * 1024,
                }),
            );
        }
        assert!(cache.bytes() <= 1024 * 1024, "{}", cache.bytes());
        assert!(cache.len() >= 4, "{}", cache.len());
    }

    #[test]
    fn a_sweep_frees_expired_entries() {
        let cache = PageCache::new(1024 * 1024, Duration::from_millis(20));
        cache.entries.insert(
            "/a".to_owned(),
            Arc::new(Entry {
                headers: HeaderMap::new(),
                body: Bytes::from_static(b"page"),
                generation: 0,
                created: Instant::now(),
                weight: 2048,
            }),
        );
        cache.sweep();
        assert_eq!(cache.len(), 1);
        std::thread::sleep(Duration::from_millis(30));
        cache.sweep();
        assert_eq!(cache.len(), 0);
        assert_eq!(cache.bytes(), 0);
    }
}
