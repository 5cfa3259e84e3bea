//! The archive: a list of months, and each month's articles.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use jiff::Timestamp;
use jiff::civil::Date;

use super::edition as parse_edition;
use super::lists::{ListSpec, render};
use crate::content::{Edition, Language};
use crate::store::articles::ListFilter;
use crate::web::error::{WebError, WebResult};
use crate::web::page::{self, Chrome, Link};
use crate::web::prefs::Prefs;
use crate::web::{AppState, paths};

#[derive(Template)]
#[template(path = "archive.html")]
struct ArchivePage<'a> {
    chrome: Chrome<'a>,
    months: Vec<(Link, usize)>,
}

fn month_name(edition: Edition, year: i16, month: i8) -> String {
    match edition.language() {
        Language::En => Date::new(year, month, 1)
            .map(|d| d.strftime("%B %Y").to_string())
            .unwrap_or_default(),
        Language::Zh => format!("{year}年{month}月"),
    }
}

/// `/{edition}/archive/`
pub async fn months(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let prefs = Prefs::from_headers(&headers);
    let times = state.store().published_times(Timestamp::now()).await?;
    let mut months: Vec<((i16, i8), usize)> = Vec::new();
    for t in times {
        let z = t.to_zoned_datetime(state.time_zone().clone());
        let key = (z.year(), z.month());
        match months.last_mut() {
            Some((k, n)) if *k == key => *n += 1,
            _ => months.push((key, 1)),
        }
    }
    let chrome = Chrome::new(
        &state,
        edition,
        &prefs,
        &paths::archive(edition),
        state.ui(edition).archive.clone(),
        &|e| Some(paths::archive(e)),
    )
    .await?;
    let template = ArchivePage {
        months: months
            .into_iter()
            .map(|((y, m), n)| {
                (
                    Link {
                        label: month_name(edition, y, m),
                        href: paths::archive_month(edition, y, m),
                        current: false,
                        lang: None,
                    },
                    n,
                )
            })
            .collect(),
        chrome,
    };
    page::respond(&state, &prefs, edition, &template)
}

/// `/{edition}/archive/{year}/{month}`
pub async fn month(
    State(state): State<AppState>,
    Path((edition, year, month)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let not_found = || WebError::page_not_found(edition);
    // Exactly four and two digits: one address per month.
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(&year, 4) || !digits(&month, 2) {
        return Err(not_found());
    }
    let year: i16 = year.parse().map_err(|_| not_found())?;
    let month: i8 = month.parse().map_err(|_| not_found())?;
    let first = Date::new(year, month, 1).map_err(|_| not_found())?;
    let next = first
        .checked_add(jiff::Span::new().months(1))
        .map_err(|_| not_found())?;
    let tz = state.time_zone().clone();
    let from = first
        .to_zoned_datetime(tz.clone())
        .map_err(|_| not_found())?
        .timestamp();
    let to = next
        .to_zoned_datetime(tz)
        .map_err(|_| not_found())?
        .timestamp();
    let ui = state.ui(edition);
    render(
        &state,
        edition,
        query.as_deref(),
        &headers,
        ListSpec {
            filter: ListFilter::Between(from, to),
            kicker: Some(ui.archive.clone()),
            heading: month_name(edition, year, month),
            intro: String::new(),
            portrait: None,
            missing_when_empty: true,
            path_of: &|e| paths::archive_month(e, year, month),
        },
    )
    .await
}
