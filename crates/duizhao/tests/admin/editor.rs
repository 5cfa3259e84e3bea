//! The editor: save, preview, publish, schedule, roles, conflicts, revisions, the glossary,
//! the checklist and hostile text.

use axum::http::StatusCode;

use duizhao::accounts::Role;
use duizhao::content::{Language, Status};
use duizhao::store::Store;

use crate::common::admin::*;

async fn editor_writes_previews_publishes_and_schedules(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let r = b.get("/admin/articles/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = b
        .post(
            "/admin/articles/new",
            &article_fields("harbour", "Harbour reopens", "港口重开"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/articles/harbour?saved=1");
    // A draft: not public, but previewed in every edition and mode.
    assert_eq!(
        b.get("/en/articles/harbour").await.status,
        StatusCode::NOT_FOUND
    );
    for (edition, mode, expect) in [
        ("en", "dual", "Harbour reopens"),
        ("zh-hans", "dual", "港口重开"),
        ("zh-hant", "dual", "港口重開"),
        ("zh-hant", "zh", "船隻慢慢回來了"),
        ("en", "en", "Ships came back slowly"),
    ] {
        let r = b
            .get(&format!("/admin/articles/harbour/preview/{edition}/{mode}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{edition} {mode}");
        assert!(r.body.contains(expect), "{edition} {mode}: {expect}");
        assert!(r.body.contains("preview-banner"));
    }
    // The pairing view flags nothing in a faithful translation.
    let r = b.get("/admin/articles/harbour/pairing").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("0 things to check"), "{}", r.body);
    // Publish: now public in every edition.
    let editable = store.editable("harbour").await.unwrap().unwrap();
    let rev = editable.revision.to_string();
    let mut fields = article_fields("harbour", "Harbour reopens", "港口重开");
    fields.push(("revision", &rev));
    fields.push(("action", "publish"));
    let r = b.post("/admin/articles/harbour", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for (path, expect) in [
        ("/en/articles/harbour", "Harbour reopens"),
        ("/zh-hans/articles/harbour", "港口重开"),
        ("/zh-hant/articles/harbour", "港口重開"),
        ("/zh-hant/articles/harbour/dual", "Harbour reopens"),
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains(expect), "{path}");
    }
    let r = b.get("/zh-hant/search?q=%E6%B8%AF%E5%8F%A3").await;
    assert!(
        r.body.contains("/zh-hant/articles/harbour"),
        "indexed for search"
    );
    // Schedule another for the future: not public until the scheduler's pass after its time.
    let r = b
        .post(
            "/admin/articles/new",
            &[
                article_fields("later", "Later", "稍后"),
                vec![("published_at", "2999-01-01T08:00"), ("action", "schedule")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        store.editable("later").await.unwrap().unwrap().input.status,
        Status::Scheduled
    );
    let published = duizhao::web::jobs::publish_due(&site.state, jiff::Timestamp::now())
        .await
        .unwrap();
    assert!(published.is_empty());
    assert_eq!(
        b.get("/en/articles/later").await.status,
        StatusCode::NOT_FOUND
    );
    let then: jiff::Timestamp = "2999-01-02T00:00:00Z".parse().unwrap();
    let published = duizhao::web::jobs::publish_due(&site.state, then)
        .await
        .unwrap();
    assert_eq!(published, ["later"]);
    assert_eq!(
        store.editable("later").await.unwrap().unwrap().input.status,
        Status::Published
    );
}

async fn translators_and_authors_are_kept_to_their_work(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let translator = add_user(store, "tr", Role::Translator).await;
    add_user(store, "au", Role::Author).await;
    add_user(store, "au2", Role::Author).await;
    let mut ed = Browser::signed_in(&site, "ed").await;
    ed.post(
        "/admin/articles/new",
        &article_fields("assigned", "Assigned", "指派"),
    )
    .await;
    // The editor assigns the translator in the editor's form.
    ed.get("/admin/articles/assigned").await;
    let rev = store
        .editable("assigned")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    let mut fields = article_fields("assigned", "Assigned", "指派");
    fields.push(("revision", &rev));
    fields.push(("assign_zh", "tr"));
    let r = ed.post("/admin/articles/assigned", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let access = store.editable("assigned").await.unwrap().unwrap().access;
    assert_eq!(access.assignments, [(translator, Language::Zh)]);
    let mut fields = article_fields("assigned", "Assigned", "指派");
    let rev = store
        .editable("assigned")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    fields.push(("revision", &rev));
    fields.push(("assign_en", "ed"));
    let r = ed.post("/admin/articles/assigned", &fields).await;
    assert!(r.body.contains("ed is not a translator"), "{}", r.body);

    let mut tr = Browser::signed_in(&site, "tr").await;
    let r = tr.get("/admin/").await;
    assert!(r.body.contains("assigned") && !r.body.contains("pension-reform-levers"));
    assert_eq!(
        tr.get("/admin/articles/pension-reform-levers").await.status,
        StatusCode::FORBIDDEN
    );
    tr.get("/admin/articles/assigned").await;
    let rev = store
        .editable("assigned")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    // Publishing is refused and nothing is saved.
    let r = tr
        .post(
            "/admin/articles/assigned",
            &[
                ("revision", rev.as_str()),
                ("zh_title", "新标题"),
                ("zh_body", "新的正文。"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the form comes back with the error"
    );
    assert!(r.body.contains("you may not publish"), "{}", r.body);
    let stored = store.editable("assigned").await.unwrap().unwrap();
    assert_eq!(stored.input.status, Status::Draft);
    assert_eq!(stored.input.zh.as_ref().unwrap().title, "指派");
    // Their own language is saved; the English they sent is ignored.
    let r = tr
        .post(
            "/admin/articles/assigned",
            &[
                ("revision", rev.as_str()),
                ("zh_title", "新标题"),
                ("zh_body", "新的正文。"),
                ("en_title", "Hijacked"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.editable("assigned").await.unwrap().unwrap();
    assert_eq!(stored.input.zh.as_ref().unwrap().title, "新标题");
    assert_eq!(stored.input.en.as_ref().unwrap().title, "Assigned");
    assert_eq!(
        tr.get("/admin/glossary").await.status,
        StatusCode::FORBIDDEN
    );

    // Authors: their own drafts only.
    let mut au = Browser::signed_in(&site, "au").await;
    let r = au
        .post(
            "/admin/articles/new",
            &article_fields("mine", "Mine", "我的"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut au2 = Browser::signed_in(&site, "au2").await;
    assert_eq!(
        au2.get("/admin/articles/mine").await.status,
        StatusCode::FORBIDDEN
    );
    let r = au2
        .post(
            "/admin/articles/mine",
            &[
                ("revision", "1"),
                ("en_title", "Taken over"),
                ("en_body", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        store
            .editable("mine")
            .await
            .unwrap()
            .unwrap()
            .input
            .en
            .unwrap()
            .title,
        "Mine"
    );
    let r = au2.get("/admin/users").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn concurrent_saves_are_not_lost(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    add_user(store, "ed2", Role::Editor).await;
    let mut a = Browser::signed_in(&site, "ed").await;
    a.post(
        "/admin/articles/new",
        &article_fields("shared", "Shared", "共享"),
    )
    .await;
    let mut b = Browser::signed_in(&site, "ed2").await;
    let rev = store
        .editable("shared")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    // Both opened revision `rev`; A saves first.
    let mut first = article_fields("shared", "Shared — A's headline", "共享");
    first.push(("revision", &rev));
    assert_eq!(
        a.post("/admin/articles/shared", &first).await.status,
        StatusCode::SEE_OTHER
    );
    b.get("/admin/articles/shared").await;
    let mut second = article_fields("shared", "Shared — B's headline", "共享");
    second.push(("revision", &rev));
    let r = b.post("/admin/articles/shared", &second).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("A&#39;s headline") || r.body.contains("A's headline"),
        "theirs is shown"
    );
    assert!(
        r.body.contains("B&#39;s headline") || r.body.contains("B's headline"),
        "mine is kept"
    );
    let stored = store.editable("shared").await.unwrap().unwrap();
    assert_eq!(
        stored.input.en.as_ref().unwrap().title,
        "Shared — A's headline"
    );
    // Saving again from the conflict page (it names the new revision) is a deliberate choice.
    let newer = stored.revision.to_string();
    let mut again = article_fields("shared", "Shared — B's headline", "共享");
    again.push(("revision", &newer));
    assert_eq!(
        b.post("/admin/articles/shared", &again).await.status,
        StatusCode::SEE_OTHER
    );
}

async fn revisions_diff_and_restore(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    b.post(
        "/admin/articles/new",
        &article_fields("rev", "First headline", "第一"),
    )
    .await;
    let rev = store.editable("rev").await.unwrap().unwrap().revision;
    let mut second = article_fields("rev", "Second headline", "第一");
    let rev_s = rev.to_string();
    second.push(("revision", &rev_s));
    b.post("/admin/articles/rev", &second).await;
    let r = b.get("/admin/articles/rev/revisions?part=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<mark>Second</mark>"), "{}", r.body);
    assert!(r.body.contains("<mark>First</mark>"));
    let current = store
        .editable("rev")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    let r = b
        .post(
            "/admin/articles/rev/revisions/restore",
            &[("part", "en"), ("rev", &rev_s), ("current", &current)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.editable("rev").await.unwrap().unwrap();
    assert_eq!(stored.input.en.unwrap().title, "First headline");
    assert_eq!(
        stored.input.zh.unwrap().title,
        "第一",
        "the other version is untouched"
    );
}

async fn the_glossary_rederives_affected_articles(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let mut fields = article_fields("names", "Names", "特朗普访华");
    fields.push(("action", "publish"));
    b.post("/admin/articles/new", &fields).await;
    assert!(
        b.get("/zh-hant/articles/names")
            .await
            .body
            .contains("特朗普訪華")
    );
    b.get("/admin/glossary").await;
    let r = b
        .post(
            "/admin/glossary",
            &[
                ("text", "特朗普 -> 川普 @zh-Hant"),
                ("sample", "特朗普说"),
                ("action", "preview"),
            ],
        )
        .await;
    assert!(
        r.body.contains("川普說"),
        "the preview converts: {}",
        r.body
    );
    let r = b
        .post(
            "/admin/glossary",
            &[("text", "not a rule"), ("action", "save")],
        )
        .await;
    assert!(r.body.contains("role=\"alert\""), "a bad rule is refused");
    let r = b
        .post(
            "/admin/glossary",
            &[("text", "特朗普 -> 川普 @zh-Hant"), ("action", "save")],
        )
        .await;
    assert!(r.body.contains("1 article re-derived"), "{}", r.body);
    assert!(
        b.get("/zh-hant/articles/names")
            .await
            .body
            .contains("川普訪華")
    );
    assert!(
        b.get("/zh-hans/articles/names")
            .await
            .body
            .contains("特朗普访华")
    );
}

async fn hostile_input_is_stored_safely_and_rendered_inert(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let fields = vec![
        ("slug", "hostile"),
        ("en_title", "<script>alert('t')</script> headline"),
        ("en_dek", "\"><img src=x onerror=alert(1)>"),
        (
            "en_body",
            "[click](javascript:alert(1)) <script>alert(2)</script>\n\n<iframe src=//evil></iframe>\n\n**unclosed *emphasis [link(\n\n```\nunterminated fence",
        ),
        ("zh_title", "<b onmouseover=alert(3)>标题</b>"),
        ("zh_body", "正文<script>alert(4)</script>"),
        ("en_hero_caption", "<svg onload=alert(5)>"),
        // No author or section: past the pre-publish checklist.
        ("action", "publish-anyway"),
    ];
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.editable("hostile").await.unwrap().unwrap();
    assert_eq!(
        stored.input.en.as_ref().unwrap().title,
        "<script>alert('t')</script> headline",
        "stored as written"
    );
    for path in [
        "/en/articles/hostile",
        "/zh-hans/articles/hostile",
        "/zh-hant/articles/hostile/dual",
        "/admin/articles/hostile",
        "/admin/articles/hostile/pairing",
        "/admin/articles/hostile/revisions",
        "/admin/articles/hostile/preview/en/dual",
        "/admin/",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        // Editor pages show the source as text (escaped), so look for markup, not words.
        for bad in [
            "<script>alert",
            "=\"javascript:",
            "<img src=x",
            "<iframe",
            "<svg onload",
            "<b onmouseover",
        ] {
            assert!(!r.body.contains(bad), "{path} contains {bad}");
        }
    }
    // Oversized, malformed and invalid-UTF-8 bodies get 4xx, never a 500.
    let huge = "x".repeat(3 * 1024 * 1024);
    let r = b
        .post(
            "/admin/articles/new",
            &[("slug", "huge"), ("en_title", "Huge"), ("en_body", &huge)],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let csrf = b.csrf.clone();
    let r = b
        .post_raw(
            "/admin/articles/new",
            format!("csrf={csrf}&slug=bad&en_title=%FF%FE&en_body=x"),
            &[],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = b
        .post_raw(
            "/admin/articles/new",
            format!("csrf={csrf}&revision=notanumber"),
            &[],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = b
        .post(
            "/admin/articles/new",
            &[("slug", "../../etc"), ("en_title", "x")],
        )
        .await;
    assert!(
        r.body.contains("lower-case letters"),
        "a bad slug is explained"
    );
    assert_eq!(
        b.get("/admin/articles/nope/preview/xx/dual").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/admin/?status=weird").await.status,
        StatusCode::BAD_REQUEST
    );
}

async fn publishing_meets_the_checklist_first(store: &Store) {
    let site = site(store).await;
    add_user(store, "editor", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "editor").await;
    b.get("/admin/articles/new").await;
    // No slug (made from the headline), no author, no section, one paragraph against two,
    // an image without alternative text.
    let fields = [
        ("en_title", "Harbour cranes return"),
        ("en_body", "One paragraph with ![](images/hero-ladder.svg)."),
        ("zh_title", "港口起重机回来了"),
        ("zh_body", "第一段。\n\n第二段。"),
        ("action", "publish"),
    ];
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for expected in [
        "nothing was saved yet",
        "No author",
        "No section",
        "has no alternative text",
        "The English has 1 paragraphs and the Chinese 2",
        "value=\"publish-anyway\"",
        "value=\"Harbour cranes return\"",
    ] {
        assert!(r.body.contains(expected), "{expected}: {}", r.body);
    }
    assert!(
        !r.body.contains("There is no English version"),
        "{}",
        r.body
    );
    assert!(
        store
            .editable("harbour-cranes-return")
            .await
            .unwrap()
            .is_none()
    );
    // Saving a draft is never held.
    let mut draft = fields.to_vec();
    draft[4] = ("action", "save");
    let r = b.post("/admin/articles/new", &draft).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/articles/harbour-cranes-return?saved=1");
    // Going ahead anyway publishes; the slug was taken by the draft, so it is numbered.
    let mut anyway = fields.to_vec();
    anyway[4] = ("action", "publish-anyway");
    let r = b.post("/admin/articles/new", &anyway).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location,
        "/admin/articles/harbour-cranes-return-2?saved=published"
    );
    let r = b.get(&r.location).await;
    assert!(r.body.contains("View on site"), "{}", r.body);
    assert!(
        r.body.contains("<title>Harbour cranes return"),
        "the headline is the title"
    );
    assert!(r.body.contains("value=\"unpublish\""), "{}", r.body);
    let r = b.get("/admin/articles/harbour-cranes-return").await;
    assert!(
        !r.body.contains("value=\"unpublish\""),
        "a draft has nothing to unpublish"
    );
    assert!(!r.body.contains("View on site"), "nor a page on the site");
    assert_eq!(
        b.get("/en/articles/harbour-cranes-return-2").await.status,
        StatusCode::OK
    );
}

crate::on_both_backends!(
    editor_writes_previews_publishes_and_schedules,
    translators_and_authors_are_kept_to_their_work,
    concurrent_saves_are_not_lost,
    revisions_diff_and_restore,
    the_glossary_rederives_affected_articles,
    hostile_input_is_stored_safely_and_rendered_inert,
    publishing_meets_the_checklist_first,
);
