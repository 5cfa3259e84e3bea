//! Where each URL of the site goes in the export, and how one exported file links to another.
//!
//! Every link in the export names a file, never a directory: `/en/` is `en/index.html` and
//! `/en/articles/x` is `en/articles/x.html`, so that the export works the same on any static
//! host and when opened from the disk (`file://` shows a directory listing for `en/`, and
//! hosts differ in whether `/en/articles/x` finds `x.html` or `x/index.html`). A list's later
//! pages (`?page=3`, which no static host can tell apart) are files of their own:
//! `/en/topics/x?page=3` is `en/topics/x/page/3.html`; no route of the site has a `page`
//! segment in those places, so these names cannot collide with a real page.
//!
//! Files whose name already says what they are keep it: `/static/…`, `/media/…`, sitemaps,
//! `robots.txt` and feeds (`feed.atom`, `feed.rss`, `feed.json`), because hosts pick the
//! content type from the extension. The rule follows the route table in `web/routes.rs`.

use std::path::PathBuf;

use anyhow::bail;
use percent_encoding::percent_decode_str;

/// A URL of the site as the router serves it: the path, percent-encoded as links carry it,
/// and the page of a paged list. Other query parameters do not change what is exported (the
/// static files' `?v=` version, say) and are dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteUrl {
    path: String,
    page: Option<u32>,
}

/// Last segments of feeds, which keep their names.
const FEEDS: [&str; 3] = ["feed.atom", "feed.rss", "feed.json"];
/// First segments under which every file keeps its name.
const FILE_TREES: [&str; 3] = ["static", "media", "sitemaps"];
/// First segments of what only a server can answer.
const SERVER_ONLY: [&str; 3] = ["admin", "prefs", "healthz"];
/// Files at the root that keep their names.
const ROOT_FILES: [&str; 2] = ["/robots.txt", "/sitemap.xml"];

impl SiteUrl {
    /// The URL of a root-relative path (`/en/`); `None` when it is not one.
    pub fn from_path(path: &str) -> Option<SiteUrl> {
        Self::parse(path, "").map(|(url, _)| url)
    }

    /// The site URL a link found in the site's output points to, and its fragment: a
    /// root-relative path (`/en/…`) or an absolute URL under `base_url`. `None` for anything
    /// else: another site, `//host/…`, a relative or `mailto:` link, a bare `#fragment`, or a
    /// path with empty, `.` or `..` segments (which the router never produces).
    pub fn parse(link: &str, base_url: &str) -> Option<(SiteUrl, Option<String>)> {
        let link = link.trim();
        let rest = match link.strip_prefix(base_url) {
            Some(rest) if !base_url.is_empty() => match rest.chars().next() {
                None | Some('?' | '#') => format!("/{rest}"),
                Some('/') => rest.to_owned(),
                Some(_) => return None,
            },
            _ => link.to_owned(),
        };
        if !rest.starts_with('/') || rest.starts_with("//") || rest.starts_with("/\\") {
            return None;
        }
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f.to_owned())),
            None => (rest.as_str(), None),
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let inner = path[1..].strip_suffix('/').unwrap_or(&path[1..]);
        if !inner.is_empty()
            && inner
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return None;
        }
        let page = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse::<u32>().ok())
            .filter(|n| *n > 1);
        Some((
            SiteUrl {
                path: path.to_owned(),
                page,
            },
            fragment,
        ))
    }

    /// Whether the URL belongs in the public site: not the back office, the preference form
    /// or the health check, which only a server can answer.
    pub fn is_public(&self) -> bool {
        let first = self.path[1..].split('/').next().unwrap_or("");
        !SERVER_ONLY.contains(&first)
    }

    /// Whether this is a list's second or later page.
    pub fn is_paged(&self) -> bool {
        self.page.is_some()
    }

    /// What to ask the router for.
    pub fn request_uri(&self) -> String {
        match self.page {
            Some(n) => format!("{}?page={n}", self.path),
            None => self.path.clone(),
        }
    }

    /// Whether the export writes an HTML page for this URL (rather than a file that keeps its
    /// name).
    pub fn is_page(&self) -> bool {
        let last = self.path.rsplit('/').next().unwrap_or("");
        let first = self.path[1..].split('/').next().unwrap_or("");
        let keeps_name = ROOT_FILES.contains(&self.path.as_str())
            || FEEDS.contains(&last)
            || (FILE_TREES.contains(&first) && !self.path.ends_with('/'));
        !keeps_name
    }

    /// The file's path from the export root, segment by segment, percent-encoded as a link
    /// would carry it.
    fn link_segments(&self) -> Vec<String> {
        let mut segments: Vec<String> = self.path[1..].split('/').map(str::to_owned).collect();
        if !self.is_page() {
            return segments;
        }
        let last = segments.pop().unwrap_or_default();
        match self.page {
            Some(n) => {
                if !last.is_empty() {
                    segments.push(last);
                }
                segments.push("page".to_owned());
                segments.push(format!("{n}.html"));
            }
            None if last.is_empty() => segments.push("index.html".to_owned()),
            None => segments.push(format!("{last}.html")),
        }
        segments
    }

    /// The file's path from the export root. An error when a segment would not make a plain
    /// file name (`..` once decoded, a slash, a NUL, bytes that are not UTF-8).
    pub fn file(&self) -> anyhow::Result<PathBuf> {
        let mut file = PathBuf::new();
        for segment in self.link_segments() {
            let decoded = percent_decode_str(&segment).decode_utf8().map_err(|_| {
                anyhow::anyhow!("{}: a path segment is not UTF-8", self.request_uri())
            })?;
            if decoded.is_empty()
                || decoded == "."
                || decoded == ".."
                || decoded.contains(['/', '\\', '\0'])
            {
                bail!("{}: {decoded:?} cannot be a file name", self.request_uri());
            }
            file.push(&*decoded);
        }
        Ok(file)
    }

    /// The relative link from this URL's file to `target`'s file, with a fragment if given.
    pub fn link_to(&self, target: &SiteUrl, fragment: Option<&str>) -> String {
        let from = self.link_segments();
        let to = target.link_segments();
        let from_dir = &from[..from.len() - 1];
        let to_dir = &to[..to.len() - 1];
        let common = from_dir
            .iter()
            .zip(to_dir)
            .take_while(|(a, b)| a == b)
            .count();
        let mut link = "../".repeat(from_dir.len() - common);
        link.push_str(&to[common..].join("/"));
        if let Some(f) = fragment {
            link.push('#');
            link.push_str(f);
        }
        link
    }
}

impl std::fmt::Display for SiteUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.request_uri())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://news.example";

    fn url(link: &str) -> SiteUrl {
        SiteUrl::parse(link, BASE).expect(link).0
    }

    fn file(link: &str) -> String {
        url(link).file().unwrap().display().to_string()
    }

    #[test]
    fn pages_become_html_files_and_other_files_keep_their_names() {
        assert_eq!(file("/"), "index.html");
        assert_eq!(file("/en/"), "en/index.html");
        assert_eq!(file("/en"), "en.html");
        assert_eq!(file("/en/articles/x"), "en/articles/x.html");
        assert_eq!(file("/en/articles/x/dual"), "en/articles/x/dual.html");
        assert_eq!(file("/en/archive/"), "en/archive/index.html");
        assert_eq!(file("/en/archive/2026/03"), "en/archive/2026/03.html");
        assert_eq!(file("/en/?page=2"), "en/page/2.html");
        assert_eq!(file("/en/topics/t?page=3"), "en/topics/t/page/3.html");
        assert_eq!(file("/en/topics/t?page=1"), "en/topics/t.html");
        assert_eq!(file("/en/topics/t/feed.atom"), "en/topics/t/feed.atom");
        assert_eq!(file("/en/dual/feed.json"), "en/dual/feed.json");
        assert_eq!(file("/static/site.css?v=abc"), "static/site.css");
        assert_eq!(file("/media/demo/a.jpg"), "media/demo/a.jpg");
        assert_eq!(file("/sitemaps/en-1.xml"), "sitemaps/en-1.xml");
        assert_eq!(file("/sitemap.xml"), "sitemap.xml");
        assert_eq!(file("/robots.txt"), "robots.txt");
        assert_eq!(file("/en/topics/%E4%B8%AD"), "en/topics/中.html");
    }

    #[test]
    fn site_links_are_recognised_in_both_forms() {
        assert_eq!(url("https://news.example/en/"), url("/en/"));
        assert_eq!(url("https://news.example"), url("/"));
        assert!(url("/en/articles/admin").is_public());
        assert!(!url("/admin/").is_public() && !url("/prefs").is_public());
        let (u, fragment) = SiteUrl::parse("/en/articles/x#notes", BASE).unwrap();
        assert_eq!(u, url("/en/articles/x"));
        assert_eq!(fragment.as_deref(), Some("notes"));
        for other in [
            "https://news.example.org/en/",
            "https://other.example/en/",
            "//news.example/en/",
            "#main",
            "mailto:a@news.example",
            "en/",
            "/en/../x",
            "/en//x",
            "/en/./x",
        ] {
            assert!(SiteUrl::parse(other, BASE).is_none(), "{other}");
        }
    }

    #[test]
    fn segments_that_are_no_file_names_are_refused() {
        for bad in ["/en/%2e%2e/x", "/en/a%2Fb", "/en/a%00", "/en/%FF"] {
            let err = url(bad).file().unwrap_err().to_string();
            assert!(err.contains(bad), "{err}");
        }
    }

    #[test]
    fn links_are_relative_to_the_linking_file() {
        let link = |from: &str, to: &str| url(from).link_to(&url(to), None);
        assert_eq!(link("/en/", "/en/articles/x"), "articles/x.html");
        assert_eq!(link("/en/articles/x", "/en/"), "../index.html");
        assert_eq!(link("/en/articles/x", "/en/articles/y"), "y.html");
        assert_eq!(link("/en/articles/x", "/en/articles/x/zh"), "x/zh.html");
        assert_eq!(link("/en/articles/x/zh", "/en/articles/x"), "../x.html");
        assert_eq!(
            link("/en/articles/x/zh", "/zh-hans/articles/x/en"),
            "../../../zh-hans/articles/x/en.html"
        );
        assert_eq!(
            link("/en/topics/t?page=2", "/static/site.css?v=1"),
            "../../../../static/site.css"
        );
        assert_eq!(link("/en/topics/t?page=2", "/en/topics/t?page=3"), "3.html");
        assert_eq!(link("/", "/en/"), "en/index.html");
        assert_eq!(
            url("/en/").link_to(&url("/en/"), Some("main")),
            "index.html#main"
        );
    }
}
