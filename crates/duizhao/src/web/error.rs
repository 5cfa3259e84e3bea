//! The web layer's one error type, for the reader's pages, the back office and the API alike.
//!
//! A handler returns [`WebError`]: a status, and what the user should be told (a message,
//! the fields to fix, the revision a conflict is with, the edition to speak). Turned into a
//! response, it carries these as a [`Failure`] with an empty body; the surface the request
//! went to then renders them in its own form: the API as JSON (`web::api`), the back office as
//! its page (`web::admin`), the site as a page in the edition's language
//! (`handlers::errors::render_error_page`). So a 400, 409 or 410 leaves every surface as what
//! it is, never converted by hand into another type on the way.
//!
//! Anything that is not the client's fault is logged here with its detail and shown as a
//! plain 500 that reveals nothing about the cause. No path leads from bad input to a panic.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::content::Edition;
use crate::web::api::types::FieldMessage;

/// An error a handler returns.
#[derive(Debug)]
pub struct WebError {
    failure: Failure,
    /// Where the thing lives now (a 301).
    location: Option<String>,
    /// Our fault: logged when the response is made, never shown.
    internal: Option<anyhow::Error>,
}

/// What an error response tells its user, for the surface it came from to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The status.
    pub status: StatusCode,
    /// What went wrong, in words for the user (`None`: the surface's words for the status).
    pub message: Option<String>,
    /// The fields to fix, by their path in the request.
    pub fields: Vec<FieldMessage>,
    /// On a conflict: the current revision.
    pub current_revision: Option<i64>,
    /// The edition to speak, when known (the site's pages).
    pub edition: Option<Edition>,
}

impl WebError {
    /// An error with this status and, if given, a message for the user.
    pub fn with(status: StatusCode, message: Option<String>) -> WebError {
        WebError {
            failure: Failure {
                status,
                message,
                fields: Vec::new(),
                current_revision: None,
                edition: None,
            },
            location: None,
            internal: None,
        }
    }

    /// An error with a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError::with(status, Some(message.into()))
    }

    /// 400, with what could not be read.
    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 403, with why.
    pub fn forbidden(why: impl Into<String>) -> WebError {
        WebError::new(StatusCode::FORBIDDEN, why)
    }

    /// 404, naming what is missing.
    pub fn not_found(what: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, what)
    }

    /// 410: deleted or withdrawn.
    pub fn gone(what: impl Into<String>) -> WebError {
        WebError::new(StatusCode::GONE, what)
    }

    /// 409 with a message: it cannot be done in the state things are in.
    pub fn conflict_with(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::CONFLICT, message)
    }

    /// 409: someone saved since `expected`; the article is now at `current`.
    pub fn conflict(expected: i64, current: i64) -> WebError {
        let mut e = WebError::conflict_with(format!(
            "the article changed since revision {expected}: it is now at revision {current}; \
             fetch it, merge, and send that revision"
        ));
        e.failure.current_revision = Some(current);
        e
    }

    /// 422 with the fields to fix.
    pub fn invalid(fields: Vec<FieldMessage>) -> WebError {
        let mut e = WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the request is not valid; see `fields`",
        );
        e.failure.fields = fields;
        e
    }

    /// 503: too much work under way; try again in a moment.
    pub fn busy() -> WebError {
        WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The server is busy; try again in a moment.",
        )
    }

    /// Our fault (500): `err` is logged, never shown.
    pub fn internal(err: anyhow::Error) -> WebError {
        WebError {
            internal: Some(err),
            ..WebError::with(StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }

    /// A reader's page: none at this address (404), in `edition`'s language.
    pub fn page_not_found(edition: Edition) -> WebError {
        WebError::with(StatusCode::NOT_FOUND, None).in_edition(edition)
    }

    /// A reader's page: withdrawn (410).
    pub fn page_gone(edition: Edition) -> WebError {
        WebError::with(StatusCode::GONE, None).in_edition(edition)
    }

    /// A reader's page: the request could not be read (400).
    pub fn page_bad_request(edition: Edition) -> WebError {
        WebError::with(StatusCode::BAD_REQUEST, None).in_edition(edition)
    }

    /// The page lives at another address now (301): a renamed or merged topic, author or
    /// section. The address is a path of ours, percent-encoded.
    pub fn moved(to: impl Into<String>) -> WebError {
        WebError {
            location: Some(to.into()),
            ..WebError::with(StatusCode::MOVED_PERMANENTLY, None)
        }
    }

    /// With the fields to fix.
    pub fn with_fields(mut self, fields: Vec<FieldMessage>) -> WebError {
        self.failure.fields = fields;
        self
    }

    /// Speaks `edition`'s language where the surface can.
    pub fn in_edition(mut self, edition: Edition) -> WebError {
        self.failure.edition = Some(edition);
        self
    }

    /// The answer to an editorial command's error.
    pub fn editorial(err: crate::editorial::EditorialError) -> WebError {
        use crate::editorial::EditorialError as E;
        match err {
            E::Invalid(fields) => WebError::invalid(
                fields
                    .into_iter()
                    .map(|f| FieldMessage {
                        field: f.field,
                        message: f.message,
                    })
                    .collect(),
            ),
            E::Conflict { expected, current } => WebError::conflict(expected, current),
            e @ E::InUse { .. } => WebError::conflict_with(e.to_string()),
            E::NotPermitted => WebError::forbidden("You do not have permission to do this."),
            e @ E::NotFound { .. } => WebError::not_found(e.to_string()),
            e @ E::Gone { .. } => WebError::gone(e.to_string()),
            e @ E::Unconfirmed(_) => WebError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            E::Internal(err) => WebError::internal(err),
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.failure.status
    }

    /// What the user is told.
    pub fn failure(&self) -> &Failure {
        &self.failure
    }
}

impl<E: Into<anyhow::Error>> From<E> for WebError {
    fn from(err: E) -> Self {
        let err = err.into();
        if crate::store::is_invalid_text(&err) {
            // Text the database cannot hold came from the request: the client's to fix.
            return WebError::bad_request(
                "The request holds a character that cannot be stored (such as NUL); remove it.",
            );
        }
        WebError::internal(err)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.failure.status;
        if let Some(err) = &self.internal {
            tracing::error!(error = format!("{err:#}"), %status, "internal error");
        }
        let mut response = status.into_response();
        let headers = response.headers_mut();
        if let Some(to) = &self.location {
            let location =
                HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/"));
            headers.insert(header::LOCATION, location);
            return response;
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        response.extensions_mut().insert(self.failure);
        response
    }
}

/// A handler's result.
pub type WebResult<T = Response> = Result<T, WebError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editorial::EditorialError as E;

    #[test]
    fn each_editorial_error_keeps_its_status() {
        let gone = E::Gone {
            kind: "article",
            key: "x".into(),
        };
        let missing = E::NotFound {
            kind: "topic",
            key: "y".into(),
        };
        for (err, status) in [
            (
                E::invalid("slug", "taken"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                E::Conflict {
                    expected: 3,
                    current: 4,
                },
                StatusCode::CONFLICT,
            ),
            (E::NotPermitted, StatusCode::FORBIDDEN),
            (missing, StatusCode::NOT_FOUND),
            (gone, StatusCode::GONE),
            (
                E::Unconfirmed(vec!["No author".into()]),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                E::Internal(anyhow::anyhow!("disk full")),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ] {
            assert_eq!(WebError::editorial(err).status(), status);
        }
        let conflict = WebError::editorial(E::Conflict {
            expected: 3,
            current: 4,
        });
        assert_eq!(conflict.failure().current_revision, Some(4));
        let invalid = WebError::editorial(E::invalid("en.title", "is empty"));
        assert_eq!(invalid.failure().fields[0].field, "en.title");
    }

    #[test]
    fn a_response_carries_what_its_surface_renders() {
        let response = WebError::gone("the article \"x\" is gone").into_response();
        assert_eq!(response.status(), StatusCode::GONE);
        let failure = response.extensions().get::<Failure>().unwrap();
        assert_eq!(
            failure.message.as_deref(),
            Some("the article \"x\" is gone")
        );
        // Our fault: nothing of the cause reaches the user.
        let response = WebError::from(anyhow::anyhow!("password=hunter2")).into_response();
        let failure = response.extensions().get::<Failure>().unwrap();
        assert_eq!(failure.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(failure.message, None);
        // A move is a redirect, not an error page.
        let response = WebError::moved("/en/topics/new").into_response();
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(response.headers()["location"], "/en/topics/new");
        assert!(response.extensions().get::<Failure>().is_none());
        let response = WebError::busy().into_response();
        assert_eq!(response.headers()["retry-after"], "2");
    }
}
