//! Editorial operations that join the content model, the converter and the store: saving an
//! article derives its editions first, so that what is stored is always consistent with its
//! master text.

use jiff::Timestamp;

use crate::content::{ArticleId, ArticleInput, Converters, derive_article};
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
