//! Feeds, read back with an independent parser (`feed-rs`): every format of every kind of
//! feed, their items, languages, bylines, categories and ids, conditional requests, and the
//! links pages carry to them.

mod common;

use common::{Reply, TestSite, demo_site};
use duizhao::content::Edition;

/// A bilingual demo article, one English-only, one Chinese-only.
const BILINGUAL: &str = "youth-first-jobs";
const EN_ONLY: &str = "ports-stronger-storms";
const ZH_ONLY: &str = "county-town-elder-care";

const FORMATS: [&str; 3] = ["atom", "rss", "json"];

async fn site() -> TestSite {
    demo_site(|_| {}).await
}

/// Fetches a feed, checks its status and content type, and parses it with feed-rs.
async fn parsed(site: &TestSite, path: &str) -> (Reply, feed_rs::model::Feed) {
    let r = site.get(path).await;
    assert_eq!(r.status, 200, "{path}");
    let expected_type = match path.rsplit('.').next().unwrap() {
        "atom" => "application/atom+xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "json" => "application/feed+json; charset=utf-8",
        other => panic!("not a feed path: {other}"),
    };
    assert_eq!(r.header("content-type"), expected_type, "{path}");
    let feed = feed_rs::parser::parse(r.body.as_bytes())
        .unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{}", r.body));
    (r, feed)
}

fn entry<'f>(feed: &'f feed_rs::model::Feed, slug: &str) -> &'f feed_rs::model::Entry {
    feed.entries
        .iter()
        .find(|e| {
            e.links
                .iter()
                .any(|l| l.href.contains(&format!("/articles/{slug}")))
        })
        .unwrap_or_else(|| panic!("no entry for {slug}"))
}

fn title(e: &feed_rs::model::Entry) -> &str {
    e.title.as_ref().map_or("", |t| t.content.as_str())
}

fn link(e: &feed_rs::model::Entry) -> &str {
    e.links.first().map_or("", |l| l.href.as_str())
}

fn html(e: &feed_rs::model::Entry) -> &str {
    e.content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap_or("")
}

#[tokio::test]
async fn edition_feeds_carry_the_latest_articles_in_the_editions_language() {
    let site = site().await;
    let store = site.state.store();
    let zhong = store.author("zhong-qiming").await.unwrap().unwrap();
    for edition in [Edition::En, Edition::ZhHans, Edition::ZhHant] {
        let e = edition.code();
        for format in FORMATS {
            let path = format!("/{e}/feed.{format}");
            let (r, feed) = parsed(&site, &path).await;
            assert_eq!(feed.entries.len(), 10, "{path}: every demo article");
            let title_text = feed.title.as_ref().unwrap().content.as_str();
            assert_eq!(title_text, site.state.site_name(edition), "{path}");
            let newest_first: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
            let mut sorted = newest_first.clone();
            sorted.sort_by(|a, b| b.cmp(a));
            assert_eq!(newest_first, sorted, "{path}: newest first");

            let bilingual = entry(&feed, BILINGUAL);
            let en_only = entry(&feed, EN_ONLY);
            let zh_only = entry(&feed, ZH_ONLY);
            match edition {
                Edition::En => {
                    assert_eq!(title(bilingual), "The First Job Is Getting Harder to Find");
                    assert_eq!(title(zh_only), "县城养老：银发经济的另一半", "{path}");
                    assert_eq!(
                        link(zh_only),
                        format!("https://news.example/en/articles/{ZH_ONLY}/zh"),
                        "{path}: the mode the item is in"
                    );
                }
                Edition::ZhHans => {
                    assert_eq!(title(bilingual), "第一份工作越来越难找", "{path}");
                    assert_eq!(
                        title(en_only),
                        "Ports Are Learning to Live With Stronger Storms"
                    );
                    assert_eq!(
                        link(en_only),
                        format!("https://news.example/zh-hans/articles/{EN_ONLY}/en")
                    );
                }
                _ => {
                    assert!(title(bilingual).contains("越來越難"), "{path}");
                    assert_eq!(title(zh_only), "縣城養老：銀髮經濟的另一半", "{path}");
                }
            }
            assert_eq!(
                link(bilingual),
                format!("https://news.example/{e}/articles/{BILINGUAL}"),
                "{path}"
            );
            // Full text, with site URLs made absolute.
            assert!(html(bilingual).contains("<p>"), "{path}: full text");
            assert!(
                html(bilingual)
                    .contains("src=\"https://news.example/media/images/hero-ladder.svg\""),
                "{path}: the hero image, absolute"
            );
            assert!(!html(bilingual).contains("src=\"/"), "{path}");
            assert!(
                !html(bilingual).contains("class=\"s\""),
                "{path}: no sentence marks"
            );

            // Bylines and categories in the edition's names.
            let authors: Vec<_> = bilingual
                .authors
                .iter()
                .map(|a| a.name.as_deref().unwrap_or(""))
                .collect();
            assert_eq!(authors, [zhong.name.get(edition)], "{path}");
            if format != "rss" {
                assert_eq!(
                    bilingual.authors[0].uri.as_deref(),
                    Some(format!("https://news.example/{e}/authors/zhong-qiming").as_str()),
                    "{path}"
                );
            }
            let categories: Vec<_> = bilingual
                .categories
                .iter()
                .map(|c| c.term.as_str())
                .collect();
            let opinion = store.section("opinion").await.unwrap().unwrap();
            let cities = store.topic("cities").await.unwrap().unwrap();
            let tech = store.topic("tech").await.unwrap().unwrap();
            assert_eq!(
                categories,
                [
                    opinion.name.get(edition),
                    cities.name.get(edition),
                    tech.name.get(edition)
                ],
                "{path}"
            );

            // Languages: the feed's, and each item's where it differs.
            match format {
                "atom" => {
                    assert_eq!(feed.language.as_deref(), Some(edition.lang_tag()));
                    let other = if edition == Edition::En {
                        zh_only
                    } else {
                        en_only
                    };
                    let other_lang = if edition == Edition::En {
                        "zh-Hans"
                    } else {
                        "en"
                    };
                    assert_eq!(other.language.as_deref(), Some(other_lang), "{path}");
                    assert_eq!(
                        bilingual.language.as_deref(),
                        Some(edition.lang_tag()),
                        "{path}"
                    );
                }
                "rss" => {
                    assert_eq!(
                        feed.language.as_deref(),
                        Some(edition.lang_tag().to_lowercase().as_str())
                    );
                    assert!(r.body.contains("<dc:language>"), "{path}");
                    assert!(r.body.contains("<content:encoded>"), "{path}");
                }
                _ => {
                    assert_eq!(feed.language.as_deref(), Some(edition.lang_tag()));
                    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
                    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
                    assert_eq!(
                        json["feed_url"],
                        format!("https://news.example/{e}/feed.json")
                    );
                    let item = json["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|i| i["url"].as_str().unwrap().contains(EN_ONLY))
                        .unwrap();
                    assert_eq!(item["language"], "en");
                }
            }
        }
    }
}

#[tokio::test]
async fn item_ids_are_tag_uris_of_the_article_id_stable_across_requests() {
    let site = site().await;
    let bilingual_id = site
        .state
        .store()
        .article_state(BILINGUAL)
        .await
        .unwrap()
        .unwrap()
        .id
        .0;
    let mut seen = std::collections::BTreeSet::new();
    for path in ["/en/feed.atom", "/en/feed.rss", "/en/feed.json"] {
        let (_, first) = parsed(&site, path).await;
        let (_, again) = parsed(&site, path).await;
        let ids: Vec<_> = first.entries.iter().map(|e| e.id.clone()).collect();
        let ids_again: Vec<_> = again.entries.iter().map(|e| e.id.clone()).collect();
        assert_eq!(ids, ids_again, "{path}");
        let id = &entry(&first, BILINGUAL).id;
        assert_eq!(
            id,
            &format!("tag:news.example,2026:article-{bilingual_id}:en"),
            "{path}: from the numeric id, not the slug"
        );
        assert!(!id.contains(BILINGUAL));
        seen.insert(id.clone());
    }
    assert_eq!(seen.len(), 1, "the same item has one id in every format");
    let (_, hant) = parsed(&site, "/zh-hant/feed.atom").await;
    assert_eq!(
        entry(&hant, BILINGUAL).id,
        format!("tag:news.example,2026:article-{bilingual_id}:zh-hant"),
        "each edition's item is its own"
    );
    let (_, dual) = parsed(&site, "/zh-hant/dual/feed.atom").await;
    assert_eq!(
        entry(&dual, BILINGUAL).id,
        format!("tag:news.example,2026:article-{bilingual_id}:zh-hant:dual")
    );
    assert_eq!(hant.id, "tag:news.example,2026:feed:zh-hant");
}

#[tokio::test]
async fn topic_author_and_section_feeds_hold_only_their_articles() {
    let site = site().await;
    for format in FORMATS {
        let (_, trade) = parsed(&site, &format!("/en/topics/trade/feed.{format}")).await;
        let mut slugs: Vec<_> = trade
            .entries
            .iter()
            .map(|e| link(e).rsplit('/').next().unwrap().to_owned())
            .collect();
        slugs.sort();
        assert_eq!(
            slugs,
            [
                "chip-supply-chain-resilience",
                "pacific-lanes-slow-steaming",
                "ports-stronger-storms",
                "tariffs-middle-manufacturers"
            ],
            "{format}"
        );
        assert_eq!(
            trade.title.as_ref().unwrap().content,
            format!("Trade | {}", site.state.site_name(Edition::En))
        );
        for e in &trade.entries {
            assert!(
                e.categories.iter().any(|c| c.term == "Trade"),
                "{format}: every item is about trade"
            );
        }

        let (_, zhong) = parsed(
            &site,
            &format!("/zh-hans/authors/zhong-qiming/feed.{format}"),
        )
        .await;
        assert!(!zhong.entries.is_empty());
        for e in &zhong.entries {
            assert_eq!(e.authors[0].name.as_deref(), Some("钟启明"), "{format}");
        }
        let (_, world) = parsed(&site, &format!("/zh-hant/sections/world/feed.{format}")).await;
        assert!(!world.entries.is_empty());
        for e in &world.entries {
            assert_eq!(e.categories[0].term, "國際", "{format}: section first");
        }
    }
}

#[tokio::test]
async fn the_parallel_feed_pairs_paragraphs() {
    let site = site().await;
    for format in FORMATS {
        let path = format!("/zh-hant/dual/feed.{format}");
        let (_, feed) = parsed(&site, &path).await;
        assert_eq!(feed.entries.len(), 10, "{path}");
        let e = entry(&feed, BILINGUAL);
        assert_eq!(
            link(e),
            format!("https://news.example/zh-hant/articles/{BILINGUAL}/dual")
        );
        let t = title(e);
        assert!(
            t.contains("越來越難") && t.contains("The First Job"),
            "{path}: {t}"
        );
        let body = html(e);
        let pairs = body.matches("<section class=\"pair\">").count();
        assert!(pairs > 3, "{path}: one section per row");
        let first_zh = body.find("<div lang=\"zh-Hant\">").expect("Chinese column");
        let first_en = body.find("<div lang=\"en\">").expect("English column");
        assert!(first_zh < first_en, "{path}: the edition's language leads");
        assert!(
            !body.contains("class=\"s\""),
            "{path}: plain blocks, not sentence-marked ones"
        );
        // Single-language articles appear as they are.
        let en_only = entry(&feed, EN_ONLY);
        assert_eq!(
            link(en_only),
            format!("https://news.example/zh-hant/articles/{EN_ONLY}/en")
        );
        assert_eq!(
            title(en_only),
            "Ports Are Learning to Live With Stronger Storms"
        );
        assert!(!html(en_only).contains("class=\"pair\""));
    }
}

#[tokio::test]
async fn feeds_answer_conditional_requests() {
    let site = site().await;
    for path in [
        "/en/feed.atom",
        "/zh-hans/dual/feed.json",
        "/en/topics/trade/feed.rss",
    ] {
        let first = site.get(path).await;
        let etag = first.header("etag").to_owned();
        let modified = first.header("last-modified").to_owned();
        assert!(
            etag.starts_with('"') && etag.len() > 10,
            "{path}: strong ETag {etag}"
        );
        assert!(modified.ends_with(" GMT"), "{path}: {modified}");

        let again = site.get_with(path, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), etag);

        let listed = format!("\"nope\", {etag}");
        let listed = site.get_with(path, &[("if-none-match", &listed)]).await;
        assert_eq!(listed.status, 304, "{path}: a list naming the tag");

        let stale = site.get_with(path, &[("if-none-match", "\"stale\"")]).await;
        assert_eq!(stale.status, 200, "{path}");
        assert_eq!(stale.body, first.body);

        let since = site
            .get_with(path, &[("if-modified-since", &modified)])
            .await;
        assert_eq!(since.status, 304, "{path}: not modified since");
        let before = site
            .get_with(
                path,
                &[("if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT")],
            )
            .await;
        assert_eq!(before.status, 200, "{path}");
        // A tag that does not match wins over a date that would.
        let both = site
            .get_with(
                path,
                &[
                    ("if-none-match", "\"stale\""),
                    ("if-modified-since", &modified),
                ],
            )
            .await;
        assert_eq!(both.status, 200, "{path}");
    }
}

#[tokio::test]
async fn junk_feed_paths_are_not_found() {
    let site = site().await;
    for path in [
        "/en/feed.xml",
        "/en/feed.atom/",
        "/en/feed",
        "/xx/feed.atom",
        "/EN/feed.atom",
        "/zh-tw/feed.atom",
        "/en/topics/no-such-topic/feed.atom",
        "/en/authors/nobody/feed.json",
        "/en/sections/nowhere/feed.rss",
        "/en/dual/feed.xml",
        "/en/dual/",
        "/en/topics/trade/feed.txt",
        "/en/articles/youth-first-jobs/feed.atom",
    ] {
        let r = site.get(path).await;
        assert_eq!(r.status, 404, "{path}");
    }
}

fn feed_links(body: &str) -> Vec<(String, String)> {
    body.match_indices("<link rel=\"alternate\" type=\"")
        .map(|(i, _)| {
            let rest = &body[i..];
            let end = rest.find('>').unwrap();
            let tag = &rest[..end];
            let attr = |name: &str| {
                let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                tag[at..at + tag[at..].find('"').unwrap()].to_owned()
            };
            (attr("type"), attr("href"))
        })
        .collect()
}

#[tokio::test]
async fn pages_advertise_their_feeds() {
    let site = site().await;
    let edition_feeds = |e: &str| {
        vec![
            (
                "application/atom+xml".to_owned(),
                format!("https://news.example/{e}/feed.atom"),
            ),
            (
                "application/rss+xml".to_owned(),
                format!("https://news.example/{e}/feed.rss"),
            ),
            (
                "application/feed+json".to_owned(),
                format!("https://news.example/{e}/feed.json"),
            ),
        ]
    };
    for e in ["en", "zh-hans", "zh-hant"] {
        for path in [
            format!("/{e}/"),
            format!("/{e}/archive/"),
            format!("/{e}/articles/{BILINGUAL}"),
        ] {
            let r = site.get(&path).await;
            assert_eq!(feed_links(&r.body), edition_feeds(e), "{path}");
        }
        for (kind, slug) in [
            ("topics", "trade"),
            ("authors", "lin-mei"),
            ("sections", "world"),
        ] {
            let path = format!("/{e}/{kind}/{slug}");
            let links = feed_links(&site.get(&path).await.body);
            let mut expected = edition_feeds(e);
            for (mime, ext) in [
                ("application/atom+xml", "atom"),
                ("application/rss+xml", "rss"),
                ("application/feed+json", "json"),
            ] {
                expected.push((
                    mime.to_owned(),
                    format!("https://news.example{path}/feed.{ext}"),
                ));
            }
            assert_eq!(links, expected, "{path}");
            for (_, href) in links {
                let local = href.strip_prefix("https://news.example").unwrap();
                assert_eq!(site.get(local).await.status, 200, "{local}");
            }
        }
        let dual = feed_links(
            &site
                .get(&format!("/{e}/articles/{BILINGUAL}/dual"))
                .await
                .body,
        );
        assert!(
            dual.contains(&(
                "application/atom+xml".to_owned(),
                format!("https://news.example/{e}/dual/feed.atom")
            )),
            "{e}: parallel pages advertise the parallel feed"
        );
    }
    let home = site.get("/zh-hant/").await;
    assert!(
        home.body.contains(&format!(
            "title=\"{} (Atom)\"",
            site.state.site_name(Edition::ZhHant)
        )),
        "feed links are titled"
    );
}
