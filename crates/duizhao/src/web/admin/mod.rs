//! The back office under `/admin`: sign-in, the bilingual editor, preview, the pairing view,
//! revisions, the site glossary, users and API tokens.
//!
//! Every route sits behind [`auth::guard`](super::auth::guard) (session, CSRF, same-origin)
//! and every handler that acts on something checks [`User::may`] itself, on the server; the
//! pages only hide what a user cannot do. Errors are [`AdminError`] (the web layer's one
//! error type), shown by [`render_error`] as a plain page with a status, never a panic;
//! internal detail goes to the log only.

pub mod articles;
pub mod form;
pub mod glossary;
pub mod media;
pub mod pairing;
pub mod revisions;
pub mod session;
pub mod taxonomy;
pub mod users;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use super::AppState;
use crate::accounts::{Action, User};

/// The back office's routes (all under `/admin/`), behind the session and CSRF guard.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/admin/", get(articles::list))
        .route(
            "/admin/login",
            get(session::login_form)
                .post(session::login)
                // A name, a password of up to 1,024 characters, `next` and the token.
                .layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/admin/logout", post(session::logout))
        .route(
            "/admin/articles/new",
            get(articles::new_form).post(articles::create),
        )
        .route(
            "/admin/articles/{slug}",
            get(articles::edit_form).post(articles::update),
        )
        .route(
            "/admin/articles/{slug}/preview/{edition}/{mode}",
            get(articles::preview),
        )
        .route("/admin/articles/{slug}/delete", post(articles::delete))
        .route("/admin/slug-check", get(articles::slug_check))
        .route("/admin/preview", post(articles::live_preview))
        .route("/admin/articles/{slug}/restore", post(articles::restore))
        .route("/admin/articles/{slug}/autosave", post(articles::autosave))
        .route("/admin/articles/{slug}/pairing", get(pairing::show))
        .route("/admin/articles/{slug}/revisions", get(revisions::list))
        .route(
            "/admin/articles/{slug}/revisions/restore",
            post(revisions::restore),
        )
        .route("/admin/glossary", get(glossary::show).post(glossary::save))
        .route(
            "/admin/media",
            get(media::list)
                .post(media::upload)
                .layer(DefaultBodyLimit::max(
                    state.config().max_upload_bytes + 64 * 1024,
                )),
        )
        .route("/admin/media/pick", get(media::pick))
        .route("/admin/{kind}", get(taxonomy::list).post(taxonomy::create))
        .route(
            "/admin/{kind}/{slug}",
            get(taxonomy::edit).post(taxonomy::update),
        )
        .route("/admin/{kind}/{slug}/delete", post(taxonomy::delete))
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/{id}", post(users::update))
        .route(
            "/admin/tokens",
            get(users::tokens).post(users::create_token),
        )
        .route("/admin/tokens/{id}/revoke", post(users::revoke_token))
        .layer(axum::middleware::from_fn_with_state(
            state,
            super::auth::guard,
        ))
        .layer(axum::middleware::map_response(render_error))
}

/// An error in the back office: the web layer's one error type ([`crate::web::error`]),
/// rendered as the back office's page by [`render_error`].
pub type AdminError = crate::web::error::WebError;

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage<'a> {
    shell: Shell,
    status: u16,
    message: &'a str,
}

/// Gives an error response of the back office its page: the status and what the user should
/// be told (the back office's own words when the error has none).
pub async fn render_error(mut response: Response) -> Response {
    let Some(failure) = response
        .extensions_mut()
        .remove::<crate::web::error::Failure>()
    else {
        return response;
    };
    let status = failure.status;
    let mut message = failure.message.unwrap_or_else(|| {
        match status {
            StatusCode::FORBIDDEN => "You do not have permission to do this.",
            StatusCode::NOT_FOUND => "Not found.",
            StatusCode::GONE => "It was deleted or withdrawn.",
            StatusCode::BAD_REQUEST => "The request could not be read.",
            s if s.is_server_error() => "Something went wrong on our side; it has been logged.",
            _ => "The request could not be done.",
        }
        .to_owned()
    });
    for field in &failure.fields {
        message.push_str(&format!(" {}: {}.", field.field, field.message));
    }
    let page = ErrorPage {
        shell: Shell::anonymous("Error"),
        status: status.as_u16(),
        message: &message,
    };
    let mut rendered = match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(_) => (status, message).into_response(),
    };
    // What the error set besides its body (Retry-After, say) is kept.
    for (name, value) in response.headers() {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}

/// A back-office handler's result.
pub type AdminResult<T = Response> = Result<T, AdminError>;

/// What every back-office page shows around its content.
#[derive(Clone, Debug)]
pub struct Shell {
    /// Page title.
    pub title: String,
    /// Signed-in user's name, if any.
    pub user: Option<String>,
    /// The CSRF token for forms on the page.
    pub csrf: String,
    /// Navigation entries the user may use: (label, href, current).
    pub nav: Vec<(&'static str, &'static str, bool)>,
    /// A message from the last action (saved, published, …).
    pub flash: Option<String>,
}

impl Shell {
    /// The shell of a page for a signed-in user.
    pub fn new(title: impl Into<String>, user: &User, csrf: &str, current: &str) -> Shell {
        let mut nav = vec![("Articles", "/admin/", current == "articles")];
        if user.may(Action::UploadMedia, None) {
            nav.push(("Media", "/admin/media", current == "media"));
        }
        if user.may(Action::ManageTaxonomy, None) {
            nav.push(("Topics", "/admin/topics", current == "topics"));
            nav.push(("Authors", "/admin/authors", current == "authors"));
            nav.push(("Sections", "/admin/sections", current == "sections"));
        }
        if user.may(Action::ManageGlossary, None) {
            nav.push(("Glossary", "/admin/glossary", current == "glossary"));
        }
        if user.may(Action::ManageUsers, None) {
            nav.push(("Users", "/admin/users", current == "users"));
        }
        nav.push(("API tokens", "/admin/tokens", current == "tokens"));
        Shell {
            title: title.into(),
            user: Some(if user.display_name.is_empty() {
                user.username.clone()
            } else {
                user.display_name.clone()
            }),
            csrf: csrf.to_owned(),
            nav,
            flash: None,
        }
    }

    /// The shell of a page before sign-in.
    pub fn anonymous(title: impl Into<String>) -> Shell {
        Shell {
            title: title.into(),
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            flash: None,
        }
    }

    /// Adds a message.
    pub fn flash(mut self, message: Option<String>) -> Shell {
        self.flash = message;
        self
    }
}

/// Renders a back-office template.
pub fn page(template: &impl Template) -> AdminResult {
    Ok(Html(template.render()?).into_response())
}

/// A 303 redirect after a successful form post, to a path of ours. A target that could not be
/// a header (it never comes from a request unchecked) goes to the back office's home instead
/// of failing after the post has done its work.
pub fn see_other(to: &str) -> Response {
    let location = axum::http::HeaderValue::from_str(to)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("/admin/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(axum::http::header::LOCATION, location);
    response
}

/// The article with this slug as the editor opens it, if it exists (404) and the user may
/// see it in the back office (403).
pub async fn viewable(
    state: &AppState,
    signed: &super::auth::Signed,
    slug: &str,
) -> AdminResult<crate::store::revisions::Editable> {
    let editable = state
        .store()
        .editable(slug)
        .await?
        .ok_or(AdminError::not_found("Not found."))?;
    require(signed.user.may(Action::ViewArticle, Some(&editable.access)))?;
    Ok(editable)
}

/// Refuses unless the user may.
pub fn require(allowed: bool) -> AdminResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(AdminError::forbidden(
            "You do not have permission to do this.",
        ))
    }
}
