//! Sitemaps (sitemaps.org 0.9): `/sitemap.xml`, an index named in `robots.txt`, over each
//! edition's sitemaps `/sitemaps/{edition}-{n}.xml` and the news sitemap `/sitemaps/news.xml`.
//!
//! An edition's sitemaps list its home page, every section, topic and author page, and every
//! published article that has the edition's language, at its natural-mode URL (the one page a
//! crawler should index; the other modes point their canonical at it, and an article missing
//! the language would only redirect). Each URL carries `xhtml:link` alternates for every
//! enabled edition where the same page exists, and `x-default`. A sitemap holds at most
//! [`SITEMAP_URL_LIMIT`] URLs; beyond that the edition has more numbered files.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use jiff::{SignedDuration, Timestamp};

use crate::content::markdown::escape;
use crate::content::text::into_xml_safe;
use crate::content::{ArticleSummary, Edition};
use crate::store::StoreResult;
use crate::store::articles::{IndexedArticle, ListFilter, ListQuery};
use crate::web::error::{WebError, WebResult};
use crate::web::{AppState, conditional, paths};

/// The most URLs one sitemap may hold (sitemaps.org).
pub const SITEMAP_URL_LIMIT: usize = 50_000;

/// The most articles the news sitemap lists (Google News).
pub const NEWS_LIMIT: i64 = 1_000;

/// How far back the news sitemap reaches: articles of the last two days.
pub const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);

const CONTENT_TYPE: &str = "application/xml; charset=utf-8";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// `/sitemap.xml`
pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> WebResult {
    let body = sitemap_index(&state, Timestamp::now(), SITEMAP_URL_LIMIT).await?;
    Ok(conditional::respond(
        &headers,
        CONTENT_TYPE,
        into_xml_safe(body),
        None,
    ))
}

/// `/sitemaps/{file}`: `{edition}-{n}.xml` or `news.xml`.
pub async fn file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> WebResult {
    let default = state.config().editions.default;
    let now = Timestamp::now();
    let body = if file == "news.xml" {
        news_sitemap(&state, now).await?
    } else {
        let (edition, n) = parse_file_name(&file).ok_or(WebError::page_not_found(default))?;
        let edition = super::edition(&state, edition)?;
        edition_sitemap(&state, edition, n, now, SITEMAP_URL_LIMIT)
            .await?
            .ok_or(WebError::page_not_found(default))?
    };
    // Stored text that predates the input checks cannot make a sitemap unreadable.
    Ok(conditional::respond(
        &headers,
        CONTENT_TYPE,
        into_xml_safe(body),
        None,
    ))
}

/// `zh-hant-2.xml` → (`zh-hant`, 2); numbers are written without leading zeros.
fn parse_file_name(file: &str) -> Option<(&str, usize)> {
    let (edition, n) = file.strip_suffix(".xml")?.rsplit_once('-')?;
    let parsed: usize = n.parse().ok()?;
    (parsed >= 1 && parsed.to_string() == n).then_some((edition, parsed))
}

/// The sitemap index: every edition's sitemaps (as many as `limit` URLs per file needs) and
/// the news sitemap.
pub async fn sitemap_index(state: &AppState, now: Timestamp, limit: usize) -> StoreResult<String> {
    let mut out = format!("{XML_DECLARATION}<sitemapindex xmlns=\"{SITEMAP_NS}\">\n");
    for edition in state.config().editions() {
        let total = static_pages(state).await?.len() + article_count(state, edition, now).await?;
        for n in 1..=files_for(total, limit) {
            push_sitemap_entry(&mut out, &state.absolute(&paths::sitemap(edition, n)));
        }
    }
    if !news_items(state, now).await?.is_empty() {
        push_sitemap_entry(&mut out, &state.absolute(&paths::news_sitemap()));
    }
    out.push_str("</sitemapindex>\n");
    Ok(out)
}

fn push_sitemap_entry(out: &mut String, loc: &str) {
    out.push_str(&format!(
        "  <sitemap><loc>{}</loc></sitemap>\n",
        escape(loc)
    ));
}

/// How many files `total` URLs need at `limit` per file (at least one: an edition always has
/// its home page).
fn files_for(total: usize, limit: usize) -> usize {
    total.div_ceil(limit.max(1)).max(1)
}

/// A URL in a sitemap with its alternates.
struct UrlEntry {
    path: String,
    lastmod: Option<Timestamp>,
    /// `(hreflang, path)`, `x-default` last.
    alternates: Vec<(&'static str, String)>,
}

/// The `n`th sitemap (from 1) of an edition at `limit` URLs per file, or `None` past the
/// last.
pub async fn edition_sitemap(
    state: &AppState,
    edition: Edition,
    n: usize,
    now: Timestamp,
    limit: usize,
) -> StoreResult<Option<String>> {
    let limit = limit.max(1);
    let statics = static_pages(state).await?;
    let articles = article_count(state, edition, now).await?;
    let total = statics.len() + articles;
    if n == 0 || n > files_for(total, limit) {
        return Ok(None);
    }
    let start = (n - 1) * limit;
    let end = (start + limit).min(total);
    let mut entries: Vec<UrlEntry> = Vec::new();
    for page in statics.iter().take(end).skip(start) {
        entries.push(UrlEntry {
            path: page(edition),
            lastmod: None,
            alternates: alternates(state, &|e| Some(page(e))),
        });
    }
    let first_article = start.max(statics.len()) - statics.len();
    let wanted = end.saturating_sub(start.max(statics.len()));
    if wanted > 0 {
        let listed = state
            .store()
            .published_index(now, edition.language(), first_article as i64, wanted as i64)
            .await?;
        for a in &listed {
            entries.push(article_entry(state, edition, a));
        }
    }

    let mut out =
        format!("{XML_DECLARATION}<urlset xmlns=\"{SITEMAP_NS}\" xmlns:xhtml=\"{XHTML_NS}\">\n");
    for entry in entries {
        out.push_str("  <url>\n");
        out.push_str(&format!(
            "    <loc>{}</loc>\n",
            escape(&state.absolute(&entry.path))
        ));
        if let Some(t) = entry.lastmod {
            out.push_str(&format!("    <lastmod>{t}</lastmod>\n"));
        }
        for (lang, path) in &entry.alternates {
            out.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>\n",
                escape(&state.absolute(path))
            ));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    Ok(Some(out))
}

type PagePath = Box<dyn Fn(Edition) -> String + Send + Sync>;

/// The edition's pages that are not articles: home, then sections, topics and authors (they
/// exist in every edition).
async fn static_pages(state: &AppState) -> StoreResult<Vec<PagePath>> {
    let store = state.store();
    let mut pages: Vec<PagePath> = vec![Box::new(paths::home)];
    for s in store.sections().await? {
        pages.push(Box::new(move |e| paths::section(e, &s.slug)));
    }
    for t in store.topics().await? {
        pages.push(Box::new(move |e| paths::topic(e, &t.slug)));
    }
    for a in store.authors().await? {
        pages.push(Box::new(move |e| paths::author(e, &a.slug)));
    }
    Ok(pages)
}

async fn article_count(state: &AppState, edition: Edition, now: Timestamp) -> StoreResult<usize> {
    let n = state
        .store()
        .published_index_count(now, edition.language())
        .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

fn article_entry(state: &AppState, edition: Edition, a: &IndexedArticle) -> UrlEntry {
    let natural = |e: Edition| {
        a.has(e.language())
            .then(|| paths::article(e, &a.slug, crate::content::Mode::natural(e)))
    };
    UrlEntry {
        path: natural(edition).unwrap_or_default(),
        lastmod: Some(a.updated_at),
        alternates: alternates(state, &natural),
    }
}

/// The page in every enabled edition where it exists, then `x-default`: the default edition's
/// page, or the first edition's that has it.
fn alternates(
    state: &AppState,
    path_in: &dyn Fn(Edition) -> Option<String>,
) -> Vec<(&'static str, String)> {
    let config = state.config();
    let mut out: Vec<(&'static str, String)> = config
        .editions()
        .into_iter()
        .filter_map(|e| path_in(e).map(|p| (e.lang_tag(), p)))
        .collect();
    let default = path_in(config.editions.default).or_else(|| out.first().map(|(_, p)| p.clone()));
    if let Some(p) = default {
        out.push(("x-default", p));
    }
    out
}

/// The news sitemap: articles published in the last [`NEWS_WINDOW`], in each edition whose
/// language they have, at most [`NEWS_LIMIT`] in all, newest first within an edition. With
/// nothing that recent it is an empty `<urlset>`, which the index then leaves out (the
/// protocol wants at least one URL in a sitemap).
pub async fn news_sitemap(state: &AppState, now: Timestamp) -> StoreResult<String> {
    let mut out =
        format!("{XML_DECLARATION}<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">\n");
    for (edition, a) in news_items(state, now).await? {
        out.push_str(&format!(
            "  <url>\n    <loc>{loc}</loc>\n    <news:news>\n      <news:publication>\n        \
             <news:name>{name}</news:name>\n        <news:language>{lang}</news:language>\n      \
             </news:publication>\n      <news:publication_date>{date}</news:publication_date>\n      \
             <news:title>{title}</news:title>\n    </news:news>\n  </url>\n",
            loc = escape(&state.absolute(&paths::article(
                edition,
                &a.slug,
                crate::content::Mode::natural(edition)
            ))),
            name = escape(state.site_name(edition)),
            lang = news_language(edition),
            date = crate::web::page::iso(state, a.published_at),
            title = escape(&a.title),
        ));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// The news sitemap's articles, each with the edition it is listed in.
async fn news_items(
    state: &AppState,
    now: Timestamp,
) -> StoreResult<Vec<(Edition, ArticleSummary)>> {
    let mut out = Vec::new();
    let from = now - NEWS_WINDOW;
    for edition in state.config().editions() {
        let room = NEWS_LIMIT - out.len() as i64;
        if room <= 0 {
            break;
        }
        let items = state
            .store()
            .list_published_items(&ListQuery::new(
                ListFilter::Between(from, now + SignedDuration::from_secs(1)),
                edition,
                now,
                room,
            ))
            .await?;
        // Only where the article has the edition's language: the title must be in it.
        out.extend(
            items
                .into_iter()
                .filter(|a| a.text_edition == edition)
                .map(|a| (edition, a)),
        );
    }
    Ok(out)
}

/// The language code Google News expects: ISO 639, with `zh-cn` and `zh-tw` for the scripts.
fn news_language(edition: Edition) -> &'static str {
    match edition {
        Edition::En => "en",
        Edition::ZhHans => "zh-cn",
        Edition::ZhHant | Edition::ZhTw | Edition::ZhHk => "zh-tw",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(parse_file_name("en-1.xml"), Some(("en", 1)));
        assert_eq!(parse_file_name("zh-hant-12.xml"), Some(("zh-hant", 12)));
        for bad in [
            "en-0.xml",
            "en-01.xml",
            "en.xml",
            "en-1.txt",
            "en-x.xml",
            "-1.xml",
        ] {
            assert!(
                parse_file_name(bad).is_none_or(|(e, _)| e.is_empty()),
                "{bad}"
            );
        }
        assert_eq!(files_for(0, 10), 1);
        assert_eq!(files_for(10, 10), 1);
        assert_eq!(files_for(11, 10), 2);
    }
}
