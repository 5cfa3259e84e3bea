//! The home page: the lead story, the latest articles (paginated) and each section's latest.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use jiff::Timestamp;

use super::{edition as parse_edition, page_number};
use crate::store::articles::{ListFilter, ListQuery};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{self, Card, Chrome, Link, Pager};
use crate::web::prefs::Prefs;
use crate::web::{AppState, paths};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    chrome: Chrome<'a>,
    lead: Option<Card>,
    cards: Vec<Card>,
    pager: Pager,
    by_section: Vec<(Link, Vec<Card>)>,
}

/// `/{edition}/`
pub async fn home(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let page_no = page_number(query.as_deref(), edition)?;
    let prefs = Prefs::from_headers(&headers);
    let store = state.store();
    let now = Timestamp::now();
    let per_page = i64::from(state.config().page_size);

    // Page 1 shows the lead story above the list; the list never repeats it.
    let first = store
        .list_published_items(&ListQuery::new(ListFilter::All, edition, now, 1).featured_first())
        .await?;
    let lead_summary = first.into_iter().next();
    let latest = store
        .list_published(
            &ListQuery::new(ListFilter::All, edition, now, per_page)
                .offset((i64::from(page_no) - 1) * per_page)
                .excluding(lead_summary.as_ref().map(|l| l.id)),
        )
        .await?;
    let listed_total = latest.total;
    if page_no > 1 && latest.items.is_empty() {
        return Err(WebError::page_not_found(edition));
    }

    let mut by_section = Vec::new();
    if page_no == 1 {
        for section in store.sections().await? {
            let items = store
                .list_published_items(&ListQuery::new(
                    ListFilter::Section(&section.slug),
                    edition,
                    now,
                    4,
                ))
                .await?;
            if items.is_empty() {
                continue;
            }
            by_section.push((
                Link {
                    label: section.name.get(edition).to_owned(),
                    href: paths::section(edition, &section.slug),
                    current: false,
                    lang: None,
                },
                items
                    .iter()
                    .map(|a| Card::new(&state, edition, &prefs, a))
                    .collect(),
            ));
        }
    }

    let path = paths::home(edition);
    let chrome = Chrome::new(
        &state,
        edition,
        &prefs,
        &paths::paged(&path, page_no),
        String::new(),
        &|e| Some(paths::paged(&paths::home(e), page_no)),
    )
    .await?;
    let template = HomePage {
        lead: if page_no == 1 {
            lead_summary
                .as_ref()
                .map(|a| Card::new(&state, edition, &prefs, a))
        } else {
            None
        },
        cards: latest
            .items
            .iter()
            .map(|a| Card::new(&state, edition, &prefs, a))
            .collect(),
        pager: Pager::new(
            state.ui(edition),
            &path,
            page_no,
            state.config().page_size,
            listed_total,
        ),
        by_section,
        chrome,
    };
    page::respond(&state, &prefs, edition, &template)
}
