//! `duizhao serve`: open the store, optionally load the demo, and serve until a signal.

use anyhow::Context;
use tracing_subscriber::EnvFilter;

use crate::cli::{ServeArgs, SiteArgs};
use crate::config::SiteConfig;
use crate::content::Converters;
use crate::store::Store;
use crate::web::{self, AppState};

/// Builds the configuration from the file, then the flags and environment.
pub fn site_config(
    args: &SiteArgs,
    listen: Option<std::net::SocketAddr>,
) -> anyhow::Result<SiteConfig> {
    let mut config = match &args.config {
        Some(path) => SiteConfig::from_file(path)?,
        None => SiteConfig::default(),
    };
    let base_url_was_default = config.base_url == SiteConfig::default().base_url;
    if let Some(dir) = &args.data_dir {
        config.data_dir = dir.clone();
    }
    if let Some(url) = &args.database_url {
        config.database_url = Some(url.clone());
    }
    if let Some(listen) = listen {
        config.listen = listen;
    }
    if let Some(url) = &args.base_url {
        config.base_url = url.trim_end_matches('/').to_owned();
    } else if base_url_was_default {
        config.base_url = format!("http://{}", config.listen);
    }
    config.validate()?;
    Ok(config)
}

/// Opens the store and builds the converters a configuration asks for, with the site
/// glossary (the configured file, then the rules edited in the back office).
pub async fn open_site(config: &SiteConfig) -> anyhow::Result<(Store, Converters)> {
    crate::store::create_private_dir(&config.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    let url = config.database_url();
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open the database at {url}"))?;
    let stored = store
        .setting(crate::editorial::GLOSSARY_SETTING)
        .await
        .context("reading the site glossary")?;
    let glossary = crate::editorial::site_glossary(config, stored.as_deref())?;
    let converters = Converters::new(&config.editions, glossary);
    Ok((store, converters))
}

/// Runs `duizhao serve`.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(false)
        .init();
    let config = site_config(&args.site, args.listen)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (store, converters) = open_site(&config).await?;
        if args.demo {
            if store.article_count().await? == 0 {
                let summary = crate::demo::load(
                    &store,
                    &converters,
                    &config.data_dir.join("media"),
                    jiff::Timestamp::now(),
                )
                .await
                .context("loading the demo publication")?;
                tracing::info!(
                    articles = summary.articles,
                    authors = summary.authors,
                    topics = summary.topics,
                    sections = summary.sections,
                    media = summary.media,
                    "loaded the demo publication"
                );
            } else {
                tracing::info!("the database already has articles; not loading the demo");
            }
        }
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let address = listener.local_addr()?;
        let base = config.base_url.clone();
        let state = AppState::new(config, store.clone(), converters)?;
        let indexed = state.reindex_if_empty().await?;
        if indexed > 0 {
            tracing::info!(articles = indexed, "built the search index");
        }
        tracing::info!("serving on http://{address} (public URL {base})");
        let jobs = tokio::spawn(web::jobs::run(state.clone()));
        web::serve(listener, state, shutdown_signal()).await?;
        jobs.abort();
        store.close().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
