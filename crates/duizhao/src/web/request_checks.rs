//! What every request must be before a handler sees it.
//!
//! No page, feed, API endpoint or form of ours has a use for a control character in its URL,
//! nor for an invalid UTF-8 sequence in its path, and each would otherwise travel to the
//! database (PostgreSQL refuses NUL in text with an error) or into a header. Such a URL,
//! percent-encoded or not, is refused here with 400: a page in the site's language, or the
//! API's JSON error under `/api/`. A query string that is not UTF-8 (an old link that encoded a
//! search in GBK, say) is read with replacement characters, as every query is, and so gets a
//! normal page. Bodies are checked field by field where they are read (see
//! [`crate::content::text`]).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::WebError;

/// Whether a request's path holds a control character or invalid UTF-8, or its query a
/// control character.
pub fn bad_url(uri: &axum::http::Uri) -> bool {
    let path: Vec<u8> = percent_encoding::percent_decode_str(uri.path()).collect();
    let path_bad = match std::str::from_utf8(&path) {
        Ok(text) => text.chars().any(char::is_control),
        Err(_) => true,
    };
    path_bad
        || uri.query().is_some_and(|query| {
            let decoded: Vec<u8> = percent_encoding::percent_decode(query.as_bytes()).collect();
            String::from_utf8_lossy(&decoded)
                .chars()
                .any(char::is_control)
        })
}

/// The middleware.
pub async fn refuse_bad_urls(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !bad_url(request.uri()) {
        return next.run(request).await;
    }
    if request.uri().path().starts_with("/api/") {
        // Outside the API's router: answered in its shape here.
        return super::api::answer(super::api::ApiError::new(
            StatusCode::BAD_REQUEST,
            "the URL holds a control character or invalid UTF-8",
        ))
        .await;
    }
    WebError::page_bad_request(state.config().editions.default).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bad_utf8_anywhere_in_the_url() {
        for bad in [
            "/en/articles/a%00b",
            "/en/topics/a%01",
            "/api/v1/articles?topic=a%00b",
            "/en/articles/%E6%B8",
            "/en/articles/%FF",
            "/prefs?next=/%09/evil",
            "/en/search?q=a%7Fb",
            "/en/search?q=%C2%85",
        ] {
            assert!(bad_url(&bad.parse().unwrap()), "{bad}");
        }
        for good in [
            "/en/articles/x",
            "/zh-hans/search?q=%E6%B8%AF%E5%8F%A3+x",
            "/en/search?q=a%20b&page=2",
            "/zh-hans/topics/%E8%B4%B8%E6%98%93",
            "/zh-hant/search?q=%C3%C0%B9%FA",
        ] {
            assert!(!bad_url(&good.parse().unwrap()), "{good}");
        }
    }
}
