//! Topics, authors and sections, with their names in every edition the site serves.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;

use super::ApiResult;
use super::types::{AuthorBody, ErrorBody, Names, SectionBody, TopicBody};
use crate::content::{Edition, Localized};
use crate::web::auth::Bearer;
use crate::web::{AppState, paths};

/// A name in every edition served.
pub fn names(state: &AppState, text: &Localized) -> Names {
    state
        .config()
        .editions()
        .into_iter()
        .map(|e| (e.code().to_owned(), text.get(e).to_owned()))
        .collect()
}

/// A page's absolute URL in every edition served.
fn urls(state: &AppState, path: impl Fn(Edition) -> String) -> BTreeMap<String, String> {
    state
        .config()
        .editions()
        .into_iter()
        .map(|e| (e.code().to_owned(), state.absolute(&path(e))))
        .collect()
}

/// Every topic, hot ones first.
#[utoipa::path(get, path = "/api/v1/topics", tag = "taxonomy",
    responses(
        (status = 200, description = "Every topic, hot ones first", body = Vec<TopicBody>),
        (status = 401, description = "A token was sent and is not valid", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn topics(
    State(state): State<AppState>,
    _caller: Option<Bearer>,
) -> ApiResult<Json<Vec<TopicBody>>> {
    let topics = state.store().topics().await?;
    Ok(Json(
        topics
            .iter()
            .map(|t| TopicBody {
                slug: t.slug.clone(),
                names: names(&state, &t.name),
                hot: t.hot,
                urls: urls(&state, |e| paths::topic(e, &t.slug)),
            })
            .collect(),
    ))
}

/// Every author, by slug.
#[utoipa::path(get, path = "/api/v1/authors", tag = "taxonomy",
    responses(
        (status = 200, description = "Every author, by slug", body = Vec<AuthorBody>),
        (status = 401, description = "A token was sent and is not valid", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn authors(
    State(state): State<AppState>,
    _caller: Option<Bearer>,
) -> ApiResult<Json<Vec<AuthorBody>>> {
    let authors = state.store().authors().await?;
    Ok(Json(
        authors
            .iter()
            .map(|a| AuthorBody {
                slug: a.slug.clone(),
                names: names(&state, &a.name),
                bio: names(&state, &a.bio),
                urls: urls(&state, |e| paths::author(e, &a.slug)),
            })
            .collect(),
    ))
}

/// Every section, in menu order.
#[utoipa::path(get, path = "/api/v1/sections", tag = "taxonomy",
    responses(
        (status = 200, description = "Every section, in menu order", body = Vec<SectionBody>),
        (status = 401, description = "A token was sent and is not valid", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn sections(
    State(state): State<AppState>,
    _caller: Option<Bearer>,
) -> ApiResult<Json<Vec<SectionBody>>> {
    let sections = state.store().sections().await?;
    Ok(Json(
        sections
            .iter()
            .map(|s| SectionBody {
                slug: s.slug.clone(),
                names: names(&state, &s.name),
                position: s.position,
                urls: urls(&state, |e| paths::section(e, &s.slug)),
            })
            .collect(),
    ))
}
