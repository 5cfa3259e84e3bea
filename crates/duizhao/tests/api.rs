//! The JSON API under `/api/v1`, driven in-process over the demo publication on both
//! backends: reads in every edition, token authentication, hostile input, and the OpenAPI
//! document against the routes. Writes and permissions are in `api_writes.rs`.

mod api_support;
mod common;

use std::collections::BTreeSet;

use api_support::*;
use axum::body::Body;
use axum::http::{Method, Request};
use duizhao::accounts::{Role, token};
use duizhao::store::Store;
use serde_json::json;

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
    assert_eq!(detail["topics"][0]["names"]["en"], "Cities");
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
            Method::PATCH,
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
        // Taxonomy paths name one of their kind (used by articles: a delete is refused, 409).
        let this = match path.split('/').nth(3) {
            Some("topics") => "trade",
            Some("authors") => "lin-mei",
            Some("sections") => "world",
            _ => slug.as_str(),
        };
        let uri = path.replace("{slug}", this);
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
}

on_both_backends!(
    reads_in_every_edition,
    tokens_are_required_and_checked,
    hostile_input_is_stored_and_shown_inert,
    the_openapi_document_describes_exactly_the_routes,
);
