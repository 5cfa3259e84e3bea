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
