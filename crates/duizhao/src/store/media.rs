//! Media records. The files themselves live in media storage (see [`crate::media`]); the
//! database keeps their path, type, dimensions, variants, alternative text and caption.
//!
//! Two ways in: [`Store::upsert_media`] for files placed by hand (the demo loader), which
//! leaves dimensions and variants unknown, and [`Store::save_media`] for processed uploads.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError, StoreResult, from_json, to_json};
use crate::content::{Converters, Localized, Media, MediaId, MediaVariant};

/// The columns [`media_from_row`] reads with the prefix `m_`, for a table aliased `m`.
macro_rules! media_columns {
    () => {
        "m.id AS m_id, m.path AS m_path, m.mime AS m_mime, m.alts AS m_alts, \
         m.captions AS m_captions, m.width AS m_width, m.height AS m_height, \
         m.variants AS m_variants"
    };
}

/// What an editor writes about an image: alternative text (what it shows, for readers who
/// cannot see it) and caption (what the page says about it), each in English and Simplified
/// Chinese; the other scripts are derived when saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaText {
    /// English alternative text.
    pub alt_en: String,
    /// Chinese alternative text, Simplified.
    pub alt_zh: String,
    /// English caption.
    pub caption_en: String,
    /// Chinese caption, Simplified.
    pub caption_zh: String,
}

/// A processed upload's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaRecord {
    /// Storage key of the full-size file.
    pub path: String,
    /// MIME type.
    pub mime: String,
    /// Alternative text and caption.
    pub text: MediaText,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Smaller versions, widest first.
    pub variants: Vec<MediaVariant>,
}

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

    /// Creates or updates (by path: the same upload again) the record of a processed upload.
    pub async fn save_media(
        &self,
        record: &MediaRecord,
        converters: &Converters,
        now: jiff::Timestamp,
    ) -> StoreResult<MediaId> {
        let text = &record.text;
        let alts = to_json(&converters.localize(&text.alt_en, &text.alt_zh));
        let captions = to_json(&converters.localize(&text.caption_en, &text.caption_zh));
        let row = sqlx::query(
            "INSERT INTO media (path, mime, alt_en, alt_zh, alts, caption_en, caption_zh, \
             captions, width, height, variants, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (path) DO UPDATE SET mime = excluded.mime, alt_en = excluded.alt_en, \
             alt_zh = excluded.alt_zh, alts = excluded.alts, caption_en = excluded.caption_en, \
             caption_zh = excluded.caption_zh, captions = excluded.captions, \
             width = excluded.width, height = excluded.height, variants = excluded.variants \
             RETURNING id",
        )
        .bind(&record.path)
        .bind(&record.mime)
        .bind(&text.alt_en)
        .bind(&text.alt_zh)
        .bind(alts)
        .bind(&text.caption_en)
        .bind(&text.caption_zh)
        .bind(captions)
        .bind(i64::from(record.width))
        .bind(i64::from(record.height))
        .bind(to_json(&record.variants))
        .bind(now.as_second())
        .fetch_one(self.pool())
        .await?;
        Ok(MediaId(row.try_get(0)?))
    }

    /// One media item.
    pub async fn media(&self, id: MediaId) -> StoreResult<Option<Media>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            media_columns!(),
            " FROM media m WHERE m.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => media_from_row(&row, "m_")?,
            None => None,
        })
    }

    /// The media library, newest first, a page at a time.
    pub async fn list_media(&self, limit: u32, offset: u32) -> StoreResult<Vec<Media>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            media_columns!(),
            " FROM media m ORDER BY m.created_at DESC, m.id DESC LIMIT $1 OFFSET $2"
        ))
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .filter_map(|row| media_from_row(row, "m_").transpose())
            .collect()
    }

    /// Replaces an item's alternative text and caption; false when there is no such item.
    pub async fn update_media_text(
        &self,
        id: MediaId,
        text: &MediaText,
        converters: &Converters,
    ) -> StoreResult<bool> {
        let alts = to_json(&converters.localize(&text.alt_en, &text.alt_zh));
        let captions = to_json(&converters.localize(&text.caption_en, &text.caption_zh));
        let done = sqlx::query(
            "UPDATE media SET alt_en = $1, alt_zh = $2, alts = $3, caption_en = $4, \
             caption_zh = $5, captions = $6 WHERE id = $7",
        )
        .bind(&text.alt_en)
        .bind(&text.alt_zh)
        .bind(alts)
        .bind(&text.caption_en)
        .bind(&text.caption_zh)
        .bind(captions)
        .bind(id.0)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes an item's row (articles and authors that used it lose their image) and
    /// returns what it was, so the caller can delete the files: see [`crate::media::remove`].
    pub async fn delete_media(&self, id: MediaId) -> StoreResult<Option<Media>> {
        let row = sqlx::query(
            "DELETE FROM media WHERE id = $1 RETURNING id AS m_id, path AS m_path, \
             mime AS m_mime, alts AS m_alts, captions AS m_captions, width AS m_width, \
             height AS m_height, variants AS m_variants",
        )
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => media_from_row(&row, "m_")?,
            None => None,
        })
    }
}

/// Reads an optional joined media row whose columns carry `prefix` (see `media_columns!`).
pub(crate) fn media_from_row(row: &AnyRow, prefix: &str) -> StoreResult<Option<Media>> {
    let col = |name: &str| format!("{prefix}{name}");
    let id: Option<i64> = row.try_get(&*col("id"))?;
    let Some(id) = id else { return Ok(None) };
    let captions: Option<String> = row.try_get(&*col("captions"))?;
    let dimension = |name: &str| -> StoreResult<Option<u32>> {
        let value: Option<i64> = row.try_get(&*col(name))?;
        value
            .map(|v| {
                u32::try_from(v).map_err(|_| StoreError::Corrupt {
                    what: "media dimensions",
                    detail: format!("{name} {v} is out of range"),
                })
            })
            .transpose()
    };
    Ok(Some(Media {
        id: MediaId(id),
        path: row.try_get(&*col("path"))?,
        mime: row.try_get(&*col("mime"))?,
        alt: from_json("media.alts", &row.try_get::<String, _>(&*col("alts"))?)?,
        caption: match captions {
            Some(text) => from_json("media.captions", &text)?,
            None => Localized::default(),
        },
        width: dimension("width")?,
        height: dimension("height")?,
        variants: from_json(
            "media.variants",
            &row.try_get::<String, _>(&*col("variants"))?,
        )?,
    }))
}
