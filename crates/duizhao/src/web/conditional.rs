//! Conditional GET for machine-read documents (feeds, sitemaps): a strong `ETag` that is a
//! hash of the body, `Last-Modified` from the newest content, and 304 Not Modified when the
//! client already has this version.
//!
//! The body is rendered before the check: it is what the tag hashes, so any change that shows
//! (a renamed topic, a withdrawn article) changes the tag, even where no time moved forward.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// How long clients and caches may reuse a document without asking again.
const CACHE_CONTROL_VALUE: &str = "public, max-age=300";

/// The strong entity tag of a body: the first 128 bits of its SHA-256, quoted.
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Answers a GET with `body`, or with 304 when the request's validators match it.
/// `If-None-Match` wins over `If-Modified-Since` when both are sent (RFC 9110, 13.2.2).
pub fn respond(
    request: &HeaderMap,
    content_type: &'static str,
    body: String,
    last_modified: Option<Timestamp>,
) -> Response {
    let tag = etag(body.as_bytes());
    let last_modified = last_modified.map(|t| {
        // Second precision: HTTP dates have no fractions.
        Timestamp::from_second(t.as_second()).unwrap_or(t)
    });
    let not_modified = match request.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(list) => none_match_hits(list, &tag),
        None => match (
            last_modified,
            request
                .get(IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_http_date),
        ) {
            (Some(modified), Some(since)) => modified <= since,
            _ => false,
        },
    };
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        headers.insert(ETAG, v);
    }
    if let Some(v) = last_modified
        .and_then(|t| {
            jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_rfc9110_string(&t)
                .ok()
        })
        .and_then(|s| HeaderValue::from_str(&s).ok())
    {
        headers.insert(LAST_MODIFIED, v);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
    response
}

/// Whether an `If-None-Match` list names `tag` (weak comparison, as the header asks) or is `*`.
fn none_match_hits(list: &str, tag: &str) -> bool {
    list.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

/// Reads an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`); `None` for anything else, which the
/// caller then ignores, as RFC 9110 asks.
fn parse_http_date(s: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(s.trim())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_lists() {
        let tag = etag(b"hello");
        assert_eq!(tag.len(), 34);
        assert_ne!(tag, etag(b"hello!"));
        assert!(none_match_hits(&format!("\"x\", {tag}"), &tag));
        assert!(none_match_hits(&format!("W/{tag}"), &tag));
        assert!(none_match_hits("*", &tag));
        assert!(!none_match_hits("\"other\"", &tag));
    }

    #[test]
    fn http_dates() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(t.as_second(), 784111777);
        assert!(parse_http_date("yesterday").is_none());
    }
}
