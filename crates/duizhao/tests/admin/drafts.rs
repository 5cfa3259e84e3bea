//! The editor's safety nets: the trash (delete, restore, removal after 30 days), autosave
//! kept apart from the revisions, the slug check as you type, and the live preview of unsaved
//! text.

use axum::http::StatusCode;

use duizhao::accounts::Role;
use duizhao::content::Status;
use duizhao::store::Store;

use crate::common::admin::*;

/// Publishes a new article from the editor and returns its revision.
async fn publish(b: &mut Browser<'_>, slug: &str, en: &str, zh: &str) {
    let mut fields = article_fields(slug, en, zh);
    fields.push(("action", "publish-anyway"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn deleted_articles_wait_in_the_trash(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    add_user(store, "tr", Role::Translator).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    publish(&mut b, "pier", "The pier", "码头").await;
    assert_eq!(b.get("/en/articles/pier").await.status, StatusCode::OK);
    let r = b.get("/admin/articles/pier").await;
    assert!(r.body.contains("Move to the trash"), "{}", r.body);
    // A translator may not delete.
    let mut t = Browser::signed_in(&site, "tr").await;
    let r = t.post("/admin/articles/pier/delete", &[]).await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status
    );
    assert!(
        store
            .editable("pier")
            .await
            .unwrap()
            .unwrap()
            .deleted_at
            .is_none()
    );
    // Deleted: gone from the site at once and from the list, listed in the trash.
    let r = b.post("/admin/articles/pier/delete", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/?status=trash&deleted=pier");
    assert_eq!(b.get("/en/articles/pier").await.status, StatusCode::GONE);
    let r = b.get("/zh-hans/search?q=%E7%A0%81%E5%A4%B4").await;
    assert!(!r.body.contains("/articles/pier"), "no longer found");
    let r = b.get("/admin/").await;
    assert!(
        !r.body.contains("/admin/articles/pier\""),
        "not in the list"
    );
    let r = b.get("/admin/?status=trash&deleted=pier").await;
    assert!(r.body.contains("pier is in the trash"), "{}", r.body);
    assert!(r.body.contains("/admin/articles/pier\""), "{}", r.body);
    // Its page says so, cannot be saved, and offers to restore it.
    let r = b.get("/admin/articles/pier").await;
    assert!(r.body.contains("in the trash since"), "{}", r.body);
    assert!(r.body.contains("Restore from the trash"));
    assert!(!r.body.contains("Move to the trash"));
    let rev = store.editable("pier").await.unwrap().unwrap().revision;
    let rev = rev.to_string();
    let mut fields = article_fields("pier", "Edited in the trash", "码头");
    fields.push(("revision", &rev));
    let r = b.post("/admin/articles/pier", &fields).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.body);
    // Deleting twice is refused; the slug stays taken meanwhile.
    let r = b.post("/admin/articles/pier/delete", &[]).await;
    assert_eq!(r.status, StatusCode::GONE);
    let r = b
        .post(
            "/admin/articles/new",
            &article_fields("pier", "Another pier", "另一个码头"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("in the trash"), "{}", r.body);
    // Restored: back in the list, not public until published again.
    let r = b.post("/admin/articles/pier/restore", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = b.get(&r.location).await;
    assert!(r.body.contains("Taken out of the trash"), "{}", r.body);
    let editable = store.editable("pier").await.unwrap().unwrap();
    assert_eq!(editable.deleted_at, None);
    assert_eq!(editable.input.status, Status::Unpublished);
    assert_eq!(editable.input.en.unwrap().title, "The pier", "nothing lost");
    assert_eq!(b.get("/en/articles/pier").await.status, StatusCode::GONE);
    let r = b.post("/admin/articles/pier/restore", &[]).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not in the trash"
    );
    // After 30 days in the trash, the background job removes it for good.
    let r = b.post("/admin/articles/pier/delete", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let converters = site.state.converters();
    let core = site.state.core(&converters, None);
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 29);
    let purged = duizhao::editorial::articles::purge_trash(&core, soon)
        .await
        .unwrap();
    assert!(purged.is_empty(), "29 days: still there");
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 31);
    let purged = duizhao::editorial::articles::purge_trash(&core, later)
        .await
        .unwrap();
    assert_eq!(purged, ["pier"]);
    assert!(store.editable("pier").await.unwrap().is_none());
    assert_eq!(
        b.get("/en/articles/pier").await.status,
        StatusCode::NOT_FOUND
    );
    // Hostile slugs in these addresses are 404s, not errors.
    for path in [
        "/admin/articles/no-such/delete",
        "/admin/articles/%00/restore",
        "/admin/articles/..%2F..%2Fetc/delete",
    ] {
        let r = b.post(path, &[]).await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
            "{path}: {}",
            r.status
        );
    }
}

async fn autosave_keeps_unsaved_work_apart_from_revisions(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    publish(&mut b, "quay", "The quay", "码头区").await;
    let before = store.editable("quay").await.unwrap().unwrap();
    let rev = before.revision.to_string();
    let mut fields = article_fields("quay", "The quay, rewritten", "码头区");
    fields.push(("revision", &rev));
    b.get("/admin/articles/quay").await;
    let r = b.post("/admin/articles/quay/autosave", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let answer: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(answer["saved_at"].is_string(), "{answer}");
    // Not a revision, not public.
    let after = store.editable("quay").await.unwrap().unwrap();
    assert_eq!(after.revision, before.revision);
    assert_eq!(after.input.en.unwrap().title, "The quay");
    assert!(!b.get("/en/articles/quay").await.body.contains("rewritten"));
    // Opening the editor again offers it; restoring puts it in the form, based on the
    // revision it was typed over.
    let r = b.get("/admin/articles/quay").await;
    assert!(r.body.contains("You have unsaved changes"), "{}", r.body);
    let r = b.get("/admin/articles/quay?autosave=restore").await;
    assert!(r.body.contains("The quay, rewritten"), "{}", r.body);
    assert!(
        r.body
            .contains(&format!("name=\"revision\" value=\"{rev}\""))
    );
    assert!(!r.body.contains("You have unsaved changes"));
    // Saving clears it.
    let r = b.post("/admin/articles/quay", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = b.get("/admin/articles/quay").await;
    assert!(!r.body.contains("You have unsaved changes"));
    // A new article's autosave, then discarded.
    b.get("/admin/articles/new").await;
    let r = b
        .post(
            "/admin/articles/new/autosave",
            &article_fields("", "Half written", "写了一半"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = b.get("/admin/articles/new").await;
    assert!(r.body.contains("You have unsaved changes"));
    let r = b.get("/admin/articles/new?autosave=restore").await;
    assert!(r.body.contains("Half written"));
    let r = b
        .post("/admin/articles/new/autosave", &[("action", "discard")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = b.get("/admin/articles/new").await;
    assert!(!r.body.contains("You have unsaved changes"));
    // Each user's own: another editor sees nothing of it.
    add_user(store, "ed2", Role::Editor).await;
    b.get("/admin/articles/quay").await;
    b.post("/admin/articles/quay/autosave", &fields).await;
    let mut other = Browser::signed_in(&site, "ed2").await;
    let r = other.get("/admin/articles/quay").await;
    assert!(!r.body.contains("You have unsaved changes"));
    // Hostile input: control characters are kept as typed (it is not published text), too
    // large a form is refused, an unknown article is 404.
    let r = b
        .post(
            "/admin/articles/quay/autosave",
            &[("en_body", "nul \u{0} and \u{1}"), ("revision", &rev)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let huge = "x".repeat(3 * 1024 * 1024);
    let r = b
        .post("/admin/articles/quay/autosave", &[("en_body", &huge)])
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = b
        .post("/admin/articles/no-such/autosave", &[("en_title", "x")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Without the CSRF token, nothing is kept.
    let r = b
        .post_raw(
            "/admin/articles/quay/autosave",
            "en_title=forged".to_owned(),
            &[("origin", "https://news.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn slugs_are_checked_as_they_are_typed(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    add_user(store, "tr", Role::Translator).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    publish(&mut b, "harbour-cranes", "Harbour cranes", "港口吊车").await;
    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    let r = b.get("/admin/slug-check?slug=harbour-cranes").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = json(&r.body);
    assert_eq!(v["ok"], false);
    assert!(v["message"].as_str().unwrap().contains("already used"));
    let v = json(&b.get("/admin/slug-check?slug=fresh-one").await.body);
    assert_eq!(v["ok"], true);
    let v = json(&b.get("/admin/slug-check?slug=Bad%20Slug").await.body);
    assert_eq!(v["ok"], false);
    // Nothing typed: the slug the headlines give, past the ones in use.
    let v = json(&b.get("/admin/slug-check?en=Harbour%20cranes").await.body);
    assert_eq!(v["slug"], "harbour-cranes-2");
    let v = json(
        &b.get("/admin/slug-check?zh=%E7%AC%AC%E4%B8%80%E4%BB%BD%E5%B7%A5%E4%BD%9C")
            .await
            .body,
    );
    assert_eq!(v["slug"], "di-yi-fen-gong-zuo");
    for hostile in [
        "/admin/slug-check?slug=%00",
        "/admin/slug-check?en=%01%02&zh=%EF%BF%BE",
        "/admin/slug-check?slug=%FF%FE",
    ] {
        let r = b.get(hostile).await;
        assert!(
            matches!(r.status, StatusCode::OK | StatusCode::BAD_REQUEST),
            "{hostile}: {}",
            r.status
        );
    }
    let long = format!("/admin/slug-check?en={}", "word%20".repeat(5_000));
    let r = b.get(&long).await;
    assert!(r.status != StatusCode::INTERNAL_SERVER_ERROR);
    // Only for those who may create articles.
    let mut t = Browser::signed_in(&site, "tr").await;
    assert_eq!(
        t.get("/admin/slug-check?slug=x").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_live_preview_shows_unsaved_text_in_parallel(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    b.get("/admin/articles/new").await;
    let r = b
        .post(
            "/admin/preview",
            &article_fields("", "Cranes <script>alert(1)</script>", "吊车"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Ships came back slowly"), "{}", r.body);
    assert!(r.body.contains("船只慢慢回来了"), "both languages, paired");
    assert!(!r.body.contains("<script>alert"), "escaped");
    assert!(store.editable("cranes").await.unwrap().is_none(), "unsaved");
    // Over a stored article: the typed text, not the stored one.
    publish(&mut b, "cranes", "Cranes", "吊车").await;
    let rev = store.editable("cranes").await.unwrap().unwrap().revision;
    let rev = rev.to_string();
    let mut fields = article_fields("cranes", "Cranes, retitled", "吊车");
    fields.push(("revision", &rev));
    let r = b.post("/admin/preview?article=cranes", &fields).await;
    assert!(r.body.contains("Cranes, retitled"), "{}", r.body);
    // A translator's form has only their version: the rest comes from the stored article.
    let translator = add_user(store, "tr", Role::Translator).await;
    let id = store.editable("cranes").await.unwrap().unwrap().id;
    store
        .assign(id, translator, duizhao::content::Language::Zh)
        .await
        .unwrap();
    let mut t = Browser::signed_in(&site, "tr").await;
    t.get("/admin/articles/cranes").await;
    let r = t
        .post(
            "/admin/preview?article=cranes",
            &[("zh_title", "吊车（译者改）"), ("zh_body", "译者的正文。")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("吊车（译者改）") && r.body.contains("Ships came back slowly"));
    let r = t.post("/admin/preview", &[("zh_title", "新")]).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a translator creates nothing"
    );
    let r = t
        .post("/admin/preview?article=harbour", &[("zh_title", "x")])
        .await;
    assert!(matches!(
        r.status,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ));
    // Nothing to preview: the reasons, not an error.
    let r = b.post("/admin/preview", &[("slug", "")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nothing to preview yet"), "{}", r.body);
    let r = b
        .post(
            "/admin/preview",
            &[("en_title", "x"), ("published_at", "not a time")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("published_at"));
}

async fn pickers_find_and_create_topics_authors_and_sections(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    add_user(store, "au", Role::Author).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let r = b.get("/admin/articles/new").await;
    assert!(
        r.body
            .contains("data-term-for=\"topics\" data-slug=\"trade\""),
        "chips"
    );
    // Names in either language and script, any case, become slugs.
    let mut fields = article_fields("named", "Named", "名字");
    fields.retain(|(k, _)| !["topics", "authors"].contains(k));
    fields.push(("topics", "贸易， TRADE、Trade"));
    fields.push(("authors", "林梅, Daniel Hart"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let input = store.editable("named").await.unwrap().unwrap().input;
    assert_eq!(input.topics, ["trade"]);
    assert_eq!(input.authors, ["lin-mei", "daniel-hart"]);
    // Unknown names: the field says so, nothing is created or saved.
    let mut fields = article_fields("fresh", "Fresh", "新");
    fields.retain(|(k, _)| !["topics", "section"].contains(k));
    fields.push(("topics", "Trade, Deep sea mining, 深海采矿"));
    fields.push(("new_section", "Oceans"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("there is no topic"), "{}", r.body);
    assert!(r.body.contains("Deep sea mining"));
    assert!(store.editable("fresh").await.unwrap().is_none());
    assert!(
        !store
            .topics()
            .await
            .unwrap()
            .iter()
            .any(|t| t.slug == "deep-sea-mining"),
        "nothing created"
    );
    // Asked to create them: a topic per name, the section, then the article.
    fields.push(("create_terms", "1"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let input = store.editable("fresh").await.unwrap().unwrap().input;
    assert_eq!(
        input.topics,
        ["trade", "deep-sea-mining", "shen-hai-cai-kuang"]
    );
    assert_eq!(input.section.as_deref(), Some("oceans"));
    let topics = store.topics().await.unwrap();
    let zh = topics
        .iter()
        .find(|t| t.slug == "shen-hai-cai-kuang")
        .unwrap();
    assert_eq!(zh.name.zh_hans, "深海采矿");
    // A new section, then the checklist: the form shown again names the section made, so
    // that going ahead keeps it.
    let mut fields = article_fields("", "Arctic shipping", "北极航运");
    fields.retain(|(k, _)| !["section", "authors", "slug"].contains(k));
    fields.push(("new_section", "Polar"));
    fields.push(("action", "publish"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No author"), "{}", r.body);
    assert!(
        r.body.contains("<option value=\"polar\" selected>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"arctic-shipping\""),
        "the proposed slug is shown"
    );
    // A form refused for another reason creates nothing.
    let mut bad = article_fields("Bad Slug!", "Bad", "坏");
    bad.retain(|(k, _)| *k != "topics");
    bad.push(("topics", "Never created"));
    bad.push(("create_terms", "1"));
    let r = b.post("/admin/articles/new", &bad).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !store
            .topics()
            .await
            .unwrap()
            .iter()
            .any(|t| t.slug == "never-created"),
        "a refused form creates nothing"
    );
    // An author may not create topics: the names stay unknown.
    let mut a = Browser::signed_in(&site, "au").await;
    let r = a.get("/admin/articles/new").await;
    assert!(!r.body.contains("name=\"create_terms\""));
    let mut fields = article_fields("authors-own", "Own", "自己的");
    fields.retain(|(k, _)| *k != "topics");
    fields.push(("topics", "Invented by an author"));
    fields.push(("create_terms", "1"));
    let r = a.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("there is no topic"), "{}", r.body);
    // The media picker's list: JSON, searchable in any language.
    let r = b.get("/admin/media/pick").await;
    assert_eq!(r.status, StatusCode::OK);
    let all: Vec<serde_json::Value> = serde_json::from_str(&r.body).unwrap();
    assert!(!all.is_empty());
    let item = &all[0];
    for key in ["path", "url", "thumb"] {
        assert!(item[key].is_string(), "{item}");
    }
    let alt = item["alt"]["zh"]
        .as_str()
        .unwrap()
        .chars()
        .take(2)
        .collect::<String>();
    let query = form_urlencoded::byte_serialize(alt.as_bytes()).collect::<String>();
    let found: Vec<serde_json::Value> =
        serde_json::from_str(&b.get(&format!("/admin/media/pick?q={query}")).await.body).unwrap();
    assert!(found.iter().any(|f| f["path"] == item["path"]), "{alt}");
    let none: Vec<serde_json::Value> =
        serde_json::from_str(&b.get("/admin/media/pick?q=zzzz-nothing").await.body).unwrap();
    assert!(none.is_empty());
    let r = b.get("/admin/media/pick?q=%00%01").await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "control characters in a URL"
    );
    let r = b.get("/admin/media/pick?q=%E2%80%AE%F0%9F%98%80").await;
    assert_eq!(r.status, StatusCode::OK);
    // A captioned image alone in a paragraph is a figure on the site.
    let path = item["path"].as_str().unwrap();
    let body =
        format!("Before.\n\n![Alt text]({path} \"Cranes at six | Photo: Lin Mei\")\n\nAfter.");
    let mut fields = article_fields("figured", "Figured", "插图");
    fields.retain(|(k, _)| *k != "en_body");
    fields.push(("en_body", &body));
    fields.push(("action", "publish-anyway"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = b.get("/en/articles/figured").await.body;
    assert!(
        page.contains(
            "<figcaption>Cranes at six <span class=\"credit\">Photo: Lin Mei</span></figcaption>"
        ),
        "{page}"
    );
}

crate::on_both_backends!(
    pickers_find_and_create_topics_authors_and_sections,
    deleted_articles_wait_in_the_trash,
    autosave_keeps_unsaved_work_apart_from_revisions,
    slugs_are_checked_as_they_are_typed,
    the_live_preview_shows_unsaved_text_in_parallel,
);
