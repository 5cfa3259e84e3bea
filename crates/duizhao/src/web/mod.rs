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
    search: crate::search::SearchIndex,
    page_cache: cache::PageCache,
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
        let page_cache = cache::PageCache::new(
            config.page_cache_bytes,
            std::time::Duration::from_secs(config.page_cache_seconds),
        );
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
        crate::editorial::reindex(self.store(), self.search(), || {}).await
    }

    /// Brings what is derived from the database up to date after an article changed: its
    /// search entry, and every cached page.
    pub async fn article_changed(&self, slug: &str) -> anyhow::Result<()> {
        let result = crate::editorial::index_article(self.store(), self.search(), slug).await;
        self.page_cache().invalidate();
        result
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

/// Serves the site on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = build_app(state);
    // The peer address is recorded for login throttling.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
