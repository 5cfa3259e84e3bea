//! Background work of a running server: publishing scheduled articles when their time comes
//! (also after a restart: the schedule lives in the database, and the first pass runs at
//! start-up), picking up a site glossary changed on another server, freeing expired cached
//! pages, sweeping expired sessions, finished throttling windows and forgotten browsers, and
//! removing for good the articles that have been in the trash for 30 days.

use std::time::Duration;

use jiff::Timestamp;

use super::AppState;
use crate::content::Converters;
use crate::editorial::{self, GLOSSARY_SETTING};

/// How often scheduled articles are looked for.
pub const TICK: Duration = Duration::from_secs(15);

/// One pass: publishes what is due and returns the slugs published.
pub async fn publish_due(state: &AppState, now: Timestamp) -> anyhow::Result<Vec<String>> {
    let slugs = state.store().publish_due(now).await?;
    for slug in &slugs {
        state.article_changed(slug).await?;
        tracing::info!(slug, "published a scheduled article");
    }
    Ok(slugs)
}

/// Runs forever (the caller aborts the task at shutdown).
pub async fn run(state: AppState) {
    let mut glossary_in_use = state.store().setting(GLOSSARY_SETTING).await.ok().flatten();
    let mut ticks: u64 = 0;
    loop {
        let now = Timestamp::now();
        if let Err(err) = publish_due(&state, now).await {
            tracing::error!(error = format!("{err:#}"), "publishing scheduled articles");
        }
        match state.store().setting(GLOSSARY_SETTING).await {
            Ok(stored) if stored != glossary_in_use => {
                match editorial::site_glossary(state.config(), stored.as_deref()) {
                    Ok(glossary) => {
                        state.replace_converters(Converters::new(
                            &state.config().editions,
                            glossary,
                        ));
                        state.page_cache().invalidate();
                        tracing::info!("the site glossary changed; new converters in use");
                    }
                    Err(err) => {
                        tracing::error!(error = format!("{err:#}"), "the stored glossary");
                    }
                }
                glossary_in_use = stored;
            }
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "reading the site glossary"),
        }
        state.page_cache().sweep();
        if ticks.is_multiple_of(240)
            && let Err(err) = state
                .store()
                .sweep_sessions(
                    now,
                    super::auth::IDLE_SECONDS,
                    super::auth::FAILURE_WINDOW_SECONDS,
                    super::auth::DEVICE_MAX_AGE_SECONDS,
                )
                .await
        {
            tracing::error!(error = %err, "sweeping sessions");
        }
        if ticks.is_multiple_of(240) {
            let converters = state.converters();
            let core = state.core(&converters, None);
            match editorial::articles::purge_trash(&core, now).await {
                Ok(slugs) if !slugs.is_empty() => {
                    tracing::info!(
                        ?slugs,
                        "removed articles that were in the trash for 30 days"
                    );
                }
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "emptying the trash"),
            }
        }
        ticks += 1;
        tokio::time::sleep(TICK).await;
    }
}
