//! The store test suite, run on SQLite and (when `DUIZHAO_TEST_POSTGRES_URL` is set) on
//! PostgreSQL, each test in a fresh database or schema.

mod common;

use common::fixtures::{article, author, converters, now, section, topic};
use duizhao::content::{Edition, Language, Script, Status};
use duizhao::store::Store;
use duizhao::store::articles::{ListFilter, ListQuery};

async fn taxonomy(store: &Store) {
    section(store, "world", "World", "国际").await;
    section(store, "economy", "Economy", "经济").await;
    topic(store, "trade", "Trade", "贸易", true).await;
    topic(store, "chips", "Chips", "芯片", false).await;
    author(store, "lin", "Lin Mei", "林梅").await;
    author(store, "hart", "Daniel Hart", "贺达年").await;
}

async fn article_round_trip(store: &Store) {
    taxonomy(store).await;
    article("hair")
        .en("Hair", "First.\n\nSecond.")
        .zh("头发", "第一段。\n\n第二段，头发。")
        .section("world")
        .topics(&["chips", "trade"])
        .authors(&["hart", "lin"])
        .create(store)
        .await;
    let a = store
        .article("hair", Edition::ZhHant)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, Status::Published);
    assert_eq!(a.en.as_ref().unwrap().title, "Hair");
    let zh = a.zh.as_ref().unwrap();
    assert_eq!(zh.title, "頭髮");
    assert_eq!(zh.blocks[1].html, "<p>第二段，頭髮。</p>\n");
    assert_eq!(
        a.section.as_ref().unwrap().name.get(Edition::ZhHant),
        "國際"
    );
    let topics: Vec<_> = a.topics.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(topics, ["chips", "trade"], "topics keep their order");
    let authors: Vec<_> = a.authors.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(authors, ["hart", "lin"], "bylines keep their order");
    assert_eq!(a.pairing.len(), 2);
    let hans = store
        .article("hair", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hans.zh.unwrap().title, "头发");
    assert!(
        store
            .article("nope", Edition::ZhHans)
            .await
            .unwrap()
            .is_none()
    );
}

async fn saving_again_replaces_everything(store: &Store) {
    taxonomy(store).await;
    article("a")
        .en("One", "x")
        .zh("一", "一")
        .topics(&["trade"])
        .create(store)
        .await;
    let id1 = store.article_state("a").await.unwrap().unwrap().id;
    article("a")
        .zh("二", "二")
        .script(Script::Hant)
        .create(store)
        .await;
    let a = store.article("a", Edition::ZhHans).await.unwrap().unwrap();
    assert_eq!(a.id, id1, "same slug, same article");
    assert!(a.en.is_none(), "the removed English version is gone");
    assert!(a.topics.is_empty());
    assert_eq!(a.zh_script, Script::Hant);
    assert!(a.pairing.is_empty());
}

async fn a_failed_save_changes_nothing(store: &Store) {
    taxonomy(store).await;
    article("a").en("Kept", "kept").create(store).await;
    let input = article("a")
        .en("Lost", "lost")
        .topics(&["trade", "no-such-topic"])
        .input();
    let err = duizhao::editorial::save_article(store, &converters(), &input, now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, duizhao::editorial::EditorialError::NotFound { kind: "topic", key } if key == "no-such-topic"),
        "{err}"
    );
    let a = store.article("a", Edition::ZhHans).await.unwrap().unwrap();
    assert_eq!(a.en.unwrap().title, "Kept", "the transaction rolled back");
}

async fn lists_show_only_published_articles_newest_first(store: &Store) {
    taxonomy(store).await;
    for (slug, at) in [
        ("old", "2026-10-01T00:00:00Z"),
        ("mid", "2026-11-01T00:00:00Z"),
        ("new", "2026-11-19T00:00:00Z"),
    ] {
        article(slug)
            .en(slug, "x")
            .zh(slug, "字")
            .published(at)
            .section("world")
            .create(store)
            .await;
    }
    article("draft")
        .en("d", "x")
        .status(Status::Draft)
        .create(store)
        .await;
    article("future")
        .en("f", "x")
        .published("2026-12-01T00:00:00Z")
        .create(store)
        .await;
    article("gone")
        .en("g", "x")
        .status(Status::Unpublished)
        .create(store)
        .await;
    let page = store
        .list_published(&ListQuery::new(ListFilter::All, Edition::En, now(), 2))
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    let slugs: Vec<_> = page.items.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(slugs, ["new", "mid"]);
    let page2 = store
        .list_published(&ListQuery::new(ListFilter::All, Edition::En, now(), 2).offset(2))
        .await
        .unwrap();
    assert_eq!(page2.items.len(), 1);
    assert_eq!(page2.items[0].slug, "old");

    let october = ListFilter::Between(
        "2026-10-01T00:00:00Z".parse().unwrap(),
        "2026-11-01T00:00:00Z".parse().unwrap(),
    );
    let page = store
        .list_published(&ListQuery::new(october, Edition::En, now(), 10))
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].slug, "old");

    let times = store.published_times(now()).await.unwrap();
    assert_eq!(times.len(), 3);
    assert_eq!(
        store.article_state("gone").await.unwrap().unwrap().status,
        Status::Unpublished
    );
}

async fn lists_filter_and_fall_back_to_the_other_language(store: &Store) {
    taxonomy(store).await;
    article("en-only")
        .en("English only", "x")
        .topics(&["trade"])
        .authors(&["lin"])
        .section("economy")
        .create(store)
        .await;
    article("zh-only")
        .zh("只有中文", "字")
        .topics(&["chips"])
        .authors(&["lin", "hart"])
        .featured()
        .published("2026-11-01T00:00:00Z")
        .create(store)
        .await;
    let zh = store
        .list_published(&ListQuery::new(ListFilter::All, Edition::ZhHant, now(), 10))
        .await
        .unwrap();
    let en_only = zh.items.iter().find(|a| a.slug == "en-only").unwrap();
    assert_eq!(en_only.title, "English only");
    assert_eq!(en_only.text_edition, Edition::En);
    assert!(en_only.has_en && !en_only.has_zh);
    assert_eq!(en_only.section.as_ref().unwrap().slug, "economy");
    let zh_only = zh.items.iter().find(|a| a.slug == "zh-only").unwrap();
    assert_eq!(zh_only.title, "只有中文");
    assert_eq!(zh_only.text_edition, Edition::ZhHant);

    let en = store
        .list_published(&ListQuery::new(ListFilter::All, Edition::En, now(), 10).featured_first())
        .await
        .unwrap();
    assert_eq!(en.items[0].slug, "zh-only", "featured first");
    assert_eq!(en.items[0].text_edition, Edition::ZhHans);

    for (filter, expected) in [
        (ListFilter::Topic("trade"), vec!["en-only"]),
        (ListFilter::Topic("chips"), vec!["zh-only"]),
        (ListFilter::Author("hart"), vec!["zh-only"]),
        (ListFilter::Author("lin"), vec!["en-only", "zh-only"]),
        (ListFilter::Section("economy"), vec!["en-only"]),
        (ListFilter::Section("world"), vec![]),
        (ListFilter::Topic("no-such"), vec![]),
    ] {
        let page = store
            .list_published(&ListQuery::new(filter, Edition::En, now(), 10))
            .await
            .unwrap();
        let slugs: Vec<_> = page.items.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, expected, "{filter:?}");
        assert_eq!(page.total, expected.len() as i64);
    }
}

async fn taxonomy_names_are_derived_for_every_edition(store: &Store) {
    taxonomy(store).await;
    let topics = store.topics().await.unwrap();
    assert_eq!(topics[0].slug, "trade", "hot topics first");
    assert_eq!(topics[0].name.get(Edition::ZhHant), "貿易");
    assert_eq!(
        topics[1].name.get(Edition::ZhTw),
        "晶片",
        "Taiwan vocabulary"
    );
    let author = store.author("hart").await.unwrap().unwrap();
    assert_eq!(author.name.get(Edition::ZhHant), "賀達年");
    assert_eq!(author.bio.get(Edition::En), "Daniel Hart writes.");
    assert_eq!(store.sections().await.unwrap().len(), 2);
    assert!(store.section("nope").await.unwrap().is_none());
}

async fn the_published_index_pages_articles_by_id_with_their_languages(store: &Store) {
    taxonomy(store).await;
    let both = article("both")
        .en("Both", "x")
        .zh("两者", "字")
        .create(store)
        .await;
    let en = article("en").en("English", "x").create(store).await;
    let mut updated = article("zh").zh("中文", "字");
    updated.0.updated_at = Some("2026-11-20T11:30:00Z".parse().unwrap());
    let zh = updated.create(store).await;
    article("draft")
        .en("d", "x")
        .status(Status::Draft)
        .create(store)
        .await;
    article("future")
        .en("f", "x")
        .published("2026-12-01T00:00:00Z")
        .create(store)
        .await;

    let english = store
        .published_index(now(), Language::En, 0, 10)
        .await
        .unwrap();
    let ids: Vec<_> = english.iter().map(|a| a.id).collect();
    assert_eq!(ids, [both, en], "id order, published English articles only");
    assert_eq!(english[0].slug, "both");
    assert!(english[0].has_en && english[0].has_zh);
    assert!(english[1].has_en && !english[1].has_zh);
    assert_eq!(
        store
            .published_index_count(now(), Language::En)
            .await
            .unwrap(),
        2
    );

    let chinese = store
        .published_index(now(), Language::Zh, 0, 10)
        .await
        .unwrap();
    let ids: Vec<_> = chinese.iter().map(|a| a.id).collect();
    assert_eq!(ids, [both, zh]);
    assert!(!chinese[1].has_en && chinese[1].has_zh);
    assert_eq!(
        chinese[1].updated_at,
        "2026-11-20T11:30:00Z".parse::<jiff::Timestamp>().unwrap()
    );
    assert_eq!(
        chinese[0].updated_at, chinese[0].published_at,
        "updated defaults to the publication"
    );

    let second_page = store
        .published_index(now(), Language::Zh, 1, 1)
        .await
        .unwrap();
    assert_eq!(second_page.len(), 1);
    assert_eq!(second_page[0].id, zh);
    assert!(
        store
            .published_index(now(), Language::Zh, 2, 1)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Login attempts are reserved atomically: however many race for a bucket, only its limit get
/// through; a refund makes room again; a finished window starts over; the sweep forgets it.
async fn login_attempts_are_reserved_atomically(store: &Store) {
    use duizhao::store::logins::Reservation;
    let now = now();
    let attempts = (0..40).map(|_| store.reserve_login_attempt("account:x", 5, 900, now));
    let outcomes = futures_util::future::join_all(attempts).await;
    let granted = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(Reservation::Granted)))
        .count();
    assert_eq!(granted, 5, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| o.is_ok()), "{outcomes:?}");
    match store
        .reserve_login_attempt("account:x", 5, 900, now)
        .await
        .unwrap()
    {
        Reservation::Refused { retry_after } => assert_eq!(retry_after, 900),
        other => panic!("{other:?}"),
    }
    store.refund_login_attempt("account:x").await.unwrap();
    let again = store
        .reserve_login_attempt("account:x", 5, 900, now)
        .await
        .unwrap();
    assert_eq!(again, Reservation::Granted);
    // Another bucket is another count.
    let other = store
        .reserve_login_attempt("client:y", 5, 900, now)
        .await
        .unwrap();
    assert_eq!(other, Reservation::Granted);
    // After the window, the bucket starts over.
    let later = now + jiff::SignedDuration::from_secs(901);
    let fresh = store
        .reserve_login_attempt("account:x", 5, 900, later)
        .await
        .unwrap();
    assert_eq!(fresh, Reservation::Granted);
    store
        .sweep_sessions(
            later + jiff::SignedDuration::from_secs(901),
            3600,
            900,
            86_400,
        )
        .await
        .unwrap();
    for _ in 0..5 {
        let after_sweep = store
            .reserve_login_attempt("account:x", 5, 900, later)
            .await
            .unwrap();
        assert_eq!(
            after_sweep,
            Reservation::Granted,
            "the sweep forgot the bucket"
        );
    }
}

on_both_backends!(
    article_round_trip,
    saving_again_replaces_everything,
    a_failed_save_changes_nothing,
    lists_show_only_published_articles_newest_first,
    lists_filter_and_fall_back_to_the_other_language,
    taxonomy_names_are_derived_for_every_edition,
    the_published_index_pages_articles_by_id_with_their_languages,
    login_attempts_are_reserved_atomically,
);

/// The embedded default runs in WAL mode with foreign keys enforced.
#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_on() {
    let t = common::sqlite().await;
    let (journal, foreign_keys) = t.store.sqlite_pragmas().await.unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(foreign_keys, 1);
    t.cleanup().await;
}
