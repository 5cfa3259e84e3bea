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
use types::ErrorBody;

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

/// An API error answered as the API answers, for the layers outside its router.
pub async fn answer(err: ApiError) -> Response {
    api_headers(err.into_response()).await
}

/// Answers are per caller (a token may see drafts) and change with every save: never stored
/// by shared caches. A 405 from the router gets the API's error shape too.
async fn api_headers(mut response: Response) -> Response {
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && response
            .extensions()
            .get::<crate::web::error::Failure>()
            .is_none()
    {
        let allow = response.headers().get("allow").cloned();
        response = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed here")
            .into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert("allow", allow);
        }
    }
    // Every error answers in the API's JSON shape.
    if let Some(failure) = response
        .extensions_mut()
        .remove::<crate::web::error::Failure>()
    {
        let status = failure.status;
        let mut json = (status, Json(error_body(failure))).into_response();
        for (name, value) in response.headers() {
            if name != "content-type" && name != "content-length" {
                json.headers_mut().insert(name.clone(), value.clone());
            }
        }
        response = json;
    }
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

/// An API error: the web layer's one error type ([`crate::web::error`]), answered as the
/// JSON every error has ([`ErrorBody`]) by the API's response layer.
pub type ApiError = crate::web::error::WebError;

/// The JSON body for an error response's [`Failure`](crate::web::error::Failure).
fn error_body(failure: crate::web::error::Failure) -> ErrorBody {
    let status = failure.status;
    ErrorBody {
        error: failure.message.unwrap_or_else(|| {
            if status.is_server_error() {
                "something went wrong on our side; it has been logged".to_owned()
            } else {
                status.canonical_reason().unwrap_or("error").to_lowercase()
            }
        }),
        fields: failure.fields,
        current_revision: failure.current_revision,
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
