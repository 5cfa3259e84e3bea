//! The public site as static files (`duizhao export --static DIR`).
//!
//! The export is rendered by the real router, in process, so that it is exactly what readers of
//! the running site see: no second renderer to drift from the first. It is a crawl: from `/`,
//! every edition's home, `robots.txt`, the sitemaps (which list every page a search engine
//! should find, including articles no page links to any more) and the not-found page, every
//! link to the site in every page, sitemap and feed is followed until nothing new turns up. So every edition and
//! reading mode, every page of every list, the archive, feeds, static files and media are
//! exported because the site links to them, and nothing the site does not link to is.
//!
//! [`files`] says where each URL goes and how exported files link to each other; [`html`]
//! rewrites pages and writes the pages that stand in for redirects. What a static host cannot
//! do is left out and said so: no search and no text-size buttons (their forms are removed),
//! no language negotiation at `/` (it refreshes to the default edition and lists the others).
//! `404.html` is the not-found page, which most static hosts serve for a missing file. The
//! back office, `/prefs` and `/healthz` stay on the server: a link to them is made absolute,
//! never followed.

pub mod files;
pub mod html;

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{Request, StatusCode};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::web::{AppState, build_app, paths};
pub use files::SiteUrl;

/// How many pages render at once: enough to keep both cores busy while one page waits for the
/// database or the disk.
const PARALLEL: usize = 4;

/// A path no route serves, in the default edition: its answer is the not-found page.
const NOT_FOUND_PROBE: &str = "__duizhao-export-not-found__";

/// What an export wrote.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// HTML pages rendered by the site (the not-found page included).
    pub pages: usize,
    /// Pages written in place of redirects.
    pub redirects: usize,
    /// Other files: feeds, sitemaps, `robots.txt`, static files, media.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Links of the site to URLs it answers 404 or 410 for: `(target, linked from)`. The live
    /// site has the same broken links; the export reports them rather than hiding them.
    pub missing: Vec<(SiteUrl, SiteUrl)>,
}

/// How far the crawl is.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// URLs exported.
    pub done: usize,
    /// URLs found so far (the total grows as pages are read).
    pub found: usize,
}

/// What one export task reports.
#[derive(Debug)]
enum Outcome {
    Page { bytes: u64, links: Vec<SiteUrl> },
    Redirect { bytes: u64, to: SiteUrl },
    File { bytes: u64, links: Vec<SiteUrl> },
    Missing,
}

/// What every export task needs.
#[derive(Debug)]
struct Shared {
    app: Router,
    out: PathBuf,
    base_url: String,
    /// The publication's name in the default edition, for redirect pages.
    title: String,
    /// Every edition's home, its name and language: offered by the page at `/`.
    editions: Vec<(SiteUrl, String, &'static str)>,
}

/// Exports the site of `state` into the existing directory `out`, calling `progress` after
/// each URL. Fails on the first URL the site cannot render (a 5xx, a redirect off the site),
/// naming it and the page that links to it.
pub async fn write_site(
    state: &AppState,
    out: &Path,
    progress: &(dyn Fn(Progress) + Sync),
) -> anyhow::Result<Summary> {
    let config = state.config();
    let default = config.editions.default;
    let context = Arc::new(Shared {
        app: build_app(state.clone()),
        out: out.to_owned(),
        base_url: config.base_url.clone(),
        title: state.site_name(default).to_owned(),
        editions: config
            .editions()
            .into_iter()
            .map(|e| {
                let home = SiteUrl::from_path(&paths::home(e)).expect("home paths are paths");
                (home, e.native_name().to_owned(), e.lang_tag())
            })
            .collect(),
    });
    let mut summary = Summary::default();
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    let root = SiteUrl::from_path("/").expect("a path");
    let mut seeds = vec![root.clone()];
    seeds.extend(context.editions.iter().map(|(home, _, _)| home.clone()));
    seeds.extend(
        ["/robots.txt", &paths::sitemap_index()]
            .into_iter()
            .filter_map(SiteUrl::from_path),
    );
    // The old addresses of renamed and merged topics, authors and sections, which nothing
    // links to any more: each becomes a page that leads to the new one, as the server's 301.
    for kind in crate::store::taxonomy::TaxonomyKind::ALL {
        for old in state.store().old_slugs(kind).await? {
            for edition in config.editions() {
                seeds.extend(SiteUrl::from_path(&paths::taxonomy(kind, edition, &old)));
            }
        }
    }
    let (bytes, links) = not_found_page(&context, default.code()).await?;
    summary.pages += 1;
    summary.bytes += bytes;
    seeds.extend(links);
    for url in seeds.into_iter().filter(SiteUrl::is_public) {
        if seen.insert(url.clone()) {
            queue.push_back((url, root.clone()));
        }
    }

    let mut tasks = JoinSet::new();
    let mut done = 0;
    loop {
        while tasks.len() < PARALLEL {
            let Some((url, from)) = queue.pop_front() else {
                break;
            };
            let context = context.clone();
            tasks.spawn(async move {
                let outcome = export_one(&context, &url)
                    .await
                    .with_context(|| format!("exporting {url} (linked from {from})"));
                (url, from, outcome)
            });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (url, from, outcome) = joined.context("an export task panicked")?;
        let links = match outcome? {
            Outcome::Page { bytes, links } => {
                summary.pages += 1;
                summary.bytes += bytes;
                links
            }
            Outcome::File { bytes, links } => {
                summary.files += 1;
                summary.bytes += bytes;
                links
            }
            Outcome::Redirect { bytes, to } => {
                summary.redirects += 1;
                summary.bytes += bytes;
                vec![to]
            }
            Outcome::Missing => {
                summary.missing.push((url.clone(), from));
                Vec::new()
            }
        };
        for link in links.into_iter().filter(SiteUrl::is_public) {
            if seen.insert(link.clone()) {
                queue.push_back((link, url.clone()));
            }
        }
        done += 1;
        progress(Progress {
            done,
            found: seen.len(),
        });
    }
    summary.missing.sort();
    Ok(summary)
}

/// Renders one URL and writes its file.
async fn export_one(context: &Shared, url: &SiteUrl) -> anyhow::Result<Outcome> {
    let file = url.file()?;
    let (status, response) = get(&context.app, &url.request_uri()).await?;
    if status.is_redirection() {
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some((to, _)) = SiteUrl::parse(location, &context.base_url) else {
            bail!("the site redirects to {location:?}, which is not a page of the site");
        };
        let choices: &[_] = if url.request_uri() == "/" {
            &context.editions
        } else {
            &[]
        };
        let page = html::redirect_page(url, &to, &context.base_url, &context.title, choices);
        let bytes = write(&context.out, &file, page.as_bytes()).await?;
        return Ok(Outcome::Redirect { bytes, to });
    }
    if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
        return Ok(Outcome::Missing);
    }
    if !status.is_success() {
        bail!("the site answered {status}");
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .context("cannot read the response")?;
    if url.is_page() {
        if !content_type.starts_with("text/html") {
            bail!("expected an HTML page, the site answered {content_type:?}");
        }
        let text = std::str::from_utf8(&body).context("the page is not UTF-8")?;
        let page = html::rewrite_page(text, url, &context.base_url, None)?;
        let bytes = write(&context.out, &file, page.html.as_bytes()).await?;
        return Ok(Outcome::Page {
            bytes,
            links: page.links,
        });
    }
    // Sitemaps and feeds name pages by absolute URL: each must be in the export too.
    let links = if content_type.contains("json") {
        json_feed_links(&body, &context.base_url).context("cannot read the JSON feed")?
    } else if content_type.contains("xml") {
        xml_links(&body, &context.base_url).context("cannot read the XML")?
    } else {
        Vec::new()
    };
    let bytes = write(&context.out, &file, &body).await?;
    Ok(Outcome::File { bytes, links })
}

/// Writes `404.html`: the not-found page of the default edition, linking from the public
/// root (see [`html::rewrite_page`]), since hosts serve it in place of a file at any depth.
async fn not_found_page(context: &Shared, edition: &str) -> anyhow::Result<(u64, Vec<SiteUrl>)> {
    let probe = format!("/{edition}/{NOT_FOUND_PROBE}");
    let (status, response) = get(&context.app, &probe).await?;
    if status != StatusCode::NOT_FOUND {
        bail!("{probe}: expected the not-found page, the site answered {status}");
    }
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .with_context(|| format!("{probe}: cannot read the response"))?;
    let text = std::str::from_utf8(&body).with_context(|| format!("{probe}: not UTF-8"))?;
    let root = SiteUrl::from_path("/").expect("a path");
    let page = html::rewrite_page(text, &root, &context.base_url, Some(&context.base_url))?;
    let bytes = write(&context.out, Path::new("404.html"), page.html.as_bytes()).await?;
    Ok((bytes, page.links))
}

async fn get(app: &Router, uri: &str) -> anyhow::Result<(StatusCode, axum::response::Response)> {
    let request = Request::get(uri)
        .body(Body::empty())
        .with_context(|| format!("{uri} is not a valid request URI"))?;
    let response = app.clone().oneshot(request).await.map_err(|e| match e {})?;
    Ok((response.status(), response))
}

/// Writes a file of the export, making its directory; returns its size.
async fn write(out: &Path, file: &Path, bytes: &[u8]) -> anyhow::Result<u64> {
    let path = out.join(file);
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    tokio::fs::write(&path, bytes)
        .await
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bytes.len() as u64)
}

/// The site URLs a sitemap, a sitemap index or an Atom or RSS feed names: the text of every
/// `<loc>`, `<link>` and `<guid>`, and the `href` of every `<link>` (Atom links, sitemaps'
/// `xhtml:link` alternates).
pub fn xml_links(xml: &[u8], base_url: &str) -> anyhow::Result<Vec<SiteUrl>> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(xml).context("not UTF-8")?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut links = Vec::new();
    const URL_ELEMENTS: [&[u8]; 3] = [b"loc", b"link", b"guid"];
    let mut in_loc = false;
    let mut loc = String::new();
    let mut push = |value: &str| {
        if let Some((url, _)) = SiteUrl::parse(value, base_url) {
            links.push(url);
        }
    };
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .with_context(|| format!("at byte {position}"))?;
        match event {
            Event::Start(e) if URL_ELEMENTS.contains(&e.local_name().as_ref()) => {
                in_loc = true;
                loc.clear();
                if let Some(href) = e.try_get_attribute("href")? {
                    push(&href.normalized_value(quick_xml::XmlVersion::Implicit1_0)?);
                }
            }
            Event::End(e) if URL_ELEMENTS.contains(&e.local_name().as_ref()) => {
                in_loc = false;
                push(&loc);
            }
            Event::Text(t) if in_loc => loc.push_str(&t.decode()?),
            Event::GeneralRef(r) if in_loc => {
                let name = r.decode()?;
                match r.resolve_char_ref()? {
                    Some(c) => loc.push(c),
                    None => loc.push_str(
                        quick_xml::escape::resolve_predefined_entity(&name).with_context(|| {
                            format!("unknown entity &{name}; at byte {position}")
                        })?,
                    ),
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == b"link" => {
                if let Some(href) = e.try_get_attribute("href")? {
                    push(&href.normalized_value(quick_xml::XmlVersion::Implicit1_0)?);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(links)
}

/// The site URLs a JSON Feed names: its own and its home page's, and each item's page and
/// images.
pub fn json_feed_links(json: &[u8], base_url: &str) -> anyhow::Result<Vec<SiteUrl>> {
    const URL_KEYS: [&str; 8] = [
        "home_page_url",
        "feed_url",
        "url",
        "external_url",
        "image",
        "banner_image",
        "icon",
        "favicon",
    ];
    let feed: serde_json::Value = serde_json::from_slice(json)?;
    let mut links = Vec::new();
    let mut objects = vec![&feed];
    while let Some(value) = objects.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match v {
                        serde_json::Value::String(s) if URL_KEYS.contains(&key.as_str()) => {
                            links.extend(SiteUrl::parse(s, base_url).map(|(url, _)| url));
                        }
                        _ => objects.push(v),
                    }
                }
            }
            serde_json::Value::Array(items) => objects.extend(items),
            _ => {}
        }
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_give_their_links() {
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><id>https://news.example/en/</id>
<link rel="self" href="https://news.example/en/feed.atom"/>
<entry><link href="https://news.example/en/articles/a"/><content type="html">&lt;a href="/x"&gt;</content></entry></feed>"#;
        let rss = br#"<rss><channel><link>https://news.example/en/</link>
<item><link>https://news.example/en/articles/b</link><guid isPermaLink="false">urn:x</guid></item></channel></rss>"#;
        let json = br#"{"home_page_url": "https://news.example/en/", "title": "https://news.example/not-a-link",
"items": [{"url": "https://news.example/en/articles/c", "image": "https://news.example/media/c.jpg"}]}"#;
        let show = |links: Vec<SiteUrl>| {
            let mut links: Vec<String> = links.iter().map(ToString::to_string).collect();
            links.sort();
            links
        };
        let base = "https://news.example";
        assert_eq!(
            show(xml_links(atom, base).unwrap()),
            ["/en/articles/a", "/en/feed.atom"]
        );
        assert_eq!(
            show(xml_links(rss, base).unwrap()),
            ["/en/", "/en/articles/b"]
        );
        assert_eq!(
            show(json_feed_links(json, base).unwrap()),
            ["/en/", "/en/articles/c", "/media/c.jpg"]
        );
    }

    #[test]
    fn sitemaps_give_their_locations_and_alternates() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>https://news.example/en/articles/a?page=2&amp;x=1</loc>
<xhtml:link rel="alternate" hreflang="zh-Hans" href="https://news.example/zh-hans/articles/a"/></url>
<url><loc>https://elsewhere.example/en/</loc></url>
</urlset>"#;
        let links: Vec<String> = xml_links(xml, "https://news.example")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(links, ["/en/articles/a?page=2", "/zh-hans/articles/a"]);
        let err = xml_links(b"<urlset><loc>&nope;</loc>", "https://news.example").unwrap_err();
        assert!(format!("{err:#}").contains("nope"), "{err:#}");
    }
}
