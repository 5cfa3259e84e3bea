//! The security headers every response carries: pages, error pages, feeds, sitemaps, static
//! files, media, the back office and the API. SECURITY.md explains each one.
//!
//! A layer sets them on whatever leaves the router (a panic's 500 and a timeout's 408
//! included) unless the response already has its own: media files keep their stricter
//! sandboxing policy, the API its policy for JSON.

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// The policy for HTML: scripts, styles, fonts and images only from this site (the one
/// script is `static/site.js`; the JSON-LD block is data, which a policy does not run), no
/// plugins, no `<base>`, forms only to this site, and no framing by anyone.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The policy for answers that are data, never a document (the API): nothing may load.
pub const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// How long browsers keep to https once they saw it (one year).
const HSTS: &str = "max-age=31536000";

/// Adds the headers a response lacks.
pub async fn add(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 6] = [
        (CONTENT_SECURITY_POLICY, PAGE_POLICY),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ];
    for (name, value) in fixed {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    // Only where the site is reached over https: a plain-http test or intranet site must not
    // be told to refuse itself.
    if state.config().base_url.starts_with("https://")
        && !headers.contains_key(STRICT_TRANSPORT_SECURITY)
    {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}
