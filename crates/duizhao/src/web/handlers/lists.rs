//! Topic, author and section pages: a heading and a paginated list of articles.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use jiff::Timestamp;

use super::{edition as parse_edition, page_number};
use crate::content::Edition;
use crate::store::articles::{ListFilter, ListQuery};
use crate::store::taxonomy::TaxonomyKind;
use crate::web::error::{WebError, WebResult};
use crate::web::feed::{self, FeedOf};
use crate::web::page::{self, Card, Chrome, Image, Pager};
use crate::web::prefs::Prefs;
use crate::web::{AppState, paths};

#[derive(Template)]
#[template(path = "list.html")]
pub(crate) struct ListPage<'a> {
    pub chrome: Chrome<'a>,
    pub kicker: Option<String>,
    pub heading: String,
    pub intro: String,
    pub portrait: Option<Image>,
    pub cards: Vec<Card>,
    pub pager: Pager,
}

/// What a list page is about.
pub(crate) struct ListSpec<'f> {
    pub filter: ListFilter<'f>,
    pub kicker: Option<String>,
    pub heading: String,
    pub intro: String,
    pub portrait: Option<Image>,
    /// Whether an empty list is a page that does not exist (an archive month).
    pub missing_when_empty: bool,
    pub path_of: &'f (dyn Fn(Edition) -> String + Sync),
}

/// Renders one page of a filtered list.
pub(crate) async fn render(
    state: &AppState,
    edition: Edition,
    query: Option<&str>,
    headers: &HeaderMap,
    spec: ListSpec<'_>,
) -> WebResult {
    let page_no = page_number(query, edition)?;
    let prefs = Prefs::from_headers(headers);
    let per_page = state.config().page_size;
    let list = state
        .store()
        .list_published(
            &ListQuery::new(spec.filter, edition, Timestamp::now(), i64::from(per_page))
                .offset((i64::from(page_no) - 1) * i64::from(per_page)),
        )
        .await?;
    if (page_no > 1 || spec.missing_when_empty) && list.items.is_empty() {
        return Err(WebError::page_not_found(edition));
    }
    let base = (spec.path_of)(edition);
    let mut chrome = Chrome::new(
        state,
        edition,
        &prefs,
        &paths::paged(&base, page_no),
        spec.heading.clone(),
        &|e| Some(paths::paged(&(spec.path_of)(e), page_no)),
    )
    .await?;
    // Topic, author and section pages advertise their own feeds too.
    let own_feed = match spec.filter {
        ListFilter::Topic(slug) => Some(FeedOf::Topic(slug)),
        ListFilter::Author(slug) => Some(FeedOf::Author(slug)),
        ListFilter::Section(slug) => Some(FeedOf::Section(slug)),
        _ => None,
    };
    if let Some(of) = own_feed {
        let title = format!("{} | {}", spec.heading, chrome.site_name);
        chrome
            .feeds
            .extend(feed::feed_links(state, edition, of, &title));
    }
    let template = ListPage {
        kicker: spec.kicker,
        heading: spec.heading,
        intro: spec.intro,
        portrait: spec.portrait,
        cards: list
            .items
            .iter()
            .map(|a| Card::new(state, edition, &prefs, a))
            .collect(),
        pager: Pager::new(state.ui(edition), &base, page_no, per_page, list.total),
        chrome,
    };
    page::respond(state, &prefs, edition, &template)
}

/// The answer for a topic, author or section that is not there: 301 to where an old slug of it
/// leads now, else 404.
async fn moved(
    state: &AppState,
    edition: Edition,
    kind: TaxonomyKind,
    slug: &str,
    query: Option<&str>,
) -> WebError {
    match state.store().slug_redirect(kind, slug).await {
        Ok(Some(new)) => {
            let mut to = paths::taxonomy(kind, edition, &paths::encode_segment(&new));
            if let Some(query) = query.filter(|q| !q.is_empty()) {
                to.push('?');
                to.push_str(query);
            }
            WebError::moved(to)
        }
        Ok(None) => WebError::page_not_found(edition),
        Err(e) => e.into(),
    }
}

/// `/{edition}/topics/{slug}`
pub async fn topic(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let Some(topic) = state.store().topic(&slug).await? else {
        return Err(moved(
            &state,
            edition,
            TaxonomyKind::Topic,
            &slug,
            query.as_deref(),
        )
        .await);
    };
    let ui = state.ui(edition);
    render(
        &state,
        edition,
        query.as_deref(),
        &headers,
        ListSpec {
            filter: ListFilter::Topic(&topic.slug),
            kicker: Some(ui.topic.clone()),
            heading: topic.name.get(edition).to_owned(),
            intro: topic.description.get(edition).to_owned(),
            portrait: None,
            missing_when_empty: false,
            path_of: &|e| paths::topic(e, &topic.slug),
        },
    )
    .await
}

/// `/{edition}/authors/{slug}`
pub async fn author(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let Some(author) = state.store().author(&slug).await? else {
        return Err(moved(
            &state,
            edition,
            TaxonomyKind::Author,
            &slug,
            query.as_deref(),
        )
        .await);
    };
    let ui = state.ui(edition);
    render(
        &state,
        edition,
        query.as_deref(),
        &headers,
        ListSpec {
            filter: ListFilter::Author(&author.slug),
            kicker: Some(ui.author.clone()),
            heading: author.name.get(edition).to_owned(),
            intro: author.bio.get(edition).to_owned(),
            portrait: author
                .photo
                .as_ref()
                .map(|m| Image::of(m, m.alt.get(edition), "96px")),
            missing_when_empty: false,
            path_of: &|e| paths::author(e, &author.slug),
        },
    )
    .await
}

/// `/{edition}/sections/{slug}`
pub async fn section(
    State(state): State<AppState>,
    Path((edition, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let Some(section) = state.store().section(&slug).await? else {
        return Err(moved(
            &state,
            edition,
            TaxonomyKind::Section,
            &slug,
            query.as_deref(),
        )
        .await);
    };
    let ui = state.ui(edition);
    render(
        &state,
        edition,
        query.as_deref(),
        &headers,
        ListSpec {
            filter: ListFilter::Section(&section.slug),
            kicker: Some(ui.section.clone()),
            heading: section.name.get(edition).to_owned(),
            intro: String::new(),
            portrait: None,
            missing_when_empty: false,
            path_of: &|e| paths::section(e, &section.slug),
        },
    )
    .await
}
