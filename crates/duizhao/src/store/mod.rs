//! Persistence: one store API over SQLite (the embedded default) and PostgreSQL.
//!
//! Queries go through sqlx's `Any` driver, so each is written once in the SQL both databases
//! accept (`$1` placeholders, `INSERT … RETURNING`, integers for times and flags, JSON as
//! text). Where the two need different SQL, the schema, they keep separate migrations side by
//! side in `migrations/sqlite` and `migrations/postgres`. Writes that touch several rows run in
//! one transaction.
//!
//! Queries are grouped by domain: [`articles`], [`revisions`], [`taxonomy`] (sections, topics,
//! authors), [`media`], [`accounts`] (users, sessions, API tokens, settings), [`logins`]
//! (login throttling and trusted browsers) and [`api`] (what
//! only the JSON API reads).

pub mod accounts;
pub mod api;
pub mod articles;
pub mod logins;
pub mod media;
pub mod revisions;
pub mod taxonomy;
pub mod trash;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, a file in the data directory.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL names no backend we support.
    #[error("unsupported database URL {0:?}: expected sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    /// A referenced row does not exist (a section, topic, author or media path).
    #[error("{kind} {key:?} does not exist")]
    Missing {
        /// What kind of thing.
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// A unique name is already used (a username, an article slug on creation).
    #[error("{kind} {key:?} is already taken")]
    Taken {
        /// What kind of thing.
        kind: &'static str,
        /// The name.
        key: String,
    },
    /// A topic, author or section cannot be deleted while articles carry it.
    #[error("{kind} {key:?} is used by {count} article(s)")]
    InUse {
        /// What kind of thing.
        kind: &'static str,
        /// Its slug.
        key: String,
        /// How many articles carry it.
        count: usize,
    },
    /// Someone else saved the article since the revision the editor started from.
    #[error(
        "the article was changed by someone else (now at revision {current}, the edit started from {expected})"
    )]
    Conflict {
        /// The revision the save was based on.
        expected: i64,
        /// The revision in the database.
        current: i64,
    },
    /// Stored data could not be read back (a corrupt derived column).
    #[error("corrupt stored data in {what}: {detail}")]
    Corrupt {
        /// Where.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The database file could not be created.
    #[error("cannot create the database file {}: {source}", path.display())]
    File {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database refused or failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether the database refused text it cannot hold (PostgreSQL and a NUL character,
    /// SQLSTATE 22021 or 22P05): the input's fault, not ours. Inputs are checked before they
    /// get here (see [`crate::content::text`]); this keeps anything missed from being a 500.
    pub fn is_invalid_text(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => {
                matches!(db.code().as_deref(), Some("22021" | "22P05"))
            }
            _ => false,
        }
    }
}

/// Whether an error, or one it was caused by, is [`StoreError::is_invalid_text`].
pub fn is_invalid_text(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<StoreError>()
            .is_some_and(StoreError::is_invalid_text)
            || e.downcast_ref::<sqlx::Error>().is_some_and(|e| {
                matches!(e, sqlx::Error::Database(db)
                    if matches!(db.code().as_deref(), Some("22021" | "22P05")))
            })
    })
}

/// A result from the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// The store: a connection pool and the backend it talks to.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to a database URL, creating a SQLite file if needed, and brings its schema up
    /// to date.
    pub async fn open(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        if let Some(file) = sqlite_path(url) {
            create_private_file(&file).map_err(|e| StoreError::File {
                path: file.clone(),
                source: e,
            })?;
        }
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = match backend {
            // One writer at a time is SQLite's model; WAL lets readers go on meanwhile.
            // `synchronous = FULL`: WAL syncs at every commit, so that a write acknowledged to
            // an editor survives a power loss too (NORMAL could lose the last commits). A
            // publishing site writes rarely; the cost is one fsync per save.
            // No liveness test on acquire: an embedded database cannot hang up, and each test
            // is a round trip to the connection's worker thread (sqlx still pings on release).
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the store modules.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction that reads and then writes. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`): a plain `BEGIN` reads from a snapshot, and a concurrent writer
    /// committing first makes its write fail at once with "database is locked" instead of
    /// waiting its turn (busy_timeout cannot help a stale snapshot).
    pub(crate) async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Checks that the database answers (for `/healthz`).
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// SQLite's journal mode and foreign-key setting, as a connection sees them (for tests
    /// and diagnostics).
    pub async fn sqlite_pragmas(&self) -> StoreResult<(String, i64)> {
        use sqlx::Row;
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let foreign_keys: i64 = sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        Ok((journal, foreign_keys))
    }

    /// SQLite's `PRAGMA integrity_check` (its first line: `ok` when the file is sound) and how
    /// many rows `PRAGMA foreign_key_check` finds pointing at nothing (for crash tests and
    /// diagnostics).
    pub async fn sqlite_integrity(&self) -> StoreResult<(String, usize)> {
        use sqlx::Row;
        let mut conn = self.pool.acquire().await?;
        let integrity: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let dangling = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut *conn)
            .await?
            .len();
        Ok((integrity, dangling))
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The file of a `sqlite://` URL, or `None` for other URLs and in-memory databases.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && !path.starts_with(':')).then(|| std::path::PathBuf::from(path))
}

/// Creates a new SQLite file readable by its owner only (mode 0600), so that SQLite, which
/// gives its `-wal` and `-shm` files the database's permissions, keeps all three private
/// whatever the process's umask. An existing file is left as it is.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates a directory (and its parents) that only its owner may enter (mode 0700): the data
/// directory holds the database, the media originals and the search index. An existing
/// directory keeps its mode.
pub fn create_private_dir(path: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Reads a JSON column.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    text: &str,
) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

/// Writes a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("our own types always serialize")
}
