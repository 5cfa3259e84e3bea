//! Sections, topics and authors.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::accounts::taken;
use super::media::media_from_row;
use super::{Store, StoreError, StoreResult, from_json, to_json};
use crate::content::{Author, AuthorId, Converters, Localized, Section, SectionId, Topic, TopicId};

/// A section as an editor writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    /// What the topic covers, in English (shown on its page).
    pub description_en: String,
    /// What the topic covers, in Chinese (Simplified).
    pub description_zh: String,
}

/// An author as an editor writes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
const ALL_TOPICS: &str = "SELECT id, slug, names, hot, hot_order, descriptions FROM topics \
     ORDER BY hot DESC, hot_order, slug";

/// A topic's id by its slug or an old slug of it (so that revisions and clients that name a
/// renamed topic keep working); [`SECTION_ID_BY_SLUG`] and [`AUTHOR_ID_BY_SLUG`] likewise.
pub(crate) const TOPIC_ID_BY_SLUG: &str = "SELECT id FROM topics WHERE slug = $1 UNION ALL \
     SELECT t.id FROM slug_redirects r JOIN topics t ON t.slug = r.new_slug \
     WHERE r.kind = 'topic' AND r.old_slug = $1";
/// See [`TOPIC_ID_BY_SLUG`].
pub(crate) const AUTHOR_ID_BY_SLUG: &str = "SELECT id FROM authors WHERE slug = $1 UNION ALL \
     SELECT t.id FROM slug_redirects r JOIN authors t ON t.slug = r.new_slug \
     WHERE r.kind = 'author' AND r.old_slug = $1";
/// See [`TOPIC_ID_BY_SLUG`].
pub(crate) const SECTION_ID_BY_SLUG: &str = "SELECT id FROM sections WHERE slug = $1 UNION ALL \
     SELECT t.id FROM slug_redirects r JOIN sections t ON t.slug = r.new_slug \
     WHERE r.kind = 'section' AND r.old_slug = $1";

impl Store {
    /// Creates or updates a section by slug (importers and the demo; editors go through
    /// [`Store::save_taxonomy`], which also renames).
    pub async fn upsert_section(
        &self,
        input: &SectionInput,
        converters: &Converters,
    ) -> StoreResult<SectionId> {
        let mut tx = self.begin_write().await?;
        let id = upsert_section_in(&mut tx, input, converters, Write::Upsert).await?;
        tx.commit().await?;
        Ok(SectionId(id))
    }

    /// Creates or updates a topic by slug (see [`Store::upsert_section`]).
    pub async fn upsert_topic(
        &self,
        input: &TopicInput,
        converters: &Converters,
    ) -> StoreResult<TopicId> {
        let mut tx = self.begin_write().await?;
        let id = upsert_topic_in(&mut tx, input, converters, Write::Upsert).await?;
        tx.commit().await?;
        Ok(TopicId(id))
    }

    /// Creates or updates an author by slug (see [`Store::upsert_section`]).
    pub async fn upsert_author(
        &self,
        input: &AuthorInput,
        converters: &Converters,
    ) -> StoreResult<AuthorId> {
        let photo_id = self.photo_id(input).await?;
        let mut tx = self.begin_write().await?;
        let id = upsert_author_in(&mut tx, input, photo_id, converters, Write::Upsert).await?;
        tx.commit().await?;
        Ok(AuthorId(id))
    }

    async fn photo_id(&self, input: &AuthorInput) -> StoreResult<Option<i64>> {
        match &input.photo {
            Some(path) => Ok(Some(self.media_id(path).await?.0)),
            None => Ok(None),
        }
    }

    /// Creates (`original` is `None`) or changes the topic, author or section that had the
    /// slug `original`, in one transaction. A new slug must be free; a changed slug leaves
    /// the old one redirecting to it ([`Store::slug_redirect`]). Returns the slugs of the
    /// articles that carry it.
    pub async fn save_taxonomy(
        &self,
        original: Option<&str>,
        input: &TaxonomyInput,
        converters: &Converters,
    ) -> StoreResult<Vec<String>> {
        let kind = input.kind();
        let slug = input.slug();
        let photo_id = match input {
            TaxonomyInput::Author(a) => self.photo_id(a).await?,
            _ => None,
        };
        let mut tx = self.begin_write().await?;
        let taken = |key: &str| StoreError::Taken {
            kind: kind.code(),
            key: key.to_owned(),
        };
        match original {
            None => {
                if id_of(&mut tx, kind, slug).await?.is_some() {
                    return Err(taken(slug));
                }
            }
            Some(old) => {
                let id = id_of(&mut tx, kind, old)
                    .await?
                    .ok_or_else(|| StoreError::Missing {
                        kind: kind.code(),
                        key: old.to_owned(),
                    })?;
                if old != slug {
                    if id_of(&mut tx, kind, slug).await?.is_some() {
                        return Err(taken(slug));
                    }
                    let sql = match kind {
                        TaxonomyKind::Topic => "UPDATE topics SET slug = $1 WHERE id = $2",
                        TaxonomyKind::Author => "UPDATE authors SET slug = $1 WHERE id = $2",
                        TaxonomyKind::Section => "UPDATE sections SET slug = $1 WHERE id = $2",
                    };
                    sqlx::query(sql)
                        .bind(slug)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    redirect(&mut tx, kind, old, slug).await?;
                }
            }
        }
        let write = if original.is_none() {
            Write::Create
        } else {
            Write::Upsert
        };
        match input {
            TaxonomyInput::Topic(t) => upsert_topic_in(&mut tx, t, converters, write).await?,
            TaxonomyInput::Author(a) => {
                upsert_author_in(&mut tx, a, photo_id, converters, write).await?
            }
            TaxonomyInput::Section(s) => upsert_section_in(&mut tx, s, converters, write).await?,
        };
        let articles = linked_articles(&mut tx, kind, slug).await?;
        tx.commit().await?;
        Ok(articles)
    }

    /// Deletes a topic, author or section. Refused ([`StoreError::InUse`]) while articles
    /// carry it, unless `reassign_to` names another of the same kind: then those articles
    /// carry that one instead, and the old slug redirects to it (merging two topics is this).
    /// Returns the slugs of the articles that were changed.
    pub async fn delete_taxonomy(
        &self,
        kind: TaxonomyKind,
        slug: &str,
        reassign_to: Option<&str>,
    ) -> StoreResult<Vec<String>> {
        let mut tx = self.begin_write().await?;
        let missing = |key: &str| StoreError::Missing {
            kind: kind.code(),
            key: key.to_owned(),
        };
        let id = id_of(&mut tx, kind, slug)
            .await?
            .ok_or_else(|| missing(slug))?;
        let articles = linked_articles(&mut tx, kind, slug).await?;
        match reassign_to {
            Some(target) => {
                let target_id = id_of(&mut tx, kind, target)
                    .await?
                    .filter(|t| *t != id)
                    .ok_or_else(|| missing(target))?;
                let sql = match kind {
                    TaxonomyKind::Topic => {
                        "INSERT INTO article_topics (article_id, topic_id, position) \
                         SELECT x.article_id, $2, x.position FROM article_topics x \
                         WHERE x.topic_id = $1 AND NOT EXISTS (SELECT 1 FROM article_topics y \
                         WHERE y.article_id = x.article_id AND y.topic_id = $2)"
                    }
                    TaxonomyKind::Author => {
                        "INSERT INTO article_authors (article_id, author_id, position) \
                         SELECT x.article_id, $2, x.position FROM article_authors x \
                         WHERE x.author_id = $1 AND NOT EXISTS (SELECT 1 FROM article_authors y \
                         WHERE y.article_id = x.article_id AND y.author_id = $2)"
                    }
                    TaxonomyKind::Section => {
                        "UPDATE articles SET section_id = $2 WHERE section_id = $1"
                    }
                };
                sqlx::query(sql)
                    .bind(id)
                    .bind(target_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(delete_sql(kind))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                redirect(&mut tx, kind, slug, target).await?;
            }
            None => {
                if !articles.is_empty() {
                    return Err(StoreError::InUse {
                        kind: kind.code(),
                        key: slug.to_owned(),
                        count: articles.len(),
                    });
                }
                sqlx::query(delete_sql(kind))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                // Old slugs that led to it now lead nowhere.
                sqlx::query("DELETE FROM slug_redirects WHERE kind = $1 AND new_slug = $2")
                    .bind(kind.code())
                    .bind(slug)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(articles)
    }

    /// Where an old slug of a renamed or merged topic, author or section leads now.
    pub async fn slug_redirect(
        &self,
        kind: TaxonomyKind,
        slug: &str,
    ) -> StoreResult<Option<String>> {
        let row =
            sqlx::query("SELECT new_slug FROM slug_redirects WHERE kind = $1 AND old_slug = $2")
                .bind(kind.code())
                .bind(slug)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Every old slug of a kind (renamed or merged away) that still leads somewhere.
    pub async fn old_slugs(&self, kind: TaxonomyKind) -> StoreResult<Vec<String>> {
        let rows =
            sqlx::query("SELECT old_slug FROM slug_redirects WHERE kind = $1 ORDER BY old_slug")
                .bind(kind.code())
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// How many articles (in any status) carry each topic, author or section of a kind, by
    /// slug: what the back office shows before a delete.
    pub async fn taxonomy_usage(
        &self,
        kind: TaxonomyKind,
    ) -> StoreResult<std::collections::HashMap<String, i64>> {
        let sql = match kind {
            TaxonomyKind::Topic => {
                "SELECT t.slug, COUNT(*) FROM article_topics x JOIN topics t ON t.id = x.topic_id \
                 GROUP BY t.slug"
            }
            TaxonomyKind::Author => {
                "SELECT t.slug, COUNT(*) FROM article_authors x \
                 JOIN authors t ON t.id = x.author_id GROUP BY t.slug"
            }
            TaxonomyKind::Section => {
                "SELECT t.slug, COUNT(*) FROM articles a JOIN sections t ON t.id = a.section_id \
                 GROUP BY t.slug"
            }
        };
        let rows = sqlx::query(sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// A topic, author or section as an editor wrote it (both languages' master text), for
    /// editing.
    pub async fn taxonomy_input(
        &self,
        kind: TaxonomyKind,
        slug: &str,
    ) -> StoreResult<Option<TaxonomyInput>> {
        let sql = match kind {
            TaxonomyKind::Topic => {
                "SELECT slug, name_en, name_zh, hot, hot_order, description_en, description_zh \
                 FROM topics WHERE slug = $1"
            }
            TaxonomyKind::Author => {
                "SELECT au.slug, au.name_en, au.name_zh, au.bio_en, au.bio_zh, m.path \
                 FROM authors au LEFT JOIN media m ON m.id = au.photo_id WHERE au.slug = $1"
            }
            TaxonomyKind::Section => {
                "SELECT slug, name_en, name_zh, position FROM sections WHERE slug = $1"
            }
        };
        let Some(row) = sqlx::query(sql)
            .bind(slug)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(match kind {
            TaxonomyKind::Topic => TaxonomyInput::Topic(TopicInput {
                slug: row.try_get(0)?,
                name_en: row.try_get(1)?,
                name_zh: row.try_get(2)?,
                hot: row.try_get::<i64, _>(3)? != 0,
                hot_order: row.try_get(4)?,
                description_en: row.try_get(5)?,
                description_zh: row.try_get(6)?,
            }),
            TaxonomyKind::Author => TaxonomyInput::Author(AuthorInput {
                slug: row.try_get(0)?,
                name_en: row.try_get(1)?,
                name_zh: row.try_get(2)?,
                bio_en: row.try_get(3)?,
                bio_zh: row.try_get(4)?,
                photo: row.try_get(5)?,
            }),
            TaxonomyKind::Section => TaxonomyInput::Section(SectionInput {
                slug: row.try_get(0)?,
                name_en: row.try_get(1)?,
                name_zh: row.try_get(2)?,
                position: row.try_get(3)?,
            }),
        }))
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
        let row = sqlx::query(
            "SELECT id, slug, names, hot, hot_order, descriptions FROM topics WHERE slug = $1",
        )
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

/// Topics, authors and sections: what articles are filed under and bylined with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaxonomyKind {
    /// A topic.
    Topic,
    /// An author.
    Author,
    /// A section.
    Section,
}

impl TaxonomyKind {
    /// All kinds.
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::Topic,
        TaxonomyKind::Author,
        TaxonomyKind::Section,
    ];

    /// `topic`, `author` or `section`.
    pub fn code(self) -> &'static str {
        match self {
            TaxonomyKind::Topic => "topic",
            TaxonomyKind::Author => "author",
            TaxonomyKind::Section => "section",
        }
    }

    /// The plural, as in URLs: `topics`, `authors`, `sections`.
    pub fn plural(self) -> &'static str {
        match self {
            TaxonomyKind::Topic => "topics",
            TaxonomyKind::Author => "authors",
            TaxonomyKind::Section => "sections",
        }
    }

    /// The kind a plural names.
    pub fn from_plural(plural: &str) -> Option<TaxonomyKind> {
        TaxonomyKind::ALL.into_iter().find(|k| k.plural() == plural)
    }
}

fn delete_sql(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Topic => "DELETE FROM topics WHERE id = $1",
        TaxonomyKind::Author => "DELETE FROM authors WHERE id = $1",
        TaxonomyKind::Section => "DELETE FROM sections WHERE id = $1",
    }
}

/// A topic, author or section as an editor writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaxonomyInput {
    /// A topic.
    Topic(TopicInput),
    /// An author.
    Author(AuthorInput),
    /// A section.
    Section(SectionInput),
}

impl TaxonomyInput {
    /// Which kind.
    pub fn kind(&self) -> TaxonomyKind {
        match self {
            TaxonomyInput::Topic(_) => TaxonomyKind::Topic,
            TaxonomyInput::Author(_) => TaxonomyKind::Author,
            TaxonomyInput::Section(_) => TaxonomyKind::Section,
        }
    }

    /// Its slug.
    pub fn slug(&self) -> &str {
        match self {
            TaxonomyInput::Topic(t) => &t.slug,
            TaxonomyInput::Author(a) => &a.slug,
            TaxonomyInput::Section(s) => &s.slug,
        }
    }

    /// Its English and Chinese names.
    pub fn names(&self) -> (&str, &str) {
        match self {
            TaxonomyInput::Topic(t) => (&t.name_en, &t.name_zh),
            TaxonomyInput::Author(a) => (&a.name_en, &a.name_zh),
            TaxonomyInput::Section(s) => (&s.name_en, &s.name_zh),
        }
    }
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn id_of(tx: &mut Tx, kind: TaxonomyKind, slug: &str) -> StoreResult<Option<i64>> {
    let sql = match kind {
        TaxonomyKind::Topic => "SELECT id FROM topics WHERE slug = $1",
        TaxonomyKind::Author => "SELECT id FROM authors WHERE slug = $1",
        TaxonomyKind::Section => "SELECT id FROM sections WHERE slug = $1",
    };
    let row = sqlx::query(sql)
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// The slugs of the articles (in any status) that carry a topic, author or section.
async fn linked_articles(tx: &mut Tx, kind: TaxonomyKind, slug: &str) -> StoreResult<Vec<String>> {
    let sql = match kind {
        TaxonomyKind::Topic => {
            "SELECT a.slug FROM articles a JOIN article_topics x ON x.article_id = a.id \
             JOIN topics t ON t.id = x.topic_id WHERE t.slug = $1 ORDER BY a.slug"
        }
        TaxonomyKind::Author => {
            "SELECT a.slug FROM articles a JOIN article_authors x ON x.article_id = a.id \
             JOIN authors t ON t.id = x.author_id WHERE t.slug = $1 ORDER BY a.slug"
        }
        TaxonomyKind::Section => {
            "SELECT a.slug FROM articles a JOIN sections t ON t.id = a.section_id \
             WHERE t.slug = $1 ORDER BY a.slug"
        }
    };
    let rows = sqlx::query(sql).bind(slug).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Records that `old` now leads to `new`: earlier slugs that led to `old` lead to `new` too,
/// and `new` itself is no longer an old slug of anything.
async fn redirect(tx: &mut Tx, kind: TaxonomyKind, old: &str, new: &str) -> StoreResult<()> {
    forget_redirect(tx, kind, new).await?;
    sqlx::query("UPDATE slug_redirects SET new_slug = $1 WHERE kind = $2 AND new_slug = $3")
        .bind(new)
        .bind(kind.code())
        .bind(old)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO slug_redirects (kind, old_slug, new_slug) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, old_slug) DO UPDATE SET new_slug = excluded.new_slug",
    )
    .bind(kind.code())
    .bind(old)
    .bind(new)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A slug in use is no longer an old slug of something else: the live page wins.
async fn forget_redirect(tx: &mut Tx, kind: TaxonomyKind, slug: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM slug_redirects WHERE kind = $1 AND old_slug = $2")
        .bind(kind.code())
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How a row is written: created (a slug in use is [`StoreError::Taken`], also when a
/// concurrent create took it first) or created-or-updated by slug.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Write {
    Create,
    Upsert,
}

macro_rules! write_sql {
    ($write:expr, $insert:literal, $update:literal) => {
        match $write {
            Write::Create => concat!($insert, " RETURNING id"),
            Write::Upsert => concat!(
                $insert,
                " ON CONFLICT (slug) DO UPDATE SET ",
                $update,
                " RETURNING id"
            ),
        }
    };
}

async fn upsert_section_in(
    tx: &mut Tx,
    input: &SectionInput,
    converters: &Converters,
    write: Write,
) -> StoreResult<i64> {
    let names = to_json(&converters.localize(&input.name_en, &input.name_zh));
    let row = sqlx::query(write_sql!(
        write,
        "INSERT INTO sections (slug, name_en, name_zh, names, position) VALUES ($1, $2, $3, $4, $5)",
        "name_en = excluded.name_en, name_zh = excluded.name_zh, names = excluded.names, \
         position = excluded.position"
    ))
    .bind(&input.slug)
    .bind(&input.name_en)
    .bind(&input.name_zh)
    .bind(names)
    .bind(input.position)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| taken(e, "section", &input.slug))?;
    forget_redirect(tx, TaxonomyKind::Section, &input.slug).await?;
    Ok(row.try_get(0)?)
}

async fn upsert_topic_in(
    tx: &mut Tx,
    input: &TopicInput,
    converters: &Converters,
    write: Write,
) -> StoreResult<i64> {
    let names = to_json(&converters.localize(&input.name_en, &input.name_zh));
    let descriptions = to_json(&converters.localize(&input.description_en, &input.description_zh));
    let row = sqlx::query(write_sql!(
        write,
        "INSERT INTO topics (slug, name_en, name_zh, names, hot, hot_order, \
         description_en, description_zh, descriptions) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        "name_en = excluded.name_en, \
         name_zh = excluded.name_zh, names = excluded.names, hot = excluded.hot, \
         hot_order = excluded.hot_order, description_en = excluded.description_en, \
         description_zh = excluded.description_zh, descriptions = excluded.descriptions"
    ))
    .bind(&input.slug)
    .bind(&input.name_en)
    .bind(&input.name_zh)
    .bind(names)
    .bind(i64::from(input.hot))
    .bind(input.hot_order)
    .bind(&input.description_en)
    .bind(&input.description_zh)
    .bind(descriptions)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| taken(e, "topic", &input.slug))?;
    forget_redirect(tx, TaxonomyKind::Topic, &input.slug).await?;
    Ok(row.try_get(0)?)
}

async fn upsert_author_in(
    tx: &mut Tx,
    input: &AuthorInput,
    photo_id: Option<i64>,
    converters: &Converters,
    write: Write,
) -> StoreResult<i64> {
    let derived = to_json(&AuthorDerived {
        name: converters.localize(&input.name_en, &input.name_zh),
        bio: converters.localize(&input.bio_en, &input.bio_zh),
    });
    let row = sqlx::query(write_sql!(
        write,
        "INSERT INTO authors (slug, name_en, name_zh, bio_en, bio_zh, derived, photo_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        "name_en = excluded.name_en, \
         name_zh = excluded.name_zh, bio_en = excluded.bio_en, bio_zh = excluded.bio_zh, \
         derived = excluded.derived, photo_id = excluded.photo_id"
    ))
    .bind(&input.slug)
    .bind(&input.name_en)
    .bind(&input.name_zh)
    .bind(&input.bio_en)
    .bind(&input.bio_zh)
    .bind(derived)
    .bind(photo_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| taken(e, "author", &input.slug))?;
    forget_redirect(tx, TaxonomyKind::Author, &input.slug).await?;
    Ok(row.try_get(0)?)
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
        // Empty for a topic not saved since descriptions were added.
        description: match row.try_get::<String, _>("descriptions")?.as_str() {
            "" => Localized::default(),
            json => from_json("topics.descriptions", json)?,
        },
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
