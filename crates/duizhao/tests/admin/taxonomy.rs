//! Topics, authors and sections in the back office.

use axum::http::StatusCode;

use duizhao::accounts::Role;
use duizhao::store::Store;

use crate::common::admin::*;

async fn taxonomy_is_managed_in_the_back_office(store: &Store) {
    let site = site(store).await;
    add_user(store, "editor", Role::Editor).await;
    add_user(store, "translator", Role::Translator).await;
    let mut b = Browser::signed_in(&site, "editor").await;
    let r = b.get("/admin/topics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("href=\"/admin/topics\" aria-current=\"page\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("/admin/topics/trade"),
        "the demo's topics are listed"
    );

    // A new topic from the list page's form; the slug is made from the name.
    let r = b
        .post(
            "/admin/topics",
            &[
                ("name_en", "Energy Transition"),
                ("name_zh", "能源转型"),
                ("description_en", "Coal, gas and what replaces them."),
                ("hot", "on"),
                ("order", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/topics/energy-transition?saved=created");
    let r = b.get(&r.location).await;
    assert!(r.body.contains("Created."), "{}", r.body);
    let topic = store.topic("energy-transition").await.unwrap().unwrap();
    assert_eq!(topic.name.zh_hant, "能源轉型");
    assert!(topic.hot);

    // Mistakes come back in the form, marked, with what was typed kept.
    let r = b
        .post(
            "/admin/topics",
            &[
                ("slug", "trade"),
                ("name_en", "Another trade"),
                ("order", "soon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("is not a whole number"), "{}", r.body);
    let r = b
        .post(
            "/admin/topics",
            &[("slug", "trade"), ("name_en", "Another\u{1} trade")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("U+0001"), "{}", r.body);
    let r = b
        .post(
            "/admin/topics",
            &[("slug", "trade"), ("name_en", "Another trade")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("already the slug of another topic"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Another trade\""), "{}", r.body);

    // Renaming: the old public address answers 301, and the old back-office one leads on.
    let r = b
        .post(
            "/admin/topics/trade",
            &[
                ("slug", "world-trade"),
                ("name_en", "World trade"),
                ("name_zh", "世界贸易"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/topics/world-trade?saved=renamed");
    let public = b.get("/zh-hant/topics/trade").await;
    assert_eq!(public.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(public.location, "/zh-hant/topics/world-trade");
    assert_eq!(
        b.get("/admin/topics/trade").await.location,
        "/admin/topics/world-trade"
    );

    // Deleting a used topic needs somewhere for its articles; with one, it is a merge.
    let r = b
        .post("/admin/topics/world-trade/delete", &[("reassign_to", "")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("name another to move them to"),
        "{}",
        r.body
    );
    let r = b
        .post(
            "/admin/topics/world-trade/delete",
            &[("reassign_to", "no-such")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("to move the articles to"), "{}", r.body);
    let r = b
        .post(
            "/admin/topics/world-trade/delete",
            &[("reassign_to", "energy-transition")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.topic("world-trade").await.unwrap().is_none());
    assert_eq!(
        b.get("/en/topics/trade").await.location,
        "/en/topics/energy-transition"
    );

    // Authors get a photo from the media library, picked on the form.
    let photo = store.list_media(1, 0).await.unwrap().remove(0).path;
    let r = b.get("/admin/authors/lin-mei").await;
    assert!(
        r.body.contains(&format!("value=\"{photo}\"")),
        "the picker offers the library"
    );
    let r = b
        .post(
            "/admin/authors",
            &[
                ("name_en", "Ana Flores"),
                ("description_en", "Ports."),
                ("photo", &photo),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let author = store.author("ana-flores").await.unwrap().unwrap();
    assert_eq!(author.photo.map(|m| m.path), Some(photo));
    assert_eq!(author.bio.en, "Ports.");

    // Sections, and the phone-friendly navigation carries all three.
    let r = b
        .post(
            "/admin/sections",
            &[("name_en", "Science"), ("order", "-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sections().await.unwrap()[0].slug, "science");
    assert_eq!(b.get("/admin/nonsense").await.status, StatusCode::NOT_FOUND);

    // Translators may not.
    let mut t = Browser::signed_in(&site, "translator").await;
    assert_eq!(t.get("/admin/topics").await.status, StatusCode::FORBIDDEN);
    let r = t.post("/admin/topics", &[("name_en", "Mine")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(store.topic("mine").await.unwrap().is_none());
}

crate::on_both_backends!(taxonomy_is_managed_in_the_back_office,);
