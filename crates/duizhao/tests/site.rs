//! HTTP-level tests of every route of the reader site, driven in-process over the demo
//! publication.

mod common;

use common::{TestSite, demo_site};
use duizhao::content::{Edition, Status};

/// A bilingual demo article, one English-only, one Chinese-only.
const BILINGUAL: &str = "youth-first-jobs";
const EN_ONLY: &str = "ports-stronger-storms";
const ZH_ONLY: &str = "county-town-elder-care";

fn html_lang(body: &str) -> &str {
    let start = body.find("<html lang=\"").expect("html lang") + 12;
    let end = start + body[start..].find('"').unwrap();
    &body[start..end]
}

fn hreflangs(body: &str) -> Vec<(String, String)> {
    body.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, _)| {
            let rest = &body[i + 32..];
            let lang = &rest[..rest.find('"').unwrap()];
            let href_at = rest.find("href=\"").unwrap() + 6;
            let href = &rest[href_at..href_at + rest[href_at..].find('"').unwrap()];
            (lang.to_owned(), href.to_owned())
        })
        .collect()
}

async fn site() -> TestSite {
    demo_site(|_| {}).await
}

#[tokio::test]
async fn every_page_type_answers_in_every_edition_with_its_language() {
    let site = site().await;
    for edition in [Edition::En, Edition::ZhHans, Edition::ZhHant] {
        let e = edition.code();
        for path in [
            format!("/{e}/"),
            format!("/{e}/articles/{BILINGUAL}"),
            format!("/{e}/articles/{BILINGUAL}/dual"),
            format!("/{e}/topics/trade"),
            format!("/{e}/authors/lin-mei"),
            format!("/{e}/sections/world"),
            format!("/{e}/archive/"),
            format!("/{e}/archive/2026/11"),
        ] {
            let r = site.get(&path).await;
            assert_eq!(r.status, 200, "{path}");
            assert_eq!(html_lang(&r.body), edition.lang_tag(), "{path}");
            assert!(r.header("content-type").starts_with("text/html"), "{path}");
        }
        let other = if edition == Edition::En { "zh" } else { "en" };
        let r = site
            .get(&format!("/{e}/articles/{BILINGUAL}/{other}"))
            .await;
        assert_eq!(r.status, 200);
    }
    // Every demo article in every mode it has.
    let r = site.get("/en/archive/").await;
    assert!(r.body.contains("/en/archive/2026/10"), "both months listed");
}

#[tokio::test]
async fn article_pages_carry_alternates_canonical_and_structured_data() {
    let site = site().await;
    let r = site.get(&format!("/zh-hant/articles/{BILINGUAL}")).await;
    let alts = hreflangs(&r.body);
    let langs: Vec<_> = alts.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, ["en", "zh-Hans", "zh-Hant", "x-default"]);
    assert!(alts.contains(&(
        "zh-Hans".into(),
        format!("https://news.example/zh-hans/articles/{BILINGUAL}")
    )));
    assert!(alts.contains(&(
        "x-default".into(),
        format!("https://news.example/en/articles/{BILINGUAL}")
    )));
    assert!(r.body.contains(&format!(
        "<link rel=\"canonical\" href=\"https://news.example/zh-hant/articles/{BILINGUAL}\">"
    )));
    assert!(r.body.contains("\"@type\":\"NewsArticle\""));
    assert!(r.body.contains("\"inLanguage\":\"zh-Hant\""));
    assert!(r.body.contains(&format!(
        "\"translationOfWork\":{{\"@id\":\"https://news.example/en/articles/{BILINGUAL}\""
    )));
    assert!(
        r.body
            .contains("<meta property=\"og:locale\" content=\"zh_TW\">")
    );

    let en = site.get(&format!("/en/articles/{BILINGUAL}")).await;
    assert!(en.body.contains("\"workTranslation\":["));
    // The English text shown in the zh-Hant edition is the English edition's page.
    let en_in_zh = site.get(&format!("/zh-hant/articles/{BILINGUAL}/en")).await;
    assert!(en_in_zh.body.contains(&format!(
        "<link rel=\"canonical\" href=\"https://news.example/en/articles/{BILINGUAL}\">"
    )));
    assert_eq!(
        html_lang(&en_in_zh.body),
        "zh-Hant",
        "the interface stays Chinese"
    );
    assert!(en_in_zh.body.contains("<div class=\"body\" lang=\"en\">"));
}

#[tokio::test]
async fn regional_editions_appear_only_when_enabled() {
    let site = site().await;
    let r = site.get(&format!("/en/articles/{BILINGUAL}")).await;
    assert!(!r.body.contains("zh-Hant-TW"));
    assert_eq!(site.get("/zh-tw/").await.status, 404);

    let site = demo_site(|c| {
        c.editions.zh_tw = true;
        c.editions.zh_hk = true;
    })
    .await;
    let r = site.get(&format!("/zh-tw/articles/{BILINGUAL}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(html_lang(&r.body), "zh-Hant-TW");
    let langs: Vec<_> = hreflangs(&r.body).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        langs,
        [
            "en",
            "zh-Hans",
            "zh-Hant",
            "zh-Hant-TW",
            "zh-Hant-HK",
            "x-default"
        ]
    );
    // Taiwan vocabulary in the zh-TW edition, character forms only in zh-Hant.
    let tw = site.get(&format!("/zh-tw/articles/{BILINGUAL}")).await;
    let hant = site.get(&format!("/zh-hant/articles/{BILINGUAL}")).await;
    assert!(tw.body.contains("軟體"), "s2twp changes 软件 to 軟體");
    assert!(hant.body.contains("軟件"), "s2tw keeps 軟件");
}

#[tokio::test]
async fn the_switchers_lead_to_the_same_page_elsewhere() {
    let site = site().await;
    let r = site
        .get(&format!("/zh-hant/articles/{BILINGUAL}/dual"))
        .await;
    for target in [
        format!("href=\"/en/articles/{BILINGUAL}/dual\" lang=\"en\""),
        format!("href=\"/zh-hans/articles/{BILINGUAL}/dual\" lang=\"zh-Hans\""),
    ] {
        assert!(r.body.contains(&target), "edition switcher: {target}");
    }
    for mode in [
        format!("href=\"/zh-hant/articles/{BILINGUAL}\""),
        format!("href=\"/zh-hant/articles/{BILINGUAL}/en\""),
        format!("href=\"/zh-hant/articles/{BILINGUAL}/dual\" aria-current=\"page\""),
    ] {
        assert!(r.body.contains(&mode), "mode switch: {mode}");
    }
    // Parallel mode pairs the blocks: every pair has both languages.
    assert!(
        r.body
            .contains("<div class=\"side first\" lang=\"zh-Hant\">")
    );
    assert!(r.body.contains("<div class=\"side second\" lang=\"en\">"));
    let topic = site.get("/zh-hans/topics/trade").await;
    assert!(topic.body.contains("href=\"/en/topics/trade\""));
}

#[tokio::test]
async fn missing_versions_redirect_to_what_exists() {
    let site = site().await;
    for (path, to) in [
        (
            format!("/zh-hans/articles/{EN_ONLY}"),
            format!("/zh-hans/articles/{EN_ONLY}/en"),
        ),
        (
            format!("/zh-hans/articles/{EN_ONLY}/dual"),
            format!("/zh-hans/articles/{EN_ONLY}/en"),
        ),
        (
            format!("/en/articles/{ZH_ONLY}"),
            format!("/en/articles/{ZH_ONLY}/zh"),
        ),
        (
            format!("/zh-hant/articles/{ZH_ONLY}/en"),
            format!("/zh-hant/articles/{ZH_ONLY}"),
        ),
    ] {
        let r = site.get(&path).await;
        assert_eq!(r.status, 302, "{path}");
        assert_eq!(r.location(), to, "{path}");
    }
    // The natural mode has one address.
    let r = site.get(&format!("/en/articles/{BILINGUAL}/en")).await;
    assert_eq!(r.status, 301);
    assert_eq!(r.location(), format!("/en/articles/{BILINGUAL}"));
    // Single-language articles offer only their mode.
    let r = site.get(&format!("/zh-hans/articles/{EN_ONLY}/en")).await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("/dual\""), "no parallel mode offered");
    assert!(r.body.contains("本文仅有英文版"));
}

#[tokio::test]
async fn the_root_redirects_by_cookie_then_accept_language_then_default() {
    let site = site().await;
    let r = site.get("/").await;
    assert_eq!(r.status, 302);
    assert_eq!(r.location(), "/en/");
    assert_eq!(r.header("vary"), "Accept-Language, Cookie");
    let r = site
        .get_with("/", &[("accept-language", "zh-TW,zh;q=0.9,en;q=0.5")])
        .await;
    assert_eq!(r.location(), "/zh-hant/");
    let r = site
        .get_with("/", &[("accept-language", "zh-CN,zh;q=0.9")])
        .await;
    assert_eq!(r.location(), "/zh-hans/");
    let r = site
        .get_with(
            "/",
            &[("accept-language", "zh-CN"), ("cookie", "dz_edition=en")],
        )
        .await;
    assert_eq!(r.location(), "/en/", "the remembered choice wins");
    let r = site.get_with("/", &[("cookie", "dz_edition=zh-tw")]).await;
    assert_eq!(r.location(), "/en/", "a disabled edition is not remembered");
}

#[tokio::test]
async fn choices_are_remembered_in_cookies_and_applied_to_links() {
    let site = site().await;
    let r = site
        .get(&format!("/zh-hans/articles/{BILINGUAL}/dual"))
        .await;
    let cookies = r.cookies();
    assert!(
        cookies.iter().any(|c| c.starts_with("dz_mode=dual;")),
        "{cookies:?}"
    );
    assert!(cookies.iter().any(|c| c.starts_with("dz_edition=zh-hans;")));
    assert!(
        cookies
            .iter()
            .all(|c| c.contains("SameSite=Lax") && c.contains("HttpOnly"))
    );

    // With the cookie, lists link to the parallel mode where the article has it.
    let home = site
        .get_with(
            "/zh-hans/",
            &[("cookie", "dz_mode=dual; dz_edition=zh-hans")],
        )
        .await;
    assert!(
        home.body
            .contains("/zh-hans/articles/pension-reform-levers/dual\"")
    );
    assert!(
        home.body
            .contains(&format!("/zh-hans/articles/{EN_ONLY}/en\"")),
        "falls back where the article lacks a language"
    );
    assert!(home.cookies().is_empty(), "nothing changed, nothing set");

    // Reading an English-only article does not overwrite the preference.
    let r = site
        .get_with(
            &format!("/zh-hans/articles/{EN_ONLY}/en"),
            &[("cookie", "dz_mode=dual; dz_edition=zh-hans")],
        )
        .await;
    assert!(r.cookies().is_empty(), "{:?}", r.cookies());
}

#[tokio::test]
async fn text_size_is_a_form_that_returns_to_the_page() {
    let site = site().await;
    let post = |body: &'static str| {
        axum::http::Request::post("/prefs")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let r = site
        .send(post("size=large&next=%2Fen%2Ftopics%2Ftrade"))
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/en/topics/trade");
    assert!(r.cookies()[0].starts_with("dz_size=large;"));
    let r = site
        .send(post("size=large&next=%2F%2Fevil.example%2F"))
        .await;
    assert_eq!(r.location(), "/", "no open redirect");
    let r = site.send(post("size=huge")).await;
    assert_eq!(r.status, 400);
    let page = site.get_with("/en/", &[("cookie", "dz_size=large")]).await;
    assert!(
        page.body
            .contains("<html lang=\"en\" class=\"size-large\">")
    );
}

#[tokio::test]
async fn withdrawn_articles_are_gone_and_drafts_do_not_exist() {
    let site = site().await;
    let store = site.state.store();
    // Seen once, so that the page cache holds it: the change must still show at once.
    assert_eq!(
        site.get(&format!("/zh-hant/articles/{BILINGUAL}"))
            .await
            .status,
        200
    );
    store
        .set_article_status(BILINGUAL, Status::Unpublished, None)
        .await
        .unwrap();
    site.state.article_changed(BILINGUAL).await.unwrap();
    let r = site.get(&format!("/zh-hant/articles/{BILINGUAL}")).await;
    assert_eq!(r.status, 410);
    assert_eq!(html_lang(&r.body), "zh-Hant");
    assert!(r.body.contains("文章已撤下"));
    store
        .set_article_status(EN_ONLY, Status::Draft, None)
        .await
        .unwrap();
    site.state.article_changed(EN_ONLY).await.unwrap();
    let r = site.get(&format!("/en/articles/{EN_ONLY}")).await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Page not found"));
    let home = site.get("/en/").await;
    assert!(
        !home.body.contains(BILINGUAL),
        "withdrawn articles leave the lists"
    );
}

#[tokio::test]
async fn junk_gets_a_4xx_never_a_5xx() {
    let site = site().await;
    let long = "x".repeat(10_000);
    let paths = [
        "/nope".to_owned(),
        "/EN/".to_owned(),
        "/fr/".to_owned(),
        "/en/articles/".to_owned(),
        "/en/articles/no-such-article".to_owned(),
        format!("/en/articles/{BILINGUAL}/klingon"),
        format!("/en/articles/{BILINGUAL}/dual/extra"),
        "/en/articles/%FF%FE".to_owned(),
        "/en/articles/%ZZ".to_owned(),
        format!("/en/articles/{long}"),
        "/en/topics/%00".to_owned(),
        "/en/authors/nobody".to_owned(),
        "/en/sections/%3Cscript%3E".to_owned(),
        "/en/archive/9999/99".to_owned(),
        "/en/archive/2026/1".to_owned(),
        "/en/archive/abcd/ef".to_owned(),
        "/en/archive/-001/01".to_owned(),
        "/en/?page=0".to_owned(),
        "/en/?page=abc".to_owned(),
        "/en/?page=999".to_owned(),
        "/en/?page=%FF".to_owned(),
        "/en/topics/trade?page=99999999999999999999".to_owned(),
        "/static/../Cargo.toml".to_owned(),
        "/static/nope.css".to_owned(),
        "/media/../../etc/passwd".to_owned(),
        "/media/%2e%2e/%2e%2e/etc/passwd".to_owned(),
    ];
    for path in &paths {
        let r = site.get(path).await;
        assert!(
            r.status.is_client_error(),
            "{path}: {} (expected 4xx)",
            r.status
        );
    }
    // Unknown parameters are ignored, not refused.
    let r = site.get("/en/?utm_source=x&fbclid=y").await;
    assert_eq!(r.status, 200);
    let r = site.get("/en/?page=2&page=1").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn error_pages_speak_the_edition_language() {
    let site = site().await;
    let r = site.get("/zh-hant/no/such/page").await;
    assert_eq!(r.status, 404);
    assert_eq!(html_lang(&r.body), "zh-Hant");
    assert!(r.body.contains("找不到頁面"));
    let r = site.get("/zh-hans/?page=abc").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("请求有误"));
}

#[tokio::test]
async fn user_text_never_becomes_markup() {
    let site = site().await;
    let store = site.state.store();
    let converters = common::fixtures::converters();
    let mut input = common::fixtures::article("xss")
        .en(
            "</script><script>alert(1)</script>",
            "<img src=x onerror=alert(1)>\n\n[link](javascript:alert(2))",
        )
        .zh("标题\"><b>", "正文")
        .input();
    input.published_at = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1));
    duizhao::editorial::save_article(store, &converters, &input, jiff::Timestamp::now())
        .await
        .unwrap();
    site.state.article_changed("xss").await.unwrap();
    for path in ["/en/articles/xss", "/zh-hans/articles/xss/dual", "/en/"] {
        let r = site.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.body.contains("<script>alert"), "{path}");
        assert!(!r.body.contains("<img src=x"), "{path}");
        assert!(!r.body.contains("javascript:"), "{path}");
        assert!(!r.body.contains("\"><b>"), "{path}");
        assert_eq!(
            r.body.matches("</script>").count(),
            r.body.matches("<script").count()
        );
    }
}

#[tokio::test]
async fn health_static_and_media() {
    let site = site().await;
    let r = site.get("/healthz").await;
    assert_eq!((r.status.as_u16(), r.body.as_str()), (200, "ok\n"));
    let home = site.get("/en/").await;
    let css_at = home.body.find("/static/site.css?v=").unwrap();
    let css_url = &home.body[css_at..css_at + home.body[css_at..].find('"').unwrap()];
    let r = site.get(css_url).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("text/css"));
    assert!(r.header("cache-control").contains("immutable"));
    let etag = r.header("etag").to_owned();
    let r = site.get_with(css_url, &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, 304);
    let r = site.get("/media/images/hero-ladder.svg").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "image/svg+xml");
    // An uploaded file opened directly cannot run script or be sniffed as HTML.
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(r.header("content-security-policy").contains("sandbox"));
    let r = site.get("/robots.txt").await;
    assert!(r.body.contains("Sitemap: https://news.example/sitemap.xml"));
}

#[tokio::test]
async fn lists_paginate() {
    let site = demo_site(|c| c.page_size = 3).await;
    let r = site.get("/en/").await;
    assert!(r.body.contains("href=\"/en/?page=2\""));
    let r = site.get("/en/?page=3").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("rel=\"prev\" href=\"/en/?page=2\""));
    // 10 articles: 1 lead + 9 listed = 3 pages of 3.
    assert_eq!(site.get("/en/?page=4").await.status, 404);
    let r = site.get("/en/topics/trade").await;
    assert!(r.body.contains("href=\"/en/topics/trade?page=2\""));
}

#[tokio::test]
async fn pages_are_cached_per_preference_and_dropped_when_content_changes() {
    let site = site().await;
    let store = site.state.store();
    let path = format!("/en/articles/{BILINGUAL}");
    assert_eq!(site.get(&path).await.status, 200);
    // A write that bypasses the application (another server, say) is not seen until the
    // cache lets go of the page...
    store
        .set_article_status(BILINGUAL, Status::Unpublished, None)
        .await
        .unwrap();
    assert_eq!(site.get(&path).await.status, 200, "served from the cache");
    // ...while a page never seen before is rendered from the database.
    assert_eq!(site.get(&format!("{path}/dual")).await.status, 410);
    // A change made through the application shows at once.
    site.state.article_changed(BILINGUAL).await.unwrap();
    assert_eq!(site.get(&path).await.status, 410);

    // The preference cookies are part of the key: the same URL renders differently.
    let plain = site.get("/en/").await;
    let dual = site.get_with("/en/", &[("cookie", "dz_mode=dual")]).await;
    assert!(!plain.body.contains("/dual\""));
    assert!(dual.body.contains("/dual\""));
}

#[tokio::test]
async fn the_cache_can_be_switched_off() {
    let site = demo_site(|c| c.page_cache_seconds = 0).await;
    let path = format!("/en/articles/{BILINGUAL}");
    assert_eq!(site.get(&path).await.status, 200);
    site.state
        .store()
        .set_article_status(BILINGUAL, Status::Unpublished, None)
        .await
        .unwrap();
    assert_eq!(site.get(&path).await.status, 410);
}
