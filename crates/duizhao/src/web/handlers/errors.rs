//! Error pages: the fallback for unknown paths, and the renderer that gives every error
//! response a page in the edition's language.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use crate::content::Edition;
use crate::web::AppState;
use crate::web::error::{Failure, WebError};
use crate::web::page::{self, Chrome};
use crate::web::prefs::Prefs;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    chrome: Chrome<'a>,
    heading: String,
    message: String,
}

/// Any path no route matches: a 404 in the edition its first segment names, if any.
pub async fn not_found(State(state): State<AppState>, uri: Uri) -> WebError {
    let first = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let edition = first
        .parse::<Edition>()
        .ok()
        .filter(|e| state.config().edition_enabled(*e))
        .unwrap_or(state.config().editions.default);
    WebError::page_not_found(edition)
}

/// Replaces the empty body of an error response with the page for its status.
pub async fn render_error_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    response: Response,
) -> Response {
    let Some(failure) = response.extensions().get::<Failure>().cloned() else {
        return response;
    };
    let edition = failure.edition.unwrap_or(state.config().editions.default);
    let mut page = match error_page(&state, &headers, edition, failure.status).await {
        Ok(page) => page,
        // The page itself failed (the database is down, say): a plain response still tells
        // the reader what happened.
        Err(_) => (failure.status, Html(failure.status.to_string())).into_response(),
    };
    if let Some(retry) = response.headers().get(axum::http::header::RETRY_AFTER) {
        page.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, retry.clone());
    }
    page
}

async fn error_page(
    state: &AppState,
    headers: &HeaderMap,
    edition: Edition,
    status: StatusCode,
) -> Result<Response, WebError> {
    let ui = state.ui(edition);
    let (heading, message) = match status {
        StatusCode::NOT_FOUND => (&ui.not_found_title, &ui.not_found_body),
        StatusCode::GONE => (&ui.gone_title, &ui.gone_body),
        StatusCode::BAD_REQUEST => (&ui.bad_request_title, &ui.bad_request_body),
        _ => (&ui.error_title, &ui.error_body),
    };
    let prefs = Prefs::from_headers(headers);
    let mut chrome = Chrome::new(state, edition, &prefs, "", heading.clone(), &|_| None).await?;
    chrome.canonical = None;
    chrome.alternates.clear();
    chrome.switcher = state
        .config()
        .editions()
        .into_iter()
        .map(|e| crate::web::page::Link {
            label: e.native_name().to_owned(),
            href: crate::web::paths::home(e),
            current: e == edition,
            lang: Some(e.lang_tag()),
        })
        .collect();
    let template = ErrorTemplate {
        chrome,
        heading: heading.clone(),
        message: message.clone(),
    };
    let body = template.render().map_err(anyhow::Error::from)?;
    let mut response = (status, Html(body)).into_response();
    page::html_headers(response.headers_mut());
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        "no-store".parse().expect("static header"),
    );
    Ok(response)
}
