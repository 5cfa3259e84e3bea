//! An in-memory cache of rendered pages.
//!
//! A page is a function of its URL, the content, and the three preference cookies (edition,
//! reading mode, text size), so those make the key; nothing else about the request changes
//! the HTML. Entries are dropped when this process changes content (a generation counter that
//! every write bumps) and in any case after a few seconds, which bounds how stale a page can be
//! when another app server (sharing a PostgreSQL database) made the change, and lets scheduled
//! articles appear on time. Only successful HTML answers to plain GETs are kept.
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

#[derive(Debug)]
struct Entry {
    headers: HeaderMap,
    body: Bytes,
    generation: u64,
    created: Instant,
}

/// The cache and its generation counter.
pub struct PageCache {
    entries: quick_cache::sync::Cache<String, Arc<Entry>>,
    generation: AtomicU64,
    ttl: Duration,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("ttl", &self.ttl)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl PageCache {
    /// A cache of up to `capacity` pages, each kept at most `ttl` (zero: no caching).
    pub fn new(capacity: usize, ttl: Duration) -> PageCache {
        PageCache {
            entries: quick_cache::sync::Cache::new(capacity.max(1)),
            generation: AtomicU64::new(0),
            ttl,
        }
    }

    /// Forgets every page: content changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.clear();
    }

    fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }
}

fn key(request: &Request) -> String {
    let prefs = Prefs::from_headers(request.headers());
    format!(
        "{}|{}|{}|{}",
        request.uri(),
        prefs.edition.map_or("", |e| e.code()),
        prefs.mode.map_or("", |m| m.code()),
        prefs.size.unwrap_or("")
    )
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
    cache.entries.insert(
        key,
        Arc::new(Entry {
            headers: parts.headers.clone(),
            body: body.clone(),
            generation,
            created: Instant::now(),
        }),
    );
    Response::from_parts(parts, Body::from(body))
}
