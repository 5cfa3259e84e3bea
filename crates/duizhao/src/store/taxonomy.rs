//! Sections, topics and authors.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::media::media_from_row;
use super::{Store, StoreResult, from_json, to_json};
use crate::content::{Author, AuthorId, Converters, Localized, Section, SectionId, Topic, TopicId};

/// A section as an editor writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionInput {
    /// URL name.
    pub slug: String,
    /// English name.
    pub name_en: String,
    /// Chinese name, Simplified.
    pub name_zh: String,
    /// Menu order.
    pub position: i64,
}

/// A topic as an editor writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicInput {
    /// URL name.
    pub slug: String,
    /// English name.
    pub name_en: String,
    /// Chinese name, Simplified.
    pub name_zh: String,
    /// In the hot-topics bar.
    pub hot: bool,
    /// Order in the bar.
    pub hot_order: i64,
}

/// An author as an editor writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorInput {
    /// URL name.
    pub slug: String,
    /// English name.
    pub name_en: String,
    /// Chinese name, Simplified.
    pub name_zh: String,
    /// English biography.
    pub bio_en: String,
    /// Chinese biography, Simplified.
    pub bio_zh: String,
    /// Path of the portrait in the media store.
    pub photo: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct AuthorDerived {
    name: Localized,
    bio: Localized,
}

/// All sections, in menu order.
const ALL_SECTIONS: &str = "SELECT id, slug, names, position FROM sections ORDER BY position, slug";
/// All topics, hot ones first in bar order, then by slug.
const ALL_TOPICS: &str =
    "SELECT id, slug, names, hot, hot_order FROM topics ORDER BY hot DESC, hot_order, slug";

impl Store {
    /// Creates or updates a section by slug.
    pub async fn upsert_section(
        &self,
        input: &SectionInput,
        converters: &Converters,
    ) -> StoreResult<SectionId> {
        let names = to_json(&converters.localize(&input.name_en, &input.name_zh));
        let row = sqlx::query(
            "INSERT INTO sections (slug, name_en, name_zh, names, position) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en, \
             name_zh = excluded.name_zh, names = excluded.names, position = excluded.position \
             RETURNING id",
        )
        .bind(&input.slug)
        .bind(&input.name_en)
        .bind(&input.name_zh)
        .bind(names)
        .bind(input.position)
        .fetch_one(self.pool())
        .await?;
        Ok(SectionId(row.try_get(0)?))
    }

    /// Creates or updates a topic by slug.
    pub async fn upsert_topic(
        &self,
        input: &TopicInput,
        converters: &Converters,
    ) -> StoreResult<TopicId> {
        let names = to_json(&converters.localize(&input.name_en, &input.name_zh));
        let row = sqlx::query(
            "INSERT INTO topics (slug, name_en, name_zh, names, hot, hot_order) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en, \
             name_zh = excluded.name_zh, names = excluded.names, hot = excluded.hot, \
             hot_order = excluded.hot_order \
             RETURNING id",
        )
        .bind(&input.slug)
        .bind(&input.name_en)
        .bind(&input.name_zh)
        .bind(names)
        .bind(i64::from(input.hot))
        .bind(input.hot_order)
        .fetch_one(self.pool())
        .await?;
        Ok(TopicId(row.try_get(0)?))
    }

    /// Creates or updates an author by slug.
    pub async fn upsert_author(
        &self,
        input: &AuthorInput,
        converters: &Converters,
    ) -> StoreResult<AuthorId> {
        let derived = to_json(&AuthorDerived {
            name: converters.localize(&input.name_en, &input.name_zh),
            bio: converters.localize(&input.bio_en, &input.bio_zh),
        });
        let photo_id = match &input.photo {
            Some(path) => Some(self.media_id(path).await?.0),
            None => None,
        };
        let row = sqlx::query(
            "INSERT INTO authors (slug, name_en, name_zh, bio_en, bio_zh, derived, photo_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en, \
             name_zh = excluded.name_zh, bio_en = excluded.bio_en, bio_zh = excluded.bio_zh, \
             derived = excluded.derived, photo_id = excluded.photo_id \
             RETURNING id",
        )
        .bind(&input.slug)
        .bind(&input.name_en)
        .bind(&input.name_zh)
        .bind(&input.bio_en)
        .bind(&input.bio_zh)
        .bind(derived)
        .bind(photo_id)
        .fetch_one(self.pool())
        .await?;
        Ok(AuthorId(row.try_get(0)?))
    }

    /// All sections, in menu order.
    pub async fn sections(&self) -> StoreResult<Vec<Section>> {
        let rows = sqlx::query(ALL_SECTIONS).fetch_all(self.pool()).await?;
        rows.iter().map(section_from_row).collect()
    }

    /// All topics and all sections (as [`Store::topics`] and [`Store::sections`]) over one
    /// connection: what every page's navigation needs, for one trip through the pool.
    pub async fn navigation(&self) -> StoreResult<(Vec<Topic>, Vec<Section>)> {
        let mut conn = self.pool().acquire().await?;
        let topics = sqlx::query(ALL_TOPICS).fetch_all(&mut *conn).await?;
        let sections = sqlx::query(ALL_SECTIONS).fetch_all(&mut *conn).await?;
        Ok((
            topics
                .iter()
                .map(topic_from_row)
                .collect::<StoreResult<_>>()?,
            sections
                .iter()
                .map(section_from_row)
                .collect::<StoreResult<_>>()?,
        ))
    }

    /// A section by slug.
    pub async fn section(&self, slug: &str) -> StoreResult<Option<Section>> {
        let row = sqlx::query("SELECT id, slug, names, position FROM sections WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(section_from_row).transpose()
    }

    /// All topics, hot ones first in bar order, then by slug.
    pub async fn topics(&self) -> StoreResult<Vec<Topic>> {
        let rows = sqlx::query(ALL_TOPICS).fetch_all(self.pool()).await?;
        rows.iter().map(topic_from_row).collect()
    }

    /// A topic by slug.
    pub async fn topic(&self, slug: &str) -> StoreResult<Option<Topic>> {
        let row = sqlx::query("SELECT id, slug, names, hot, hot_order FROM topics WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(topic_from_row).transpose()
    }

    /// All authors, by slug.
    pub async fn authors(&self) -> StoreResult<Vec<Author>> {
        let rows = sqlx::query(concat!(author_select!(), " ORDER BY au.slug"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(author_from_row).collect()
    }

    /// An author by slug.
    pub async fn author(&self, slug: &str) -> StoreResult<Option<Author>> {
        let row = sqlx::query(concat!(author_select!(), " WHERE au.slug = $1"))
            .bind(slug)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(author_from_row).transpose()
    }
}

/// The columns [`author_from_row`] reads, as a macro so that queries can `concat!` onto it.
macro_rules! author_select {
    () => {
        "SELECT au.id, au.slug, au.derived, m.id AS m_id, m.path AS m_path, m.mime AS m_mime, \
         m.alts AS m_alts, m.captions AS m_captions, m.width AS m_width, m.height AS m_height, \
         m.variants AS m_variants FROM authors au LEFT JOIN media m ON m.id = au.photo_id"
    };
}
pub(crate) use author_select;

pub(crate) fn section_from_row(row: &AnyRow) -> StoreResult<Section> {
    section_with_prefix(row, "")
}

/// Reads a section whose columns carry `prefix` (`s_` when joined to an article).
pub(crate) fn section_with_prefix(row: &AnyRow, prefix: &str) -> StoreResult<Section> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(Section {
        id: SectionId(row.try_get(&*col("id"))?),
        slug: row.try_get(&*col("slug"))?,
        name: from_json("sections.names", &row.try_get::<String, _>(&*col("names"))?)?,
        position: row.try_get(&*col("position"))?,
    })
}

pub(crate) fn topic_from_row(row: &AnyRow) -> StoreResult<Topic> {
    Ok(Topic {
        id: TopicId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        name: from_json("topics.names", &row.try_get::<String, _>("names")?)?,
        hot: row.try_get::<i64, _>("hot")? != 0,
        hot_order: row.try_get("hot_order")?,
    })
}

pub(crate) fn author_from_row(row: &AnyRow) -> StoreResult<Author> {
    let derived: AuthorDerived =
        from_json("authors.derived", &row.try_get::<String, _>("derived")?)?;
    Ok(Author {
        id: AuthorId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        name: derived.name,
        bio: derived.bio,
        photo: media_from_row(row, "m_")?,
    })
}
