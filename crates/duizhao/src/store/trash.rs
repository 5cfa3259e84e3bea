//! The trash and the editor's autosaves (see migration 0006).

use jiff::Timestamp;
use sqlx::Row;

use super::articles::time_at;
use super::{Store, StoreError, StoreResult};
use crate::accounts::UserId;
use crate::content::ArticleId;

/// How long a deleted article can be restored.
pub const TRASH_DAYS: i64 = 30;

/// An autosaved form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Autosave {
    /// The revision the user was editing.
    pub base_revision: i64,
    /// The form's fields, as JSON.
    pub form: String,
    /// When it was saved.
    pub saved_at: Timestamp,
}

impl Store {
    /// Moves an article to the trash. A published or scheduled article stops being public:
    /// published becomes unpublished (its URLs answer 410), scheduled becomes a draft. Fails
    /// with `Missing` when there is no such article, or it is in the trash already.
    pub async fn trash_article(&self, slug: &str, now: Timestamp) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE articles SET deleted_at = $1, status = CASE status \
             WHEN 'published' THEN 'unpublished' WHEN 'scheduled' THEN 'draft' ELSE status END \
             WHERE slug = $2 AND deleted_at IS NULL",
        )
        .bind(now.as_second())
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

    /// Takes an article out of the trash, as it was when deleted (not public: it is published
    /// again by a person). Fails with `Missing` when it is not in the trash.
    pub async fn restore_article(&self, slug: &str) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE articles SET deleted_at = NULL WHERE slug = $1 AND deleted_at IS NOT NULL",
        )
        .bind(slug)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Missing {
                kind: "article in the trash",
                key: slug.to_owned(),
            });
        }
        Ok(())
    }

    /// Removes for good the articles deleted before `before` (their versions, editions,
    /// revisions and assignments go with them); returns their slugs.
    pub async fn purge_trash(&self, before: Timestamp) -> StoreResult<Vec<String>> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query("SELECT id, slug FROM articles WHERE deleted_at < $1")
            .bind(before.as_second())
            .fetch_all(&mut *tx)
            .await?;
        let mut slugs = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            sqlx::query("DELETE FROM autosaves WHERE article_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM articles WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            slugs.push(row.try_get("slug")?);
        }
        tx.commit().await?;
        Ok(slugs)
    }

    /// Keeps what `user` typed into the editor of `article` (`None`: a new article).
    pub async fn put_autosave(
        &self,
        user: UserId,
        article: Option<ArticleId>,
        base_revision: i64,
        form: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO autosaves (user_id, article_id, base_revision, form, saved_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, article_id) DO UPDATE SET \
             base_revision = excluded.base_revision, form = excluded.form, \
             saved_at = excluded.saved_at",
        )
        .bind(user.0)
        .bind(article.map_or(0, |a| a.0))
        .bind(base_revision)
        .bind(form)
        .bind(now.as_second())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// What `user` last autosaved in the editor of `article`, if anything.
    pub async fn autosave(
        &self,
        user: UserId,
        article: Option<ArticleId>,
    ) -> StoreResult<Option<Autosave>> {
        let row = sqlx::query(
            "SELECT base_revision, form, saved_at FROM autosaves \
             WHERE user_id = $1 AND article_id = $2",
        )
        .bind(user.0)
        .bind(article.map_or(0, |a| a.0))
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(Autosave {
                base_revision: row.try_get("base_revision")?,
                form: row.try_get("form")?,
                saved_at: time_at(row.try_get("saved_at")?)?,
            })
        })
        .transpose()
    }

    /// Forgets `user`'s autosave of `article` (after a save, or when they discard it).
    pub async fn clear_autosave(
        &self,
        user: UserId,
        article: Option<ArticleId>,
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM autosaves WHERE user_id = $1 AND article_id = $2")
            .bind(user.0)
            .bind(article.map_or(0, |a| a.0))
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
