//! User text never becomes markup: in every reading mode, the preview, every feed format,
//! search snippets, the API and the static export.

use duizhao::accounts::Role;

use crate::common::fixtures::{article, now};
use crate::common::live::{LiveSite, PASSWORD};

/// Text an attacker with an editor's account (or a compromised import) would write.
const TITLE: &str = "Ports <script>alert('t')</script> \"><img src=x onerror=alert(1)>";
const BODY: &str = "Harbour <script>alert('b')</script> text.\n\n\
    <iframe src=\"https://evil.example/\"></iframe>\n\n\
    [a link](javascript:alert('l')) and [another](  JaVaScRiPt:alert(2)) and \
    [data](data:text/html;base64,PHNjcmlwdD4=)\n\n\
    ![x\" onerror=\"alert(3)](https://evil.example/x.png)\n\n\
    <svg onload=alert(4)>\n\n\
    Port traffic.";
const ZH_BODY: &str = "港口<script>alert('z')</script>吞吐量。\n\n<img src=x onerror=alert(5)>";

/// Markup that must never appear as markup.
fn assert_inert(what: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script>alert",
        "<img src=x",
        "<iframe",
        "<svg onload",
        "href=\"javascript:",
        "href=\"  javascript:",
        "href=\"data:",
        "\" onerror=\"alert",
    ] {
        assert!(
            !lower.contains(needle),
            "{what}: {needle} in {}",
            excerpt(&lower, needle)
        );
    }
}

/// The parts of a feed that readers render as HTML: Atom's `content`, RSS's `description`
/// and `content:encoded`. (Titles are plain text in every format.)
fn assert_feed_inert(what: &str, xml: &str) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{what}: {e}"));
    for node in doc.descendants().filter(|n| {
        let name = n.tag_name().name();
        name == "content" || name == "description" || name == "encoded"
    }) {
        assert_inert(what, node.text().unwrap_or(""));
    }
}

/// Every string of a JSON document under a key naming HTML (`html`, `content_html`, …).
fn html_fields(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::String(s) if key == "html" || key.ends_with("_html") => {
                        out.push(s.clone());
                    }
                    _ => html_fields(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| html_fields(v, out)),
        _ => {}
    }
}

fn excerpt(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    text[at.saturating_sub(80)..(at + 80).min(text.len())].to_owned()
}

async fn hostile_article(site: &LiveSite) {
    article("hostile")
        .en(TITLE, BODY)
        .zh("港口<script>alert('zt')</script>", ZH_BODY)
        .create(site.store())
        .await;
    site.state.page_cache().invalidate();
    duizhao::editorial::index_article(site.store(), site.state.search(), "hostile")
        .await
        .unwrap();
}

async fn hostile_text_is_inert_on_every_page(site: &LiveSite) {
    hostile_article(site).await;
    let mut paths = Vec::new();
    for edition in ["en", "zh-hans", "zh-hant"] {
        paths.push(format!("/{edition}/"));
        paths.push(format!("/{edition}/articles/hostile"));
        for mode in ["en", "zh", "dual"] {
            paths.push(format!("/{edition}/articles/hostile/{mode}"));
        }
        paths.push(format!("/{edition}/search?q=harbour"));
        paths.push(format!("/{edition}/search?q=%E6%B8%AF%E5%8F%A3"));
        paths.push(format!(
            "/{edition}/search?q=%3Cscript%3Ealert(1)%3C/script%3E"
        ));
    }
    for path in &paths {
        let r = site.get(path).await;
        if r.status == 301 || r.status == 302 {
            continue;
        }
        assert_eq!(r.status, 200, "{path}");
        assert_inert(path, &r.text());
    }
    // The text is there, as text.
    let page = site.get("/en/articles/hostile").await.text();
    assert!(page.contains("&lt;script&gt;alert"), "escaped, not dropped");
}

async fn hostile_text_is_inert_in_feeds_and_the_api(site: &LiveSite) {
    hostile_article(site).await;
    for edition in ["en", "zh-hant"] {
        for feed in ["feed.atom", "feed.rss", "dual/feed.atom"] {
            let path = format!("/{edition}/{feed}");
            let xml = site.get(&path).await.text();
            assert_feed_inert(&path, &xml);
        }
        let path = format!("/{edition}/feed.json");
        let json: serde_json::Value = serde_json::from_str(&site.get(&path).await.text()).unwrap();
        for item in json["items"].as_array().unwrap() {
            assert_inert(&path, item["content_html"].as_str().unwrap());
        }
    }
    // The API answers JSON that no browser will take for a page.
    let r = site.get("/api/v1/articles/hostile").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/json"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let mut html = Vec::new();
    html_fields(&json, &mut html);
    assert!(!html.is_empty(), "the API carries rendered blocks");
    for field in html {
        assert_inert("the API's rendered HTML", &field);
    }
}

async fn hostile_text_is_inert_in_the_back_office(site: &LiveSite) {
    hostile_article(site).await;
    site.add_user("ed", Role::Editor).await;
    let cookie = site.sign_in("ed", PASSWORD, "").await.unwrap();
    let mut paths = vec![
        "/admin/".to_owned(),
        "/admin/articles/hostile".to_owned(),
        "/admin/articles/hostile/pairing".to_owned(),
        "/admin/articles/hostile/revisions".to_owned(),
    ];
    for edition in ["en", "zh-hans", "zh-hant"] {
        for mode in ["en", "zh", "dual"] {
            paths.push(format!("/admin/articles/hostile/preview/{edition}/{mode}"));
        }
    }
    for path in &paths {
        let r = site.get_with(path, &[("Cookie", &cookie)]).await;
        assert_eq!(r.status, 200, "{path}");
        assert_inert(path, &r.text());
    }
}

/// The static export writes the same pages to files: the same escaping.
#[tokio::test]
async fn hostile_text_is_inert_in_the_static_export() {
    let site = crate::common::demo_site(|_| {}).await;
    article("hostile")
        .en(TITLE, BODY)
        .zh("港口", ZH_BODY)
        .published("2026-11-01T00:00:00Z")
        .create(site.state.store())
        .await;
    let _ = now();
    let out = tempfile::tempdir().unwrap();
    duizhao::export::write_site(&site.state, out.path(), &|_| {})
        .await
        .unwrap();
    let mut checked = 0;
    for entry in walk(out.path()) {
        let name = entry.to_string_lossy().into_owned();
        if name.ends_with(".html")
            || name.ends_with(".xml")
            || name.ends_with(".atom")
            || name.ends_with(".rss")
        {
            let text = std::fs::read_to_string(&entry).unwrap();
            if name.ends_with(".html") {
                assert_inert(&name, &text);
            } else {
                assert_feed_inert(&name, &text);
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} files checked");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

crate::on_both_live!(
    hostile_text_is_inert_on_every_page,
    hostile_text_is_inert_in_feeds_and_the_api,
    hostile_text_is_inert_in_the_back_office,
);
