//! The public site: an axum router over the store.
//!
//! State is built once ([`AppState::new`]) and passed in; [`build_app`] returns the router and
//! [`serve`] runs it on a listener the caller binds, until the shutdown future completes, so
//! tests bind port 0 and stop the server when they are done.

pub mod admin;
pub mod api;
pub mod auth;
pub mod cache;
pub mod conditional;
pub mod error;
pub mod feed;
pub mod handlers;
pub mod headers;
pub mod jobs;
pub mod page;
pub mod paths;
pub mod prefs;
pub mod request_checks;
pub mod routes;
pub mod ui;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::config::SiteConfig;
use crate::content::{Converters, Edition};
use crate::store::Store;

pub use routes::build_app;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: SiteConfig,
    store: Store,
    /// Replaced whole when the site glossary changes; readers keep the one they took.
    converters: RwLock<Arc<Converters>>,
    ui: Vec<(Edition, ui::Ui)>,
    site_name: crate::content::Localized,
    time_zone: jiff::tz::TimeZone,
    media_dir: PathBuf,
    search: Arc<crate::search::SearchIndex>,
    page_cache: Arc<cache::PageCache>,
    /// Where the editorial core's changes go: the search index, then the page cache.
    changes: crate::editorial::Changes,
    password_gate: auth::PasswordGate,
}

impl AppState {
    /// Builds the state: interface strings for every edition, the site's time zone, the
    /// search index (opened in the data directory; see [`AppState::reindex_if_empty`]) and
    /// the page cache.
    pub fn new(config: SiteConfig, store: Store, converters: Converters) -> anyhow::Result<Self> {
        let search = crate::search::SearchIndex::open(&config.data_dir.join("search"))?;
        Self::with_search(config, store, converters, search)
    }

    /// Builds the state over a search index of the caller's: `duizhao export`, which needs no
    /// search, gives an empty one of its own so that it can run beside a server that holds
    /// the data directory's index.
    pub fn with_search(
        config: SiteConfig,
        store: Store,
        converters: Converters,
        search: crate::search::SearchIndex,
    ) -> anyhow::Result<Self> {
        let page_cache = Arc::new(cache::PageCache::new(
            config.page_cache_bytes,
            std::time::Duration::from_secs(config.page_cache_seconds),
        ));
        let search = Arc::new(search);
        let mut changes = crate::editorial::Changes::new();
        changes.register(Arc::new(crate::editorial::events::SearchConsumer::new(
            store.clone(),
            search.clone(),
        )));
        changes.register(page_cache.clone());
        let ui = Edition::ALL
            .into_iter()
            .map(|e| (e, ui::Ui::new(e, &converters)))
            .collect();
        let time_zone = jiff::tz::TimeZone::get(&config.time_zone)?;
        let media_dir = config.data_dir.join("media");
        let site_name = converters.localize(&config.site.name_en, &config.site.name_zh);
        Ok(AppState {
            inner: Arc::new(Inner {
                config,
                store,
                converters: RwLock::new(Arc::new(converters)),
                ui,
                site_name,
                time_zone,
                media_dir,
                search,
                page_cache,
                changes,
                password_gate: auth::PasswordGate::for_this_machine(),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SiteConfig {
        &self.inner.config
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The converters in use.
    pub fn converters(&self) -> Arc<Converters> {
        self.inner
            .converters
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Puts new converters in use (after the site glossary changed).
    pub fn replace_converters(&self, converters: Converters) {
        *self
            .inner
            .converters
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(converters);
    }

    /// The interface strings of an edition.
    pub fn ui(&self, edition: Edition) -> &ui::Ui {
        &self
            .inner
            .ui
            .iter()
            .find(|(e, _)| *e == edition)
            .expect("strings are built for every edition")
            .1
    }

    /// The publication's name in an edition.
    pub fn site_name(&self, edition: Edition) -> &str {
        self.inner.site_name.get(edition)
    }

    /// The search index.
    pub fn search(&self) -> &crate::search::SearchIndex {
        &self.inner.search
    }

    /// The page cache.
    pub fn page_cache(&self) -> &cache::PageCache {
        &self.inner.page_cache
    }

    /// The bound on concurrent password hashing.
    pub fn password_gate(&self) -> &auth::PasswordGate {
        &self.inner.password_gate
    }

    /// Fills an empty search index from the database (a new data directory, or an index of an
    /// older version); returns how many articles were indexed.
    pub async fn reindex_if_empty(&self) -> anyhow::Result<u64> {
        if !self.search().is_empty() || self.store().article_count().await? == 0 {
            return Ok(0);
        }
        Ok(crate::editorial::reindex(self.store(), self.search(), || {}).await?)
    }

    /// Brings what is derived from the database up to date after an article changed: its
    /// search entry, and every cached page.
    pub async fn article_changed(&self, slug: &str) -> anyhow::Result<()> {
        self.changes()
            .emit(crate::editorial::Change::Article {
                slug: slug.to_owned(),
            })
            .await
    }

    /// Where the editorial core's changes go.
    pub fn changes(&self) -> &crate::editorial::Changes {
        &self.inner.changes
    }

    /// The editorial core, acting as `user` (`None`: the system), over `converters` (from
    /// [`AppState::converters`], held by the caller for the command's duration).
    pub fn core<'a>(
        &'a self,
        converters: &'a Converters,
        user: Option<&'a crate::accounts::User>,
    ) -> crate::editorial::Core<'a> {
        crate::editorial::Core {
            store: self.store(),
            converters,
            changes: self.changes(),
            user,
        }
    }

    /// The site's time zone.
    pub fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.inner.time_zone
    }

    /// Where media files live.
    pub fn media_dir(&self) -> &std::path::Path {
        &self.inner.media_dir
    }

    /// An absolute URL for a site path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.inner.config.base_url)
    }
}

/// How long a client may take to send a request's headers (slow-header attacks hold a
/// connection open by trickling them).
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How many connections are served at once; further clients wait in the kernel's queue until
/// one closes. Each connection costs a task and its buffers, so without a bound a flood of idle
/// connections is a flood of memory.
pub const MAX_CONNECTIONS: usize = 4096;

/// Serves the site on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
///
/// Like `axum::serve`, on hyper's connection builder, with two protections it lacks: a client
/// must send its request headers within [`HEADER_READ_TIMEOUT`], and at most
/// [`MAX_CONNECTIONS`] are open at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let app = build_app(state);
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder.http2().timer(TokioTimer::new());
    let connections = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    // Connections watch `stop` to finish gracefully, and each holds a `guard`: `tracker` is
    // closed when the last connection has ended.
    let (stop, stopping) = tokio::sync::watch::channel(());
    let (tracker, guard) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.expect("never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The peer address is recorded for login throttling, as `ConnectInfo`.
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(axum::body::Body::new)
            },
        );
        let builder = builder.clone();
        let mut stopping = stopping.clone();
        let guard = guard.clone();
        tokio::spawn(async move {
            let connection = builder.serve_connection_with_upgrades(
                TokioIo::new(stream),
                TowerToHyperService::new(service),
            );
            let mut connection = std::pin::pin!(connection);
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(err) = result {
                            tracing::debug!(error = %err, "connection ended with an error");
                        }
                        break;
                    }
                    _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
                }
            }
            drop((permit, guard));
        });
    }
    drop(listener);
    let _ = stop.send(());
    drop(guard);
    tracker.closed().await;
    Ok(())
}
