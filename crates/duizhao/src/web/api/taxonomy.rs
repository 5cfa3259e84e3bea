//! Topics, authors and sections, with their names in every edition the site serves; and
//! writing them (create, change or rename, delete or merge), through the editorial core's
//! [`taxonomy`](crate::editorial::taxonomy) commands.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::types::{
    AuthorBody, AuthorWrite, DeleteParams, Deleted, ErrorBody, Names, SectionBody, SectionWrite,
    TopicBody, TopicWrite,
};
use super::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::content::{Author, Edition, Localized, Section, Topic};
use crate::editorial::taxonomy as commands;
use crate::store::taxonomy::{AuthorInput, SectionInput, TaxonomyInput, TaxonomyKind, TopicInput};
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
    Ok(Json(topics.iter().map(|t| topic_body(&state, t)).collect()))
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
        authors.iter().map(|a| author_body(&state, a)).collect(),
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
        sections.iter().map(|s| section_body(&state, s)).collect(),
    ))
}

fn topic_body(state: &AppState, t: &Topic) -> TopicBody {
    TopicBody {
        slug: t.slug.clone(),
        names: names(state, &t.name),
        hot: t.hot,
        hot_order: t.hot_order,
        description: names(state, &t.description),
        urls: urls(state, |e| paths::topic(e, &t.slug)),
    }
}

fn author_body(state: &AppState, a: &Author) -> AuthorBody {
    AuthorBody {
        slug: a.slug.clone(),
        names: names(state, &a.name),
        bio: names(state, &a.bio),
        photo: a
            .photo
            .as_ref()
            .map(|m| state.absolute(&paths::media(&m.path))),
        urls: urls(state, |e| paths::author(e, &a.slug)),
    }
}

fn section_body(state: &AppState, s: &Section) -> SectionBody {
    SectionBody {
        slug: s.slug.clone(),
        names: names(state, &s.name),
        position: s.position,
        urls: urls(state, |e| paths::section(e, &s.slug)),
    }
}

/// Runs the save command and answers with the item as now stored: 201 with `Location` when
/// created, 200 when changed.
async fn save(
    state: &AppState,
    user: &crate::accounts::User,
    original: Option<&str>,
    input: TaxonomyInput,
) -> ApiResult<Response> {
    let kind = input.kind();
    let slug = {
        let converters = state.converters();
        let core = state.core(&converters, Some(user));
        commands::save(&core, original, input).await
    }
    .map_err(ApiError::editorial)?;
    let store = state.store();
    let missing = || {
        ApiError::not_found(format!(
            "the {} {slug:?} was deleted meanwhile",
            kind.code()
        ))
    };
    let body = match kind {
        TaxonomyKind::Topic => {
            let t = store.topic(&slug).await?.ok_or_else(missing)?;
            serde_json::to_value(topic_body(state, &t))
        }
        TaxonomyKind::Author => {
            let a = store.author(&slug).await?.ok_or_else(missing)?;
            serde_json::to_value(author_body(state, &a))
        }
        TaxonomyKind::Section => {
            let s = store.section(&slug).await?.ok_or_else(missing)?;
            serde_json::to_value(section_body(state, &s))
        }
    }?;
    let status = if original.is_none() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!(
        "/api/v1/{}/{}",
        kind.plural(),
        paths::encode_segment(&slug)
    )) {
        response.headers_mut().insert("location", location);
    }
    Ok(response)
}

async fn delete(
    state: &AppState,
    user: &crate::accounts::User,
    kind: TaxonomyKind,
    slug: &str,
    params: DeleteParams,
) -> ApiResult<Json<Deleted>> {
    let reassign = params.reassign_to.as_deref();
    let articles = {
        let converters = state.converters();
        let core = state.core(&converters, Some(user));
        commands::delete(&core, kind, slug, reassign).await
    }
    .map_err(ApiError::editorial)?;
    Ok(Json(Deleted {
        deleted: slug.to_owned(),
        reassigned_to: params.reassign_to.filter(|s| !s.trim().is_empty()),
        articles,
    }))
}

fn topic_input(slug: Option<String>, body: TopicWrite) -> TaxonomyInput {
    TaxonomyInput::Topic(TopicInput {
        slug: body.slug.or(slug).unwrap_or_default(),
        name_en: body.name_en,
        name_zh: body.name_zh,
        hot: body.hot,
        hot_order: body.hot_order,
        description_en: body.description_en,
        description_zh: body.description_zh,
    })
}

fn author_input(slug: Option<String>, body: AuthorWrite) -> TaxonomyInput {
    TaxonomyInput::Author(AuthorInput {
        slug: body.slug.or(slug).unwrap_or_default(),
        name_en: body.name_en,
        name_zh: body.name_zh,
        bio_en: body.bio_en,
        bio_zh: body.bio_zh,
        photo: body.photo,
    })
}

fn section_input(slug: Option<String>, body: SectionWrite) -> TaxonomyInput {
    TaxonomyInput::Section(SectionInput {
        slug: body.slug.or(slug).unwrap_or_default(),
        name_en: body.name_en,
        name_zh: body.name_zh,
        position: body.position,
    })
}

/// Creates a topic.
#[utoipa::path(post, path = "/api/v1/topics", tag = "taxonomy",
    request_body = TopicWrite,
    responses(
        (status = 201, description = "Created; `Location` is its API address", body = TopicBody),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted (editors and admins manage topics)", body = ErrorBody),
        (status = 422, description = "Invalid fields, or the slug is taken", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn create_topic(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    ApiJson(body): ApiJson<TopicWrite>,
) -> ApiResult<Response> {
    save(&state, &user, None, topic_input(None, body)).await
}

/// Changes a topic; a `slug` in the body renames it (the old address answers 301).
#[utoipa::path(put, path = "/api/v1/topics/{slug}", tag = "taxonomy",
    params(("slug" = String, Path, description = "The topic's URL name")),
    request_body = TopicWrite,
    responses(
        (status = 200, description = "Saved", body = TopicBody),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted", body = ErrorBody),
        (status = 404, description = "No such topic", body = ErrorBody),
        (status = 422, description = "Invalid fields, or the new slug is taken", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn update_topic(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<TopicWrite>,
) -> ApiResult<Response> {
    save(
        &state,
        &user,
        Some(&slug),
        topic_input(Some(slug.clone()), body),
    )
    .await
}

/// Deletes a topic; while articles carry it, `reassign_to` names the topic they move to
/// (merging the two).
#[utoipa::path(delete, path = "/api/v1/topics/{slug}", tag = "taxonomy",
    params(("slug" = String, Path, description = "The topic's URL name"), DeleteParams),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted", body = ErrorBody),
        (status = 404, description = "No such topic", body = ErrorBody),
        (status = 409, description = "Articles carry it and no `reassign_to` was given", body = ErrorBody),
        (status = 422, description = "`reassign_to` names no other topic", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn delete_topic(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
) -> ApiResult<Json<Deleted>> {
    delete(&state, &user, TaxonomyKind::Topic, &slug, params).await
}

/// Creates an author.
#[utoipa::path(post, path = "/api/v1/authors", tag = "taxonomy",
    request_body = AuthorWrite,
    responses(
        (status = 201, description = "Created; `Location` is its API address", body = AuthorBody),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted (editors and admins manage authors)", body = ErrorBody),
        (status = 422, description = "Invalid fields, the slug is taken, or no such photo", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn create_author(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    ApiJson(body): ApiJson<AuthorWrite>,
) -> ApiResult<Response> {
    save(&state, &user, None, author_input(None, body)).await
}

/// Changes an author; a `slug` in the body renames them (the old address answers 301).
#[utoipa::path(put, path = "/api/v1/authors/{slug}", tag = "taxonomy",
    params(("slug" = String, Path, description = "The author's URL name")),
    request_body = AuthorWrite,
    responses(
        (status = 200, description = "Saved", body = AuthorBody),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted", body = ErrorBody),
        (status = 404, description = "No such author", body = ErrorBody),
        (status = 422, description = "Invalid fields, the new slug is taken, or no such photo", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn update_author(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<AuthorWrite>,
) -> ApiResult<Response> {
    save(
        &state,
        &user,
        Some(&slug),
        author_input(Some(slug.clone()), body),
    )
    .await
}

/// Deletes an author; while articles carry them, `reassign_to` names who takes the byline.
#[utoipa::path(delete, path = "/api/v1/authors/{slug}", tag = "taxonomy",
    params(("slug" = String, Path, description = "The author's URL name"), DeleteParams),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted", body = ErrorBody),
        (status = 404, description = "No such author", body = ErrorBody),
        (status = 409, description = "Articles carry them and no `reassign_to` was given", body = ErrorBody),
        (status = 422, description = "`reassign_to` names no other author", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn delete_author(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
) -> ApiResult<Json<Deleted>> {
    delete(&state, &user, TaxonomyKind::Author, &slug, params).await
}

/// Creates a section.
#[utoipa::path(post, path = "/api/v1/sections", tag = "taxonomy",
    request_body = SectionWrite,
    responses(
        (status = 201, description = "Created; `Location` is its API address", body = SectionBody),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted (editors and admins manage sections)", body = ErrorBody),
        (status = 422, description = "Invalid fields, or the slug is taken", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn create_section(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    ApiJson(body): ApiJson<SectionWrite>,
) -> ApiResult<Response> {
    save(&state, &user, None, section_input(None, body)).await
}

/// Changes a section; a `slug` in the body renames it (the old address answers 301).
#[utoipa::path(put, path = "/api/v1/sections/{slug}", tag = "taxonomy",
    params(("slug" = String, Path, description = "The section's URL name")),
    request_body = SectionWrite,
    responses(
        (status = 200, description = "Saved", body = SectionBody),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted", body = ErrorBody),
        (status = 404, description = "No such section", body = ErrorBody),
        (status = 422, description = "Invalid fields, or the new slug is taken", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn update_section(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<SectionWrite>,
) -> ApiResult<Response> {
    save(
        &state,
        &user,
        Some(&slug),
        section_input(Some(slug.clone()), body),
    )
    .await
}

/// Deletes a section; while articles are in it, `reassign_to` names the section they move to.
#[utoipa::path(delete, path = "/api/v1/sections/{slug}", tag = "taxonomy",
    params(("slug" = String, Path, description = "The section's URL name"), DeleteParams),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted", body = ErrorBody),
        (status = 404, description = "No such section", body = ErrorBody),
        (status = 409, description = "Articles are in it and no `reassign_to` was given", body = ErrorBody),
        (status = 422, description = "`reassign_to` names no other section", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn delete_section(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
) -> ApiResult<Json<Deleted>> {
    delete(&state, &user, TaxonomyKind::Section, &slug, params).await
}
