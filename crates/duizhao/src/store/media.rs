//! Media records. The files themselves live in the data directory (see [`crate::media`]);
//! the database keeps their path, type and alternative text.

use sqlx::Row;

use super::{Store, StoreError, StoreResult, to_json};
use crate::content::{Converters, MediaId};

/// A media record as an editor writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaInput {
    /// Path under the media directory.
    pub path: String,
    /// MIME type.
    pub mime: String,
    /// English alternative text.
    pub alt_en: String,
    /// Chinese alternative text, Simplified.
    pub alt_zh: String,
}

impl Store {
    /// Creates or updates the record of a media file by path.
    pub async fn upsert_media(
        &self,
        input: &MediaInput,
        converters: &Converters,
        now: jiff::Timestamp,
    ) -> StoreResult<MediaId> {
        let alts = to_json(&converters.localize(&input.alt_en, &input.alt_zh));
        let row = sqlx::query(
            "INSERT INTO media (path, mime, alt_en, alt_zh, alts, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (path) DO UPDATE SET mime = excluded.mime, alt_en = excluded.alt_en, \
             alt_zh = excluded.alt_zh, alts = excluded.alts \
             RETURNING id",
        )
        .bind(&input.path)
        .bind(&input.mime)
        .bind(&input.alt_en)
        .bind(&input.alt_zh)
        .bind(alts)
        .bind(now.as_second())
        .fetch_one(self.pool())
        .await?;
        Ok(MediaId(row.try_get(0)?))
    }

    /// The id of a media file by path.
    pub async fn media_id(&self, path: &str) -> StoreResult<MediaId> {
        let row = sqlx::query("SELECT id FROM media WHERE path = $1")
            .bind(path)
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some(row) => Ok(MediaId(row.try_get(0)?)),
            None => Err(StoreError::Missing {
                kind: "media file",
                key: path.to_owned(),
            }),
        }
    }
}
