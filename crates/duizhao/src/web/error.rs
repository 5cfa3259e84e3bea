//! The site's error policy.
//!
//! Handlers return [`WebError`]. A client's mistake (an unknown page, a withdrawn article, an
//! unreadable parameter) becomes a 4xx page in the edition's language; anything else is logged
//! here with its detail and shown to the reader as a plain 500 page that reveals nothing about
//! the cause. No path leads from bad input to a panic.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::content::Edition;

/// An error a handler returns.
#[derive(Debug)]
pub enum WebError {
    /// No such page (404).
    NotFound(Edition),
    /// The article was withdrawn (410).
    Gone(Edition),
    /// The request could not be read (400).
    BadRequest(Edition),
    /// The page lives at another address now (301): a renamed or merged topic, author or
    /// section. The address is a path of ours, percent-encoded.
    Moved(String),
    /// Our fault (500); the detail is logged, never shown.
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for WebError {
    fn from(err: E) -> Self {
        let err = err.into();
        if crate::store::is_invalid_text(&err) {
            // Text the database cannot hold came from the request: a bad request.
            return WebError::BadRequest(Edition::En);
        }
        WebError::Internal(err)
    }
}

/// Marks an error response so that the page renderer (which has the state) can fill in the
/// body in the right language.
#[derive(Clone, Copy, Debug)]
pub struct ErrorPage {
    /// The status.
    pub status: StatusCode,
    /// The edition to speak, if known.
    pub edition: Option<Edition>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, edition) = match self {
            WebError::NotFound(e) => (StatusCode::NOT_FOUND, Some(e)),
            WebError::Gone(e) => (StatusCode::GONE, Some(e)),
            WebError::BadRequest(e) => (StatusCode::BAD_REQUEST, Some(e)),
            WebError::Moved(to) => {
                let location = axum::http::HeaderValue::from_str(&to)
                    .unwrap_or_else(|_| axum::http::HeaderValue::from_static("/"));
                return (
                    StatusCode::MOVED_PERMANENTLY,
                    [(axum::http::header::LOCATION, location)],
                )
                    .into_response();
            }
            WebError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(ErrorPage { status, edition });
        response
    }
}

/// A handler's result.
pub type WebResult<T = Response> = Result<T, WebError>;
