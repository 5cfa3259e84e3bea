//! Signing in and out, sessions, CSRF protection and login throttling for the back office.
//!
//! - **Sessions.** A 256-bit random token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure`
//!   when the site is served over TLS or configured so); the database keeps only its SHA-256.
//!   A session ends at logout, after [`IDLE_SECONDS`] without use, or [`MAX_AGE_SECONDS`]
//!   after sign-in, and when its user is disabled or changes password.
//! - **CSRF.** Every state-changing request to the back office must come from our own pages:
//!   a browser's `Sec-Fetch-Site: cross-site` or an `Origin` other than ours is refused, and
//!   the request must carry the session's CSRF token (form field `csrf`, or the
//!   `X-CSRF-Token` header). Before sign-in, the login form's token is a double-submit cookie.
//! - **Throttling.** After [`MAX_FAILURES_PER_ACCOUNT`] failed logins for an account, or
//!   [`MAX_FAILURES_PER_CLIENT`] from one address, within [`FAILURE_WINDOW_SECONDS`], further
//!   attempts are refused (429) until the window has passed, whether or not the password is
//!   right. Failures are kept in the database, so every app server sees the same counts.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use super::AppState;
use crate::accounts::{User, token};
use crate::store::accounts::FailureScope;

/// The session cookie.
pub const SESSION_COOKIE: &str = "dz_session";
/// The pre-login CSRF cookie.
pub const LOGIN_COOKIE: &str = "dz_login";
/// A session not used for this long ends.
pub const IDLE_SECONDS: i64 = 12 * 3600;
/// A session ends this long after sign-in, used or not.
pub const MAX_AGE_SECONDS: i64 = 7 * 24 * 3600;
/// Failed logins per account before the account is throttled.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed logins per client address before the address is throttled.
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;
/// The throttling window.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// How often `last_seen` is written (not on every request).
const TOUCH_SECONDS: i64 = 300;

/// The signed-in user of a back-office request.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The user.
    pub user: User,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    token_hash: String,
}

impl Signed {
    /// The hash the session is stored under.
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }
}

/// Why a back-office request is refused before its handler runs.
#[derive(Debug)]
pub enum Refusal {
    /// Not signed in: go to the login page, then come back.
    Login {
        /// Where to return.
        next: String,
    },
    /// A cross-site or token-less state change.
    Forbidden(&'static str),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Login { next } => {
                let query: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", &next)
                    .finish();
                Response::builder()
                    .status(StatusCode::SEE_OTHER)
                    .header("location", format!("/admin/login?{query}"))
                    .header("cache-control", "no-store")
                    .body(Body::empty())
                    .expect("a valid redirect")
            }
            Refusal::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                [("cache-control", "no-store")],
                format!("Forbidden: {why}"),
            )
                .into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Signed, Refusal> {
        parts
            .extensions
            .get::<Signed>()
            .cloned()
            .ok_or_else(|| Refusal::Login {
                next: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "/admin/".to_owned()),
            })
    }
}

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// Adds a cookie for the back office (HttpOnly, SameSite=Lax); `max_age` 0 deletes it.
pub fn set_cookie(
    headers: &mut HeaderMap,
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
) {
    let secure = if state.config().cookies_secure() {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(SET_COOKIE, v);
    }
}

/// The client's address for throttling: the connection's peer, or with
/// `trust_forwarded_for`, the last `X-Forwarded-For` entry (the one our balancer wrote).
pub fn client_address(
    state: &AppState,
    parts_headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> String {
    if state.config().trust_forwarded_for
        && let Some(forwarded) = parts_headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .rfind(|s| !s.is_empty())
    {
        return forwarded.to_owned();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The middleware in front of the back office: loads the session, and refuses state changes
/// that are cross-site or lack the CSRF token.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match check(&state, request).await {
        Ok(request) => {
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("cache-control", HeaderValue::from_static("no-store"));
            response.headers_mut().insert(
                "x-robots-tag",
                HeaderValue::from_static("noindex, nofollow"),
            );
            response
                .headers_mut()
                .insert("x-frame-options", HeaderValue::from_static("DENY"));
            response
        }
        Err(response) => response,
    }
}

async fn check(state: &AppState, mut request: Request) -> Result<Request, Response> {
    let now = Timestamp::now();
    let session_token = cookie(request.headers(), SESSION_COOKIE).map(str::to_owned);
    let mut signed = None;
    if let Some(token) = session_token {
        let token_hash = token::digest(&token);
        let session = state
            .store()
            .session(&token_hash, now, IDLE_SECONDS)
            .await
            .map_err(internal)?;
        if let Some(session) = session {
            if now.as_second() - session.last_seen.as_second() > TOUCH_SECONDS {
                state
                    .store()
                    .touch_session(&token_hash, now)
                    .await
                    .map_err(internal)?;
            }
            signed = Some(Signed {
                user: session.user,
                csrf: session.csrf,
                token_hash,
            });
        }
    }
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        same_origin(state, request.headers()).map_err(IntoResponse::into_response)?;
        let expected = match &signed {
            Some(s) => Some(s.csrf.clone()),
            None => cookie(request.headers(), LOGIN_COOKIE).map(str::to_owned),
        };
        let Some(expected) = expected else {
            return Err(
                Refusal::Forbidden("no session; reload the page and try again").into_response(),
            );
        };
        request = require_token(request, &expected).await?;
    }
    if let Some(signed) = signed {
        request.extensions_mut().insert(signed);
    }
    Ok(request)
}

/// Refuses requests a browser marks as cross-site, or whose `Origin` is not this site.
fn same_origin(state: &AppState, headers: &HeaderMap) -> Result<(), Refusal> {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(Refusal::Forbidden("cross-site request"));
    }
    if let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(HOST).and_then(|v| v.to_str().ok());
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        let ours = host.is_some_and(|h| h.eq_ignore_ascii_case(origin_host))
            || origin.eq_ignore_ascii_case(&state.config().base_url);
        if !ours {
            return Err(Refusal::Forbidden("cross-origin request"));
        }
    }
    Ok(())
}

/// Forms larger than this are not searched for a CSRF field (uploads send the header or the
/// query parameter instead).
const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// Checks the CSRF token in the `X-CSRF-Token` header, the `csrf` query parameter (multipart
/// uploads) or the `csrf` field of a URL-encoded form, whose body is put back for the handler.
async fn require_token(request: Request, expected: &str) -> Result<Request, Response> {
    let forbidden =
        || Refusal::Forbidden("missing or wrong CSRF token; reload the page").into_response();
    if let Some(sent) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if token::same(sent, expected) {
            Ok(request)
        } else {
            Err(forbidden())
        };
    }
    if let Some(query) = request.uri().query()
        && let Some((_, sent)) = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "csrf")
    {
        return if token::same(&sent, expected) {
            Ok(request)
        } else {
            Err(forbidden())
        };
    }
    let is_form = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(forbidden());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "the form is too large").into_response())?;
    if !form_is_utf8(&bytes) {
        // Decoding would replace the bad bytes silently; refuse instead, losing nothing.
        return Err((StatusCode::BAD_REQUEST, "the form is not valid UTF-8").into_response());
    }
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(sent) if token::same(&sent, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forbidden()),
    }
}

/// Whether every name and value of a URL-encoded form decodes to UTF-8.
fn form_is_utf8(body: &[u8]) -> bool {
    let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
    body.split(|&b| b == b'&' || b == b'=').all(|part| {
        let mut decoded = Vec::with_capacity(part.len());
        let mut i = 0;
        while i < part.len() {
            match (part[i], hex(part.get(i + 1)), hex(part.get(i + 2))) {
                (b'%', Some(h), Some(l)) => {
                    decoded.push((h * 16 + l) as u8);
                    i += 3;
                }
                (b, _, _) => {
                    decoded.push(b);
                    i += 1;
                }
            }
        }
        std::str::from_utf8(&decoded).is_ok()
    })
}

fn internal(err: impl Into<anyhow::Error>) -> Response {
    super::error::WebError::Internal(err.into()).into_response()
}

/// The outcome of a login attempt.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in: the session token to set as a cookie.
    Success {
        /// The new session's token.
        token: String,
    },
    /// Wrong name or password.
    Failed,
    /// Too many failures; try again after this many seconds.
    Throttled(i64),
}

/// Checks a login attempt against the throttling buckets and the password, and starts a
/// session when it succeeds.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> anyhow::Result<LoginOutcome> {
    let store = state.store();
    let now = Timestamp::now();
    let since = Timestamp::from_second(now.as_second() - FAILURE_WINDOW_SECONDS)?;
    let username = username.trim();
    for (scope, key, max) in [
        (FailureScope::User, username, MAX_FAILURES_PER_ACCOUNT),
        (FailureScope::Client, client, MAX_FAILURES_PER_CLIENT),
    ] {
        let (count, oldest) = store.login_failures(scope, key, since).await?;
        if count >= max {
            let wait = oldest.map_or(FAILURE_WINDOW_SECONDS, |t| {
                t.as_second() + FAILURE_WINDOW_SECONDS - now.as_second()
            });
            return Ok(LoginOutcome::Throttled(wait.max(1)));
        }
    }
    let found = store.user_for_login(username).await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, crate::accounts::password::decoy().to_owned()),
    };
    let attempt = password.to_owned();
    let ok =
        tokio::task::spawn_blocking(move || crate::accounts::password::verify(&attempt, &hash))
            .await?;
    match user {
        Some(user) if ok => {
            store
                .clear_login_failures(FailureScope::User, username)
                .await?;
            let token = token::new_secret();
            let expires = Timestamp::from_second(now.as_second() + MAX_AGE_SECONDS)?;
            store
                .create_session(
                    &token::digest(&token),
                    user.id,
                    &token::new_secret(),
                    now,
                    expires,
                )
                .await?;
            Ok(LoginOutcome::Success { token })
        }
        _ => {
            store
                .record_login_failure(FailureScope::User, username, now)
                .await?;
            store
                .record_login_failure(FailureScope::Client, client, now)
                .await?;
            Ok(LoginOutcome::Failed)
        }
    }
}

/// Reads the peer address that `axum::serve` with connect info records.
pub fn peer(parts_extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// The user an API request acts for, from its `Authorization: Bearer <token>` header. A
/// missing, unknown or revoked token is refused with 401 and a JSON body.
#[derive(Clone, Debug)]
pub struct Bearer(pub User);

/// Why an API request is not authenticated.
#[derive(Debug)]
pub struct Unauthorized(&'static str);

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer")],
            // The API's error shape (see `web::api`).
            axum::Json(serde_json::json!({ "error": self.0, "fields": [] })),
        )
            .into_response()
    }
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Bearer, Response> {
        let header = parts
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Unauthorized("an API token is required").into_response())?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| t.starts_with(token::API_PREFIX))
            .ok_or_else(|| Unauthorized("expected `Authorization: Bearer dz_…`").into_response())?;
        match state
            .store()
            .api_token_user(&token::digest(token), Timestamp::now())
            .await
        {
            Ok(Some(user)) => Ok(Bearer(user)),
            Ok(None) => Err(Unauthorized("unknown or revoked token").into_response()),
            Err(err) => Err(internal(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn forms_with_invalid_utf8_are_detected() {
        assert!(super::form_is_utf8(b"a=b&title=%E6%B8%AF+x&c=%zz"));
        assert!(!super::form_is_utf8(b"a=b&title=%FF%FE"));
        assert!(!super::form_is_utf8(b"a=\xff"));
    }
}
