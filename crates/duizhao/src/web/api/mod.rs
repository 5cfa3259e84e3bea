//! The JSON API under `/api/v1`: published articles, topics, authors and sections for anyone;
//! drafts, the master Markdown and every write for holders of an API token.
//!
//! - **Authentication.** `Authorization: Bearer dz_…` ([`Bearer`]). Reads work without it;
//!   a token that is sent must be valid (401 otherwise), so that a client with a revoked token
//!   learns it instead of silently seeing less. Writes require one.
//! - **Permissions** are the back office's ([`crate::accounts::User::may`]): an article that
//!   is not published is visible only to users who may view it in the back office; to the
//!   others it is 404, or 410 once unpublished, as on the site.
//! - **Writes** go through the editorial core ([`crate::editorial::articles::save`]), as the
//!   editor's do: the same validation, revisions, conflict detection and search/cache refresh.
//!   Deleting moves an article to the trash, from which `POST …/restore` brings it back.
//! - **Errors** are always `{"error": "...", "fields": [{"field", "message"}]}` with a 4xx
//!   status for anything the client can fix (malformed JSON 400, no token 401, not permitted
//!   403, missing 404, conflict 409 with `current_revision`, too large 413, invalid fields
//!   422). A 5xx is logged here with its detail and says nothing more to the client.
//! - **Routes** are declared once, in [`ROUTES`] and the router built beside it; a test checks
//!   that the OpenAPI document ([`openapi`]) describes exactly those.

pub mod articles;
pub mod openapi;
pub mod taxonomy;
pub mod types;
pub mod write;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing};

use super::AppState;
use super::auth::Bearer;
use types::{ErrorBody, FieldMessage};

/// The largest request body a write accepts: both language versions at the editor's limit
/// ([`crate::web::admin::form::MAX_BODY`] each) with room for the rest.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

/// Declares the API's routes once: [`ROUTES`] (what the OpenAPI test compares with the
/// document) and the router are both built from this list.
macro_rules! endpoints {
    ($($method:ident $path:literal => $handler:path;)*) => {
        /// Every route of the API, as (method, path) with axum's `{param}` syntax, which is
        /// also OpenAPI's.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        fn endpoints() -> Router<AppState> {
            Router::new()$(.route($path, routing::$method($handler)))*
        }
    };
}

endpoints! {
    get "/api/v1/articles" => articles::list;
    post "/api/v1/articles" => articles::create;
    get "/api/v1/articles/{slug}" => articles::show;
    put "/api/v1/articles/{slug}" => articles::replace;
    delete "/api/v1/articles/{slug}" => articles::delete;
    post "/api/v1/articles/{slug}/status" => articles::set_status;
    post "/api/v1/articles/{slug}/restore" => articles::restore;
    get "/api/v1/topics" => taxonomy::topics;
    post "/api/v1/topics" => taxonomy::create_topic;
    put "/api/v1/topics/{slug}" => taxonomy::update_topic;
    delete "/api/v1/topics/{slug}" => taxonomy::delete_topic;
    get "/api/v1/authors" => taxonomy::authors;
    post "/api/v1/authors" => taxonomy::create_author;
    put "/api/v1/authors/{slug}" => taxonomy::update_author;
    delete "/api/v1/authors/{slug}" => taxonomy::delete_author;
    get "/api/v1/sections" => taxonomy::sections;
    post "/api/v1/sections" => taxonomy::create_section;
    put "/api/v1/sections/{slug}" => taxonomy::update_section;
    delete "/api/v1/sections/{slug}" => taxonomy::delete_section;
    get "/api/v1/openapi.json" => openapi::document;
}

/// The API's router, to merge into the site's.
pub fn routes() -> Router<AppState> {
    endpoints()
        // Any other path under /api answers in JSON, not with the site's HTML 404 page.
        .route("/api", routing::any(no_such_endpoint))
        .route("/api/{*rest}", routing::any(no_such_endpoint))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(axum::middleware::map_response(api_headers))
}

async fn no_such_endpoint() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such API endpoint; see /api/v1/openapi.json",
    )
}

/// Answers are per caller (a token may see drafts) and change with every save: never stored
/// by shared caches. A 405 from the router gets the API's error shape too.
async fn api_headers(response: Response) -> Response {
    let mut response = if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        let allow = response.headers().get("allow").cloned();
        let mut r = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed here")
            .into_response();
        if let Some(allow) = allow {
            r.headers_mut().insert("allow", allow);
        }
        r
    } else {
        response
    };
    let headers = response.headers_mut();
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    headers.insert("vary", HeaderValue::from_static("authorization"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(super::headers::DATA_POLICY),
    );
    response
}

/// An API error: a status and the JSON body every error has.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    /// Our fault: logged when the response is made, never shown.
    internal: Option<anyhow::Error>,
}

impl ApiError {
    /// An error with a message and no fields.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error: message.into(),
                fields: Vec::new(),
                current_revision: None,
            },
            internal: None,
        }
    }

    /// 404.
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, what)
    }

    /// 403.
    pub fn forbidden(why: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, why)
    }

    /// 422 with the fields to fix.
    pub fn invalid(fields: Vec<FieldMessage>) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the request is not valid; see `fields`",
        );
        e.body.fields = fields;
        e
    }

    /// 409: someone saved since `expected`; the article is now at `current`.
    pub fn conflict(expected: i64, current: i64) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "the article changed since revision {expected}: it is now at revision \
                 {current}; fetch it, merge, and send that revision"
            ),
        );
        e.body.current_revision = Some(current);
        e
    }

    /// The answer to an editorial command's error.
    pub fn editorial(err: crate::editorial::EditorialError) -> ApiError {
        use crate::editorial::EditorialError as E;
        match err {
            E::Invalid(fields) => ApiError::invalid(
                fields
                    .into_iter()
                    .map(|f| FieldMessage {
                        field: f.field,
                        message: f.message,
                    })
                    .collect(),
            ),
            E::Conflict { expected, current } => ApiError::conflict(expected, current),
            e @ E::InUse { .. } => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            E::NotPermitted => ApiError::forbidden("not permitted"),
            e @ E::NotFound { .. } => ApiError::not_found(e.to_string()),
            e @ E::Gone { .. } => ApiError::new(StatusCode::GONE, e.to_string()),
            e @ E::Unconfirmed(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            E::Internal(err) => ApiError::from(err),
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        let err = err.into();
        if crate::store::is_invalid_text(&err) {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the request holds a character that cannot be stored (such as NUL)",
            );
        }
        ApiError {
            internal: Some(err),
            ..ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "something went wrong on our side; it has been logged",
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            let detail = self
                .internal
                .as_ref()
                .map(|e| format!("{e:#}"))
                .unwrap_or_else(|| self.body.error.clone());
            tracing::error!(error = detail, status = %self.status, "internal error in the API");
        }
        (self.status, Json(self.body)).into_response()
    }
}

/// A handler's result.
pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON request body whose rejections (malformed JSON 400, wrong types 422, not JSON 415,
/// too large 413) answer in the API's error shape.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::new(rejection.status(), rejection.body_text())),
        }
    }
}

/// Query parameters whose rejection answers 400 in the API's error shape.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    axum::extract::Query<T>: FromRequestParts<S, Rejection = QueryRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(ApiQuery(q.0)),
            Err(rejection) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                rejection.body_text(),
            )),
        }
    }
}

/// Reads may be anonymous: no `Authorization` header is `None`; a header that does not name a
/// valid token is refused (401), as for writes.
impl OptionalFromRequestParts<AppState> for Bearer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Bearer>, Response> {
        if !parts.headers.contains_key("authorization") {
            return Ok(None);
        }
        <Bearer as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}
