//! Feeds: Atom, RSS and JSON Feed for each edition, topic, author and section, and the
//! parallel (中英對照) feed of each edition.
//!
//! Every feed holds the latest [`FEED_ITEMS`] published articles with their full text in the
//! edition's language, or in the language an article has when it lacks the edition's. Item ids
//! are `tag:` URIs made from the article's database id and the edition (and mode), so they
//! survive a change of slug or headline.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use jiff::Timestamp;

use super::edition as parse_edition;
use crate::content::markdown::{Block, escape};
use crate::content::{Article, Edition, EditionText, Language, Mode, Status};
use crate::store::articles::ListQuery;
use crate::web::error::{WebError, WebResult};
use crate::web::feed::{Entry, Feed, FeedFormat, FeedOf, Person, absolute_urls};
use crate::web::{AppState, conditional, paths};

/// How many articles a feed holds.
pub const FEED_ITEMS: i64 = 20;

/// The date in our `tag:` URIs (RFC 4151): when the scheme was minted. Never change it, or
/// every reader sees every item again.
const TAG_DATE: &str = "2026";

/// `/{edition}/feed.{atom,rss,json}`
pub async fn edition(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let spec = Spec {
        of: FeedOf::Edition,
        key: String::new(),
        title: state.site_name(edition).to_owned(),
        description: state.ui(edition).footer_about.clone(),
        page: paths::home(edition),
    };
    serve(&state, edition, &uri, &headers, spec).await
}

/// `/{edition}/dual/feed.{atom,rss,json}`: articles with English and Chinese paired.
pub async fn parallel(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let ui = state.ui(edition);
    let spec = Spec {
        of: FeedOf::Parallel,
        key: ":dual".to_owned(),
        title: format!("{} · {}", state.site_name(edition), ui.mode_parallel),
        description: ui.footer_about.clone(),
        page: paths::home(edition),
    };
    serve(&state, edition, &uri, &headers, spec).await
}

/// `/{edition}/topics/{slug}/feed.{atom,rss,json}`
pub async fn topic(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let topic = state
        .store()
        .topic(&slug)
        .await?
        .ok_or(WebError::page_not_found(edition))?;
    let spec = Spec {
        of: FeedOf::Topic(&topic.slug),
        key: format!(":topic-{}", topic.id.0),
        title: titled(&state, edition, topic.name.get(edition)),
        description: state.ui(edition).footer_about.clone(),
        page: paths::topic(edition, &topic.slug),
    };
    serve(&state, edition, &uri, &headers, spec).await
}

/// `/{edition}/authors/{slug}/feed.{atom,rss,json}`
pub async fn author(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let author = state
        .store()
        .author(&slug)
        .await?
        .ok_or(WebError::page_not_found(edition))?;
    let spec = Spec {
        of: FeedOf::Author(&author.slug),
        key: format!(":author-{}", author.id.0),
        title: titled(&state, edition, author.name.get(edition)),
        description: author.bio.get(edition).to_owned(),
        page: paths::author(edition, &author.slug),
    };
    serve(&state, edition, &uri, &headers, spec).await
}

/// `/{edition}/sections/{slug}/feed.{atom,rss,json}`
pub async fn section(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let section = state
        .store()
        .section(&slug)
        .await?
        .ok_or(WebError::page_not_found(edition))?;
    let spec = Spec {
        of: FeedOf::Section(&section.slug),
        key: format!(":section-{}", section.id.0),
        title: titled(&state, edition, section.name.get(edition)),
        description: state.ui(edition).footer_about.clone(),
        page: paths::section(edition, &section.slug),
    };
    serve(&state, edition, &uri, &headers, spec).await
}

/// What one feed covers.
struct Spec<'a> {
    of: FeedOf<'a>,
    /// Appended to the feed's id: what it covers, by database id.
    key: String,
    title: String,
    description: String,
    /// The HTML page the feed follows.
    page: String,
}

fn titled(state: &AppState, edition: Edition, name: &str) -> String {
    format!("{name} | {}", state.site_name(edition))
}

async fn serve(
    state: &AppState,
    edition: Edition,
    uri: &Uri,
    headers: &HeaderMap,
    spec: Spec<'_>,
) -> WebResult {
    let format = FeedFormat::from_path(uri.path()).ok_or(WebError::page_not_found(edition))?;
    let feed = build(state, edition, format, spec).await?;
    let last_modified = feed.entries.iter().map(|e| e.updated).max();
    let body = feed.write(format)?;
    Ok(conditional::respond(
        headers,
        format.content_type(),
        body,
        last_modified,
    ))
}

/// The feed's model: the latest articles of the spec's list, each read whole.
async fn build(
    state: &AppState,
    edition: Edition,
    format: FeedFormat,
    spec: Spec<'_>,
) -> WebResult<Feed> {
    let now = Timestamp::now();
    let store = state.store();
    let summaries = store
        .list_published_items(&ListQuery::new(spec.of.filter(), edition, now, FEED_ITEMS))
        .await?;
    let mut entries = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let Some(article) = store.article(&summary.slug, edition.chinese_text()).await? else {
            continue; // deleted since the list was read
        };
        if article.status != Status::Published {
            continue;
        }
        entries.push(entry(state, edition, spec.of == FeedOf::Parallel, &article));
    }
    let tag = tag_prefix(state);
    Ok(Feed {
        id: format!("{tag}feed:{}{}", edition.code(), spec.key),
        title: spec.title,
        description: spec.description,
        lang: edition.lang_tag(),
        publisher: state.site_name(edition).to_owned(),
        page_url: state.absolute(&spec.page),
        self_url: state.absolute(&paths::feed(edition, spec.of, format)),
        updated: entries
            .iter()
            .map(|e| e.updated)
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH),
        entries,
    })
}

/// `tag:HOST,DATE:` for the site's base URL.
fn tag_prefix(state: &AppState) -> String {
    let base = &state.config().base_url;
    let host = base
        .split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    format!("tag:{host},{TAG_DATE}:")
}

/// One article as a feed item: in the edition's language (or the one it has), or paired.
fn entry(state: &AppState, edition: Edition, parallel: bool, article: &Article) -> Entry {
    let chinese = edition.chinese_text();
    let lang_tag = |l: Language| match l {
        Language::En => Edition::En.lang_tag(),
        Language::Zh => chinese.lang_tag(),
    };
    let text_of = |l: Language| match l {
        Language::En => article.en.as_ref(),
        Language::Zh => article.zh.as_ref(),
    };
    let first = if article.has(edition.language()) {
        edition.language()
    } else {
        edition.language().other()
    };
    let base = state.absolute("");
    let tag = tag_prefix(state);
    let empty = EditionText::default();
    let shown = text_of(first).unwrap_or(&empty);
    let paired = parallel && article.has(Language::En) && article.has(Language::Zh);
    let (id, mode, title, lang, body) = if paired {
        let second = text_of(first.other()).unwrap_or(&empty);
        let (en, zh) = (
            text_of(Language::En).unwrap_or(&empty),
            text_of(Language::Zh).unwrap_or(&empty),
        );
        let mut body = String::new();
        for row in &article.pairing {
            let sides = [
                (Language::En, join(&en.blocks, &row.en)),
                (Language::Zh, join(&zh.blocks, &row.zh)),
            ];
            let (a, b) = if first == Language::En {
                (&sides[0], &sides[1])
            } else {
                (&sides[1], &sides[0])
            };
            body.push_str("<section class=\"pair\">\n");
            for (l, html) in [a, b] {
                if !html.is_empty() {
                    body.push_str(&format!("<div lang=\"{}\">\n{html}</div>\n", lang_tag(*l)));
                }
            }
            body.push_str("</section>\n");
        }
        (
            format!("{tag}article-{}:{}:dual", article.id.0, edition.code()),
            Mode::Parallel,
            format!("{} / {}", shown.title, second.title),
            None,
            body,
        )
    } else {
        let mode = match first {
            Language::En => Mode::En,
            Language::Zh => Mode::Zh,
        };
        let id = if parallel {
            format!("{tag}article-{}:{}:dual", article.id.0, edition.code())
        } else {
            format!("{tag}article-{}:{}", article.id.0, edition.code())
        };
        (
            id,
            mode,
            shown.title.clone(),
            Some(lang_tag(first)),
            join(&shown.blocks, &(0..shown.blocks.len()).collect::<Vec<_>>()),
        )
    };
    let image = article
        .hero
        .as_ref()
        .map(|m| state.absolute(&paths::media(&m.path)));
    let figure = match (&image, &article.hero) {
        (Some(src), Some(hero)) => {
            let alt = hero.alt.get(if first == Language::En {
                Edition::En
            } else {
                chinese
            });
            let caption = [shown.hero_caption.as_str(), shown.hero_credit.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let caption = if caption.is_empty() {
                String::new()
            } else {
                format!("<figcaption>{}</figcaption>", escape(&caption))
            };
            format!(
                "<figure><img src=\"{}\" alt=\"{}\">{caption}</figure>\n",
                escape(src),
                escape(alt)
            )
        }
        _ => String::new(),
    };
    let published = article.published_at.unwrap_or(article.updated_at);
    let mut categories = Vec::new();
    if let Some(s) = &article.section {
        categories.push(s.name.get(edition).to_owned());
    }
    categories.extend(
        article
            .topics
            .iter()
            .map(|t| t.name.get(edition).to_owned()),
    );
    Entry {
        id,
        url: state.absolute(&paths::article(edition, &article.slug, mode)),
        title,
        lang,
        summary: shown.dek.clone(),
        content_html: format!("{figure}{}", absolute_urls(&base, &body)),
        image,
        published,
        updated: article.updated_at.max(published),
        authors: article
            .authors
            .iter()
            .map(|a| Person {
                name: a.name.get(edition).to_owned(),
                url: state.absolute(&paths::author(edition, &a.slug)),
            })
            .collect(),
        categories,
    }
}

/// The HTML of some blocks, in order (the plain HTML: the sentence marks are for the page's
/// script).
fn join(blocks: &[Block], indices: &[usize]) -> String {
    indices
        .iter()
        .filter_map(|&i| blocks.get(i))
        .map(|b| b.html.as_str())
        .collect()
}
