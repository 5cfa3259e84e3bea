//! Login throttling buckets and trusted browsers (see [`crate::web::auth`] for the policy).
//!
//! A bucket is reserved **before** a password is checked, by one upsert that both backends run
//! atomically (SQLite holds the write lock for the statement; PostgreSQL locks the row, and
//! `ON CONFLICT` turns a concurrent first insert into an update). So however many attempts
//! arrive at once, no more than a bucket's limit are let through to the password check. A
//! bucket's window starts at its first attempt and lasts the throttling window; the attempt
//! that finds the window over starts a new one.

use jiff::Timestamp;
use sqlx::Row;

use super::accounts::{USER_COLUMNS, user_from};
use super::{Store, StoreResult};
use crate::accounts::User;

/// The outcome of reserving an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may go on; it counts against the bucket until refunded.
    Granted,
    /// The bucket is full; it opens again after this many seconds.
    Refused {
        /// Seconds until the window ends (at least 1).
        retry_after: i64,
    },
}

impl Store {
    /// Reserves one attempt in a bucket that allows `max` per `window` seconds.
    pub async fn reserve_login_attempt(
        &self,
        bucket: &str,
        max: i64,
        window: i64,
        now: Timestamp,
    ) -> StoreResult<Reservation> {
        let now = now.as_second();
        let row = sqlx::query(
            "INSERT INTO login_throttle (bucket, attempts, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (bucket) DO UPDATE SET \
               attempts = CASE WHEN login_throttle.window_start <= $3 THEN 1 \
                          ELSE login_throttle.attempts + 1 END, \
               window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 \
                              ELSE login_throttle.window_start END \
             WHERE login_throttle.window_start <= $3 OR login_throttle.attempts < $4 \
             RETURNING attempts",
        )
        .bind(bucket)
        .bind(now)
        .bind(now - window)
        .bind(max)
        .fetch_optional(self.pool())
        .await?;
        if row.is_some() {
            return Ok(Reservation::Granted);
        }
        let started: Option<i64> =
            sqlx::query("SELECT window_start FROM login_throttle WHERE bucket = $1")
                .bind(bucket)
                .fetch_optional(self.pool())
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
        let retry_after = started.map_or(window, |s| s + window - now).max(1);
        Ok(Reservation::Refused { retry_after })
    }

    /// Gives back an attempt reserved in a bucket (it succeeded, or never reached the check).
    pub async fn refund_login_attempt(&self, bucket: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE login_throttle SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0",
        )
        .bind(bucket)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records a browser as trusted for an account.
    pub async fn add_login_device(
        &self,
        token_hash: &str,
        user: crate::accounts::UserId,
        now: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO login_devices (token_hash, user_id, created_at, last_used) \
             VALUES ($1, $2, $3, $3)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(now.as_second())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The enabled account a trusted browser signed in to, if the token is known and was used
    /// within `max_age` seconds.
    pub async fn login_device_user(
        &self,
        token_hash: &str,
        now: Timestamp,
        max_age: i64,
    ) -> StoreResult<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM login_devices d JOIN users u ON u.id = d.user_id \
             WHERE d.token_hash = $1 AND d.last_used > $2 AND u.disabled = 0"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(now.as_second() - max_age)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Records that a trusted browser signed in again.
    pub async fn touch_login_device(&self, token_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE login_devices SET last_used = $1 WHERE token_hash = $2")
            .bind(now.as_second())
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
