//! The public site: an axum router over the store.
//!
//! State is built once ([`AppState::new`]) and passed in; [`build_app`] returns the router and
//! [`serve`] runs it on a listener the caller binds, until the shutdown future completes, so
//! tests bind port 0 and stop the server when they are done.

pub mod error;
pub mod handlers;
pub mod page;
pub mod paths;
pub mod prefs;
pub mod routes;
pub mod ui;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

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
    converters: Converters,
    ui: Vec<(Edition, ui::Ui)>,
    site_name: crate::content::Localized,
    time_zone: jiff::tz::TimeZone,
    media_dir: PathBuf,
}

impl AppState {
    /// Builds the state: interface strings for every edition, the site's time zone.
    pub fn new(config: SiteConfig, store: Store, converters: Converters) -> anyhow::Result<Self> {
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
                converters,
                ui,
                site_name,
                time_zone,
                media_dir,
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

    /// The converters.
    pub fn converters(&self) -> &Converters {
        &self.inner.converters
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
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
