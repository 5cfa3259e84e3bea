//! `duizhao import`: Markdown folders and WordPress exports, on both backends, run twice, and
//! hostile input rendered through the site.

mod common;

use std::path::{Path, PathBuf};

use common::fixtures::{converters, now};
use duizhao::content::{Edition, Script, Status};
use duizhao::import::{ImportReport, import_markdown, import_wordpress};
use duizhao::store::Store;
use indicatif::ProgressBar;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

async fn markdown(store: &Store, media: &Path, dir: &str) -> ImportReport {
    import_markdown(
        store,
        &converters(),
        media,
        &fixture(dir),
        now(),
        ProgressBar::hidden(),
    )
    .await
    .expect("the import runs")
}

async fn wordpress(store: &Store, media: &Path) -> ImportReport {
    import_wordpress(
        store,
        &converters(),
        media,
        &fixture("wordpress/export.xml"),
        now(),
        ProgressBar::hidden(),
    )
    .await
    .expect("the import runs")
}

/// The media path of the image named `stem` in rendered HTML (`/media/uploads/STEM-HASH.png`).
fn media_path(html: &str, stem: &str) -> String {
    let start = html
        .find(&format!("/media/uploads/{stem}-"))
        .unwrap_or_else(|| panic!("no {stem} image in {html}"));
    let path = &html[start + "/media/".len()..];
    path[..path.find('"').unwrap()].to_owned()
}

/// Checks that an image was stored through the media library: a registered PNG file named
/// after its source.
async fn assert_upload(store: &Store, media: &Path, path: &str, stem: &str) {
    assert!(
        path.starts_with(&format!("uploads/{stem}-")) && path.ends_with(".png"),
        "{path}"
    );
    let bytes = std::fs::read(media.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(bytes.starts_with(b"\x89PNG"), "{path} is a PNG");
    store.media_id(path).await.expect("the media is registered");
}

fn sorted(list: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = list.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

async fn counts(store: &Store) -> (i64, usize, usize, usize) {
    (
        store.article_count().await.unwrap(),
        store.topics().await.unwrap().len(),
        store.authors().await.unwrap().len(),
        store.sections().await.unwrap().len(),
    )
}

async fn markdown_folder_import_and_rerun(store: &Store) {
    let media = tempfile::tempdir().unwrap();
    let report = markdown(store, media.path(), "markdown").await;
    assert_eq!(
        sorted(&report.imported),
        ["draft-piece", "harbour-notes", "rate-cut"],
        "{}",
        report.summary()
    );
    assert!(report.unreadable.is_empty(), "{}", report.summary());
    assert_eq!(report.skipped.len(), 1, "{}", report.summary());
    assert_eq!(report.skipped[0].what, "_index.md");
    assert_eq!(report.media_copied, 4, "{}", report.summary());

    // English and Chinese files became one article, with its taxonomy created.
    let a = store
        .article("rate-cut", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, Status::Published);
    assert_eq!(
        a.published_at,
        Some("2026-03-04T01:30:00Z".parse().unwrap())
    );
    assert_eq!(a.updated_at, "2026-03-05T00:00:00Z".parse().unwrap());
    let en = a.en.as_ref().unwrap();
    assert_eq!(
        en.title,
        "The central bank cuts its policy rate by a quarter point"
    );
    assert!(en.dek.starts_with("A small cut"));
    let zh = a.zh.as_ref().unwrap();
    assert_eq!(zh.title, "央行下调政策利率二十五个基点");
    assert_eq!(a.section.as_ref().unwrap().slug, "economy");
    assert_eq!(
        a.section.as_ref().unwrap().name.get(Edition::ZhHans),
        "经济"
    );
    let topics: Vec<_> = a.topics.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(topics, ["trade-policy", "chips"]);
    assert_eq!(a.topics[0].name.get(Edition::En), "Trade Policy");
    assert_eq!(a.topics[0].name.get(Edition::ZhHant), "貿易政策");
    assert_eq!(a.topics[1].name.get(Edition::En), "Chips");
    let authors: Vec<_> = a.authors.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(authors, ["lin-mei", "daniel-hart"]);
    assert_eq!(a.authors[0].name.get(Edition::En), "Lin Mei");
    assert_eq!(a.authors[0].name.get(Edition::ZhHans), "林梅");

    // Images: the hero and the body's relative images went through the media library and
    // the body points at them.
    let hero = a.hero.as_ref().unwrap();
    assert_upload(store, media.path(), &hero.path, "rate-cut").await;
    assert_eq!(hero.alt.get(Edition::En), "A red bar chart");
    let body_html: String = en.blocks.iter().map(|b| b.html.as_str()).collect();
    let chart = media_path(&body_html, "chart");
    assert_upload(store, media.path(), &chart, "chart").await;
    let skyline = media_path(&body_html, "skyline");
    assert_upload(store, media.path(), &skyline, "skyline").await;
    let zh_html: String = zh.blocks.iter().map(|b| b.html.as_str()).collect();
    assert_eq!(
        media_path(&zh_html, "chart"),
        chart,
        "one file for both versions"
    );

    // The draft keeps its status.
    let draft = store
        .article("draft-piece", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.status, Status::Draft);
    assert!(draft.zh.is_none());

    // Running it again changes nothing but the report's words.
    let before = counts(store).await;
    assert_eq!(before, (3, 4, 2, 2), "articles, topics, authors, sections");
    let again = markdown(store, media.path(), "markdown").await;
    assert!(again.imported.is_empty(), "{}", again.summary());
    assert_eq!(
        sorted(&again.updated),
        ["draft-piece", "harbour-notes", "rate-cut"]
    );
    assert!(again.created.is_empty(), "{}", again.summary());
    assert_eq!((again.media_copied, again.media_unchanged), (0, 4));
    assert_eq!(counts(store).await, before);
    let after = store
        .article("rate-cut", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.id, a.id, "the same article, replaced");
}

async fn traditional_master_from_the_file_name(store: &Store) {
    let media = tempfile::tempdir().unwrap();
    markdown(store, media.path(), "markdown").await;
    let a = store
        .article("harbour-notes", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        a.zh_script,
        Script::Hant,
        "index.zh-hant.md is a Traditional master"
    );
    assert_eq!(
        a.zh.as_ref().unwrap().title,
        "港口静下来的时候",
        "converted to Simplified"
    );
    let hant = store
        .article("harbour-notes", Edition::ZhHant)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        hant.zh.unwrap().title,
        "港口靜下來的時候",
        "the master as written"
    );
    assert_eq!(a.section.as_ref().unwrap().slug, "world");
    assert_eq!(
        a.section.as_ref().unwrap().name.get(Edition::ZhHans),
        "国际"
    );
    assert!(a.hero.as_ref().unwrap().path.starts_with("uploads/hero-"));
    // The Traditional byline was stored in Simplified, as the store keeps names.
    let hart = store.author("daniel-hart").await.unwrap().unwrap();
    assert_eq!(hart.name.get(Edition::ZhHans), "贺达年");
    assert_eq!(hart.name.get(Edition::ZhHant), "賀達年");
}

async fn bad_files_are_reported_with_file_and_line(store: &Store) {
    let media = tempfile::tempdir().unwrap();
    let report = markdown(store, media.path(), "hostile").await;
    let problem = |name: &str| {
        report
            .unreadable
            .iter()
            .find(|p| p.what.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not reported:\n{}", report.summary()))
            .to_string()
    };
    let broken = problem("broken.en.md");
    assert!(
        broken.starts_with("broken.en.md, line 4: TOML front matter"),
        "{broken}"
    );
    let unclosed = problem("unclosed.zh.md");
    assert!(
        unclosed.contains("line 1") && unclosed.contains("never closed"),
        "{unclosed}"
    );
    let bad_date = problem("bad-date.en.md");
    assert!(
        bad_date.starts_with("bad-date.en.md, line 3: YAML front matter"),
        "{bad_date}"
    );
    assert!(bad_date.contains("next Tuesday"), "{bad_date}");
    let latin1 = problem("latin1.en.md");
    assert_eq!(latin1, "latin1.en.md, line 2: not valid UTF-8 (byte 16)");
    assert_eq!(report.unreadable.len(), 4, "{}", report.summary());
    // The readable file beside them was imported all the same.
    assert_eq!(report.imported, ["xss"]);
    assert_eq!(store.article_count().await.unwrap(), 1);
}

async fn wordpress_export(store: &Store) {
    let media = tempfile::tempdir().unwrap();
    let report = wordpress(store, media.path()).await;
    let summary = report.summary();
    assert_eq!(
        sorted(&report.imported),
        [
            "budget-notes",
            "central-bank-holds",
            "chip-supply",
            "harbour-volumes",
            "port-fees"
        ],
        "{summary}"
    );
    let skipped: Vec<String> = report.skipped.iter().map(|p| p.to_string()).collect();
    assert_eq!(skipped.len(), 3, "{summary}");
    assert!(
        skipped[0].contains("\"About Harbour Daily\"") && skipped[0].contains("a page"),
        "{summary}"
    );
    assert!(
        skipped[1].contains("\"Staff rota\"") && skipped[1].contains("private"),
        "{summary}"
    );
    assert!(skipped[2].contains("nav_menu_item"), "{summary}");
    assert_eq!(report.unreadable.len(), 1, "{summary}");
    let broken = report.unreadable[0].to_string();
    assert!(broken.starts_with("item 8 (line "), "{broken}");
    assert!(
        broken.contains("\"Pilot boats on strike\"") && broken.contains("wp:post_date_gmt"),
        "{broken}"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("fab-floor.jpg") && n.contains("not downloaded")),
        "{summary}"
    );
    assert_eq!(report.media_copied, 2, "{summary}");

    // Paired by slug suffix; the first category is the section; tags are topics.
    let a = store
        .article("harbour-volumes", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, Status::Published);
    assert_eq!(
        a.published_at,
        Some("2026-03-20T09:30:00Z".parse().unwrap())
    );
    assert_eq!(
        a.en.as_ref().unwrap().title,
        "Harbour volumes recover after a slow winter"
    );
    assert_eq!(a.en.as_ref().unwrap().dek, "The first rise in five months.");
    assert_eq!(a.zh.as_ref().unwrap().title, "冬季放缓之后，港口吞吐量回升");
    assert_eq!(a.zh_script, Script::Hans);
    assert_eq!(a.section.as_ref().unwrap().slug, "world");
    assert_eq!(
        a.section.as_ref().unwrap().name.get(Edition::ZhHans),
        "国际"
    );
    let topics: Vec<_> = a.topics.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(topics, ["shipping", "trade"]);
    assert_eq!(a.topics[1].name.get(Edition::ZhHans), "贸易");
    let authors: Vec<_> = a.authors.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(authors, ["lin", "chenjing"]);
    assert_eq!(a.authors[0].name.get(Edition::En), "Lin Mei");
    assert_eq!(a.authors[1].name.get(Edition::ZhHans), "陈静");
    let hero = a.hero.as_ref().unwrap();
    assert_upload(store, media.path(), &hero.path, "harbour").await;
    assert_eq!(hero.alt.get(Edition::En), "Three cranes against a pale sky");
    // The HTML became Markdown: every common element rendered.
    let html: String =
        a.en.as_ref()
            .unwrap()
            .blocks
            .iter()
            .map(|b| b.html.as_str())
            .collect();
    for expected in [
        "<strong>eight per cent</strong>",
        "<em>October</em>",
        "<h2>What changed</h2>",
        "<li>Two shipping lines restored weekly calls.</li>",
        "<ol>",
        "<blockquote>",
        "<h3>The numbers</h3>",
        "<h4>Next month</h4>",
        "<a href=\"https://harbour.example/data\">monthly data</a>",
        "src=\"/media/uploads/volumes-",
    ] {
        assert!(html.contains(expected), "{expected} missing in {html}");
    }
    assert!(!html.contains("wp:paragraph"), "{html}");
    // The classic editor's untagged paragraph is a paragraph of its own.
    assert_eq!(a.zh.as_ref().unwrap().blocks.len(), 3);

    // Paired by Polylang's translation group, under the English slug.
    let pll = store
        .article("central-bank-holds", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pll.zh.as_ref().unwrap().title, "央行按兵不动");
    assert!(pll.en.is_some());

    // A draft without a slug, named from its title; a scheduled Traditional post.
    let draft = store
        .article("budget-notes", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((draft.status, draft.published_at), (Status::Draft, None));
    assert!(draft.section.is_none(), "uncategorized is no section");
    assert_eq!(draft.en.as_ref().unwrap().blocks.len(), 2);
    let future = store
        .article("chip-supply", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(future.status, Status::Scheduled);
    assert_eq!(
        future.zh_script,
        Script::Hant,
        "detected from its characters"
    );
    assert!(future.en.is_none() && future.hero.is_none());

    // A rerun updates the same articles.
    let before = counts(store).await;
    let again = wordpress(store, media.path()).await;
    assert!(again.imported.is_empty(), "{}", again.summary());
    assert_eq!(again.updated.len(), 5);
    assert_eq!((again.media_copied, again.media_unchanged), (0, 2));
    assert_eq!(counts(store).await, before);
}

on_both_backends!(
    markdown_folder_import_and_rerun,
    traditional_master_from_the_file_name,
    bad_files_are_reported_with_file_and_line,
    wordpress_export,
);

#[tokio::test]
async fn hostile_input_is_stored_as_text_and_rendered_inert() {
    let site = common::demo_site(|_| {}).await;
    let state = &site.state;
    let media = state.media_dir().to_owned();
    let md = import_markdown(
        state.store(),
        &state.converters(),
        &media,
        &fixture("hostile"),
        now(),
        ProgressBar::hidden(),
    )
    .await
    .unwrap();
    assert_eq!(md.imported, ["xss"]);
    let wp = import_wordpress(
        state.store(),
        &state.converters(),
        &media,
        &fixture("wordpress/export.xml"),
        now(),
        ProgressBar::hidden(),
    )
    .await
    .unwrap();
    assert!(wp.imported.contains(&"port-fees".to_owned()));
    for slug in ["xss", "port-fees"] {
        state.article_changed(slug).await.unwrap();
    }

    let stored = state
        .store()
        .article("xss", Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.en.as_ref().unwrap().title,
        "<script>alert('title')</script> Port fees rise",
        "stored as the text it is"
    );
    for url in [
        "/en/articles/xss",
        "/zh-hans/articles/xss",
        "/zh-hant/articles/xss/dual",
        "/en/articles/port-fees",
        "/en/",
        "/en/topics/b-onmouseover-alert-1-ports-b",
    ] {
        let r = site.get(url).await;
        assert_eq!(r.status, 200, "{url}");
        for (tag, attrs, content) in tags(&r.body) {
            assert!(
                tag != "iframe" && tag != "object" && tag != "embed",
                "{url}: <{tag}>"
            );
            for (name, value) in &attrs {
                assert!(!name.starts_with("on"), "{url}: <{tag} {name}={value:?}>");
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:"),
                    "{url}: <{tag} {name}={value:?}>"
                );
            }
            if tag == "script" {
                // Only the theme's own script file and JSON-LD data, which escapes `<`.
                let src = attrs
                    .iter()
                    .find(|(n, _)| n == "src")
                    .map(|(_, v)| v.as_str());
                let json = attrs
                    .iter()
                    .any(|(n, v)| n == "type" && v == "application/ld+json");
                assert!(
                    src.is_some_and(|s| s.starts_with("/static/")) || json,
                    "{url}: {attrs:?}"
                );
                // JSON-LD is data, and with `<` escaped it cannot close its element.
                let inert = if json {
                    !content.contains('<')
                } else {
                    content.trim().is_empty()
                };
                assert!(inert, "{url}: a script with {content}");
            }
        }
    }
    // The checker itself sees markup when there is some.
    let seen = tags("<p title='a>b' onclick=\"x()\">t</p><a href=' JavaScript:x'>");
    assert_eq!(seen[0].1[1].0, "onclick");
    assert_eq!(seen[1].1[0].1, " JavaScript:x");
    let r = site.get("/en/articles/xss").await;
    assert!(
        r.body.contains("&lt;script&gt;alert("),
        "the title is shown as text"
    );
    assert!(
        r.body.contains("harmless-looking link"),
        "the link text stays"
    );
    let r = site.get("/en/articles/port-fees").await;
    assert!(r.body.contains("Fees rise in April."), "{}", r.body.len());
    assert!(
        !r.body.contains("wp-body"),
        "the script's content is dropped"
    );
}

/// A start tag: name, attributes, and a script's text.
type Tag = (String, Vec<(String, String)>, String);

/// The start tags of an HTML page, with their attributes (lower-case names, values unescaped
/// only of quotes) and, for `script`, the text up to its end tag: enough to check that no
/// imported text became markup.
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at + 1;
        if html[i..].starts_with("!--") {
            i += html[i..].find("-->").map_or(html.len() - i, |e| e + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| i + e);
        let tag = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attrs = Vec::new();
        loop {
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                i += 1;
            }
            match bytes.get(i) {
                None => break,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            let n_end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>')
                .map_or(html.len(), |e| i + e);
            let name = html[i..n_end].to_ascii_lowercase();
            i = n_end;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..]
                            .find(*q as char)
                            .map_or(html.len(), |e| i + 1 + e);
                        value = html[i + 1..end].to_owned();
                        i = (end + 1).min(html.len());
                    }
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |e| i + e);
                        value = html[i..end].to_owned();
                        i = end;
                    }
                }
            }
            attrs.push((name, value));
        }
        let content = if tag == "script" {
            let end = html[i..].find("</script").map_or(html.len(), |e| i + e);
            html[i..end].to_owned()
        } else {
            String::new()
        };
        out.push((tag, attrs, content));
    }
    out
}

#[tokio::test]
async fn a_hugo_site_root_imports_its_content_folder() {
    let t = common::sqlite().await;
    let media = tempfile::tempdir().unwrap();
    let report = markdown(&t.store, media.path(), "hugo-site").await;
    assert_eq!(report.imported, ["tide-tables"], "{}", report.summary());
    assert!(
        report.skipped.is_empty() && report.unreadable.is_empty(),
        "{}",
        report.summary()
    );
    let a = t
        .store
        .article("tide-tables", Edition::En)
        .await
        .unwrap()
        .unwrap();
    let html: String =
        a.en.unwrap()
            .blocks
            .iter()
            .map(|b| b.html.as_str())
            .collect();
    let tide = media_path(&html, "tide");
    assert_upload(&t.store, media.path(), &tide, "tide").await;
    t.cleanup().await;
}
