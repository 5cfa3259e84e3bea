//! `duizhao export --static` over the demo publication, checked as a visitor would: every
//! exported HTML file is parsed, and every link, image and stylesheet it refers to is resolved
//! against the file's own location and must exist in the export, with no help from a server.

mod common;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use common::demo_site;
use duizhao::content::{Edition, Mode};
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// A bilingual demo article, one English-only, one Chinese-only.
const BILINGUAL: &str = "youth-first-jobs";
const EN_ONLY: &str = "ports-stronger-storms";
const ZH_ONLY: &str = "county-town-elder-care";

const BASE: &str = "https://news.example";

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_owned());
            }
        }
    }
    out.sort();
    out
}

/// One reference in a page: the element, the attribute and the value.
#[derive(Debug)]
struct Reference {
    element: String,
    attribute: &'static str,
    rel: String,
    hreflang: bool,
    value: String,
}

/// Every URL an HTML page refers to (`href`, `src`, each `srcset` candidate, `poster`, and
/// the target of a `<meta http-equiv="refresh">`).
fn references(html: &str) -> Vec<Reference> {
    let found = std::cell::RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("*", |el| {
                let tag = el.tag_name();
                let rel = el.get_attribute("rel").unwrap_or_default();
                let hreflang = el.has_attribute("hreflang");
                let push = |attribute, value: &str| {
                    found.borrow_mut().push(Reference {
                        element: tag.clone(),
                        attribute,
                        rel: rel.clone(),
                        hreflang,
                        value: value.replace("&amp;", "&"),
                    })
                };
                for attribute in ["href", "src", "poster", "action"] {
                    if let Some(v) = el.get_attribute(attribute) {
                        push(attribute, &v);
                    }
                }
                if let Some(srcset) = el.get_attribute("srcset") {
                    for candidate in srcset.split(',') {
                        push("srcset", candidate.split_whitespace().next().unwrap_or(""));
                    }
                }
                if el
                    .get_attribute("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
                {
                    let content = el.get_attribute("content").unwrap_or_default();
                    let url = content.split_once("url=").map_or("", |(_, u)| u);
                    push("refresh", url);
                }
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )
    .unwrap();
    found.into_inner()
}

/// Resolves a relative reference from the file `from` (both relative to the export root);
/// `None` when it climbs out of the export.
fn resolve(from: &Path, reference: &str) -> Option<PathBuf> {
    let path = reference.split(['#', '?']).next().unwrap();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .unwrap();
    let mut out = from.parent().unwrap().to_owned();
    for component in Path::new(&*decoded).components() {
        match component {
            Component::Normal(c) => out.push(c),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The broken references of the export in `root`: `(file, reference, why)`.
fn broken_references(root: &Path) -> Vec<(PathBuf, String, &'static str)> {
    let mut broken = Vec::new();
    for file in files(root) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(root.join(&file)).unwrap();
        for r in references(&html) {
            let v = r.value.as_str();
            let mut fail = |why| broken.push((file.clone(), format!("{r:?}"), why));
            if v.is_empty() || v.starts_with('#') {
                continue;
            }
            if r.attribute == "action" {
                fail("a form that needs the server");
            } else if v.starts_with('/') {
                fail("a root-relative link");
            } else if let Some(path) = v.strip_prefix(BASE) {
                // Absolute by design: canonical and hreflang links, and the public root that
                // 404.html takes as its base. They must still name an exported page.
                let by_design = (r.element == "link"
                    && (r.rel == "canonical" || (r.rel == "alternate" && r.hreflang)))
                    || (r.element == "base" && file == Path::new("404.html"));
                if !by_design {
                    fail("an absolute link to the site");
                } else if !exported(root, path) {
                    fail("an absolute link to a page that is not exported");
                }
            } else if v.contains("://") || v.starts_with("mailto:") || v.starts_with("data:") {
                continue;
            } else {
                match resolve(&file, v) {
                    None => fail("a link out of the export"),
                    Some(target) if root.join(&target).is_file() => {}
                    Some(target) if root.join(&target).join("index.html").is_file() => {}
                    Some(_) => fail("a link to a file that does not exist"),
                }
            }
        }
    }
    broken
}

/// Whether the page at an absolute path of the site was exported (by the export's naming).
fn exported(root: &Path, path: &str) -> bool {
    if path.ends_with(".html") {
        // A list's later page, named by its file (no static host serves `?page=2`).
        return root.join(&path[1..]).is_file();
    }
    let path = if path.is_empty() { "/" } else { path };
    let url = duizhao::export::SiteUrl::from_path(path).unwrap();
    root.join(url.file().unwrap()).is_file()
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[tokio::test]
async fn the_export_is_the_whole_site_with_no_broken_link() {
    let site = demo_site(|c| {
        c.editions.zh_tw = true;
        c.editions.zh_hk = true;
        // Small pages, so that the lists have a second page to export.
        c.page_size = 2;
    })
    .await;
    // A renamed topic: its old address must still lead somewhere in the export.
    let store = site.state.store();
    let Some(duizhao::store::taxonomy::TaxonomyInput::Topic(mut trade)) = store
        .taxonomy_input(duizhao::store::taxonomy::TaxonomyKind::Topic, "trade")
        .await
        .unwrap()
    else {
        panic!("the demo has a topic `trade`");
    };
    trade.slug = "world-trade".to_owned();
    let converters = site.state.converters();
    let core = site.state.core(&converters, None);
    duizhao::editorial::taxonomy::save(
        &core,
        Some("trade"),
        duizhao::store::taxonomy::TaxonomyInput::Topic(trade),
    )
    .await
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let root = out.path();
    let summary = duizhao::export::write_site(&site.state, root, &|_| {})
        .await
        .unwrap();
    assert!(summary.missing.is_empty(), "{:?}", summary.missing);
    assert!(summary.pages > 100, "{summary:?}");
    let all = files(root);
    let html = all
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(html, summary.pages + summary.redirects, "{summary:?}");
    assert_eq!(all.len(), html + summary.files, "{summary:?}");

    let broken = broken_references(root);
    assert!(broken.is_empty(), "{} broken: {broken:#?}", broken.len());

    // Every edition, and every reading mode of an article in each.
    for edition in Edition::ALL {
        let e = edition.code();
        for file in [
            "index.html",
            "archive/index.html",
            "page/2.html",
            "feed.atom",
            "feed.rss",
            "feed.json",
            "dual/feed.atom",
        ] {
            assert!(root.join(e).join(file).is_file(), "{e}/{file}");
        }
        for mode in Mode::ALL {
            let file = if mode == Mode::natural(edition) {
                format!("{e}/articles/{BILINGUAL}.html")
            } else {
                format!("{e}/articles/{BILINGUAL}/{}.html", mode.code())
            };
            let page = read(root, &file);
            assert!(page.contains("<h1"), "{file}");
            if mode == Mode::Parallel {
                assert!(page.contains("class=\"parallel\""), "{file}");
                assert!(page.contains("src=\"../../../static/site.js\""), "{file}");
            }
        }
        // A one-language article, in its language's mode.
        for (slug, mode) in [(EN_ONLY, Mode::En), (ZH_ONLY, Mode::Zh)] {
            let file = if mode == Mode::natural(edition) {
                format!("{e}/articles/{slug}.html")
            } else {
                format!("{e}/articles/{slug}/{}.html", mode.code())
            };
            assert!(read(root, &file).contains("<h1"), "{file}");
        }
    }
    // The renamed topic's old address leads to the new one in every edition.
    for edition in Edition::ALL {
        let e = edition.code();
        let old = read(root, &format!("{e}/topics/trade.html"));
        assert!(
            old.contains("world-trade.html"),
            "{e}/topics/trade.html: {old}"
        );
        assert!(root.join(e).join("topics/world-trade.html").is_file());
    }
    // Topic, author and section pages, with their feeds and later pages.
    for dir in ["topics", "authors", "sections"] {
        let pages: Vec<_> = all
            .iter()
            .filter(|f| {
                f.starts_with(format!("en/{dir}")) && f.extension().is_some_and(|e| e == "html")
            })
            .collect();
        assert!(pages.len() >= 3, "en/{dir}: {pages:?}");
    }
    assert!(
        all.iter()
            .any(|f| f.starts_with("en/topics") && f.ends_with("page/2.html")),
        "no topic has a second page"
    );
    assert!(
        all.iter()
            .any(|f| f.starts_with("en/archive/") && f.components().count() == 4)
    );
    assert!(
        all.iter().any(|f| f.starts_with("media")),
        "no media exported"
    );
    assert!(root.join("static/site.css").is_file());

    // Feeds keep their names and parse.
    let feeds: Vec<_> = all
        .iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("feed."))
        })
        .collect();
    assert!(feeds.len() >= 5 * 3 * 2, "{}", feeds.len());
    for feed in &feeds {
        let bytes = std::fs::read(root.join(feed)).unwrap();
        let parsed = feed_rs::parser::parse(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: {e}", feed.display()));
        assert!(!parsed.entries.is_empty(), "{}", feed.display());
    }

    // Sitemaps, robots.txt and the pages that stand in for the server.
    assert!(read(root, "robots.txt").contains("Sitemap: https://news.example/sitemap.xml"));
    assert!(read(root, "sitemap.xml").contains("https://news.example/sitemaps/en-1.xml"));
    // Every URL of the site that a sitemap, a feed or robots.txt names is exported, media
    // in feed content included.
    let mut named = 0;
    for file in all.iter().filter(|f| {
        f.extension()
            .is_some_and(|e| ["xml", "atom", "rss", "json", "txt"].contains(&&*e.to_string_lossy()))
    }) {
        let text = read(root, &file.to_string_lossy());
        for occurrence in text.split(BASE).skip(1) {
            let end = occurrence
                .find(|c: char| c.is_whitespace() || "<\"'&\\".contains(c))
                .unwrap_or(occurrence.len());
            assert!(
                exported(root, &occurrence[..end]),
                "{}: {BASE}{}",
                file.display(),
                &occurrence[..end]
            );
            named += 1;
        }
    }
    assert!(named > 1000, "{named}");
    let index = read(root, "index.html");
    assert!(
        index.contains(r#"<meta http-equiv="refresh" content="0; url=en/index.html">"#),
        "{index}"
    );
    assert!(index.contains(r#"href="zh-hk/index.html""#), "{index}");
    let not_found = read(root, "404.html");
    assert!(not_found.contains(r#"<base href="https://news.example/">"#));
    assert!(not_found.contains(r#"href="static/site.css""#));
    let hans_home = read(root, "zh-hans/index.html");
    assert!(!hans_home.contains("<form"), "forms need the server");
    assert!(hans_home.contains(r#"<link rel="canonical" href="https://news.example/zh-hans/">"#));
    let later = read(root, "zh-hant/page/2.html");
    assert!(
        later.contains(r#"<link rel="canonical" href="https://news.example/zh-hant/page/2.html">"#),
        "a later page names its file: no static host serves ?page=2"
    );

    // The checker itself finds a broken link: take away a page that others link to.
    std::fs::remove_file(root.join("en/archive/index.html")).unwrap();
    let broken = broken_references(root);
    assert!(
        broken
            .iter()
            .any(|(_, r, why)| r.contains("archive/index.html")
                && *why == "a link to a file that does not exist"),
        "{broken:#?}"
    );
}

#[test]
fn references_are_resolved_against_the_linking_file() {
    let from = Path::new("en/articles/x.html");
    assert_eq!(
        resolve(from, "../index.html#main"),
        Some(PathBuf::from("en/index.html"))
    );
    assert_eq!(
        resolve(from, "x/dual.html?v=1"),
        Some(PathBuf::from("en/articles/x/dual.html"))
    );
    assert_eq!(resolve(from, "../../../etc"), None);
    let refs: BTreeSet<String> = references(
        r#"<a href="a.html">a</a><img src="b.png" srcset="c.png 1x, d.png 2x"><meta http-equiv="refresh" content="0; url=e.html">"#,
    )
    .into_iter()
    .map(|r| r.value)
    .collect();
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["a.html", "b.png", "c.png", "d.png", "e.html"]
    );
}
