//! Users, sessions, API tokens, translation assignments and site settings (login throttling
//! is in [`super::logins`]).
//!
//! Tokens arrive here already hashed ([`crate::accounts::token::digest`]): the database never
//! sees a secret it could leak.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::articles::time_at;
use super::{Store, StoreError, StoreResult};
use crate::accounts::{Role, User, UserId};
use crate::content::{ArticleId, Language};

/// A new account.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Name shown in the back office.
    pub display_name: &'a str,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
}

/// An account as the user list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The user.
    pub user: User,
    /// Whether sign-in is refused.
    pub disabled: bool,
    /// When created.
    pub created_at: Timestamp,
}

/// A signed-in session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Its user.
    pub user: User,
    /// The CSRF token forms of this session must carry.
    pub csrf: String,
    /// When it was last used (refreshed at most every few minutes).
    pub last_seen: Timestamp,
}

/// An API token as listed (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    /// Database id.
    pub id: i64,
    /// Its owner.
    pub user_id: UserId,
    /// What it is for.
    pub name: String,
    /// When created.
    pub created_at: Timestamp,
    /// When last used.
    pub last_used: Option<Timestamp>,
    /// When revoked.
    pub revoked_at: Option<Timestamp>,
}

pub(crate) fn user_from(row: &AnyRow) -> StoreResult<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: UserId(row.try_get("user_id")?),
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_code(&role).ok_or(StoreError::Corrupt {
            what: "users.role",
            detail: role,
        })?,
    })
}

/// Maps a unique-constraint violation to [`StoreError::Taken`].
pub(crate) fn taken(err: sqlx::Error, kind: &'static str, key: &str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Taken {
            kind,
            key: key.to_owned(),
        },
        _ => StoreError::Database(err),
    }
}

pub(crate) const USER_COLUMNS: &str = "u.id AS user_id, u.username, u.display_name, u.role";

impl Store {
    /// Creates an account.
    pub async fn create_user(&self, new: &NewUser<'_>, now: Timestamp) -> StoreResult<UserId> {
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.username)
        .bind(new.display_name)
        .bind(new.role.code())
        .bind(new.password_hash)
        .bind(now.as_second())
        .fetch_one(self.pool())
        .await
        .map_err(|e| taken(e, "username", new.username))?;
        Ok(UserId(row.try_get(0)?))
    }

    /// An enabled account and its password hash, by login name, for signing in.
    pub async fn user_for_login(&self, username: &str) -> StoreResult<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u \
             WHERE u.username = $1 AND u.disabled = 0"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| Ok((user_from(&row)?, row.try_get("password_hash")?)))
            .transpose()
    }

    /// Every account, by name.
    pub async fn users(&self) -> StoreResult<Vec<Account>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, u.disabled, u.created_at FROM users u ORDER BY u.username"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Account {
                    user: user_from(row)?,
                    disabled: row.try_get::<i64, _>("disabled")? != 0,
                    created_at: time_at(row.try_get("created_at")?)?,
                })
            })
            .collect()
    }

    /// Changes an account's role, password hash or disabled flag (those given). Disabling an
    /// account or changing its password ends its sessions; changing its password also revokes
    /// its API tokens, since whoever knew the old password could have made one.
    pub async fn update_user(
        &self,
        id: UserId,
        role: Option<Role>,
        password_hash: Option<&str>,
        disabled: Option<bool>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE users SET role = COALESCE($1, role), \
             password_hash = COALESCE($2, password_hash), disabled = COALESCE($3, disabled) \
             WHERE id = $4",
        )
        .bind(role.map(Role::code))
        .bind(password_hash)
        .bind(disabled.map(i64::from))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Missing {
                kind: "user",
                key: id.0.to_string(),
            });
        }
        if password_hash.is_some() || disabled == Some(true) {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if password_hash.is_some() {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now.as_second())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf: &str,
        now: Timestamp,
        expires: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf)
        .bind(now.as_second())
        .bind(expires.as_second())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session with this token hash: not expired, not idle longer than
    /// `idle_seconds`, its user not disabled.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
        idle_seconds: i64,
    ) -> StoreResult<Option<Session>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.last_seen FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen > $3 \
             AND u.disabled = 0"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(now.as_second())
            .bind(now.as_second() - idle_seconds)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            Ok(Session {
                user: user_from(&row)?,
                csrf: row.try_get("csrf")?,
                last_seen: time_at(row.try_get("last_seen")?)?,
            })
        })
        .transpose()
    }

    /// Records that a session was used.
    pub async fn touch_session(&self, token_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(now.as_second())
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes expired sessions, finished throttling windows and trusted browsers unused for a
    /// year; returns how many sessions went.
    pub async fn sweep_sessions(
        &self,
        now: Timestamp,
        idle_seconds: i64,
        failure_window: i64,
        device_max_age: i64,
    ) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen <= $2")
            .bind(now.as_second())
            .bind(now.as_second() - idle_seconds)
            .execute(self.pool())
            .await?;
        // The table of the previous version's throttling, still swept during a deploy.
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(now.as_second() - failure_window)
            .execute(self.pool())
            .await?;
        sqlx::query("DELETE FROM login_throttle WHERE window_start <= $1")
            .bind(now.as_second() - failure_window)
            .execute(self.pool())
            .await?;
        sqlx::query("DELETE FROM login_devices WHERE last_used <= $1")
            .bind(now.as_second() - device_max_age)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Creates an API token for a user; returns its id.
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.0)
        .bind(name)
        .bind(token_hash)
        .bind(now.as_second())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// The user a live API token belongs to, recording its use.
    pub async fn api_token_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id FROM api_tokens t \
             JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let token_id: i64 = row.try_get("token_id")?;
        sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE id = $2")
            .bind(now.as_second())
            .bind(token_id)
            .execute(self.pool())
            .await?;
        Ok(Some(user_from(&row)?))
    }

    /// A user's API tokens (all of them, for admins, when `user` is `None`).
    pub async fn api_tokens(&self, user: Option<UserId>) -> StoreResult<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, created_at, last_used, revoked_at FROM api_tokens \
             WHERE user_id = COALESCE($1, user_id) ORDER BY created_at DESC, id DESC",
        )
        .bind(user.map(|u| u.0))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let opt = |name: &str| -> StoreResult<Option<Timestamp>> {
                    row.try_get::<Option<i64>, _>(name)?
                        .map(time_at)
                        .transpose()
                };
                Ok(ApiToken {
                    id: row.try_get("id")?,
                    user_id: UserId(row.try_get("user_id")?),
                    name: row.try_get("name")?,
                    created_at: time_at(row.try_get("created_at")?)?,
                    last_used: opt("last_used")?,
                    revoked_at: opt("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes a token (only the owner's, unless `owner` is `None`); whether one was revoked.
    pub async fn revoke_api_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE id = $2 AND revoked_at IS NULL AND user_id = COALESCE($3, user_id)",
        )
        .bind(now.as_second())
        .bind(id)
        .bind(owner.map(|u| u.0))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Assigns a translator to one language version of an article.
    pub async fn assign(
        &self,
        article: ArticleId,
        user: UserId,
        language: Language,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO article_assignments (article_id, user_id, lang) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(article.0)
        .bind(user.0)
        .bind(language.code())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes every assignment of an article.
    pub async fn clear_assignments(&self, article: ArticleId) -> StoreResult<()> {
        sqlx::query("DELETE FROM article_assignments WHERE article_id = $1")
            .bind(article.0)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A site setting.
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Sets a site setting.
    pub async fn set_setting(&self, key: &str, value: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now.as_second())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
