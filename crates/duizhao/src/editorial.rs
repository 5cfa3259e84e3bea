//! Editorial operations that join the content model, the converter and the store: saving an
//! article derives its editions first, so that what is stored is always consistent with its
//! master text.

use jiff::Timestamp;

use crate::content::{ArticleId, ArticleInput, Converters, Edition, derive_article};
use crate::search::SearchIndex;
use crate::store::Store;

/// The URL a media path (as written in Markdown bodies, e.g. `images/chart.svg`) is served at.
pub fn media_url(path: &str) -> String {
    format!("/media/{}", path.trim_start_matches('/'))
}

/// Derives and saves an article in one transaction.
pub async fn save_article(
    store: &Store,
    converters: &Converters,
    input: &ArticleInput,
    now: Timestamp,
) -> anyhow::Result<ArticleId> {
    let derived = derive_article(input, converters, &media_url)?;
    Ok(store.save_article(input, &derived, now).await?)
}

/// Brings one article's search entry up to date with the database (indexed when published,
/// removed otherwise).
pub async fn index_article(store: &Store, search: &SearchIndex, slug: &str) -> anyhow::Result<()> {
    match store.article(slug, Edition::ZhHans).await? {
        Some(article) => search.update(&article),
        None => Ok(()),
    }
}

/// Rebuilds the search index from every article in the database, calling `progress` after
/// each; returns how many were indexed (the published ones).
pub async fn reindex(
    store: &Store,
    search: &SearchIndex,
    mut progress: impl FnMut(),
) -> anyhow::Result<u64> {
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
) -> anyhow::Result<Vec<String>> {
    let slugs = store.articles_containing(phrases).await?;
    for slug in &slugs {
        let Some(editable) = store.editable(slug).await? else {
            continue;
        };
        let derived = derive_article(&editable.input, converters, &media_url)?;
        let by = crate::store::revisions::SaveBy::unchecked();
        store
            .save_article_as(&editable.input, &derived, now, &by)
            .await?;
    }
    Ok(slugs)
}
