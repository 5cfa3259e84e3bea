//! The editorial core: the commands that change what a publication holds, for every caller
//! alike. The back office, the JSON API, the importers and the command line translate their
//! input into a command ([`taxonomy::save`], …) run on a [`Core`]; the command checks
//! permission and fields, writes through the store in one transaction, and ends by emitting one
//! [`events::Change`] that the search index and the page cache consume. Commands fail with one
//! typed error, [`EditorialError`], which each caller renders in its own way (a form with the
//! fields marked, JSON with a status).
//!
//! Saving an article derives its editions first ([`save_article`]), so that what is stored is
//! always consistent with its master text.

pub mod articles;
pub mod error;
pub mod events;
pub mod glossary;
pub mod taxonomy;

use jiff::Timestamp;

pub use error::{EditorialError, EditorialResult, FieldError};
pub use events::{Change, Changes};

use crate::accounts::{Action, User};
use crate::content::{ArticleId, ArticleInput, Converters, Edition, derive_article};
use crate::search::SearchIndex;
use crate::store::Store;

/// What a command runs against: the store, the converters in use, where changes go, and who
/// acts (`None`: the system itself, as an import or the command line, which may do anything).
#[derive(Clone, Copy, Debug)]
pub struct Core<'a> {
    /// The store.
    pub store: &'a Store,
    /// The converters in use (names and texts are derived for every edition when saved).
    pub converters: &'a Converters,
    /// The consumers of changes.
    pub changes: &'a Changes,
    /// Who acts.
    pub user: Option<&'a User>,
}

impl Core<'_> {
    /// Refuses unless the acting user may.
    pub fn require(&self, action: Action) -> EditorialResult<()> {
        match self.user {
            Some(user) if !user.may(action, None) => Err(EditorialError::NotPermitted),
            _ => Ok(()),
        }
    }

    /// Hands a change to the consumers. The command's write has happened by then, so a
    /// consumer's failure (logged by [`Changes::emit`]) does not turn it into an error: a
    /// stale search entry is mended by the next change or `duizhao reindex`.
    pub async fn emit(&self, change: Change) -> EditorialResult<()> {
        let _logged = self.changes.emit(change).await;
        Ok(())
    }
}

/// The URL a media path (as written in Markdown bodies, e.g. `images/chart.svg`) is served at.
pub fn media_url(path: &str) -> String {
    format!("/media/{}", path.trim_start_matches('/'))
}

/// The stored path of a media file given either as stored (`uploads/2026/x.jpg`) or as the
/// address it is served at (`/media/uploads/2026/x.jpg`), the inverse of [`media_url`].
pub fn media_key(path: &str) -> &str {
    let path = path.trim();
    path.strip_prefix("/media/").unwrap_or(path)
}

/// Stores an article exactly as given, as the system ([`articles::import`] on a core with no
/// consumers of changes): for the importers, the demo and generated data, which index the
/// whole site when they are done.
pub async fn save_article(
    store: &Store,
    converters: &Converters,
    input: &ArticleInput,
    now: Timestamp,
) -> EditorialResult<ArticleId> {
    let changes = Changes::new();
    let core = Core {
        store,
        converters,
        changes: &changes,
        user: None,
    };
    articles::import(&core, input, now).await
}

/// Brings one article's search entry up to date with the database (indexed when published,
/// removed otherwise).
pub async fn index_article(store: &Store, search: &SearchIndex, slug: &str) -> EditorialResult<()> {
    match store.article(slug, Edition::ZhHans).await? {
        Some(article) => Ok(search.update(&article)?),
        None => Ok(()),
    }
}

/// Rebuilds the search index from every article in the database, calling `progress` after
/// each; returns how many were indexed (the published ones).
pub async fn reindex(
    store: &Store,
    search: &SearchIndex,
    mut progress: impl FnMut(),
) -> EditorialResult<u64> {
    let slugs = store.article_slugs().await?;
    search.start_rebuild()?;
    let mut indexed = 0;
    // In batches, so that memory stays flat however large the publication.
    for chunk in slugs.chunks(256) {
        let mut articles = Vec::with_capacity(chunk.len());
        for slug in chunk {
            if let Some(article) = store.article(slug, Edition::ZhHans).await? {
                articles.push(article);
            }
            progress();
        }
        indexed += search.stage_batch(&articles)?;
    }
    search.commit()?;
    Ok(indexed)
}

/// The settings key of the glossary edited in the back office.
pub const GLOSSARY_SETTING: &str = "glossary";

/// The site-wide glossary: the configuration's glossary file, then the rules edited in the
/// back office (stored in the database, so every app server uses the same).
pub fn site_glossary(
    config: &crate::config::SiteConfig,
    stored: Option<&str>,
) -> anyhow::Result<duizhao_convert::Glossary> {
    use anyhow::Context;
    let mut glossary = match &config.editions.glossary {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read glossary {}", path.display()))?;
            duizhao_convert::Glossary::parse(&text)
                .with_context(|| format!("in glossary {}", path.display()))?
        }
        None => duizhao_convert::Glossary::new(),
    };
    if let Some(text) = stored {
        glossary.extend(
            &duizhao_convert::Glossary::parse(text)
                .context("in the glossary stored in the database")?,
        );
    }
    Ok(glossary)
}

/// Re-derives (and saves, keeping everything else) the articles whose Chinese text contains
/// any of `phrases`; returns their slugs. Used when the site glossary changes: only the
/// articles a changed rule can touch are converted again.
pub async fn rederive_containing(
    store: &Store,
    converters: &Converters,
    phrases: &[String],
    now: Timestamp,
) -> EditorialResult<Vec<String>> {
    let slugs = store.articles_containing(phrases).await?;
    for slug in &slugs {
        let Some(editable) = store.editable(slug).await? else {
            continue;
        };
        let derived = derive_article(&editable.input, converters, &media_url)
            .map_err(|e| EditorialError::invalid("zh_rules", format!("{slug}: {e}")))?;
        let by = crate::store::revisions::SaveBy::unchecked();
        store
            .save_article_as(&editable.input, &derived, now, &by)
            .await?;
    }
    Ok(slugs)
}
