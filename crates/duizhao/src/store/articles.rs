//! Articles: saving an article with everything derived from it in one transaction, and the
//! reads the site needs (one article, lists by filter, the archive's months).

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::media::media_from_row;
use super::taxonomy::{author_from_row, author_select, section_with_prefix, topic_from_row};
use super::{Store, StoreError, StoreResult, from_json, to_json};
use crate::content::{
    Article, ArticleId, ArticleInput, ArticleSummary, Derived, Edition, Language, Script, Section,
    Status,
};

/// Which published articles a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFilter<'a> {
    /// Every published article.
    #[default]
    All,
    /// Articles in a section (by slug).
    Section(&'a str),
    /// Articles with a topic (by slug).
    Topic(&'a str),
    /// Articles by an author (by slug).
    Author(&'a str),
    /// Articles published in `[from, to)`.
    Between(Timestamp, Timestamp),
    /// These articles (search results), at most 100.
    Ids(&'a [ArticleId]),
}

/// A list request: which articles, in which edition's text, which slice.
#[derive(Clone, Copy, Debug)]
pub struct ListQuery<'a> {
    /// Which articles.
    pub filter: ListFilter<'a>,
    /// Titles in this edition where the article has its language.
    pub edition: Edition,
    /// Only articles published before this time.
    pub now: Timestamp,
    /// Items to skip.
    pub offset: i64,
    /// Items to return at most.
    pub limit: i64,
    /// Featured articles first (the home page's lead).
    pub featured_first: bool,
    /// Leave this article out (the lead, shown separately).
    pub exclude: Option<ArticleId>,
}

impl<'a> ListQuery<'a> {
    /// The first `limit` published articles matching `filter`, newest first.
    pub fn new(filter: ListFilter<'a>, edition: Edition, now: Timestamp, limit: i64) -> Self {
        ListQuery {
            filter,
            edition,
            now,
            offset: 0,
            limit,
            featured_first: false,
            exclude: None,
        }
    }

    /// Skips `offset` items.
    pub fn offset(mut self, offset: i64) -> Self {
        self.offset = offset;
        self
    }

    /// Puts featured articles first.
    pub fn featured_first(mut self) -> Self {
        self.featured_first = true;
        self
    }

    /// Leaves one article out.
    pub fn excluding(mut self, id: Option<ArticleId>) -> Self {
        self.exclude = id;
        self
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: i64,
}

/// How an article's slug is held by the database, for status pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleState {
    /// Its id.
    pub id: ArticleId,
    /// Its status.
    pub status: Status,
    /// Its publication time.
    pub published_at: Option<Timestamp>,
}

impl Store {
    /// Saves an article (creating it, or replacing the one with the same slug) with its derived
    /// editions and pairing, all in one transaction: a crash leaves the old article whole.
    /// Revisions are recorded as for any save (see [`Store::save_article_as`]), with no user
    /// and no check for concurrent edits: for imports, the demo and tests.
    pub async fn save_article(
        &self,
        input: &ArticleInput,
        derived: &Derived,
        now: Timestamp,
    ) -> StoreResult<ArticleId> {
        let saved = self
            .save_article_as(input, derived, now, &super::revisions::SaveBy::unchecked())
            .await?;
        Ok(saved.id)
    }
}

/// Writes an article's rows inside a transaction (the article row upserted by slug, its
/// versions, editions, topics and authors replaced); returns its id.
pub(super) async fn write_article(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    input: &ArticleInput,
    derived: &Derived,
    now: Timestamp,
) -> StoreResult<i64> {
    let section_id = match &input.section {
        Some(slug) => {
            Some(lookup_id(tx, "section", super::taxonomy::SECTION_ID_BY_SLUG, slug).await?)
        }
        None => None,
    };
    let hero_id = match &input.hero {
        Some(path) => Some(
            lookup_id(
                tx,
                "media file",
                "SELECT id FROM media WHERE path = $1",
                path,
            )
            .await?,
        ),
        None => None,
    };
    let mut topic_ids = Vec::new();
    for slug in &input.topics {
        topic_ids.push(lookup_id(tx, "topic", super::taxonomy::TOPIC_ID_BY_SLUG, slug).await?);
    }
    let mut author_ids = Vec::new();
    for slug in &input.authors {
        author_ids.push(lookup_id(tx, "author", super::taxonomy::AUTHOR_ID_BY_SLUG, slug).await?);
    }

    let published = input.published_at.map(|t| t.as_second());
    let updated = input
        .updated_at
        .or(input.published_at)
        .unwrap_or(now)
        .as_second();
    let row = sqlx::query(
        "INSERT INTO articles (slug, section_id, hero_id, status, featured, zh_script, \
             zh_rules, published_at, updated_at, created_at, pairing) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (slug) DO UPDATE SET section_id = excluded.section_id, \
             hero_id = excluded.hero_id, status = excluded.status, featured = excluded.featured, \
             zh_script = excluded.zh_script, zh_rules = excluded.zh_rules, \
             published_at = excluded.published_at, updated_at = excluded.updated_at, \
             pairing = excluded.pairing \
             RETURNING id",
    )
    .bind(&input.slug)
    .bind(section_id)
    .bind(hero_id)
    .bind(input.status.code())
    .bind(i64::from(input.featured))
    .bind(input.zh_script.code())
    .bind(&input.zh_rules)
    .bind(published)
    .bind(updated)
    .bind(now.as_second())
    .bind(to_json(&derived.pairing))
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get(0)?;

    for table in [
        "DELETE FROM article_versions WHERE article_id = $1",
        "DELETE FROM article_editions WHERE article_id = $1",
        "DELETE FROM article_topics WHERE article_id = $1",
        "DELETE FROM article_authors WHERE article_id = $1",
    ] {
        sqlx::query(table).bind(id).execute(&mut **tx).await?;
    }
    for language in [Language::En, Language::Zh] {
        let Some(v) = input.version(language) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO article_versions (article_id, lang, title, dek, body, \
                 hero_caption, hero_credit) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(language.code())
        .bind(&v.title)
        .bind(&v.dek)
        .bind(&v.body)
        .bind(&v.hero_caption)
        .bind(&v.hero_credit)
        .execute(&mut **tx)
        .await?;
    }
    for (edition, text) in &derived.editions {
        sqlx::query(
            "INSERT INTO article_editions (article_id, edition, title, dek, hero_caption, \
                 hero_credit, blocks) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(edition.code())
        .bind(&text.title)
        .bind(&text.dek)
        .bind(&text.hero_caption)
        .bind(&text.hero_credit)
        .bind(to_json(&text.blocks))
        .execute(&mut **tx)
        .await?;
    }
    for (position, topic) in topic_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO article_topics (article_id, topic_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(*topic)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    for (position, author) in author_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(*author)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

impl Store {
    /// Changes an article's status (publish, unpublish), keeping everything else.
    pub async fn set_article_status(
        &self,
        slug: &str,
        status: Status,
        published_at: Option<Timestamp>,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE articles SET status = $1, published_at = COALESCE($2, published_at) \
             WHERE slug = $3",
        )
        .bind(status.code())
        .bind(published_at.map(|t| t.as_second()))
        .bind(slug)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Missing {
                kind: "article",
                key: slug.to_owned(),
            });
        }
        Ok(())
    }

    /// The status of the article with this slug, if there is one (for 404 versus 410).
    pub async fn article_state(&self, slug: &str) -> StoreResult<Option<ArticleState>> {
        let row = sqlx::query("SELECT id, status, published_at FROM articles WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            Ok(ArticleState {
                id: ArticleId(row.try_get("id")?),
                status: status_from(&row)?,
                published_at: time_from(row.try_get("published_at")?)?,
            })
        })
        .transpose()
    }

    /// An article with its English text and its Chinese text in `chinese` (a Chinese edition),
    /// whatever its status: the caller decides who may see it.
    pub async fn article(&self, slug: &str, chinese: Edition) -> StoreResult<Option<Article>> {
        // One connection for the four queries: each trip through the pool costs a round trip
        // to SQLite's worker thread on release.
        let mut conn = self.pool().acquire().await?;
        let Some(row) = sqlx::query(
            "SELECT a.id, a.slug, a.status, a.published_at, a.updated_at, a.zh_script, \
             a.pairing, s.id AS s_id, s.slug AS s_slug, s.names AS s_names, \
             s.position AS s_position, m.id AS m_id, m.path AS m_path, m.mime AS m_mime, \
             m.alts AS m_alts, m.captions AS m_captions, m.width AS m_width, \
             m.height AS m_height, m.variants AS m_variants \
             FROM articles a LEFT JOIN sections s ON s.id = a.section_id \
             LEFT JOIN media m ON m.id = a.hero_id WHERE a.slug = $1",
        )
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let section = optional_section(&row)?;

        let mut en = None;
        let mut zh = None;
        let editions = sqlx::query(
            "SELECT edition, title, dek, hero_caption, hero_credit, blocks \
             FROM article_editions WHERE article_id = $1 AND edition IN ('en', $2)",
        )
        .bind(id)
        .bind(chinese.code())
        .fetch_all(&mut *conn)
        .await?;
        for e in editions {
            let text = crate::content::EditionText {
                title: e.try_get("title")?,
                dek: e.try_get("dek")?,
                hero_caption: e.try_get("hero_caption")?,
                hero_credit: e.try_get("hero_credit")?,
                blocks: from_json(
                    "article_editions.blocks",
                    &e.try_get::<String, _>("blocks")?,
                )?,
            };
            if e.try_get::<String, _>("edition")? == "en" {
                en = Some(text);
            } else {
                zh = Some(text);
            }
        }

        let topics = sqlx::query(
            "SELECT t.id, t.slug, t.names, t.hot, t.hot_order, t.descriptions FROM article_topics at \
             JOIN topics t ON t.id = at.topic_id WHERE at.article_id = $1 ORDER BY at.position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(topic_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
        let authors = sqlx::query(concat!(
            author_select!(),
            " JOIN article_authors aa ON aa.author_id = au.id WHERE aa.article_id = $1 \
             ORDER BY aa.position"
        ))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(author_from_row)
        .collect::<StoreResult<Vec<_>>>()?;

        Ok(Some(Article {
            id: ArticleId(id),
            slug: row.try_get("slug")?,
            status: status_from(&row)?,
            published_at: time_from(row.try_get("published_at")?)?,
            updated_at: time_from(Some(row.try_get("updated_at")?))?.unwrap_or_default(),
            zh_script: Script::from_code(&row.try_get::<String, _>("zh_script")?).ok_or(
                StoreError::Corrupt {
                    what: "articles.zh_script",
                    detail: "unknown script".into(),
                },
            )?,
            section,
            topics,
            authors,
            hero: media_from_row(&row, "m_")?,
            en,
            zh,
            pairing: from_json("articles.pairing", &row.try_get::<String, _>("pairing")?)?,
        }))
    }

    /// A page of published articles, with titles in the query's edition where the article has
    /// that language and in the other language where not.
    pub async fn list_published(&self, q: &ListQuery<'_>) -> StoreResult<Page<ArticleSummary>> {
        self.list(q, true).await
    }

    /// The articles of [`Store::list_published`] without the total, for lists that show no
    /// pager: one query fewer.
    pub async fn list_published_items(
        &self,
        q: &ListQuery<'_>,
    ) -> StoreResult<Vec<ArticleSummary>> {
        Ok(self.list(q, false).await?.items)
    }

    /// The list; the total is counted only when `with_total` (else it is 0).
    async fn list(&self, q: &ListQuery<'_>, with_total: bool) -> StoreResult<Page<ArticleSummary>> {
        let ListQuery {
            filter,
            edition,
            now,
            offset,
            limit,
            featured_first,
            exclude,
        } = *q;
        // Statement text is assembled from fixed pieces only; every value is bound.
        let mut binds = vec![Bind::Int(now.as_second())];
        let condition = match filter {
            ListFilter::All => String::new(),
            ListFilter::Section(slug) => {
                binds.push(Bind::Text(slug.to_owned()));
                " AND a.section_id = (SELECT id FROM sections WHERE slug = $2)".to_owned()
            }
            ListFilter::Topic(slug) => {
                binds.push(Bind::Text(slug.to_owned()));
                " AND a.id IN (SELECT at.article_id FROM article_topics at JOIN topics t \
                 ON t.id = at.topic_id WHERE t.slug = $2)"
                    .to_owned()
            }
            ListFilter::Author(slug) => {
                binds.push(Bind::Text(slug.to_owned()));
                " AND a.id IN (SELECT aa.article_id FROM article_authors aa JOIN authors au \
                 ON au.id = aa.author_id WHERE au.slug = $2)"
                    .to_owned()
            }
            ListFilter::Between(from, to) => {
                binds.push(Bind::Int(from.as_second()));
                binds.push(Bind::Int(to.as_second()));
                " AND a.published_at >= $2 AND a.published_at < $3".to_owned()
            }
            ListFilter::Ids(ids) => {
                let mut placeholders = Vec::new();
                for id in ids.iter().take(100) {
                    binds.push(Bind::Int(id.0));
                    placeholders.push(format!("${}", binds.len()));
                }
                if placeholders.is_empty() {
                    " AND 1 = 0".to_owned()
                } else {
                    format!(" AND a.id IN ({})", placeholders.join(", "))
                }
            }
        };
        let mut condition = condition;
        if let Some(id) = exclude {
            binds.push(Bind::Int(id.0));
            condition.push_str(&format!(" AND a.id <> ${}", binds.len()));
        }
        let filtered = format!("a.status = 'published' AND a.published_at <= $1{condition}");

        // One connection for both queries (see `article`).
        let mut conn = self.pool().acquire().await?;
        let count_sql = format!("SELECT COUNT(*) FROM articles a WHERE {filtered}");
        let total: i64 = if with_total {
            bind_all(sqlx::query(sqlx::AssertSqlSafe(count_sql)), &binds)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?
        } else {
            0
        };

        let other = match edition.language() {
            Language::En => Edition::ZhHans,
            Language::Zh => Edition::En,
        };
        let order = if featured_first {
            "a.featured DESC, a.published_at DESC, a.id DESC"
        } else {
            "a.published_at DESC, a.id DESC"
        };
        let n = binds.len();
        let (p_ed, p_other, p_limit, p_offset) = (n + 1, n + 2, n + 3, n + 4);
        binds.extend([
            Bind::Text(edition.code().to_owned()),
            Bind::Text(other.code().to_owned()),
            Bind::Int(limit),
            Bind::Int(offset),
        ]);
        let list_sql = format!(
            "SELECT a.id, a.slug, a.published_at, \
             EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.lang = 'en') AS has_en, \
             EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.lang = 'zh') AS has_zh, \
             COALESCE(e.title, o.title) AS title, COALESCE(e.dek, o.dek) AS dek, \
             CASE WHEN e.title IS NULL THEN o.edition ELSE e.edition END AS text_edition, \
             s.id AS s_id, s.slug AS s_slug, s.names AS s_names, s.position AS s_position, \
             m.id AS m_id, m.path AS m_path, m.mime AS m_mime, m.alts AS m_alts, \
             m.captions AS m_captions, m.width AS m_width, m.height AS m_height, \
             m.variants AS m_variants \
             FROM articles a \
             LEFT JOIN article_editions e ON e.article_id = a.id AND e.edition = ${p_ed} \
             LEFT JOIN article_editions o ON o.article_id = a.id AND o.edition = ${p_other} \
             LEFT JOIN sections s ON s.id = a.section_id \
             LEFT JOIN media m ON m.id = a.hero_id \
             WHERE {filtered} ORDER BY {order} LIMIT ${p_limit} OFFSET ${p_offset}"
        );
        let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(list_sql)), &binds)
            .fetch_all(&mut *conn)
            .await?;
        let items = rows
            .iter()
            .map(summary_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page { items, total })
    }

    /// Publication times of every published article, for the archive's month list.
    pub async fn published_times(&self, now: Timestamp) -> StoreResult<Vec<Timestamp>> {
        let rows = sqlx::query(
            "SELECT published_at FROM articles WHERE status = 'published' AND published_at <= $1 \
             ORDER BY published_at DESC",
        )
        .bind(now.as_second())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok(time_from(r.try_get("published_at")?)?.unwrap_or_default()))
            .collect()
    }
}

/// A value to bind to a statement assembled at run time.
enum Bind {
    Int(i64),
    Text(String),
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: &[Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(*i),
            Bind::Text(t) => query.bind(t.clone()),
        };
    }
    query
}

async fn lookup_id(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: &'static str,
    sql: &'static str,
    key: &str,
) -> StoreResult<i64> {
    let row = sqlx::query(sql).bind(key).fetch_optional(&mut **tx).await?;
    match row {
        Some(row) => Ok(row.try_get(0)?),
        None => Err(StoreError::Missing {
            kind,
            key: key.to_owned(),
        }),
    }
}

pub(super) fn status_from(row: &AnyRow) -> StoreResult<Status> {
    let code: String = row.try_get("status")?;
    Status::from_code(&code).ok_or(StoreError::Corrupt {
        what: "articles.status",
        detail: code,
    })
}

pub(super) fn time_from(seconds: Option<i64>) -> StoreResult<Option<Timestamp>> {
    seconds.map(time_at).transpose()
}

/// Reads a stored time (seconds since the epoch).
pub(super) fn time_at(seconds: i64) -> StoreResult<Timestamp> {
    Timestamp::from_second(seconds).map_err(|e| StoreError::Corrupt {
        what: "a timestamp",
        detail: e.to_string(),
    })
}

fn optional_section(row: &AnyRow) -> StoreResult<Option<Section>> {
    let id: Option<i64> = row.try_get("s_id")?;
    if id.is_none() {
        return Ok(None);
    }
    section_with_prefix(row, "s_").map(Some)
}

fn summary_from_row(row: &AnyRow) -> StoreResult<ArticleSummary> {
    let text_edition: String = row.try_get("text_edition")?;
    Ok(ArticleSummary {
        id: ArticleId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        published_at: time_from(row.try_get("published_at")?)?.unwrap_or_default(),
        has_en: flag(row, "has_en")?,
        has_zh: flag(row, "has_zh")?,
        title: row
            .try_get::<Option<String>, _>("title")?
            .unwrap_or_default(),
        dek: row.try_get::<Option<String>, _>("dek")?.unwrap_or_default(),
        text_edition: text_edition.parse().map_err(|_| StoreError::Corrupt {
            what: "article_editions.edition",
            detail: text_edition.clone(),
        })?,
        hero: media_from_row(row, "m_")?,
        section: optional_section(row)?,
    })
}

/// Reads a boolean expression: SQLite gives an integer, PostgreSQL a boolean.
fn flag(row: &AnyRow, name: &str) -> StoreResult<bool> {
    match row.try_get::<bool, _>(name) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(name)? != 0),
    }
}

impl Store {
    /// How many articles there are, in any state.
    pub async fn article_count(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM articles")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get(0)?)
    }
}

/// A published article as the sitemaps list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedArticle {
    /// Database id.
    pub id: ArticleId,
    /// URL name.
    pub slug: String,
    /// Publication time.
    pub published_at: Timestamp,
    /// Last update (never before the publication).
    pub updated_at: Timestamp,
    /// Whether there is an English version.
    pub has_en: bool,
    /// Whether there is a Chinese version.
    pub has_zh: bool,
}

impl IndexedArticle {
    /// Whether the article has a version in this language.
    pub fn has(&self, language: Language) -> bool {
        match language {
            Language::En => self.has_en,
            Language::Zh => self.has_zh,
        }
    }
}

impl Store {
    /// Published articles with a version in `language`, oldest id first, `limit` from
    /// `offset`: the articles of an edition's sitemaps. Id order keeps a sitemap's pages stable
    /// as articles are added (new ones land on the last page).
    pub async fn published_index(
        &self,
        now: Timestamp,
        language: Language,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<IndexedArticle>> {
        let rows = sqlx::query(
            "SELECT a.id, a.slug, a.published_at, a.updated_at, \
             EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.lang = 'en') AS has_en, \
             EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.lang = 'zh') AS has_zh \
             FROM articles a WHERE a.status = 'published' AND a.published_at <= $1 \
             AND EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.lang = $2) \
             ORDER BY a.id LIMIT $3 OFFSET $4",
        )
        .bind(now.as_second())
        .bind(language.code())
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let published_at = time_from(row.try_get("published_at")?)?.unwrap_or_default();
                let updated_at = time_from(Some(row.try_get("updated_at")?))?.unwrap_or_default();
                Ok(IndexedArticle {
                    id: ArticleId(row.try_get("id")?),
                    slug: row.try_get("slug")?,
                    published_at,
                    updated_at: updated_at.max(published_at),
                    has_en: flag(row, "has_en")?,
                    has_zh: flag(row, "has_zh")?,
                })
            })
            .collect()
    }

    /// How many articles [`Store::published_index`] lists in all.
    pub async fn published_index_count(
        &self,
        now: Timestamp,
        language: Language,
    ) -> StoreResult<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM articles a WHERE a.status = 'published' AND a.published_at <= $1 \
             AND EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.lang = $2)",
        )
        .bind(now.as_second())
        .bind(language.code())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }
}

impl Store {
    /// Every article's slug, in any state, oldest first.
    pub async fn article_slugs(&self) -> StoreResult<Vec<String>> {
        let rows = sqlx::query("SELECT slug FROM articles ORDER BY id")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("slug")?)).collect()
    }
}
