//! Saving with revisions: every save of an article bumps its revision number, records the
//! parts it changed (each language version's text, and the metadata) so that they can be
//! compared and restored, and, when the editor names the revision it started from, refuses
//! to overwrite a save made by someone else in between ([`StoreError::Conflict`]).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::articles::{status_from, time_at, time_from, write_article};
use super::{Store, StoreError, StoreResult, from_json, to_json};
use crate::accounts::{ArticleAccess, UserId};
use crate::content::{ArticleId, ArticleInput, Derived, Language, Script, Status, VersionText};

/// What a save expects to find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No article with this slug yet: creating one must not replace another.
    New,
    /// The article at this revision: anything else is a conflict.
    Revision(i64),
    /// Whatever is there (imports, the demo).
    Any,
}

/// Who saves and what they expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaveBy {
    /// The user saving, if a person.
    pub user: Option<UserId>,
    /// The expected state.
    pub expect: Expect,
}

impl SaveBy {
    /// A save by no one in particular, replacing whatever is there.
    pub fn unchecked() -> SaveBy {
        SaveBy {
            user: None,
            expect: Expect::Any,
        }
    }
}

/// The result of a save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The article's id.
    pub id: ArticleId,
    /// Its new revision number.
    pub revision: i64,
}

/// A part of an article that has its own history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// One language version's text.
    Version(Language),
    /// Slug, section, topics, authors, hero, status, schedule, conversion rules.
    Meta,
}

impl Part {
    /// The stored form.
    pub fn code(self) -> &'static str {
        match self {
            Part::Version(l) => l.code(),
            Part::Meta => "meta",
        }
    }

    /// Parses the stored form.
    pub fn from_code(s: &str) -> Option<Part> {
        match s {
            "en" => Some(Part::Version(Language::En)),
            "zh" => Some(Part::Version(Language::Zh)),
            "meta" => Some(Part::Meta),
            _ => None,
        }
    }
}

/// An article's metadata as its revision history keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Section slug.
    pub section: Option<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// Author slugs.
    pub authors: Vec<String>,
    /// Hero image path.
    pub hero: Option<String>,
    /// Status.
    pub status: Status,
    /// Lead story.
    pub featured: bool,
    /// Script of the Chinese master.
    pub zh_script: Script,
    /// Per-article conversion rules.
    pub zh_rules: String,
    /// Publication time.
    pub published_at: Option<Timestamp>,
}

impl Meta {
    /// The metadata of an input.
    pub fn of(input: &ArticleInput) -> Meta {
        Meta {
            section: input.section.clone(),
            topics: input.topics.clone(),
            authors: input.authors.clone(),
            hero: input.hero.clone(),
            status: input.status,
            featured: input.featured,
            zh_script: input.zh_script,
            zh_rules: input.zh_rules.clone(),
            published_at: input.published_at,
        }
    }
}

/// One entry of a part's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// The article's revision number at that save.
    pub revision: i64,
    /// Who saved (display name or username), if a person.
    pub saved_by: Option<String>,
    /// When.
    pub saved_at: Timestamp,
    /// The content: a [`VersionText`] or a [`Meta`], as JSON.
    pub content: String,
}

/// An article as the editor opens it: the master text, and what the save and permission
/// checks need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editable {
    /// Database id.
    pub id: ArticleId,
    /// Current revision.
    pub revision: i64,
    /// What the editor edits.
    pub input: ArticleInput,
    /// For permission checks.
    pub access: ArticleAccess,
    /// When it was deleted, while it is in the trash.
    pub deleted_at: Option<Timestamp>,
}

impl Store {
    /// Saves an article as [`Store::save_article`] does, in one transaction, checking
    /// `by.expect` and recording the revision.
    pub async fn save_article_as(
        &self,
        input: &ArticleInput,
        derived: &Derived,
        now: Timestamp,
        by: &SaveBy,
    ) -> StoreResult<Saved> {
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query("SELECT id, revision FROM articles WHERE slug = $1")
            .bind(&input.slug)
            .fetch_optional(&mut *tx)
            .await?;
        let existing = existing
            .map(|row| -> StoreResult<(i64, i64)> { Ok((row.try_get(0)?, row.try_get(1)?)) })
            .transpose()?;
        match (by.expect, existing) {
            (Expect::New, Some(_)) => {
                return Err(StoreError::Taken {
                    kind: "article slug",
                    key: input.slug.clone(),
                });
            }
            (Expect::Revision(_), None) => {
                return Err(StoreError::Missing {
                    kind: "article",
                    key: input.slug.clone(),
                });
            }
            (Expect::Revision(expected), Some((_, current))) if expected != current => {
                return Err(StoreError::Conflict { expected, current });
            }
            _ => {}
        }
        // Previous texts, to record only what changed.
        let mut previous: Vec<(Part, String)> = Vec::new();
        if let Some((id, revision)) = existing {
            // The compare-and-set that makes concurrent saves safe: of two transactions that
            // both read `revision`, only one can move it on.
            let bumped = sqlx::query(
                "UPDATE articles SET revision = revision + 1 WHERE id = $1 AND revision = $2",
            )
            .bind(id)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
            if bumped.rows_affected() == 0 {
                return Err(StoreError::Conflict {
                    expected: revision,
                    current: revision + 1,
                });
            }
            for part in [
                Part::Version(Language::En),
                Part::Version(Language::Zh),
                Part::Meta,
            ] {
                let row = sqlx::query(
                    "SELECT content FROM revisions WHERE article_id = $1 AND part = $2 \
                     ORDER BY revision DESC LIMIT 1",
                )
                .bind(id)
                .bind(part.code())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(row) = row {
                    previous.push((part, row.try_get(0)?));
                }
            }
        }
        let id = write_article(&mut tx, input, derived, now).await?;
        let revision = match existing {
            Some((_, revision)) => revision + 1,
            None => {
                sqlx::query("UPDATE articles SET revision = 1, created_by = $1 WHERE id = $2")
                    .bind(by.user.map(|u| u.0))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                1
            }
        };
        let empty = VersionText::default();
        let parts = [
            (
                Part::Version(Language::En),
                to_json(input.en.as_ref().unwrap_or(&empty)),
            ),
            (
                Part::Version(Language::Zh),
                to_json(input.zh.as_ref().unwrap_or(&empty)),
            ),
            (Part::Meta, to_json(&Meta::of(input))),
        ];
        for (part, content) in parts {
            let unchanged = previous.iter().any(|(p, c)| *p == part && *c == content);
            let never_written =
                !previous.iter().any(|(p, _)| *p == part) && content == to_json(&empty);
            if unchanged || never_written {
                continue;
            }
            sqlx::query(
                "INSERT INTO revisions (article_id, revision, part, content, saved_by, saved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(revision)
            .bind(part.code())
            .bind(content)
            .bind(by.user.map(|u| u.0))
            .bind(now.as_second())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Saved {
            id: ArticleId(id),
            revision,
        })
    }

    /// A part's history, newest first.
    pub async fn revisions(&self, article: ArticleId, part: Part) -> StoreResult<Vec<Revision>> {
        let rows = sqlx::query(
            "SELECT r.revision, r.content, r.saved_at, u.display_name, u.username \
             FROM revisions r LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.article_id = $1 AND r.part = $2 ORDER BY r.revision DESC",
        )
        .bind(article.0)
        .bind(part.code())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let display: Option<String> = row.try_get("display_name")?;
                let username: Option<String> = row.try_get("username")?;
                Ok(Revision {
                    revision: row.try_get("revision")?,
                    saved_by: match (display, username) {
                        (Some(d), _) if !d.is_empty() => Some(d),
                        (_, u) => u,
                    },
                    saved_at: time_at(row.try_get("saved_at")?)?,
                    content: row.try_get("content")?,
                })
            })
            .collect()
    }

    /// The article with this slug as the editor opens it.
    pub async fn editable(&self, slug: &str) -> StoreResult<Option<Editable>> {
        let mut conn = self.pool().acquire().await?;
        let Some(row) = sqlx::query(
            "SELECT a.id, a.revision, a.created_by, a.status, a.featured, a.zh_script, \
             a.zh_rules, a.published_at, a.updated_at, a.deleted_at, s.slug AS section, \
             m.path AS hero \
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
        let status = status_from(&row)?;
        let script: String = row.try_get("zh_script")?;
        let zh_script = Script::from_code(&script).ok_or(StoreError::Corrupt {
            what: "articles.zh_script",
            detail: script,
        })?;
        let topics = slugs(
            &mut conn,
            id,
            "SELECT t.slug FROM article_topics x JOIN topics t ON t.id = x.topic_id \
             WHERE x.article_id = $1 ORDER BY x.position",
        )
        .await?;
        let authors = slugs(
            &mut conn,
            id,
            "SELECT au.slug FROM article_authors x JOIN authors au ON au.id = x.author_id \
             WHERE x.article_id = $1 ORDER BY x.position",
        )
        .await?;
        let mut en = None;
        let mut zh = None;
        for v in sqlx::query(
            "SELECT lang, title, dek, body, hero_caption, hero_credit FROM article_versions \
             WHERE article_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        {
            let text = VersionText {
                title: v.try_get("title")?,
                dek: v.try_get("dek")?,
                body: v.try_get("body")?,
                hero_caption: v.try_get("hero_caption")?,
                hero_credit: v.try_get("hero_credit")?,
            };
            match v.try_get::<String, _>("lang")?.as_str() {
                "en" => en = Some(text),
                _ => zh = Some(text),
            }
        }
        let assignments =
            sqlx::query("SELECT user_id, lang FROM article_assignments WHERE article_id = $1")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| -> StoreResult<(UserId, Language)> {
                    let lang: String = r.try_get("lang")?;
                    let language = if lang == "en" {
                        Language::En
                    } else {
                        Language::Zh
                    };
                    Ok((UserId(r.try_get("user_id")?), language))
                })
                .collect::<StoreResult<Vec<_>>>()?;
        let published_at = time_from(row.try_get("published_at")?)?;
        Ok(Some(Editable {
            id: ArticleId(id),
            revision: row.try_get("revision")?,
            deleted_at: time_from(row.try_get("deleted_at")?)?,
            access: ArticleAccess {
                created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
                status,
                assignments,
            },
            input: ArticleInput {
                slug: slug.to_owned(),
                section: row.try_get("section")?,
                topics,
                authors,
                hero: row.try_get("hero")?,
                status,
                featured: row.try_get::<i64, _>("featured")? != 0,
                zh_script,
                zh_rules: row.try_get("zh_rules")?,
                published_at,
                updated_at: time_from(row.try_get("updated_at")?)?,
                en,
                zh,
            },
        }))
    }
}

async fn slugs(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    sql: &'static str,
) -> StoreResult<Vec<String>> {
    let rows = sqlx::query(sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<Vec<_>, _>>()?)
}

/// Reads a stored version text.
pub fn version_text(content: &str) -> StoreResult<VersionText> {
    from_json("revisions.content", content)
}

/// An article as the back office lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminRow {
    /// Database id.
    pub id: ArticleId,
    /// URL name.
    pub slug: String,
    /// English headline, if any.
    pub title_en: Option<String>,
    /// Chinese headline (master script), if any.
    pub title_zh: Option<String>,
    /// Status.
    pub status: Status,
    /// Publication time.
    pub published_at: Option<Timestamp>,
    /// Last update.
    pub updated_at: Timestamp,
    /// Revision.
    pub revision: i64,
    /// When it was deleted, if it is in the trash.
    pub deleted_at: Option<Timestamp>,
}

/// Which articles a back-office list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visible {
    /// All (admins, editors).
    All,
    /// Those the user created (authors).
    CreatedBy(UserId),
    /// Those the user is assigned to (translators).
    AssignedTo(UserId),
}

impl Store {
    /// Articles for the back office, newest update first, optionally of one status: those in
    /// the trash when `trashed`, else the others.
    pub async fn admin_articles(
        &self,
        visible: Visible,
        status: Option<Status>,
        trashed: bool,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<AdminRow>> {
        let (who, user) = match visible {
            Visible::All => ("$3 = 0", 0),
            Visible::CreatedBy(u) => ("a.created_by = $3", u.0),
            Visible::AssignedTo(u) => (
                "EXISTS (SELECT 1 FROM article_assignments x \
                 WHERE x.article_id = a.id AND x.user_id = $3)",
                u.0,
            ),
        };
        let sql = format!(
            "SELECT a.id, a.slug, a.status, a.published_at, a.updated_at, a.revision, a.deleted_at, \
             (SELECT title FROM article_versions v WHERE v.article_id = a.id AND v.lang = 'en') \
             AS title_en, \
             (SELECT title FROM article_versions v WHERE v.article_id = a.id AND v.lang = 'zh') \
             AS title_zh \
             FROM articles a WHERE {who} AND a.status = COALESCE($4, a.status) \
             AND (CASE WHEN a.deleted_at IS NULL THEN 0 ELSE 1 END) = $5 \
             ORDER BY a.updated_at DESC, a.id DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .bind(offset)
            .bind(user)
            .bind(status.map(Status::code))
            .bind(i64::from(trashed))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(AdminRow {
                    id: ArticleId(row.try_get("id")?),
                    slug: row.try_get("slug")?,
                    title_en: row.try_get("title_en")?,
                    title_zh: row.try_get("title_zh")?,
                    status: status_from(row)?,
                    published_at: time_from(row.try_get("published_at")?)?,
                    updated_at: time_at(row.try_get("updated_at")?)?,
                    revision: row.try_get("revision")?,
                    deleted_at: time_from(row.try_get("deleted_at")?)?,
                })
            })
            .collect()
    }

    /// Publishes the scheduled articles whose time has come; returns their slugs. Safe to run
    /// on several app servers at once: each article is switched by exactly one of them.
    pub async fn publish_due(&self, now: Timestamp) -> StoreResult<Vec<String>> {
        let rows = sqlx::query(
            "UPDATE articles SET status = 'published' \
             WHERE status = 'scheduled' AND published_at <= $1 RETURNING slug",
        )
        .bind(now.as_second())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<Vec<_>, _>>()?)
    }
}

impl Store {
    /// Slugs of the articles whose Chinese version (headline, summary, body, captions)
    /// contains any of `phrases`.
    pub async fn articles_containing(&self, phrases: &[String]) -> StoreResult<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for phrase in phrases.iter().filter(|p| !p.is_empty()) {
            let pattern = format!(
                "%{}%",
                phrase
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let rows = sqlx::query(
                "SELECT a.slug FROM articles a JOIN article_versions v ON v.article_id = a.id \
                 WHERE v.lang = 'zh' AND (v.title LIKE $1 ESCAPE '\\' OR v.dek LIKE $1 ESCAPE '\\' \
                 OR v.body LIKE $1 ESCAPE '\\' OR v.hero_caption LIKE $1 ESCAPE '\\')",
            )
            .bind(pattern)
            .fetch_all(self.pool())
            .await?;
            for row in rows {
                let slug: String = row.try_get(0)?;
                if !out.contains(&slug) {
                    out.push(slug);
                }
            }
        }
        Ok(out)
    }
}
