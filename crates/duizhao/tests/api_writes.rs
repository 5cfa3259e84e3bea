//! Writes through the JSON API on both backends: who may see and change what (drafts,
//! translators, authors), optimistic concurrency, and validation errors.

mod api_support;
mod common;

use api_support::*;
use axum::body::Body;
use axum::http::{Method, Request};
use duizhao::store::Store;
use serde_json::{Value, json};

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

async fn slugs_are_proposed_from_headlines(store: &Store) {
    let api = api(store).await;
    let post = |body: Value| {
        let api = &api;
        async move {
            api.call(
                Method::POST,
                "/api/v1/articles",
                Some(&api.editor),
                Some(&body),
            )
            .await
        }
    };
    let mut english = new_article("");
    english.as_object_mut().unwrap().remove("slug");
    let r = post(english.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["slug"], "harbour-cranes-return");
    // Taken: numbered.
    let r = post(english).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["slug"], "harbour-cranes-return-2");
    // Chinese only: pinyin, a syllable a character.
    let r =
        post(json!({"slug": "", "zh": {"title": "港口起重机回来了", "body": "第一段。"}})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["slug"], "gang-kou-qi-zhong-ji-hui-lai-le");
    // Nothing to make one from: the slug is the field to fix.
    let r = post(json!({"en": {"title": "！？", "body": "x"}})).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.error().1.contains(&"slug".to_owned()), "{}", r.text);
}

async fn deleting_moves_to_the_trash_and_restore_brings_back(store: &Store) {
    let api = api(store).await;
    let call = |method: Method, path: &str, token: Option<&str>| {
        let api = &api;
        let path = path.to_owned();
        let token = token.map(str::to_owned);
        async move { api.call(method, &path, token.as_deref(), None).await }
    };
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.editor),
            Some(&json!({"slug": "dock", "status": "published",
                "en": {"title": "Dock", "body": "One."}, "zh": {"title": "船坞", "body": "一。"}})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(api.get("/api/v1/articles/dock", None).await.status, 200);
    // Who may not: no token 401, a translator or another author 403 or 404.
    assert_eq!(
        call(Method::DELETE, "/api/v1/articles/dock", None)
            .await
            .status,
        401
    );
    let r = call(
        Method::DELETE,
        "/api/v1/articles/dock",
        Some(&api.translator),
    )
    .await;
    assert!(matches!(r.status.as_u16(), 403 | 404), "{}", r.text);
    r.error();
    let r = call(Method::DELETE, "/api/v1/articles/dock", Some(&api.author)).await;
    assert!(matches!(r.status.as_u16(), 403 | 404), "{}", r.text);
    // The editor deletes: it says when, and it is no longer public.
    let r = call(Method::DELETE, "/api/v1/articles/dock", Some(&api.editor)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let detail = r.json();
    assert!(detail["deleted_at"].is_string(), "{detail}");
    assert_eq!(detail["status"], "unpublished");
    assert_eq!(api.get("/api/v1/articles/dock", None).await.status, 410);
    let r = call(Method::DELETE, "/api/v1/articles/dock", Some(&api.editor)).await;
    assert_eq!(r.status, 410, "{}", r.text);
    r.error();
    // In the trash it cannot be changed.
    let detail = api.article("dock", &api.editor).await;
    let r = api
        .call(
            Method::PUT,
            "/api/v1/articles/dock",
            Some(&api.editor),
            Some(&body_of(&detail)),
        )
        .await;
    assert_eq!(r.status, 410, "{}", r.text);
    // Restored: as it was, not public until published again.
    let r = call(
        Method::POST,
        "/api/v1/articles/dock/restore",
        Some(&api.editor),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["deleted_at"], Value::Null);
    let r = call(
        Method::POST,
        "/api/v1/articles/dock/restore",
        Some(&api.editor),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles/dock/status",
            Some(&api.editor),
            Some(&json!({"status": "published"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(api.get("/api/v1/articles/dock", None).await.status, 200);
    // Unknown and hostile slugs.
    for path in [
        "/api/v1/articles/no-such",
        "/api/v1/articles/%00",
        "/api/v1/articles/%FF%FE/restore",
    ] {
        let method = if path.ends_with("/restore") {
            Method::POST
        } else {
            Method::DELETE
        };
        let r = call(method, path, Some(&api.editor)).await;
        assert!(matches!(r.status.as_u16(), 400 | 404), "{path}: {}", r.text);
        r.error();
    }
    // An author may delete their own draft, and restore it.
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.author),
            Some(&json!({"slug": "mine", "en": {"title": "Mine", "body": "x"}})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = call(Method::DELETE, "/api/v1/articles/mine", Some(&api.author)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = call(
        Method::POST,
        "/api/v1/articles/mine/restore",
        Some(&api.author),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

on_both_backends!(
    deleting_moves_to_the_trash_and_restore_brings_back,
    slugs_are_proposed_from_headlines,
    drafts_are_visible_only_to_who_may_view_them,
    translators_change_only_their_language_and_cannot_publish,
    authors_change_only_their_own_drafts,
    conflicting_writes_are_refused,
    invalid_articles_are_422_with_fields,
);
