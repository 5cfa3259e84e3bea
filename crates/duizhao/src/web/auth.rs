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
//! - **Throttling.** Each attempt is reserved in its buckets in the database before the
//!   password is checked (so concurrent attempts cannot overrun a limit, and every app server
//!   sees the same counts) and given back when it succeeds. A browser that has signed in to
//!   the account before carries a [`DEVICE_COOKIE`] and is throttled on its own
//!   ([`MAX_ATTEMPTS_PER_DEVICE`]); any other attempt counts against its client address
//!   ([`MAX_FAILURES_PER_CLIENT`]) and against the account's attempts from unknown browsers
//!   ([`MAX_FAILURES_PER_ACCOUNT`]). A full bucket refuses further attempts (429) for the rest
//!   of its [`FAILURE_WINDOW_SECONDS`], whatever the password. So strangers guessing at an
//!   account lock out strangers, not its owner's usual browser.
//! - **Password hashing** runs through a [`PasswordGate`]: one Argon2 computation per core at
//!   a time, on threads of its own, a short queue, and 503 beyond it.

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
use crate::store::logins::Reservation;

/// The session cookie.
pub const SESSION_COOKIE: &str = "dz_session";
/// The pre-login CSRF cookie.
pub const LOGIN_COOKIE: &str = "dz_login";
/// A session not used for this long ends.
pub const IDLE_SECONDS: i64 = 12 * 3600;
/// A session ends this long after sign-in, used or not.
pub const MAX_AGE_SECONDS: i64 = 7 * 24 * 3600;
/// Failed logins per account, from browsers it has not signed in from, before such logins
/// are throttled.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed logins per client address (IPv6: per /64) before the address is throttled.
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;
/// Failed logins from one trusted browser of an account before that browser is throttled.
pub const MAX_ATTEMPTS_PER_DEVICE: i64 = 5;
/// The cookie that marks a browser as one that has signed in to an account before.
pub const DEVICE_COOKIE: &str = "dz_device";
/// A trusted browser not used to sign in for this long is a stranger again (a year).
pub const DEVICE_MAX_AGE_SECONDS: i64 = 365 * 24 * 3600;
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
    set_cookie_at(headers, state, name, value, max_age, "/");
}

/// [`set_cookie`] for a cookie sent only to paths under `path`.
pub fn set_cookie_at(
    headers: &mut HeaderMap,
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
    path: &str,
) {
    let secure = if state.config().cookies_secure() {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
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

/// How far into a multipart body its `csrf` field must have ended: the field comes first in
/// the form, before any file.
const MAX_MULTIPART_PREFIX: usize = 64 * 1024;

/// Checks the CSRF token in the `X-CSRF-Token` header, the `csrf` field of a URL-encoded form
/// (whose body is put back for the handler), or the `csrf` field that must open a multipart
/// form (uploads; read before any file, then the body is put back whole). Never in the URL,
/// where it would reach logs, history and `Referer` headers.
async fn require_token(request: Request, expected: &str) -> Result<Request, Response> {
    if let Some(sent) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if token::same(sent, expected) {
            Ok(request)
        } else {
            Err(csrf_refused())
        };
    }
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(&content_type).map_err(|_| csrf_refused())?;
        return multipart_token(request, &boundary, expected).await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(csrf_refused());
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
        _ => Err(csrf_refused()),
    }
}

fn csrf_refused() -> Response {
    Refusal::Forbidden("missing or wrong CSRF token; reload the page").into_response()
}

/// What the start of a multipart body says about its first field.
enum FirstField {
    /// The `csrf` field, whole.
    Token(String),
    /// Another field comes first.
    Other,
    /// Not enough of the body yet.
    Incomplete,
}

/// Reads a multipart body until its first field, which must be `csrf` and match, and puts
/// what was read back in front of the rest for the handler.
async fn multipart_token(
    request: Request,
    boundary: &str,
    expected: &str,
) -> Result<Request, Response> {
    use futures_util::StreamExt;
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut prefix: Vec<u8> = Vec::new();
    loop {
        match first_field(&prefix, boundary).await {
            FirstField::Token(sent) if token::same(&sent, expected) => break,
            FirstField::Token(_) | FirstField::Other => return Err(csrf_refused()),
            FirstField::Incomplete if prefix.len() > MAX_MULTIPART_PREFIX => {
                return Err(csrf_refused());
            }
            FirstField::Incomplete => {}
        }
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(_)) => {
                return Err((StatusCode::BAD_REQUEST, "the upload was cut off").into_response());
            }
            None => return Err(csrf_refused()),
        }
    }
    let head = futures_util::stream::once(async move { Ok(axum::body::Bytes::from(prefix)) });
    Ok(Request::from_parts(
        parts,
        Body::from_stream(head.chain(stream)),
    ))
}

async fn first_field(prefix: &[u8], boundary: &str) -> FirstField {
    if prefix.is_empty() {
        return FirstField::Incomplete;
    }
    let data = axum::body::Bytes::copy_from_slice(prefix);
    let once = futures_util::stream::once(async move { Ok::<_, std::io::Error>(data) });
    let mut multipart = multer::Multipart::new(once, boundary);
    match multipart.next_field().await {
        Ok(Some(field)) if field.name() == Some("csrf") => match field.text().await {
            Ok(text) => FirstField::Token(text),
            Err(_) => FirstField::Incomplete,
        },
        Ok(Some(_)) | Ok(None) => FirstField::Other,
        Err(_) => FirstField::Incomplete,
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
    super::error::WebError::internal(err.into()).into_response()
}

/// The outcome of a login attempt.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Signed in: the session token to set as a cookie, and a new trusted-browser token when
    /// the browser had none for this account.
    Success {
        /// The new session's token.
        token: String,
        /// A new [`DEVICE_COOKIE`] value, if one is to be set.
        device: Option<String>,
    },
    /// Wrong name or password.
    Failed,
    /// Too many attempts; try again after this many seconds.
    Throttled(i64),
    /// Too many passwords are being checked at this moment; try again after this many seconds.
    Busy(i64),
}

/// The bucket names of one attempt (hashed, so that they are short whatever was sent).
fn bucket(kind: &str, key: &str) -> String {
    format!("{kind}:{}", token::digest(key))
}

/// The throttling key of a client address: IPv6 clients by their /64, which one subscriber
/// usually holds whole.
fn client_key(client: &str) -> String {
    match client.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map_or_else(String::new, |v4| v4.to_string()),
        _ => client.to_owned(),
    }
}

/// Checks a login attempt against the throttling buckets and the password, and starts a
/// session when it succeeds. `device` is the request's [`DEVICE_COOKIE`], if any.
///
/// The attempt is reserved in its buckets before the password is checked and given back if
/// it succeeds or never reaches the check, so concurrent attempts cannot overrun a limit.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
    device: Option<&str>,
) -> anyhow::Result<LoginOutcome> {
    let store = state.store();
    let now = Timestamp::now();
    let username = username.trim();
    // A name that no account can have is never looked up (nor can it reach the database
    // with a NUL, or become a 1 MB key); it fails like an unknown account.
    let plausible = crate::web::admin::users::valid_username(username);
    let trusted = match device.filter(|d| d.len() == 64 && plausible) {
        Some(d) => store
            .login_device_user(&token::digest(d), now, DEVICE_MAX_AGE_SECONDS)
            .await?
            .filter(|u| u.username == username)
            .map(|_| d.to_owned()),
        None => None,
    };
    let buckets = match &trusted {
        Some(d) => vec![(bucket("device", d), MAX_ATTEMPTS_PER_DEVICE)],
        None => vec![
            (
                bucket("client", &client_key(client)),
                MAX_FAILURES_PER_CLIENT,
            ),
            (bucket("account", username), MAX_FAILURES_PER_ACCOUNT),
        ],
    };
    let mut reserved: Vec<&str> = Vec::new();
    for (name, max) in &buckets {
        match store
            .reserve_login_attempt(name, *max, FAILURE_WINDOW_SECONDS, now)
            .await?
        {
            Reservation::Granted => reserved.push(name),
            Reservation::Refused { retry_after } => {
                refund(state, &reserved).await?;
                return Ok(LoginOutcome::Throttled(retry_after));
            }
        }
    }
    let found = if plausible {
        store.user_for_login(username).await?
    } else {
        None
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let attempt = password.to_owned();
    // An unknown name is checked against a decoy, so that it takes as long as a known one
    // (the decoy is hashed once, on the gate's threads like every hash).
    let checked = state
        .password_gate()
        .run(move || match hash {
            Some(stored) => crate::accounts::password::verify(&attempt, &stored),
            None => crate::accounts::password::verify(&attempt, crate::accounts::password::decoy()),
        })
        .await;
    let ok = match checked {
        Ok(ok) => ok,
        Err(Busy(seconds)) => {
            refund(state, &reserved).await?;
            return Ok(LoginOutcome::Busy(seconds));
        }
    };
    match user {
        Some(user) if ok => {
            refund(state, &reserved).await?;
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
            let device = match trusted {
                Some(d) => {
                    store.touch_login_device(&token::digest(&d), now).await?;
                    None
                }
                None => {
                    let d = token::new_secret();
                    store
                        .add_login_device(&token::digest(&d), user.id, now)
                        .await?;
                    Some(d)
                }
            };
            Ok(LoginOutcome::Success { token, device })
        }
        _ => Ok(LoginOutcome::Failed),
    }
}

async fn refund(state: &AppState, buckets: &[&str]) -> anyhow::Result<()> {
    for b in buckets {
        state.store().refund_login_attempt(b).await?;
    }
    Ok(())
}

/// Refused because too many password checks are under way; retry after this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy(pub i64);

/// Bounds the password hashing a server does at once. Each Argon2 check holds 19 MiB for
/// tens of milliseconds of CPU: unbounded, a burst of logins is a burst of memory. Checks run
/// on a few threads of the gate's own, one per core, and a short queue waits for them; beyond
/// it the caller is told to come back ([`Busy`]).
///
/// Dedicated threads, rather than tokio's blocking pool, because the allocator keeps the
/// memory a thread has freed for that thread's next allocation: 19 MiB freed on each of the
/// dozens of threads a blocking pool grows in a burst stays with the process (a burst of
/// twenty checks on the blocking pool left it 250 MB larger). On the gate's threads it is
/// reused, so a server's hashing costs its core count times 19 MiB, whatever the load. A check
/// whose client has gone still runs to its end, so the bound holds for the memory, not only
/// for the requests.
#[derive(Debug)]
pub struct PasswordGate {
    jobs: std::sync::mpsc::SyncSender<PasswordJob>,
}

type PasswordJob = Box<dyn FnOnce() + Send>;

impl PasswordGate {
    /// A gate of `parallel` threads, with up to `max_waiting` checks queued for them.
    pub fn new(parallel: usize, max_waiting: usize) -> PasswordGate {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<PasswordJob>(max_waiting);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..parallel.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    loop {
                        let next = queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .recv();
                        // The gate is gone: so is this thread.
                        let Ok(job) = next else { return };
                        // A panicking check drops its answer (the caller sees `Busy`); the
                        // thread goes on.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "cannot start a password thread");
            }
        }
        PasswordGate { jobs }
    }

    /// A gate with a thread per core.
    pub fn for_this_machine() -> PasswordGate {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordGate::new(cores, 8 * cores)
    }

    /// Runs `work` (a password hash or check) on one of the gate's threads.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: PasswordJob = Box::new(move || {
            let _ = answer.send(work());
        });
        self.jobs.try_send(job).map_err(|_| Busy(2))?;
        answered.await.map_err(|_| Busy(1))
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
