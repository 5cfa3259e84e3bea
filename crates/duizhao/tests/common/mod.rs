//! Test support: a fresh store per test on each backend, fixture builders, and the plumbing
//! of the tests that drive a browser.
#![allow(dead_code)] // each test binary uses a different part of this module

pub mod admin;
pub mod browser;
pub mod fixtures;
pub mod images;
pub mod live;

use std::sync::atomic::{AtomicU32, Ordering};

use duizhao::store::Store;

/// The PostgreSQL URL tests use, from `DUIZHAO_TEST_POSTGRES_URL` (set by `.ci/run`).
pub fn postgres_url() -> Option<String> {
    std::env::var("DUIZHAO_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A store for one test, removed when [`TestStore::cleanup`] runs.
pub struct TestStore {
    pub store: Store,
    schema: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestStore {
    /// Drops the test's PostgreSQL schema (the SQLite file goes with its directory).
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((url, schema)) = self.schema {
            let mut admin = admin(&url).await;
            execute(
                &mut admin,
                format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            )
            .await;
        }
    }
}

/// A fresh SQLite store in a temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::open(&url).await.expect("open SQLite store");
    TestStore {
        store,
        schema: None,
        _dir: Some(dir),
    }
}

/// A fresh PostgreSQL store in its own schema, or `None` (with a message) when no PostgreSQL
/// is configured.
pub async fn postgres(test: &str) -> Option<TestStore> {
    let Some(url) = postgres_url() else {
        eprintln!("SKIPPED {test} on PostgreSQL: DUIZHAO_TEST_POSTGRES_URL is not set");
        return None;
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let schema = format!(
        "duizhao_test_{now}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = admin(&url).await;
    sweep_stale_schemas(&mut admin, now.saturating_sub(3600)).await;
    execute(&mut admin, format!("CREATE SCHEMA {schema}")).await;
    let sep = if url.contains('?') { '&' } else { '?' };
    let store = Store::open(&format!("{url}{sep}options=-c%20search_path%3D{schema}"))
        .await
        .expect("open PostgreSQL store");
    Some(TestStore {
        store,
        schema: Some((url, schema)),
        _dir: None,
    })
}

async fn admin(url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL")
}

/// Runs DDL built from names this module generated (never from input).
async fn execute(conn: &mut sqlx::PgConnection, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(conn)
        .await
        .expect("test schema DDL");
}

/// Drops schemas left behind by test runs that crashed more than an hour ago.
async fn sweep_stale_schemas(conn: &mut sqlx::PgConnection, before: u64) {
    use sqlx::Row;
    let rows =
        sqlx::query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'duizhao\\_test\\_%'")
            .fetch_all(&mut *conn)
            .await
            .expect("list schemas");
    for row in rows {
        let name: String = row.get(0);
        let stamp = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
        if stamp < before {
            execute(conn, format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await;
        }
    }
}

/// Runs each listed async test function (`async fn name(store: &Store)`) once on SQLite and
/// once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let t = $crate::common::sqlite().await;
                    super::$name(&t.store).await;
                    t.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(t) = $crate::common::postgres(stringify!($name)).await else {
                        return;
                    };
                    super::$name(&t.store).await;
                    t.cleanup().await;
                }
            )*
        }
    };
}

/// A site over a fresh SQLite store holding the demo publication.
pub struct TestSite {
    pub app: axum::Router,
    pub state: duizhao::web::AppState,
    pub dir: tempfile::TempDir,
}

/// Builds the site with the demo loaded; `configure` adjusts the configuration first.
pub async fn demo_site(configure: impl FnOnce(&mut duizhao::config::SiteConfig)) -> TestSite {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = duizhao::config::SiteConfig::for_test(dir.path());
    config.base_url = "https://news.example".to_owned();
    configure(&mut config);
    config.validate().expect("valid test config");
    let state = duizhao::demo::site(config).await.expect("demo site");
    TestSite {
        app: duizhao::web::build_app(state.clone()),
        state,
        dir,
    }
}

/// A response read whole.
pub struct Reply {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn location(&self) -> &str {
        self.header("location")
    }
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }
}

impl TestSite {
    /// Sends a GET with extra headers.
    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = axum::http::Request::builder().uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(axum::body::Body::empty()).unwrap())
            .await
    }

    /// Sends a GET.
    pub async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, &[]).await
    }

    /// Sends a request.
    pub async fn send(&self, req: axum::http::Request<axum::body::Body>) -> Reply {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.app.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}
