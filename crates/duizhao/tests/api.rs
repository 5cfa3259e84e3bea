//! The JSON API under `/api/v1`, driven in-process over the demo publication on both
//! backends: reads in every edition, token authentication, permissions by role, optimistic
//! concurrency, validation, hostile input, and the OpenAPI document against the routes.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use duizhao::accounts::{Role, UserId, password, token};
use duizhao::content::{Converters, Language};
use duizhao::store::Store;
use duizhao::store::accounts::NewUser;
use duizhao::web::AppState;
use serde_json::{Value, json};

/// A bilingual demo article, one English-only, one Chinese-only.
const BILINGUAL: &str = "youth-first-jobs";
const EN_ONLY: &str = "ports-stronger-storms";
const ZH_ONLY: &str = "county-town-elder-care";

/// A site over a test store holding the demo, with one user (and API token) per role.
struct Api {
    app: axum::Router,
    state: AppState,
    store: Store,
    admin: String,
    editor: String,
    translator: String,
    author: String,
    other_author: String,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// An error reply in the API's shape: its message and its fields.
    fn error(&self) -> (String, Vec<String>) {
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

async fn user_with_token(store: &Store, name: &str, role: Role) -> (UserId, String) {
    let hash = password::hash("a long test password").unwrap();
    let now = jiff::Timestamp::now();
    let id = store
        .create_user(
            &NewUser {
                username: name,
                display_name: name,
                role,
                password_hash: &hash,
            },
            now,
        )
        .await
        .unwrap();
    let secret = token::new_api_token();
    store
        .create_api_token(id, "test", &token::digest(&secret), now)
        .await
        .unwrap();
    (id, secret)
}

async fn api(store: &Store) -> Api {
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
    async fn send(&self, req: Request<Body>) -> Reply {
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

    async fn call(
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

    async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, uri, token, None).await
    }

    /// The article as a token sees it (must be 200).
    async fn article(&self, slug: &str, token: &str) -> Value {
        let r = self
            .get(&format!("/api/v1/articles/{slug}"), Some(token))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }
}

/// A `PUT` body replacing an article with what it holds now.
fn body_of(detail: &Value) -> Value {
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

fn new_article(slug: &str) -> Value {
    json!({
        "slug": slug,
        "section": "world",
        "topics": ["trade"],
        "authors": ["lin-mei"],
        "en": {"title": "Harbour cranes return", "dek": "A short summary.", "body": "First paragraph.\n\nSecond paragraph."},
        "zh": {"title": "港口起重机回来了", "body": "第一段。\n\n第二段。"},
    })
}

async fn reads_in_every_edition(store: &Store) {
    let api = api(store).await;
    let r = api.get("/api/v1/articles?per_page=100", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/json");
    let list = r.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(list["total"].as_i64().unwrap() as usize, items.len());
    let times: Vec<&str> = items
        .iter()
        .map(|i| i["published_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let find = |slug: &str| items.iter().find(|i| i["slug"] == slug).unwrap().clone();
    let both = find(BILINGUAL);
    assert_eq!(both["versions"], json!(["en", "zh"]));
    assert_eq!(both["section"], "opinion");
    assert_eq!(both["topics"], json!(["cities", "tech"]));
    assert_eq!(both["authors"], json!(["zhong-qiming"]));
    assert_eq!(both["titles"]["zh-hans"], "第一份工作越来越难找");
    assert_eq!(both["titles"]["zh-hant"], "第一份工作越來越難找");
    assert!(both["titles"]["en"].as_str().unwrap().len() > 5);
    assert_eq!(
        both["urls"]["zh-hant"]["dual"],
        format!("https://news.example/zh-hant/articles/{BILINGUAL}/dual")
    );
    assert_eq!(
        both["urls"]["en"]["en"],
        format!("https://news.example/en/articles/{BILINGUAL}")
    );
    let en_only = find(EN_ONLY);
    assert_eq!(en_only["versions"], json!(["en"]));
    assert!(en_only["titles"].get("zh-hans").is_none());
    assert!(en_only["urls"]["zh-hans"].get("dual").is_none());
    assert!(en_only["urls"]["zh-hans"].get("en").is_some());

    // Paging and filters.
    let page = |n: u32| format!("/api/v1/articles?per_page=3&page={n}");
    let first = api.get(&page(1), None).await.json();
    let second = api.get(&page(2), None).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    assert_ne!(first["items"][0]["slug"], second["items"][0]["slug"]);
    for (param, slug, key) in [
        ("topic", "tech", "topics"),
        ("author", "zhong-qiming", "authors"),
    ] {
        let r = api
            .get(&format!("/api/v1/articles?{param}={slug}"), None)
            .await
            .json();
        let items = r["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{param}");
        assert!(
            items
                .iter()
                .all(|i| i[key].as_array().unwrap().contains(&json!(slug)))
        );
    }
    let opinion = api
        .get("/api/v1/articles?section=opinion", None)
        .await
        .json();
    assert!(
        opinion["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["section"] == "opinion")
    );
    for (query, status) in [
        ("per_page=101", 400),
        ("per_page=0", 400),
        ("page=abc", 400),
        ("topic=tech&author=lin-mei", 400),
        ("topic=no-such-topic", 404),
    ] {
        let r = api.get(&format!("/api/v1/articles?{query}"), None).await;
        assert_eq!(r.status, status, "{query}: {}", r.text);
        r.error();
    }

    // One article in every edition, with the pairing; no master text without a token.
    let r = api
        .get(&format!("/api/v1/articles/{BILINGUAL}"), None)
        .await;
    assert_eq!(r.status, 200);
    let detail = r.json();
    assert_eq!(r.headers["etag"], format!("\"{}\"", detail["revision"]));
    let editions: Vec<&str> = detail["editions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["edition"].as_str().unwrap())
        .collect();
    assert_eq!(editions, ["en", "zh-hans", "zh-hant"]);
    for e in detail["editions"].as_array().unwrap() {
        assert!(!e["title"].as_str().unwrap().is_empty());
        let blocks = e["blocks"].as_array().unwrap();
        assert!(blocks.len() > 2);
        assert!(blocks[0]["html"].as_str().unwrap().starts_with('<'));
        assert!(e["urls"].get("dual").is_some());
    }
    assert_eq!(detail["editions"][2]["title"], "第一份工作越來越難找");
    assert_eq!(detail["editions"][2]["lang"], "zh-Hant");
    assert!(!detail["pairing"].as_array().unwrap().is_empty());
    assert!(detail["master"].is_null());
    assert_eq!(
        detail["topics"][0]["names"]["en"]
            .as_str()
            .unwrap()
            .is_empty(),
        false
    );
    assert!(
        detail["hero"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://news.example/media/")
    );
    let zh_only = api
        .get(&format!("/api/v1/articles/{ZH_ONLY}"), None)
        .await
        .json();
    assert_eq!(zh_only["versions"], json!(["zh"]));
    assert!(
        zh_only["editions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["edition"] != "en")
    );
    // With a token that may view it, the master Markdown of both versions too.
    let detail = api.article(BILINGUAL, &api.editor).await;
    assert!(detail["master"]["en"]["body"].as_str().unwrap().len() > 100);
    assert!(
        detail["master"]["zh"]["title"]
            .as_str()
            .unwrap()
            .contains("第一份工作")
    );
    // An author who did not write it sees what the public sees.
    assert!(api.article(BILINGUAL, &api.author).await["master"].is_null());
    let r = api.get("/api/v1/articles/no-such-article", None).await;
    assert_eq!(r.status, 404);
    r.error();

    // Topics, authors and sections, named in every edition.
    for path in ["topics", "authors", "sections"] {
        let r = api.get(&format!("/api/v1/{path}"), None).await;
        assert_eq!(r.status, 200, "{path}");
        let all = r.json();
        let all = all.as_array().unwrap();
        assert!(!all.is_empty(), "{path}");
        for item in all {
            let names = item["names"].as_object().unwrap();
            let keys: Vec<&String> = names.keys().collect();
            assert_eq!(keys, ["en", "zh-hans", "zh-hant"], "{path}");
            assert!(names.values().all(|n| !n.as_str().unwrap().is_empty()));
            assert!(
                item["urls"]["zh-hant"]
                    .as_str()
                    .unwrap()
                    .contains("/zh-hant/")
            );
        }
    }
}

async fn tokens_are_required_and_checked(store: &Store) {
    let api = api(store).await;
    let body = new_article("token-checks");
    let r = api
        .call(Method::POST, "/api/v1/articles", None, Some(&body))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    r.error();
    let forged = token::new_api_token();
    for bad in [forged.as_str(), "not-a-dz-token", ""] {
        let r = api
            .call(Method::POST, "/api/v1/articles", Some(bad), Some(&body))
            .await;
        assert_eq!(r.status, 401, "{bad:?}");
        r.error();
        // A token that is sent must be valid on reads too.
        let r = api.get("/api/v1/articles", Some(bad)).await;
        assert_eq!(r.status, 401, "{bad:?}");
    }
    // A revoked token stops working at once.
    let (id, secret) = user_with_token(store, "leaver", Role::Editor).await;
    let r = api
        .call(Method::POST, "/api/v1/articles", Some(&secret), Some(&body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let tokens = store.api_tokens(Some(id)).await.unwrap();
    assert!(
        store
            .revoke_api_token(tokens[0].id, Some(id), jiff::Timestamp::now())
            .await
            .unwrap()
    );
    let r = api
        .get("/api/v1/articles/token-checks", Some(&secret))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.error().0, "unknown or revoked token");
    assert_eq!(api.get("/api/v1/articles", None).await.status, 200);
}

async fn drafts_are_visible_only_to_who_may_view_them(store: &Store) {
    let api = api(store).await;
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.author),
            Some(&new_article("a-draft")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.headers["location"], "/api/v1/articles/a-draft");
    assert_eq!(r.json()["status"], "draft");
    assert_eq!(r.json()["revision"], 1);
    assert_eq!(api.get("/api/v1/articles/a-draft", None).await.status, 404);
    assert_eq!(
        api.get("/api/v1/articles/a-draft", Some(&api.other_author))
            .await
            .status,
        404
    );
    assert_eq!(
        api.get("/api/v1/articles/a-draft", Some(&api.translator))
            .await
            .status,
        404
    );
    let own = api.article("a-draft", &api.author).await;
    assert_eq!(
        own["master"]["en"]["body"],
        "First paragraph.\n\nSecond paragraph."
    );
    assert!(api.article("a-draft", &api.editor).await["master"].is_object());
    // Drafts are not listed, nor served by the site.
    let list = api
        .get("/api/v1/articles?per_page=100", Some(&api.editor))
        .await
        .json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["slug"] != "a-draft")
    );
    assert_eq!(api.get("/en/articles/a-draft", None).await.status, 404);

    // Unpublished: 410 for the public, as on the site; still readable by an editor.
    let r = api
        .call(
            Method::POST,
            &format!("/api/v1/articles/{EN_ONLY}/status"),
            Some(&api.editor),
            Some(&json!({"status": "unpublished"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["status"], "unpublished");
    assert_eq!(
        api.get(&format!("/api/v1/articles/{EN_ONLY}"), None)
            .await
            .status,
        410
    );
    assert_eq!(
        api.get(&format!("/en/articles/{EN_ONLY}"), None)
            .await
            .status,
        410
    );
    assert_eq!(
        api.article(EN_ONLY, &api.editor).await["status"],
        "unpublished"
    );
}

async fn translators_change_only_their_language_and_cannot_publish(store: &Store) {
    let api = api(store).await;
    let before = api.article(BILINGUAL, &api.translator).await;
    // Only the Chinese version, the rest left out (kept).
    let mut zh = before["master"]["zh"].clone();
    zh["title"] = json!("第一份工作，越来越难找");
    let body = json!({"revision": before["revision"], "zh": zh});
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/articles/{BILINGUAL}"),
            Some(&api.translator),
            Some(&body),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let after = r.json();
    assert_eq!(after["master"]["zh"]["title"], "第一份工作，越来越难找");
    assert_eq!(after["editions"][2]["title"], "第一份工作，越來越難找");
    assert_eq!(after["master"]["en"], before["master"]["en"]);
    assert_eq!(after["topics"], before["topics"]);
    assert_eq!(after["status"], "published");
    // The site shows the change at once (search entry and page cache refreshed).
    let page = api
        .get(&format!("/zh-hans/articles/{BILINGUAL}"), None)
        .await;
    assert!(page.text.contains("第一份工作，越来越难找"));

    // The whole article sent back unchanged but for the Chinese is fine too…
    let mut full = body_of(&after);
    full["zh"]["dek"] = json!("新的摘要。");
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/articles/{BILINGUAL}"),
            Some(&api.translator),
            Some(&full),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // …but not a change to English, or to the metadata, or a new status.
    let current = r.json();
    for change in [
        json!({"en": {"title": "Rewritten by the translator", "body": "x"}}),
        json!({"topics": ["trade"]}),
        json!({"status": "unpublished"}),
    ] {
        let mut b = body_of(&current);
        for (k, v) in change.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = api
            .call(
                Method::PUT,
                &format!("/api/v1/articles/{BILINGUAL}"),
                Some(&api.translator),
                Some(&b),
            )
            .await;
        assert_eq!(r.status, 403, "{change}: {}", r.text);
        r.error();
    }
    let r = api
        .call(
            Method::POST,
            &format!("/api/v1/articles/{BILINGUAL}/status"),
            Some(&api.translator),
            Some(&json!({"status": "published"})),
        )
        .await;
    assert_eq!(r.status, 403);
    // An article they are not assigned to is not theirs at all.
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/articles/{ZH_ONLY}"),
            Some(&api.translator),
            Some(&json!({"revision": 1})),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        api.article(BILINGUAL, &api.editor).await["revision"],
        current["revision"]
    );
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.translator),
            Some(&new_article("by-translator")),
        )
        .await;
    assert_eq!(r.status, 403);
}

async fn authors_change_only_their_own_drafts(store: &Store) {
    let api = api(store).await;
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.author),
            Some(&new_article("mine")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let mut body = body_of(&r.json());
    body["en"]["title"] = json!("Harbour cranes come back");
    // Another author: not even visible.
    let r = api
        .call(
            Method::PUT,
            "/api/v1/articles/mine",
            Some(&api.other_author),
            Some(&body),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    // A published article that is not theirs.
    let theirs = body_of(&api.article(BILINGUAL, &api.editor).await);
    let r = api
        .call(
            Method::PUT,
            &format!("/api/v1/articles/{BILINGUAL}"),
            Some(&api.author),
            Some(&theirs),
        )
        .await;
    assert_eq!(r.status, 403);
    // Their own draft: yes, but not publishing it.
    let r = api
        .call(
            Method::PUT,
            "/api/v1/articles/mine",
            Some(&api.author),
            Some(&body),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["revision"], 2);
    let mut publish = body_of(&r.json());
    publish["status"] = json!("published");
    let r = api
        .call(
            Method::PUT,
            "/api/v1/articles/mine",
            Some(&api.author),
            Some(&publish),
        )
        .await;
    assert_eq!(r.status, 403);
    let mut create_published = new_article("published-by-author");
    create_published["status"] = json!("published");
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.author),
            Some(&create_published),
        )
        .await;
    assert_eq!(r.status, 403);
    // Once an editor publishes it, it is no longer the author's to change.
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles/mine/status",
            Some(&api.editor),
            Some(&json!({"status": "published"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let published = api.article("mine", &api.author).await;
    assert_eq!(published["status"], "published");
    let r = api
        .call(
            Method::PUT,
            "/api/v1/articles/mine",
            Some(&api.author),
            Some(&body_of(&published)),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(api.get("/en/articles/mine", None).await.status, 200);
}

async fn conflicting_writes_are_refused(store: &Store) {
    let api = api(store).await;
    let uri = format!("/api/v1/articles/{BILINGUAL}");
    let start = api.article(BILINGUAL, &api.editor).await;
    let revision = start["revision"].as_i64().unwrap();
    let mut first = body_of(&start);
    first["en"]["dek"] = json!("The first editor's summary.");
    let r = api
        .call(Method::PUT, &uri, Some(&api.editor), Some(&first))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["revision"], revision + 1);
    // A second editor who started from the same revision.
    let mut second = body_of(&start);
    second["en"]["dek"] = json!("The second editor's summary.");
    let r = api
        .call(Method::PUT, &uri, Some(&api.admin), Some(&second))
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.json()["current_revision"], revision + 1);
    r.error();
    // The same through If-Match.
    second.as_object_mut().unwrap().remove("revision");
    let put_if = |rev: String| {
        Request::builder()
            .method(Method::PUT)
            .uri(&uri)
            .header("authorization", format!("Bearer {}", api.admin))
            .header("content-type", "application/json")
            .header("if-match", rev)
            .body(Body::from(second.to_string()))
            .unwrap()
    };
    assert_eq!(
        api.send(put_if(format!("\"{revision}\""))).await.status,
        409
    );
    assert_eq!(api.send(put_if("\"twelve\"".into())).await.status, 400);
    let r = api.send(put_if(format!("\"{}\"", revision + 1))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json()["master"]["en"]["dek"],
        "The second editor's summary."
    );
    // No revision at all.
    let r = api
        .call(Method::PUT, &uri, Some(&api.admin), Some(&second))
        .await;
    assert_eq!(r.status, 428);
    // A status change at a stale revision.
    let r = api
        .call(
            Method::POST,
            &format!("{uri}/status"),
            Some(&api.editor),
            Some(&json!({"status": "unpublished", "revision": revision})),
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(
        api.article(BILINGUAL, &api.editor).await["status"],
        "published"
    );
}

async fn invalid_articles_are_422_with_fields(store: &Store) {
    let api = api(store).await;
    let api = &api;
    let post = |body: Value| async move {
        api.call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.editor),
            Some(&body),
        )
        .await
    };
    let mut bad = new_article("Bad Slug!");
    bad["en"]["title"] = json!("Two\nlines");
    bad["zh_rules"] = json!("no arrow here");
    bad["status"] = json!("scheduled");
    bad["published_at"] = json!("2001-01-01T00:00:00Z");
    let r = post(bad).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let (_, fields) = r.error();
    for field in ["slug", "en.title", "zh_rules", "published_at"] {
        assert!(
            fields.iter().any(|f| f == field),
            "{field} missing from {fields:?}"
        );
    }
    let mut unknown = new_article("unknown-section");
    unknown["section"] = json!("no-such-section");
    let r = post(unknown).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error().1, ["section"]);
    let r = post(new_article(BILINGUAL)).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error().1, ["slug"]);
    let mut time = new_article("bad-time");
    time["published_at"] = json!("next tuesday");
    assert_eq!(post(time).await.error().1, ["published_at"]);
    let r = post(json!({"slug": "no-text"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error().1, ["en.title"]);
    // Wrong types and unknown fields: 422 from the JSON reader, same shape.
    for body in [
        json!({"slug": 5}),
        json!({"slug": "x", "colour": "red"}),
        json!({"status": "live"}),
    ] {
        let r = post(body.clone()).await;
        assert_eq!(r.status, 422, "{body}");
        r.error();
    }
    // A schedule in the future is fine.
    let mut scheduled = new_article("later");
    scheduled["status"] = json!("scheduled");
    scheduled["published_at"] = json!("2999-01-01T09:00:00+08:00");
    let r = post(scheduled).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["status"], "scheduled");
    assert_eq!(r.json()["published_at"], "2999-01-01T01:00:00Z");
    assert_eq!(api.get("/api/v1/articles/later", None).await.status, 404);
    assert!(api.store.editable("bad-time").await.unwrap().is_none());
}

async fn hostile_input_is_stored_and_shown_inert(store: &Store) {
    let api = api(store).await;
    let mut body = new_article("hostile");
    body["en"] = json!({
        "title": "<script>alert('title')</script> Ports",
        "dek": "<img src=x onerror=alert(1)>",
        "body": "[click](javascript:alert(1)) and [ok](https://example.org/)\n\n<script>alert('body')</script>\n\n<iframe src=\"https://evil.example\"></iframe>",
        "hero_caption": "\"><svg onload=alert(1)>",
    });
    body["status"] = json!("published");
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.editor),
            Some(&body),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let detail = r.json();
    // Stored as written (text, for the client to escape)…
    assert_eq!(
        detail["master"]["en"]["title"],
        "<script>alert('title')</script> Ports"
    );
    assert_eq!(
        detail["editions"][0]["title"],
        "<script>alert('title')</script> Ports"
    );
    // …rendered inert where we render HTML.
    let html: String = detail["editions"][0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["html"].as_str().unwrap())
        .collect();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("javascript:"), "{html}");
    assert!(
        !lower.contains("<script") && !lower.contains("<iframe"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("href=\"https://example.org/\""), "{html}");
    let page = api.get("/en/articles/hostile", None).await;
    assert_eq!(page.status, 200);
    let lower = page.text.to_ascii_lowercase();
    assert!(!lower.contains("<script>alert"), "script tag on the page");
    assert!(!lower.contains("javascript:alert"));
    assert!(!lower.contains("<img src=x") && !lower.contains("<svg onload"));
    assert!(page.text.contains("&lt;script&gt;alert"));
    let list = api.get("/api/v1/articles", None).await;
    assert!(list.text.contains("hostile"));

    // Malformed and oversized requests: 4xx in the API's shape, nothing stored.
    let raw = |bytes: Vec<u8>, content_type: &str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/articles")
            .header("authorization", format!("Bearer {}", api.editor))
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .unwrap()
    };
    let mut invalid_utf8 = br#"{"slug": "bad-bytes", "en": {"title": ""#.to_vec();
    invalid_utf8.extend([0xff, 0xfe, b'"', b'}', b'}']);
    let oversized = format!(
        r#"{{"slug": "huge", "en": {{"title": "Huge", "body": "{}"}}}}"#,
        "a".repeat(duizhao::web::api::MAX_REQUEST_BYTES)
    );
    for (bytes, content_type, status) in [
        (b"{\"slug\": ".to_vec(), "application/json", 400),
        (b"not json at all".to_vec(), "application/json", 400),
        (invalid_utf8, "application/json", 400),
        (b"{}".to_vec(), "text/plain", 415),
        (oversized.into_bytes(), "application/json", 413),
    ] {
        let r = api.send(raw(bytes, content_type)).await;
        assert_eq!(r.status, status, "{}", r.text);
        assert!(r.error().0.len() > 3);
    }
    // Under the request limit but over the editor's body limit: a field error.
    let mut long = new_article("long-body");
    long["en"]["body"] = json!("word ".repeat(250_000));
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.editor),
            Some(&long),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error().1, ["en.body"]);
    for slug in ["bad-bytes", "huge", "long-body"] {
        assert!(api.store.editable(slug).await.unwrap().is_none(), "{slug}");
    }
    // Unknown endpoints and methods answer in JSON too.
    let r = api.get("/api/v1/nothing-here", None).await;
    assert_eq!(r.status, 404);
    r.error();
    let r = api
        .call(
            Method::DELETE,
            &format!("/api/v1/articles/{BILINGUAL}"),
            Some(&api.editor),
            None,
        )
        .await;
    assert_eq!(r.status, 405);
    r.error();
}

async fn the_openapi_document_describes_exactly_the_routes(store: &Store) {
    let api = api(store).await;
    let r = api.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    for schema in [
        "ArticleDetail",
        "ArticleBody",
        "ErrorBody",
        "ArticleList",
        "TopicBody",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "put", "post", "delete", "patch", "head", "options"]
                .contains(&method.as_str())
            {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    let routed: BTreeSet<(String, String)> = duizhao::web::api::ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(documented, routed, "the document and the router disagree");
    // Every documented operation is really routed: with a real slug, never 404 or 405.
    let slug = api.get("/api/v1/articles?per_page=1", None).await.json()["items"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    for (method, path) in &documented {
        let uri = path.replace("{slug}", &slug);
        let method: Method = method.to_uppercase().parse().unwrap();
        let r = api
            .call(method.clone(), &uri, Some(&api.editor), Some(&json!({})))
            .await;
        assert!(
            r.status != 404 && r.status != 405 && !r.status.is_server_error(),
            "{method} {uri}: {} {}",
            r.status,
            r.text
        );
        // Documented security matches behaviour: operations without an anonymous option
        // refuse a request without a token.
        let anonymous_ok = doc["paths"][path][method.as_str().to_lowercase()]["security"]
            .as_array()
            .is_none_or(|s| s.iter().any(|req| req.as_object().unwrap().is_empty()));
        if !anonymous_ok {
            let r = api.call(method.clone(), &uri, None, Some(&json!({}))).await;
            assert_eq!(r.status, 401, "{method} {uri}");
        }
    }
    let _ = &api.state;
}

on_both_backends!(
    reads_in_every_edition,
    tokens_are_required_and_checked,
    drafts_are_visible_only_to_who_may_view_them,
    translators_change_only_their_language_and_cannot_publish,
    authors_change_only_their_own_drafts,
    conflicting_writes_are_refused,
    invalid_articles_are_422_with_fields,
    hostile_input_is_stored_and_shown_inert,
    the_openapi_document_describes_exactly_the_routes,
);
