//! The article page in its three reading modes.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use jiff::Timestamp;
use serde_json::json;

use super::edition as parse_edition;
use crate::content::{Article, Edition, EditionText, Language, Mode, Status};
use crate::store::articles::{ListFilter, ListQuery};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{self, Card, Chrome, Image, Link, json_ld};
use crate::web::prefs::{self, Prefs};
use crate::web::{AppState, paths};

/// `/{edition}/articles/{slug}`: the article in the edition's own language.
pub async fn natural(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    show(&state, edition, &slug, Mode::natural(edition), &headers).await
}

/// `/{edition}/articles/{slug}/{mode}`: another reading mode.
pub async fn in_mode(
    State(state): State<AppState>,
    Path((edition, slug, mode)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let mode = Mode::from_code(&mode).ok_or(WebError::page_not_found(edition))?;
    if mode == Mode::natural(edition) {
        // One address per page: the natural mode lives at the short URL.
        return Ok(page::moved(&paths::article(edition, &slug, mode)));
    }
    show(&state, edition, &slug, mode, &headers).await
}

/// One row of the parallel view.
#[derive(Debug)]
pub struct Row {
    /// The first column's HTML (the edition's own language).
    pub first: String,
    /// The second column's HTML.
    pub second: String,
}

/// The headline block of one language.
#[derive(Debug)]
pub struct Head {
    /// Language tag.
    pub lang: &'static str,
    /// Headline.
    pub title: String,
    /// Summary.
    pub dek: String,
}

/// The figure at the top.
#[derive(Debug)]
pub struct Figure {
    /// The image.
    pub image: Image,
    /// Caption.
    pub caption: String,
    /// Credit.
    pub credit: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage<'a> {
    chrome: Chrome<'a>,
    mode: &'static str,
    /// The language and text for single-language modes.
    body_lang: &'static str,
    head: Head,
    /// The other language's headline in parallel mode.
    second_head: Option<Head>,
    second_lang: &'static str,
    section: Option<Link>,
    bylines: Vec<Link>,
    published: String,
    published_iso: String,
    updated: Option<(String, String)>,
    topics: Vec<Link>,
    figure: Option<Figure>,
    modes: Vec<Link>,
    notice: Option<String>,
    body: String,
    rows: Vec<Row>,
    more: Vec<Card>,
    /// A back-office preview: a banner says so.
    preview: bool,
}

async fn show(
    state: &AppState,
    edition: Edition,
    slug: &str,
    mode: Mode,
    headers: &HeaderMap,
) -> WebResult {
    let prefs = Prefs::from_headers(headers);
    let chinese = edition.chinese_text();
    let now = Timestamp::now();
    let article = state
        .store()
        .article(slug, chinese)
        .await?
        .ok_or(WebError::page_not_found(edition))?;
    match article.status {
        Status::Published if article.published_at.is_some_and(|t| t <= now) => {}
        Status::Unpublished => return Err(WebError::page_gone(edition)),
        _ => return Err(WebError::page_not_found(edition)),
    }
    let public = |e: Edition, m: Mode| paths::article(e, slug, m);
    render(state, edition, &article, mode, &prefs, &public, false).await
}

/// Renders an article page, whatever the article's status: the reader's page, or (with
/// `preview`) the back office's preview of it, whose edition and mode links go through `link`
/// and which carries a banner and is never cached or indexed.
pub async fn render(
    state: &AppState,
    edition: Edition,
    article: &Article,
    mode: Mode,
    prefs: &Prefs,
    link: &(dyn Fn(Edition, Mode) -> String + Sync),
    preview: bool,
) -> WebResult {
    let slug = article.slug.as_str();
    let chinese = edition.chinese_text();
    let now = Timestamp::now();
    let (has_en, has_zh) = (article.has(Language::En), article.has(Language::Zh));
    let available = |m: Mode| m.needs().iter().all(|l| article.has(*l));
    if !available(mode) {
        let to = page::preferred_mode(edition, None, has_en, has_zh);
        return Ok(crate::web::page::found(&link(edition, to)));
    }

    let ui = state.ui(edition);
    let zh_lang = chinese.lang_tag();
    let text_of = |l: Language| -> &EditionText {
        match l {
            Language::En => article.en.as_ref(),
            Language::Zh => article.zh.as_ref(),
        }
        .expect("mode availability was checked")
    };
    let lang_of = |l: Language| match l {
        Language::En => "en",
        Language::Zh => zh_lang,
    };
    // The language the page leads with: in parallel mode, the edition's own.
    let first = match mode {
        Mode::En => Language::En,
        Mode::Zh => Language::Zh,
        Mode::Parallel => edition.language(),
    };
    let head_of = |l: Language| Head {
        lang: lang_of(l),
        title: text_of(l).title.clone(),
        dek: text_of(l).dek.clone(),
    };
    let head = head_of(first);
    let (second_head, rows, body) = if mode == Mode::Parallel {
        let (en, zh) = (text_of(Language::En), text_of(Language::Zh));
        let join = |blocks: &[crate::content::markdown::Block], idx: &[usize]| -> String {
            idx.iter()
                .filter_map(|&i| blocks.get(i))
                .map(|b| b.marked.as_deref().unwrap_or(&b.html))
                .collect()
        };
        let rows = article
            .pairing
            .iter()
            .map(|r| {
                let en_html = join(&en.blocks, &r.en);
                let zh_html = join(&zh.blocks, &r.zh);
                match first {
                    Language::En => Row {
                        first: en_html,
                        second: zh_html,
                    },
                    Language::Zh => Row {
                        first: zh_html,
                        second: en_html,
                    },
                }
            })
            .collect();
        (Some(head_of(first.other())), rows, String::new())
    } else {
        let body = text_of(first)
            .blocks
            .iter()
            .map(|b| b.html.as_str())
            .collect();
        (None, Vec::new(), body)
    };

    // The text this page shows, as it exists in each edition.
    let path = paths::article(edition, slug, mode);
    let path_in = |e: Edition| -> Option<String> {
        let m = if mode == Mode::Parallel {
            Mode::Parallel
        } else {
            Mode::natural(e)
        };
        let m = if m.needs().iter().all(|l| article.has(*l)) {
            m
        } else {
            page::preferred_mode(e, None, has_en, has_zh)
        };
        Some(link(e, m))
    };
    let mut chrome =
        Chrome::new(state, edition, prefs, &path, head.title.clone(), &path_in).await?;
    let shown = text_of(first);
    chrome.description = shown.dek.clone();
    if mode == Mode::Parallel {
        let title = format!("{} · {}", chrome.site_name, ui.mode_parallel);
        chrome.feeds.extend(crate::web::feed::feed_links(
            state,
            edition,
            crate::web::feed::FeedOf::Parallel,
            &title,
        ));
    }
    // A single-language page in the other language's edition repeats that edition's page.
    let canonical_edition = match (mode, first) {
        (Mode::Parallel, _) => edition,
        (_, Language::En) => Edition::En,
        (_, Language::Zh) if edition == Edition::En => Edition::ZhHans,
        (_, Language::Zh) => edition,
    };
    let canonical_path = paths::article(canonical_edition, slug, Mode::natural(canonical_edition));
    let canonical_path = if mode == Mode::Parallel {
        path.clone()
    } else {
        canonical_path
    };
    chrome.canonical = Some(state.absolute(&canonical_path));
    if mode != Mode::Parallel {
        // Alternates are the natural-language pages of each edition that has the text.
        chrome.alternates.retain(|a| {
            a.hreflang == "x-default"
                || match a.hreflang {
                    "en" => has_en,
                    _ => has_zh,
                }
        });
        // x-default: the default edition's page if it has that language, else the page of the
        // language the article has (never a URL that redirects).
        let default = state.config().editions.default;
        let x_default = match (default.language(), has_en, has_zh) {
            (Language::En, true, _) | (Language::Zh, _, true) => default,
            (_, true, false) => Edition::En,
            _ => Edition::ZhHans,
        };
        if let Some(x) = chrome
            .alternates
            .iter_mut()
            .find(|a| a.hreflang == "x-default")
        {
            x.href = state.absolute(&paths::article(x_default, slug, Mode::natural(x_default)));
        }
    }

    let published_at = article.published_at.unwrap_or(article.updated_at);
    let hero_image = article.hero.as_ref().map(|m| {
        let alt = m.alt.get(if first == Language::En {
            Edition::En
        } else {
            chinese
        });
        Image::of(m, alt, crate::media::srcset::HERO_SIZES)
    });
    chrome.og = vec![
        ("og:type", "article".to_owned()),
        ("og:title", shown.title.clone()),
        ("og:description", shown.dek.clone()),
        ("og:url", state.absolute(&canonical_path)),
        ("og:site_name", chrome.site_name.clone()),
        ("og:locale", chrome.og_locale().to_owned()),
        ("article:published_time", page::iso(state, published_at)),
        (
            "article:modified_time",
            page::iso(state, article.updated_at),
        ),
    ];
    if let Some(img) = &hero_image {
        chrome.og.push(("og:image", state.absolute(&img.src)));
        chrome.og.push(("og:image:alt", img.alt.clone()));
    }
    chrome.json_ld = Some(json_ld(&structured_data(
        state,
        article,
        edition,
        mode,
        first,
        &canonical_path,
        published_at,
    )));

    // The article's own caption, else the one the image has in the media library.
    let library_caption = article.hero.as_ref().map_or("", |m| {
        m.caption.get(if first == Language::En {
            Edition::En
        } else {
            chinese
        })
    });
    let figure = hero_image.map(|image| Figure {
        image,
        caption: if shown.hero_caption.trim().is_empty() {
            library_caption.to_owned()
        } else {
            shown.hero_caption.clone()
        },
        credit: shown.hero_credit.clone(),
    });
    let modes = Mode::ALL
        .into_iter()
        .filter(|m| available(*m))
        .map(|m| Link {
            label: match m {
                Mode::Zh => ui.mode_zh.clone(),
                Mode::En => ui.mode_en.clone(),
                Mode::Parallel => ui.mode_parallel.clone(),
            },
            href: link(edition, m),
            current: m == mode,
            lang: None,
        })
        .collect();
    let notice = match (has_en, has_zh) {
        (true, false) => Some(ui.only_in_english.clone()),
        (false, true) => Some(ui.only_in_chinese.clone()),
        _ => None,
    };
    let updated = (article.updated_at > published_at
        && page::format_date(state, edition, article.updated_at)
            != page::format_date(state, edition, published_at))
    .then(|| {
        (
            page::format_date(state, edition, article.updated_at),
            page::iso(state, article.updated_at),
        )
    });
    let more = state
        .store()
        .list_published_items(
            &ListQuery::new(ListFilter::All, edition, now, 6).excluding(Some(article.id)),
        )
        .await?
        .iter()
        .map(|a| Card::new(state, edition, prefs, a))
        .collect();

    let template = ArticlePage {
        mode: mode.code(),
        body_lang: lang_of(first),
        second_lang: lang_of(first.other()),
        head,
        second_head,
        section: article.section.as_ref().map(|s| Link {
            label: s.name.get(edition).to_owned(),
            href: paths::section(edition, &s.slug),
            current: false,
            lang: None,
        }),
        bylines: article
            .authors
            .iter()
            .map(|a| Link {
                label: a.name.get(edition).to_owned(),
                href: paths::author(edition, &a.slug),
                current: false,
                lang: None,
            })
            .collect(),
        published: page::format_date(state, edition, published_at),
        published_iso: page::iso(state, published_at),
        updated,
        topics: article
            .topics
            .iter()
            .map(|t| Link {
                label: t.name.get(edition).to_owned(),
                href: paths::topic(edition, &t.slug),
                current: false,
                lang: None,
            })
            .collect(),
        figure,
        modes,
        notice,
        body,
        rows,
        more,
        chrome,
        preview,
    };
    let mut response = page::respond(state, prefs, edition, &template)?;
    if preview {
        let headers = response.headers_mut();
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        headers.insert(
            "x-robots-tag",
            axum::http::HeaderValue::from_static("noindex, nofollow"),
        );
        return Ok(response);
    }
    // Remember the mode only when the reader had the choice of all three.
    if has_en && has_zh && prefs.mode != Some(mode) {
        prefs::set(
            response.headers_mut(),
            prefs::MODE,
            mode.code(),
            state.config().cookies_secure(),
        );
    }
    Ok(response)
}

fn structured_data(
    state: &AppState,
    article: &Article,
    edition: Edition,
    mode: Mode,
    first: Language,
    canonical_path: &str,
    published_at: Timestamp,
) -> serde_json::Value {
    let shown = match first {
        Language::En => article.en.as_ref(),
        Language::Zh => article.zh.as_ref(),
    }
    .expect("checked by the caller");
    let in_language = match mode {
        Mode::Parallel => json!(["en", edition.chinese_text().lang_tag()]),
        _ if first == Language::En => json!("en"),
        _ => json!(edition.chinese_text().lang_tag()),
    };
    let url = |e: Edition| state.absolute(&paths::article(e, &article.slug, Mode::natural(e)));
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": state.absolute(canonical_path),
        "mainEntityOfPage": state.absolute(canonical_path),
        "headline": shown.title,
        "description": shown.dek,
        "inLanguage": in_language,
        "datePublished": page::iso(state, published_at),
        "dateModified": page::iso(state, article.updated_at),
        "author": article.authors.iter().map(|a| json!({
            "@type": "Person",
            "name": a.name.get(edition),
            "url": state.absolute(&paths::author(edition, &a.slug)),
        })).collect::<Vec<_>>(),
        "publisher": {
            "@type": "Organization",
            "name": state.config().site.name_en,
            "url": state.absolute("/"),
        },
    });
    if let Some(hero) = &article.hero {
        data["image"] = json!(state.absolute(&paths::media(&hero.path)));
    }
    if let Some(section) = &article.section {
        data["articleSection"] = json!(section.name.get(edition));
    }
    // The English text is the work; each Chinese edition is a translation of it.
    if mode != Mode::Parallel && article.en.is_some() && article.zh.is_some() {
        match first {
            Language::En => {
                data["workTranslation"] = state
                    .config()
                    .editions()
                    .into_iter()
                    .filter(|e| e.language() == Language::Zh)
                    .map(|e| json!({"@id": url(e), "inLanguage": e.lang_tag()}))
                    .collect();
            }
            Language::Zh => {
                data["translationOfWork"] = json!({"@id": url(Edition::En), "inLanguage": "en"});
            }
        }
    }
    data
}
