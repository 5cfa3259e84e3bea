//! `/admin/login` and `/admin/logout`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{AdminResult, Shell, see_other};
use crate::accounts::token;
use crate::web::AppState;
use crate::web::auth::{self, LOGIN_COOKIE, LoginOutcome, SESSION_COOKIE, Signed};

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage<'a> {
    shell: Shell,
    next: &'a str,
    username: &'a str,
    error: Option<String>,
}

/// Where to go after signing in: only a path inside the back office that passes the site's
/// one redirect check (no open redirect, nothing that cannot be a header).
fn safe_next(next: Option<&str>) -> String {
    next.and_then(crate::web::paths::local_redirect)
        .filter(|n| n.starts_with("/admin/"))
        .unwrap_or_else(|| "/admin/".to_owned())
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The login form, with a fresh double-submit CSRF cookie.
pub async fn login_form(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
    headers: HeaderMap,
) -> AdminResult {
    let existing = auth::cookie(&headers, LOGIN_COOKIE).filter(|t| t.len() == 64);
    let csrf = existing.map_or_else(token::new_secret, str::to_owned);
    render(
        &state,
        &csrf,
        &safe_next(q.next.as_deref()),
        "",
        None,
        StatusCode::OK,
    )
}

fn render(
    state: &AppState,
    csrf: &str,
    next: &str,
    username: &str,
    error: Option<String>,
    status: StatusCode,
) -> AdminResult {
    let mut shell = Shell::anonymous("Sign in");
    shell.csrf = csrf.to_owned();
    let page = LoginPage {
        shell,
        next,
        username,
        error,
    };
    let mut response = (status, Html(page.render()?)).into_response();
    auth::set_cookie(response.headers_mut(), state, LOGIN_COOKIE, csrf, 3600);
    Ok(response)
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// Signs in.
pub async fn login(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> AdminResult<Response> {
    let peer = auth::peer(request.extensions());
    let client = auth::client_address(&state, request.headers(), peer);
    let headers = request.headers().clone();
    let csrf = auth::cookie(request.headers(), LOGIN_COOKIE)
        .unwrap_or_default()
        .to_owned();
    let axum::Form(form): axum::Form<LoginForm> =
        axum::Form::from_request(request, &state)
            .await
            .map_err(|e| super::AdminError::bad_request(e.body_text()))?;
    let next = safe_next(form.next.as_deref());
    let device = auth::cookie(&headers, auth::DEVICE_COOKIE);
    match auth::login(&state, &form.username, &form.password, &client, device).await? {
        LoginOutcome::Success { token, device } => {
            let mut response = see_other(&next);
            auth::set_cookie(
                response.headers_mut(),
                &state,
                SESSION_COOKIE,
                &token,
                auth::MAX_AGE_SECONDS,
            );
            auth::set_cookie(response.headers_mut(), &state, LOGIN_COOKIE, "", 0);
            if let Some(device) = device {
                auth::set_cookie_at(
                    response.headers_mut(),
                    &state,
                    auth::DEVICE_COOKIE,
                    &device,
                    auth::DEVICE_MAX_AGE_SECONDS,
                    "/admin/login",
                );
            }
            Ok(response)
        }
        LoginOutcome::Failed => render(
            &state,
            &csrf,
            &next,
            &form.username,
            Some("Wrong username or password.".to_owned()),
            StatusCode::UNAUTHORIZED,
        ),
        LoginOutcome::Throttled(seconds) => {
            let minutes = (seconds + 59) / 60;
            let message = format!(
                "Too many failed attempts. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            );
            retry_later(
                &state,
                &csrf,
                &next,
                &form.username,
                message,
                StatusCode::TOO_MANY_REQUESTS,
                seconds,
            )
        }
        LoginOutcome::Busy(seconds) => retry_later(
            &state,
            &csrf,
            &next,
            &form.username,
            "The server is busy checking other sign-ins. Try again in a moment.".to_owned(),
            StatusCode::SERVICE_UNAVAILABLE,
            seconds,
        ),
    }
}

/// The login form again with a message, a status and `Retry-After`.
fn retry_later(
    state: &AppState,
    csrf: &str,
    next: &str,
    username: &str,
    message: String,
    status: StatusCode,
    seconds: i64,
) -> AdminResult<Response> {
    let mut response = render(state, csrf, next, username, Some(message), status)?;
    response
        .headers_mut()
        .insert(axum::http::header::RETRY_AFTER, seconds.max(1).into());
    Ok(response)
}

use axum::extract::FromRequest;

/// Signs out: ends the session in the database, not only in the browser.
pub async fn logout(State(state): State<AppState>, signed: Signed) -> AdminResult {
    state.store().delete_session(signed.token_hash()).await?;
    let mut response = see_other("/admin/login");
    auth::set_cookie(response.headers_mut(), &state, SESSION_COOKIE, "", 0);
    Ok(response)
}
