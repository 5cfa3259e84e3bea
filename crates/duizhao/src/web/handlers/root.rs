//! `/` (choosing an edition), `/healthz`, `robots.txt` and the preference form.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, LOCATION, VARY};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::content::Edition;
use crate::web::error::{WebError, WebResult};
use crate::web::prefs::{self, Prefs};
use crate::web::{AppState, paths};

/// `/`: redirects (302) to the reader's remembered edition, else the best match for their
/// `Accept-Language`, else the configured default.
pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let config = state.config();
    let remembered = Prefs::from_headers(&headers)
        .edition
        .filter(|e| config.edition_enabled(*e));
    let negotiated = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| negotiate(v, &config.editions()));
    let edition = remembered.or(negotiated).unwrap_or(config.editions.default);
    let mut response = StatusCode::FOUND.into_response();
    let h = response.headers_mut();
    h.insert(
        LOCATION,
        paths::home(edition)
            .parse()
            .expect("edition paths are ASCII"),
    );
    h.insert(
        VARY,
        "Accept-Language, Cookie".parse().expect("static header"),
    );
    h.insert(
        CACHE_CONTROL,
        "private, max-age=0".parse().expect("static header"),
    );
    response
}

/// Picks the enabled edition that best matches an `Accept-Language` header, honouring
/// q-values; `None` when nothing matches.
pub fn negotiate(header: &str, enabled: &[Edition]) -> Option<Edition> {
    let mut ranges: Vec<(f32, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0 && q.is_finite()).then_some((q, i, tag))
        })
        .collect();
    // Highest quality first; among equals, the order the reader gave.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, tag)| {
        let wanted: &[Edition] = if tag == "en" || tag.starts_with("en-") {
            &[Edition::En]
        } else if tag.starts_with("zh-tw") || tag.starts_with("zh-hant-tw") {
            &[Edition::ZhTw, Edition::ZhHant]
        } else if tag.starts_with("zh-hk")
            || tag.starts_with("zh-mo")
            || tag.starts_with("zh-hant-hk")
        {
            &[Edition::ZhHk, Edition::ZhHant]
        } else if tag.starts_with("zh-hant") {
            &[Edition::ZhHant]
        } else if tag == "zh" || tag.starts_with("zh-") {
            &[Edition::ZhHans]
        } else {
            // `*` and other languages: no preference among our editions.
            &[]
        };
        wanted.iter().copied().find(|e| enabled.contains(e))
    })
}

/// `/{edition}` without the slash.
pub async fn edition_slash(
    State(state): State<AppState>,
    Path(edition): Path<String>,
) -> WebResult {
    let edition = super::edition(&state, &edition)?;
    Ok(crate::web::page::moved(&paths::home(edition)))
}

/// `/healthz`: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// `/robots.txt`
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /prefs\n\nSitemap: {}\n",
        state.absolute("/sitemap.xml")
    );
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// The text-size form.
#[derive(Debug, Deserialize)]
pub struct PrefsForm {
    size: Option<String>,
    next: Option<String>,
}

/// `POST /prefs`: stores the text size and goes back to the page.
pub async fn set_prefs(
    State(state): State<AppState>,
    form: Result<Form<PrefsForm>, axum::extract::rejection::FormRejection>,
) -> WebResult {
    let default = state.config().editions.default;
    let Ok(Form(form)) = form else {
        return Err(WebError::page_bad_request(default));
    };
    let size = form
        .size
        .as_deref()
        .and_then(|s| prefs::SIZES.into_iter().find(|x| *x == s))
        .ok_or(WebError::page_bad_request(default))?;
    let next = form
        .next
        .as_deref()
        .and_then(paths::local_redirect)
        .unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&next).into_response();
    prefs::set(
        response.headers_mut(),
        prefs::SIZE,
        size,
        state.config().cookies_secure(),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Edition; 3] = [Edition::En, Edition::ZhHans, Edition::ZhHant];

    #[test]
    fn accept_language_is_negotiated_by_quality() {
        assert_eq!(
            negotiate("zh-TW,zh;q=0.9,en;q=0.8", &ALL),
            Some(Edition::ZhHant)
        );
        assert_eq!(negotiate("zh-CN,zh;q=0.9", &ALL), Some(Edition::ZhHans));
        assert_eq!(
            negotiate("fr, en;q=0.5, zh;q=0.7", &ALL),
            Some(Edition::ZhHans)
        );
        assert_eq!(negotiate("en-GB", &ALL), Some(Edition::En));
        assert_eq!(negotiate("zh-HK", &ALL), Some(Edition::ZhHant));
        assert_eq!(negotiate("zh-HK", &Edition::ALL), Some(Edition::ZhHk));
        assert_eq!(negotiate("fr, de", &ALL), None);
        assert_eq!(negotiate("zh;q=0, en;q=0.1", &ALL), Some(Edition::En));
        assert_eq!(negotiate(";;,,q=,", &ALL), None);
    }
}
