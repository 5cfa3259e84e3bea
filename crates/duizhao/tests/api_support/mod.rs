//! The API tests' harness: a site over a test store holding the demo, with one user and API
//! token per role, and request helpers.
#![allow(dead_code)] // each test binary uses a different part of this module

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use duizhao::accounts::{Role, UserId};
use duizhao::content::{Converters, Language};
use duizhao::store::Store;
use duizhao::web::AppState;
use serde_json::{Value, json};

pub const BILINGUAL: &str = "youth-first-jobs";
pub const EN_ONLY: &str = "ports-stronger-storms";
pub const ZH_ONLY: &str = "county-town-elder-care";

/// A site over a test store holding the demo, with one user (and API token) per role.
pub struct Api {
    pub app: axum::Router,
    pub state: AppState,
    pub store: Store,
    pub admin: String,
    pub editor: String,
    pub translator: String,
    pub author: String,
    pub other_author: String,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// An error reply in the API's shape: its message and its fields.
    pub fn error(&self) -> (String, Vec<String>) {
        let v = self.json();
        let fields = v["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("no fields array: {v}"))
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect();
        (
            v["error"].as_str().expect("error message").to_owned(),
            fields,
        )
    }
}

pub async fn user_with_token(store: &Store, name: &str, role: Role) -> (UserId, String) {
    let id = crate::common::fixtures::user(store, name, role).await;
    (id, crate::common::fixtures::api_token(store, id).await)
}

pub async fn api(store: &Store) -> Api {
    let dir = tempfile::tempdir().unwrap();
    let mut config = duizhao::config::SiteConfig::for_test(dir.path());
    config.base_url = "https://news.example".to_owned();
    config.validate().unwrap();
    let glossary = duizhao::editorial::site_glossary(&config, None).unwrap();
    let converters = Converters::new(&config.editions, glossary);
    duizhao::demo::load(
        store,
        &converters,
        &config.data_dir.join("media"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let state = AppState::new(config, store.clone(), converters).unwrap();
    state.reindex_if_empty().await.unwrap();
    let (_, admin) = user_with_token(store, "admin", Role::Admin).await;
    let (_, editor) = user_with_token(store, "editor", Role::Editor).await;
    let (translator_id, translator) = user_with_token(store, "translator", Role::Translator).await;
    let (_, author) = user_with_token(store, "author", Role::Author).await;
    let (_, other_author) = user_with_token(store, "other", Role::Author).await;
    let article = store.editable(BILINGUAL).await.unwrap().unwrap();
    store
        .assign(article.id, translator_id, Language::Zh)
        .await
        .unwrap();
    Api {
        app: duizhao::web::build_app(state.clone()),
        state,
        store: store.clone(),
        admin,
        editor,
        translator,
        author,
        other_author,
        _dir: dir,
    }
}

impl Api {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, uri, token, None).await
    }

    /// The article as a token sees it (must be 200).
    pub async fn article(&self, slug: &str, token: &str) -> Value {
        let r = self
            .get(&format!("/api/v1/articles/{slug}"), Some(token))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }
}

/// A `PUT` body replacing an article with what it holds now.
pub fn body_of(detail: &Value) -> Value {
    let names = |key: &str| -> Vec<Value> {
        detail[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["slug"].clone())
            .collect()
    };
    let master = &detail["master"];
    assert!(master.is_object(), "no master text: {detail}");
    json!({
        "revision": detail["revision"],
        "slug": detail["slug"],
        "section": detail["section"]["slug"],
        "topics": names("topics"),
        "authors": names("authors"),
        "hero": detail["hero"]["path"],
        "featured": master["featured"],
        "zh_script": detail["zh_script"],
        "zh_rules": master["zh_rules"],
        "en": master["en"],
        "zh": master["zh"],
    })
}

pub fn new_article(slug: &str) -> Value {
    json!({
        "slug": slug,
        "section": "world",
        "topics": ["trade"],
        "authors": ["lin-mei"],
        "en": {"title": "Harbour cranes return", "dek": "A short summary.", "body": "First paragraph.\n\nSecond paragraph."},
        "zh": {"title": "港口起重机回来了", "body": "第一段。\n\n第二段。"},
    })
}
