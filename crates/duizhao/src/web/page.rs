//! What every page shares: the frame around the content (navigation, edition switcher, head
//! metadata) and the view models the templates show.

use askama::Template;
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::response::{Html, IntoResponse};
use jiff::Timestamp;

use super::error::WebResult;
use super::prefs::{self, Prefs};
use super::ui::Ui;
use super::{AppState, paths};
use crate::content::{ArticleSummary, Edition, Language, Media, Mode};
use crate::media::srcset;

/// A link with a label.
#[derive(Clone, Debug)]
pub struct Link {
    /// Text.
    pub label: String,
    /// Target.
    pub href: String,
    /// Whether it is the current page.
    pub current: bool,
    /// The label's language, when it differs from the page's.
    pub lang: Option<&'static str>,
}

/// A `<link rel="alternate" hreflang>`.
#[derive(Clone, Debug)]
pub struct Alternate {
    /// `en`, `zh-Hans`, …, or `x-default`.
    pub hreflang: &'static str,
    /// Absolute URL.
    pub href: String,
}

/// The frame of every page.
#[derive(Debug)]
pub struct Chrome<'a> {
    /// Strings.
    pub ui: &'a Ui,
    /// The edition.
    pub edition: Edition,
    /// `<html lang>`.
    pub lang: &'static str,
    /// The publication's name in this edition.
    pub site_name: String,
    /// `<title>`.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Absolute canonical URL.
    pub canonical: Option<String>,
    /// Language alternates.
    pub alternates: Vec<Alternate>,
    /// Feeds the page advertises: the edition's, then the page's own.
    pub feeds: Vec<super::feed::FeedLink>,
    /// The edition switcher: this page in every edition.
    pub switcher: Vec<Link>,
    /// The hot-topics bar.
    pub hot_topics: Vec<Link>,
    /// Section navigation.
    pub sections: Vec<Link>,
    /// Open Graph properties.
    pub og: Vec<(&'static str, String)>,
    /// JSON-LD, already escaped for a `<script>` element.
    pub json_ld: Option<String>,
    /// The reader's text size class.
    pub size: &'static str,
    /// This page's path (for the text-size form's return).
    pub path: String,
    /// Home page of the edition.
    pub home: String,
    /// Archive of the edition.
    pub archive: String,
    /// Whether this page is the home page.
    pub is_home: bool,
    /// The search page of the edition.
    pub search: String,
    /// Asks search engines not to index the page (search results).
    pub noindex: bool,
}

impl<'a> Chrome<'a> {
    /// The frame for a page of `edition` at `path`; `path_in` gives the same page's path in
    /// another edition (or `None` where that page does not exist there).
    pub async fn new(
        state: &'a AppState,
        edition: Edition,
        prefs: &Prefs,
        path: &str,
        title: String,
        path_in: &(dyn Fn(Edition) -> Option<String> + Sync),
    ) -> WebResult<Chrome<'a>> {
        let config = state.config();
        let ui = state.ui(edition);
        let site_name = state.site_name(edition).to_owned();
        let editions = config.editions();
        let mut alternates = Vec::new();
        let mut switcher = Vec::new();
        for e in &editions {
            let Some(p) = path_in(*e) else { continue };
            alternates.push(Alternate {
                hreflang: e.lang_tag(),
                href: state.absolute(&p),
            });
            switcher.push(Link {
                label: e.native_name().to_owned(),
                href: p,
                current: *e == edition,
                lang: Some(e.lang_tag()),
            });
        }
        if let Some(p) = path_in(config.editions.default).or_else(|| path_in(edition)) {
            alternates.push(Alternate {
                hreflang: "x-default",
                href: state.absolute(&p),
            });
        }
        let (topics, sections) = state.store().navigation().await?;
        let hot_topics = topics
            .into_iter()
            .filter(|t| t.hot)
            .map(|t| Link {
                label: t.name.get(edition).to_owned(),
                current: path == paths::topic(edition, &t.slug),
                href: paths::topic(edition, &t.slug),
                lang: None,
            })
            .collect();
        let sections = sections
            .into_iter()
            .map(|s| Link {
                label: s.name.get(edition).to_owned(),
                current: path == paths::section(edition, &s.slug),
                href: paths::section(edition, &s.slug),
                lang: None,
            })
            .collect();
        let full_title = if title.is_empty() {
            site_name.clone()
        } else {
            format!("{title} | {site_name}")
        };
        Ok(Chrome {
            ui,
            edition,
            lang: edition.lang_tag(),
            description: ui.footer_about.clone(),
            canonical: Some(state.absolute(path)),
            alternates,
            feeds: super::feed::feed_links(
                state,
                edition,
                super::feed::FeedOf::Edition,
                &site_name,
            ),
            switcher,
            hot_topics,
            sections,
            og: Vec::new(),
            json_ld: None,
            size: prefs.size.unwrap_or("normal"),
            path: path.to_owned(),
            home: paths::home(edition),
            archive: paths::archive(edition),
            is_home: path == paths::home(edition),
            search: paths::search(edition),
            noindex: false,
            title: full_title,
            site_name,
        })
    }

    /// The Open Graph locale of the edition.
    pub fn og_locale(&self) -> &'static str {
        match self.edition {
            Edition::En => "en_US",
            Edition::ZhHans => "zh_CN",
            Edition::ZhHant | Edition::ZhTw => "zh_TW",
            Edition::ZhHk => "zh_HK",
        }
    }
}

/// An image with its alternative text and, for uploads, its responsive variants.
#[derive(Clone, Debug)]
pub struct Image {
    /// URL.
    pub src: String,
    /// Alternative text.
    pub alt: String,
    /// `srcset`, when the image has variants.
    pub srcset: Option<String>,
    /// `sizes` for the slot the image fills (used with `srcset`).
    pub sizes: &'static str,
    /// Intrinsic width, for the `width` attribute that reserves the space before loading.
    pub width: u32,
    /// Intrinsic height.
    pub height: u32,
}

impl Image {
    /// The image of a stored media item shown in a slot described by `sizes` (see
    /// [`crate::media::srcset`]). Images whose dimensions were never recorded get the 16:9
    /// slot's own, which the stylesheet crops to anyway.
    pub fn of(media: &Media, alt: &str, sizes: &'static str) -> Image {
        let (width, height) = match (media.width, media.height) {
            (Some(w), Some(h)) => (w, h),
            _ => (1200, 675),
        };
        Image {
            src: paths::media(&media.path),
            alt: alt.to_owned(),
            srcset: srcset::srcset(media),
            sizes,
            width,
            height,
        }
    }
}

/// An article in a list.
#[derive(Clone, Debug)]
pub struct Card {
    /// Link to the article, in the reader's preferred mode where the article has it.
    pub href: String,
    /// Headline.
    pub title: String,
    /// The headline's language tag when it is not the page's.
    pub lang: Option<&'static str>,
    /// Summary.
    pub dek: String,
    /// Section name.
    pub kicker: Option<Link>,
    /// Date shown.
    pub date: String,
    /// ISO time for `<time datetime>`.
    pub datetime: String,
    /// Thumbnail.
    pub image: Option<Image>,
    /// "In English" / "中文" when the article is only in the other language.
    pub badge: Option<String>,
}

impl Card {
    /// The card of an article summary.
    pub fn new(state: &AppState, edition: Edition, prefs: &Prefs, a: &ArticleSummary) -> Card {
        let ui = state.ui(edition);
        let mode = preferred_mode(edition, prefs.mode, a.has_en, a.has_zh);
        let lang = (a.text_edition.language() != edition.language()
            || (edition == Edition::En && a.text_edition != Edition::En))
            .then(|| a.text_edition.lang_tag());
        let badge = match (edition.language(), a.has_en, a.has_zh) {
            (Language::Zh, true, false) => Some(ui.in_english.clone()),
            (Language::En, false, true) => Some(ui.in_chinese.clone()),
            _ => None,
        };
        Card {
            href: paths::article(edition, &a.slug, mode),
            title: a.title.clone(),
            lang,
            dek: a.dek.clone(),
            kicker: a.section.as_ref().map(|s| Link {
                label: s.name.get(edition).to_owned(),
                href: paths::section(edition, &s.slug),
                current: false,
                lang: None,
            }),
            date: format_date(state, edition, a.published_at),
            datetime: iso(state, a.published_at),
            image: a
                .hero
                .as_ref()
                .map(|m| Image::of(m, m.alt.get(edition), srcset::CARD_SIZES)),
            badge,
        }
    }
}

/// The mode to open an article in: the remembered one if the article has what it needs,
/// else the edition's own language, else the language it has.
pub fn preferred_mode(edition: Edition, wanted: Option<Mode>, has_en: bool, has_zh: bool) -> Mode {
    let has = |m: Mode| {
        m.needs().iter().all(|l| match l {
            Language::En => has_en,
            Language::Zh => has_zh,
        })
    };
    [
        wanted,
        Some(Mode::natural(edition)),
        Some(Mode::En),
        Some(Mode::Zh),
    ]
    .into_iter()
    .flatten()
    .find(|m| has(*m))
    .unwrap_or(Mode::natural(edition))
}

/// A date in the edition's style, in the site's time zone.
pub fn format_date(state: &AppState, edition: Edition, t: Timestamp) -> String {
    let zoned = t.to_zoned_datetime(state.time_zone().clone());
    match edition.language() {
        Language::En => zoned.strftime("%-d %B %Y").to_string(),
        Language::Zh => zoned.strftime("%Y年%-m月%-d日").to_string(),
    }
}

/// An RFC 3339 time with the site's offset.
pub fn iso(state: &AppState, t: Timestamp) -> String {
    t.to_zoned_datetime(state.time_zone().clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Page navigation for a list.
#[derive(Clone, Debug, Default)]
pub struct Pager {
    /// Link to the newer page.
    pub newer: Option<String>,
    /// Link to the older page.
    pub older: Option<String>,
    /// "Page 2 / 5".
    pub label: String,
}

impl Pager {
    /// Navigation for page `page` of a list of `total` items at `base`.
    pub fn new(ui: &Ui, base: &str, page: u32, per_page: u32, total: i64) -> Pager {
        let pages = ((total.max(0) as u64).div_ceil(u64::from(per_page))).max(1) as u32;
        Pager {
            newer: (page > 1).then(|| paths::paged(base, page - 1)),
            older: (page < pages).then(|| paths::paged(base, page + 1)),
            label: if pages > 1 {
                format!("{} {page} / {pages}", ui.page)
            } else {
                String::new()
            },
        }
    }
}

/// Renders a template as a page response, remembering the edition in a cookie when it changed.
pub fn respond(
    state: &AppState,
    prefs: &Prefs,
    edition: Edition,
    template: &impl Template,
) -> WebResult {
    let body = template.render().map_err(anyhow::Error::from)?;
    let mut response = Html(body).into_response();
    let headers = response.headers_mut();
    html_headers(headers);
    if prefs.edition != Some(edition) {
        prefs::set(
            headers,
            prefs::EDITION,
            edition.code(),
            state.config().cookies_secure(),
        );
    }
    Ok(response)
}

/// Headers every HTML page carries: pages depend on the preference cookies.
pub fn html_headers(headers: &mut HeaderMap) {
    headers.insert(
        CONTENT_TYPE,
        "text/html; charset=utf-8".parse().expect("static header"),
    );
    headers.insert(VARY, "Cookie".parse().expect("static header"));
    headers.insert(
        CACHE_CONTROL,
        "public, max-age=60".parse().expect("static header"),
    );
}

/// Serialises JSON-LD for a `<script>` element: `<`, `>` and `&` are escaped so that no text in
/// it can close the element.
pub fn json_ld(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .expect("JSON values serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A 301 redirect to a site path: the page's one address.
pub fn moved(path: &str) -> axum::response::Response {
    let mut response = found(path);
    *response.status_mut() = axum::http::StatusCode::MOVED_PERMANENTLY;
    response
}

/// A 302 redirect to a site path (axum's `Redirect::to` answers 303, which is meant for
/// replies to forms).
pub fn found(path: &str) -> axum::response::Response {
    let mut response = axum::http::StatusCode::FOUND.into_response();
    if let Ok(v) = path.parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, v);
    }
    response
}
