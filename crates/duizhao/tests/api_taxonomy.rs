//! Topics, authors and sections written through the JSON API on both backends: create, change,
//! rename (the old address answers 301), delete only what nothing uses or with reassignment
//! (merging), who may, and bad input.

mod api_support;
mod common;

use api_support::*;
use axum::http::Method;
use duizhao::store::Store;
use serde_json::{Value, json};

async fn topics_are_created_renamed_merged_and_deleted(store: &Store) {
    let api = api(store).await;
    let call = |method: Method, uri: &str, body: Option<Value>| {
        let api = &api;
        let uri = uri.to_owned();
        async move {
            api.call(method, &uri, Some(&api.editor), body.as_ref())
                .await
        }
    };

    // Created, with the slug made from the English name.
    let r = call(
        Method::POST,
        "/api/v1/topics",
        Some(json!({
            "name_en": "Supply Chains", "name_zh": "供应链",
            "description_en": "Who makes what, where.", "description_zh": "谁在哪里制造什么。",
            "hot": true, "hot_order": 3
        })),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.headers["location"], "/api/v1/topics/supply-chains");
    let topic = r.json();
    assert_eq!(topic["slug"], "supply-chains");
    assert_eq!(
        topic["names"]["zh-hant"], "供應鏈",
        "derived Traditional name"
    );
    assert_eq!(topic["description"]["zh-hant"], "誰在哪裡製造什麼。");
    assert_eq!(topic["hot"], true);
    let listed = api.get("/api/v1/topics", None).await.json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["slug"] == "supply-chains")
    );
    // Its page shows the description; the hot bar carries it.
    let page = api.get("/zh-hant/topics/supply-chains", None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("誰在哪裡製造什麼。"), "{}", page.text);

    // A Chinese-only topic gets a Chinese slug; its Location is percent-encoded.
    let r = call(
        Method::POST,
        "/api/v1/topics",
        Some(json!({"name_zh": "养老金"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        r.headers["location"],
        "/api/v1/topics/%E5%85%BB%E8%80%81%E9%87%91"
    );

    // Duplicate slugs, unknown fields, bad text: 422 with the field named, or 400/422 from
    // the JSON reader; nothing is created.
    let r = call(
        Method::POST,
        "/api/v1/topics",
        Some(json!({"slug": "trade", "name_en": "T"})),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.error().1, ["slug"]);
    let r = call(
        Method::POST,
        "/api/v1/topics",
        Some(json!({"name_en": "X", "colour": "red"})),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    for (body, field) in [
        (json!({"name_en": "a\u{0}b"}), "name_en"),
        (json!({"name_en": "ok", "slug": "tr\u{0430}de"}), "slug"),
        (
            json!({"name_en": "ok", "description_zh": "\u{1}"}),
            "description_zh",
        ),
        (json!({"name_en": "x".repeat(201)}), "name_en"),
        (json!({}), "name_en"),
        (
            json!({"name_en": "ok", "hot_order": 99_999_999}),
            "hot_order",
        ),
    ] {
        let r = call(Method::POST, "/api/v1/topics", Some(body.clone())).await;
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(
            r.error().1.contains(&field.to_owned()),
            "{body}: {}",
            r.text
        );
    }
    let r = api
        .send(
            axum::http::Request::post("/api/v1/topics")
                .header("authorization", format!("Bearer {}", api.editor))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    b"{\"name_en\": \"\xff\xfe\"}".to_vec(),
                ))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error(), "invalid UTF-8: {}", r.status);

    // Who may: no token 401, a translator or an author 403.
    let body = json!({"name_en": "Nope"});
    assert_eq!(
        api.call(Method::POST, "/api/v1/topics", None, Some(&body))
            .await
            .status,
        401
    );
    for token in [&api.translator, &api.author] {
        let r = api
            .call(Method::POST, "/api/v1/topics", Some(token), Some(&body))
            .await;
        assert_eq!(r.status, 403, "{}", r.text);
    }
    assert!(store.topic("nope").await.unwrap().is_none());

    // Renamed: the old page answers 301 to the new, in every edition, with its query.
    let trade_articles = api
        .get("/api/v1/articles?topic=trade&per_page=100", None)
        .await
        .json();
    let count = trade_articles["items"].as_array().unwrap().len();
    assert!(count > 0);
    let r = call(
        Method::PUT,
        "/api/v1/topics/trade",
        Some(json!({"slug": "trade-policy", "name_en": "Trade policy", "name_zh": "贸易政策"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["slug"], "trade-policy");
    for edition in ["en", "zh-hans", "zh-hant"] {
        let r = api
            .get(&format!("/{edition}/topics/trade?page=1"), None)
            .await;
        assert_eq!(r.status, 301, "{edition}");
        assert_eq!(
            r.headers["location"],
            format!("/{edition}/topics/trade-policy?page=1")
        );
    }
    assert_eq!(api.get("/en/topics/trade-policy", None).await.status, 200);
    let moved = api
        .get("/api/v1/articles?topic=trade-policy&per_page=100", None)
        .await
        .json();
    assert_eq!(
        moved["items"].as_array().unwrap().len(),
        count,
        "search and lists follow"
    );
    // An article saved with the old slug (an old client, an old revision) still works.
    let mut article = new_article("names-old-slug");
    article["topics"] = json!(["trade"]);
    let r = api
        .call(
            Method::POST,
            "/api/v1/articles",
            Some(&api.editor),
            Some(&article),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["topics"][0]["slug"], "trade-policy");
    // A rename onto a taken slug is refused.
    let r = call(
        Method::PUT,
        "/api/v1/topics/trade-policy",
        Some(json!({"slug": "tech", "name_en": "T"})),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = call(
        Method::PUT,
        "/api/v1/topics/no-such",
        Some(json!({"name_en": "T"})),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);

    // Deleting a used topic is refused (409) and changes nothing; with reassignment it is a
    // merge: the articles move, and both old slugs now lead to the survivor.
    let r = call(Method::DELETE, "/api/v1/topics/trade-policy", None).await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(store.topic("trade-policy").await.unwrap().is_some());
    let r = call(
        Method::DELETE,
        "/api/v1/topics/trade-policy?reassign_to=no-such",
        None,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = call(
        Method::DELETE,
        "/api/v1/topics/trade-policy?reassign_to=trade-policy",
        None,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = call(
        Method::DELETE,
        "/api/v1/topics/trade-policy?reassign_to=supply-chains",
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["articles"].as_array().unwrap().len(), count + 1);
    let merged = api
        .get("/api/v1/articles?topic=supply-chains&per_page=100", None)
        .await
        .json();
    // The new article is a draft: moved, but not listed.
    assert_eq!(merged["items"].as_array().unwrap().len(), count);
    for old in ["trade", "trade-policy"] {
        let r = api.get(&format!("/en/topics/{old}"), None).await;
        assert_eq!(r.status, 301, "{old}");
        assert_eq!(r.headers["location"], "/en/topics/supply-chains");
    }
    // A new topic may take an old slug back: the live page wins over the redirect.
    let r = call(
        Method::POST,
        "/api/v1/topics",
        Some(json!({"slug": "trade", "name_en": "Trade"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(api.get("/en/topics/trade", None).await.status, 200);
    // An unused topic is simply deleted; its page is then 404.
    let r = call(Method::DELETE, "/api/v1/topics/trade", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(api.get("/en/topics/trade", None).await.status, 404);
    assert_eq!(
        call(Method::DELETE, "/api/v1/topics/trade", None)
            .await
            .status,
        404
    );
}

async fn authors_and_sections_are_managed_too(store: &Store) {
    let api = api(store).await;
    let call = |method: Method, uri: &str, body: Option<Value>| {
        let api = &api;
        let uri = uri.to_owned();
        async move {
            api.call(method, &uri, Some(&api.admin), body.as_ref())
                .await
        }
    };
    let photo = store.list_media(1, 0).await.unwrap().remove(0).path;
    // The photo may be named by its public address.
    let r = call(
        Method::POST,
        "/api/v1/authors",
        Some(json!({
            "name_en": "Ana Flores", "name_zh": "安娜", "bio_en": "Writes on ports.",
            "bio_zh": "撰写港口报道。", "photo": format!("/media/{photo}")
        })),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["slug"], "ana-flores");
    assert!(
        r.json()["photo"].as_str().unwrap().ends_with(&photo),
        "{}",
        r.text
    );
    assert_eq!(r.json()["bio"]["zh-hant"], "撰寫港口報道。");
    let r = call(
        Method::POST,
        "/api/v1/authors",
        Some(json!({"name_en": "X", "photo": "uploads/none.jpg"})),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.error().1, ["photo"]);

    // An author with bylines cannot go without a successor; with one, the bylines move.
    let r = call(Method::DELETE, "/api/v1/authors/lin-mei", None).await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = call(
        Method::DELETE,
        "/api/v1/authors/lin-mei?reassign_to=ana-flores",
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(!r.json()["articles"].as_array().unwrap().is_empty());
    assert_eq!(
        api.get("/en/authors/lin-mei", None).await.headers["location"],
        "/en/authors/ana-flores"
    );

    // Sections: created, reordered, renamed; the navigation follows.
    let r = call(
        Method::POST,
        "/api/v1/sections",
        Some(json!({"name_en": "Science", "name_zh": "科学", "position": -1})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let sections = api.get("/api/v1/sections", None).await.json();
    assert_eq!(sections[0]["slug"], "science", "ordered first");
    let r = call(
        Method::PUT,
        "/api/v1/sections/world",
        Some(json!({"slug": "global", "name_en": "Global", "name_zh": "全球"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = api.get("/zh-hant/sections/world", None).await;
    assert_eq!(
        (r.status.as_u16(), &r.headers["location"]),
        (301, &"/zh-hant/sections/global".parse().unwrap())
    );
    let home = api.get("/en/", None).await;
    assert!(
        home.text.contains("/en/sections/global"),
        "the navigation shows the new slug"
    );
    // A translator may not touch sections.
    let r = api
        .call(
            Method::DELETE,
            "/api/v1/sections/science",
            Some(&api.translator),
            None,
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        call(Method::DELETE, "/api/v1/sections/science", None)
            .await
            .status,
        200
    );
}

async fn concurrent_creates_of_one_slug_make_one(store: &Store) {
    let api = api(store).await;
    let body = json!({"name_en": "Same Name"});
    let attempts = (0..8).map(|_| {
        api.call(
            Method::POST,
            "/api/v1/topics",
            Some(&api.editor),
            Some(&body),
        )
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status.as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 422 || *s == 409),
        "{statuses:?}"
    );
}

on_both_backends!(
    topics_are_created_renamed_merged_and_deleted,
    authors_and_sections_are_managed_too,
    concurrent_creates_of_one_slug_make_one,
);
