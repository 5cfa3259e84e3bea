//! Sitemaps and robots.txt over the demo publication: what each sitemap lists, the hreflang
//! alternates, the news window, splitting at the URL limit, and validity against the
//! sitemaps.org schema (checked by `xmllint`, from Debian's libxml2-utils).

mod common;

use std::process::Command;

use common::fixtures::article;
use common::{TestSite, demo_site};
use duizhao::content::Edition;
use duizhao::web::handlers::sitemaps::{
    SITEMAP_URL_LIMIT, edition_sitemap, news_sitemap, sitemap_index,
};
use jiff::{SignedDuration, Timestamp};

/// A bilingual demo article, one English-only, one Chinese-only.
const BILINGUAL: &str = "youth-first-jobs";
const EN_ONLY: &str = "ports-stronger-storms";
const ZH_ONLY: &str = "county-town-elder-care";

const BASE: &str = "https://news.example";

/// One `<url>` of a sitemap.
#[derive(Debug)]
struct Url {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = start + s[start..].find(close)?;
    Some(&s[start..end])
}

fn urls(xml: &str) -> Vec<Url> {
    xml.split("<url>")
        .skip(1)
        .map(|block| Url {
            loc: between(block, "<loc>", "</loc>").unwrap().to_owned(),
            lastmod: between(block, "<lastmod>", "</lastmod>").map(str::to_owned),
            alternates: block
                .split("<xhtml:link ")
                .skip(1)
                .map(|l| {
                    (
                        between(l, "hreflang=\"", "\"").unwrap().to_owned(),
                        between(l, "href=\"", "\"").unwrap().to_owned(),
                    )
                })
                .collect(),
        })
        .collect()
}

fn locs(xml: &str) -> Vec<String> {
    urls(xml).into_iter().map(|u| u.loc).collect()
}

fn sitemap_locs(index: &str) -> Vec<String> {
    index
        .split("<sitemap>")
        .skip(1)
        .map(|b| between(b, "<loc>", "</loc>").unwrap().to_owned())
        .collect()
}

fn local(url: &str) -> &str {
    url.strip_prefix(BASE).expect("absolute URL on the site")
}

async fn site() -> TestSite {
    demo_site(|_| {}).await
}

/// Adds an article published `ago` before now (the demo's are all days old).
async fn recent(site: &TestSite, slug: &str, ago: SignedDuration, en: bool, zh: bool) {
    let mut a = article(slug);
    if en {
        a = a.en(&format!("Recent {slug}"), "Fresh news.");
    }
    if zh {
        a = a.zh(&format!("最新{slug}"), "新消息。");
    }
    a.0.published_at = Some(Timestamp::now() - ago);
    a.create(site.state.store()).await;
}

#[tokio::test]
async fn robots_txt_points_at_the_sitemap_index() {
    let site = site().await;
    let robots = site.get("/robots.txt").await;
    assert!(
        robots
            .body
            .lines()
            .any(|l| l == format!("Sitemap: {BASE}/sitemap.xml")),
        "{}",
        robots.body
    );
    let index = site.get("/sitemap.xml").await;
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type"),
        "application/xml; charset=utf-8"
    );
    assert_eq!(
        sitemap_locs(&index.body),
        [
            format!("{BASE}/sitemaps/en-1.xml"),
            format!("{BASE}/sitemaps/zh-hans-1.xml"),
            format!("{BASE}/sitemaps/zh-hant-1.xml"),
        ],
        "no news sitemap while nothing is recent"
    );
    for loc in sitemap_locs(&index.body) {
        let r = site.get(local(&loc)).await;
        assert_eq!(r.status, 200, "{loc}");
        assert_eq!(r.header("content-type"), "application/xml; charset=utf-8");
    }
    // Machine-read documents answer conditional requests too.
    let etag = index.header("etag").to_owned();
    let again = site
        .get_with("/sitemap.xml", &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);
}

#[tokio::test]
async fn edition_sitemaps_list_every_page_once_with_its_alternates() {
    let site = site().await;
    let store = site.state.store();
    let statics = 1
        + store.sections().await.unwrap().len()
        + store.topics().await.unwrap().len()
        + store.authors().await.unwrap().len();
    for edition in [Edition::En, Edition::ZhHans, Edition::ZhHant] {
        let e = edition.code();
        let r = site.get(&format!("/sitemaps/{e}-1.xml")).await;
        assert_eq!(r.status, 200);
        let listed = urls(&r.body);
        assert_eq!(listed.len(), statics + 9, "{e}: every page, nine articles");
        let all: std::collections::BTreeSet<_> = listed.iter().map(|u| &u.loc).collect();
        assert_eq!(all.len(), listed.len(), "{e}: no URL twice");
        for page in ["/", "/topics/trade", "/authors/lin-mei", "/sections/world"] {
            let loc = format!("{BASE}/{e}{page}");
            let u = listed.iter().find(|u| u.loc == loc).expect(&loc);
            let langs: Vec<_> = u.alternates.iter().map(|(l, _)| l.as_str()).collect();
            assert_eq!(langs, ["en", "zh-Hans", "zh-Hant", "x-default"], "{loc}");
            assert_eq!(u.alternates[3].1, format!("{BASE}/en{page}"), "{loc}");
        }

        let (has, lacks) = if edition == Edition::En {
            (EN_ONLY, ZH_ONLY)
        } else {
            (ZH_ONLY, EN_ONLY)
        };
        let find = |slug: &str| {
            listed
                .iter()
                .find(|u| u.loc == format!("{BASE}/{e}/articles/{slug}"))
        };
        assert!(find(has).is_some(), "{e}: {has}");
        assert!(
            find(lacks).is_none(),
            "{e}: {lacks} would redirect, so it is not listed"
        );
        assert!(
            !r.body.contains("/dual<") && !r.body.contains("/en<") && !r.body.contains("/zh<"),
            "{e}: natural-mode URLs only"
        );

        let bilingual = find(BILINGUAL).unwrap();
        assert_eq!(
            bilingual.alternates,
            [
                ("en".to_owned(), format!("{BASE}/en/articles/{BILINGUAL}")),
                (
                    "zh-Hans".to_owned(),
                    format!("{BASE}/zh-hans/articles/{BILINGUAL}")
                ),
                (
                    "zh-Hant".to_owned(),
                    format!("{BASE}/zh-hant/articles/{BILINGUAL}")
                ),
                (
                    "x-default".to_owned(),
                    format!("{BASE}/en/articles/{BILINGUAL}")
                ),
            ]
        );
        assert!(
            bilingual
                .lastmod
                .as_deref()
                .is_some_and(|t| t.parse::<Timestamp>().is_ok()),
            "{e}: articles carry lastmod"
        );
        let single = find(has).unwrap();
        let langs: Vec<_> = single.alternates.iter().map(|(l, _)| l.as_str()).collect();
        if edition == Edition::En {
            assert_eq!(langs, ["en", "x-default"]);
        } else {
            assert_eq!(langs, ["zh-Hans", "zh-Hant", "x-default"]);
            assert_eq!(
                single.alternates[2].1,
                format!("{BASE}/zh-hans/articles/{ZH_ONLY}"),
                "x-default falls back to the first edition that has the page"
            );
        }

        // Every listed URL and alternate is a page that answers 200, not a redirect, and
        // names itself among its alternates.
        for u in &listed {
            assert!(
                u.alternates.iter().any(|(_, href)| *href == u.loc),
                "{}",
                u.loc
            );
            for url in std::iter::once(&u.loc).chain(u.alternates.iter().map(|(_, h)| h)) {
                assert_eq!(site.get(local(url)).await.status, 200, "{url}");
            }
        }
    }
}

#[tokio::test]
async fn regional_editions_have_their_own_sitemaps_and_alternates() {
    let site = demo_site(|c| c.editions.zh_tw = true).await;
    let index = site.get("/sitemap.xml").await;
    assert!(
        sitemap_locs(&index.body).contains(&format!("{BASE}/sitemaps/zh-tw-1.xml")),
        "{}",
        index.body
    );
    assert_eq!(site.get("/sitemaps/zh-hk-1.xml").await.status, 404);
    let tw = site.get("/sitemaps/zh-tw-1.xml").await;
    let u = urls(&tw.body)
        .into_iter()
        .find(|u| u.loc == format!("{BASE}/zh-tw/articles/{BILINGUAL}"))
        .unwrap();
    assert!(u.alternates.contains(&(
        "zh-Hant-TW".to_owned(),
        format!("{BASE}/zh-tw/articles/{BILINGUAL}")
    )));
}

#[tokio::test]
async fn the_news_sitemap_holds_the_last_two_days() {
    let site = site().await;
    recent(
        &site,
        "fresh-both",
        SignedDuration::from_hours(1),
        true,
        true,
    )
    .await;
    recent(
        &site,
        "fresh-en",
        SignedDuration::from_hours(47),
        true,
        false,
    )
    .await;
    recent(&site, "stale", SignedDuration::from_hours(50), true, true).await;

    let index = site.get("/sitemap.xml").await;
    assert!(sitemap_locs(&index.body).contains(&format!("{BASE}/sitemaps/news.xml")));

    let r = site.get("/sitemaps/news.xml").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        locs(&r.body),
        [
            format!("{BASE}/en/articles/fresh-both"),
            format!("{BASE}/en/articles/fresh-en"),
            format!("{BASE}/zh-hans/articles/fresh-both"),
            format!("{BASE}/zh-hant/articles/fresh-both"),
        ],
        "recent articles in each edition whose language they have; nothing older"
    );
    let blocks: Vec<_> = r.body.split("<url>").skip(1).collect();
    let name_en = site.state.site_name(Edition::En);
    let name_hant = site.state.site_name(Edition::ZhHant);
    assert!(blocks[0].contains(&format!("<news:name>{name_en}</news:name>")));
    assert!(blocks[0].contains("<news:language>en</news:language>"));
    assert!(blocks[0].contains("<news:title>Recent fresh-both</news:title>"));
    assert!(blocks[2].contains("<news:language>zh-cn</news:language>"));
    assert!(blocks[2].contains("<news:title>最新fresh-both</news:title>"));
    assert!(blocks[3].contains(&format!("<news:name>{name_hant}</news:name>")));
    assert!(blocks[3].contains("<news:language>zh-tw</news:language>"));
    let date = between(
        blocks[0],
        "<news:publication_date>",
        "</news:publication_date>",
    )
    .unwrap();
    let published: Timestamp = date.parse().unwrap();
    assert!(Timestamp::now() - published < SignedDuration::from_hours(2));
}

#[tokio::test]
async fn sitemaps_split_at_the_url_limit() {
    let site = site().await;
    let now = Timestamp::now();
    let whole = edition_sitemap(&site.state, Edition::En, 1, now, SITEMAP_URL_LIMIT)
        .await
        .unwrap()
        .unwrap();
    let all = locs(&whole);
    assert_eq!(all.len(), 21);
    assert!(
        edition_sitemap(&site.state, Edition::En, 2, now, SITEMAP_URL_LIMIT)
            .await
            .unwrap()
            .is_none()
    );

    // Five URLs a file: 21 URLs make five files, in order, none repeated or lost; the cut
    // falls inside the fixed pages and inside the articles alike.
    let limit = 5;
    let mut joined = Vec::new();
    for n in 1..=5 {
        let part = edition_sitemap(&site.state, Edition::En, n, now, limit)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("file {n}"));
        let part = locs(&part);
        assert!(!part.is_empty() && part.len() <= limit, "file {n}");
        joined.extend(part);
    }
    assert_eq!(joined, all);
    for n in [0, 6] {
        assert!(
            edition_sitemap(&site.state, Edition::En, n, now, limit)
                .await
                .unwrap()
                .is_none(),
            "file {n}"
        );
    }
    let index = sitemap_index(&site.state, now, limit).await.unwrap();
    let files = sitemap_locs(&index);
    assert_eq!(files.len(), 15, "five files for each of three editions");
    assert_eq!(files[4], format!("{BASE}/sitemaps/en-5.xml"));

    for path in [
        "/sitemaps/en-2.xml",
        "/sitemaps/en-0.xml",
        "/sitemaps/en-01.xml",
        "/sitemaps/en.xml",
        "/sitemaps/xx-1.xml",
        "/sitemaps/EN-1.xml",
        "/sitemaps/zh-tw-1.xml",
        "/sitemaps/en-1.txt",
        "/sitemaps/",
        "/sitemaps/news",
    ] {
        assert_eq!(site.get(path).await.status, 404, "{path}");
    }
}

/// Runs `xmllint --noout --schema` on a document; `Err` with its output when invalid.
fn xmllint(schema: &str, xml: &str, dir: &std::path::Path, name: &str) -> Result<(), String> {
    let file = dir.join(name);
    std::fs::write(&file, xml).unwrap();
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(schema);
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn have_xmllint() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn sitemaps_validate_against_the_sitemaps_org_schema() {
    if !have_xmllint() {
        let message = "SKIPPED sitemaps_validate_against_the_sitemaps_org_schema: xmllint not \
                       found (apt-get install libxml2-utils)";
        if std::env::var("DUIZHAO_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{message}, and DUIZHAO_REQUIRE_TOOLS=1");
        }
        eprintln!("{message}");
        return;
    }
    let site = demo_site(|c| c.editions.zh_hk = true).await;
    recent(
        &site,
        "fresh-both",
        SignedDuration::from_hours(1),
        true,
        true,
    )
    .await;
    recent(
        &site,
        "fresh-zh",
        SignedDuration::from_hours(3),
        false,
        true,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();

    let index = site.get("/sitemap.xml").await.body;
    xmllint("siteindex.xsd", &index, dir.path(), "index.xml").unwrap();
    let files = sitemap_locs(&index);
    assert!(files.iter().any(|f| f.ends_with("/news.xml")));
    for (i, loc) in files.iter().enumerate() {
        let body = site.get(local(loc)).await.body;
        xmllint("sitemap.xsd", &body, dir.path(), &format!("s{i}.xml"))
            .unwrap_or_else(|e| panic!("{loc}: {e}"));
    }
    // The split files too.
    let now = Timestamp::now();
    for n in 1..=3 {
        let part = edition_sitemap(&site.state, Edition::ZhHk, n, now, 8)
            .await
            .unwrap()
            .unwrap();
        xmllint("sitemap.xsd", &part, dir.path(), &format!("part{n}.xml")).unwrap();
    }
    xmllint(
        "siteindex.xsd",
        &sitemap_index(&site.state, now, 8).await.unwrap(),
        dir.path(),
        "index8.xml",
    )
    .unwrap();
    let news = news_sitemap(&site.state, now).await.unwrap();
    assert!(news.contains("<news:news>"));

    // The schemas do reject what the protocol forbids.
    let bad_lang = news.replacen("<news:language>en<", "<news:language>English<", 1);
    assert!(xmllint("sitemap.xsd", &bad_lang, dir.path(), "bad1.xml").is_err());
    let sitemap = site.get("/sitemaps/en-1.xml").await.body;
    let relative = sitemap.replacen(&format!("<loc>{BASE}/"), "<loc>/", 1);
    assert!(xmllint("sitemap.xsd", &relative, dir.path(), "bad2.xml").is_err());
    let bad_link = sitemap.replacen("rel=\"alternate\"", "rel=\"next\"", 1);
    assert!(xmllint("sitemap.xsd", &bad_link, dir.path(), "bad3.xml").is_err());
    let unknown = sitemap.replacen("</url>", "<x:y xmlns:x=\"urn:x\"/></url>", 1);
    assert!(xmllint("sitemap.xsd", &unknown, dir.path(), "bad4.xml").is_err());
    assert!(xmllint("siteindex.xsd", &sitemap, dir.path(), "bad5.xml").is_err());
}
