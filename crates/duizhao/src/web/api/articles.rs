//! Articles: the published list, one article in every edition, and the writes (create,
//! replace, change of status), whose rules are in [`super::write`].

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

use super::taxonomy::names;
use super::types::{
    ArticleBody, ArticleDetail, ArticleItem, ArticleList, BlockBody, EditionBody, ErrorBody,
    HeroImage, ListParams, Master, Named, PairRow, StatusChange, VersionBody,
};
use super::{ApiError, ApiJson, ApiQuery, ApiResult, write};
use crate::accounts::{Action, User};
use crate::content::{Edition, EditionText, Language, Mode, Status, VersionText};
use crate::store::articles::{ListFilter, ListQuery};
use crate::web::auth::Bearer;
use crate::web::{AppState, paths};

/// Items per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// The most items a page may ask for.
pub const MAX_PER_PAGE: u32 = 100;

/// Published articles, newest first, optionally of one topic, author or section.
#[utoipa::path(get, path = "/api/v1/articles", tag = "articles",
    params(ListParams),
    responses(
        (status = 200, description = "A page of published articles", body = ArticleList),
        (status = 400, description = "Bad paging or more than one filter", body = ErrorBody),
        (status = 401, description = "A token was sent and is not valid", body = ErrorBody),
        (status = 404, description = "No such topic, author or section", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Option<Bearer>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Json<ArticleList>> {
    let bad = |field: &str, message: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, message).with_fields(vec![
            super::types::FieldMessage {
                field: field.to_owned(),
                message: message.to_owned(),
            },
        ])
    };
    let page = params.page.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(bad("page", "page must be from 1 to 10000"));
    }
    let per_page = params.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(bad("per_page", "per_page must be from 1 to 100"));
    }
    let store = state.store();
    let filter = match (&params.topic, &params.author, &params.section) {
        (None, None, None) => ListFilter::All,
        (Some(t), None, None) => {
            store
                .topic(t)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("no topic {t:?}")))?;
            ListFilter::Topic(t)
        }
        (None, Some(a), None) => {
            store
                .author(a)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("no author {a:?}")))?;
            ListFilter::Author(a)
        }
        (None, None, Some(s)) => {
            store
                .section(s)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("no section {s:?}")))?;
            ListFilter::Section(s)
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "filter by one of topic, author or section at a time",
            ));
        }
    };
    let query = ListQuery::new(filter, Edition::En, Timestamp::now(), i64::from(per_page))
        .offset(i64::from(page - 1) * i64::from(per_page));
    let found = store.list_published(&query).await?;
    let ids: Vec<_> = found.items.iter().map(|s| s.id).collect();
    let details = store.list_details(&ids).await?;
    let served = state.config().editions();
    let items = found
        .items
        .into_iter()
        .zip(details)
        .map(|(summary, details)| ArticleItem {
            id: summary.id.0,
            published_at: summary.published_at.to_string(),
            updated_at: details.updated_at.to_string(),
            section: summary.section.map(|s| s.slug),
            topics: details.topics,
            authors: details.authors,
            versions: versions(summary.has_en, summary.has_zh),
            titles: details
                .titles
                .into_iter()
                .filter(|(e, _)| served.contains(e))
                .map(|(e, t)| (e.code().to_owned(), t))
                .collect(),
            urls: served
                .iter()
                .map(|e| {
                    let urls = mode_urls(&state, *e, &summary.slug, summary.has_en, summary.has_zh);
                    (e.code().to_owned(), urls)
                })
                .filter(|(_, urls)| !urls.is_empty())
                .collect(),
            slug: summary.slug,
        })
        .collect();
    Ok(Json(ArticleList {
        page,
        per_page,
        total: found.total,
        items,
    }))
}

fn versions(en: bool, zh: bool) -> Vec<String> {
    [(en, "en"), (zh, "zh")]
        .into_iter()
        .filter(|(has, _)| *has)
        .map(|(_, code)| code.to_owned())
        .collect()
}

/// The article's page URL in each reading mode whose languages it has, in one edition.
fn mode_urls(
    state: &AppState,
    edition: Edition,
    slug: &str,
    en: bool,
    zh: bool,
) -> BTreeMap<String, String> {
    Mode::ALL
        .into_iter()
        .filter(|m| {
            m.needs().iter().all(|l| match l {
                Language::En => en,
                Language::Zh => zh,
            })
        })
        .map(|m| {
            (
                m.code().to_owned(),
                state.absolute(&paths::article(edition, slug, m)),
            )
        })
        .collect()
}

/// One article: every edition's text, the pairing, and for a token allowed to view it in the
/// back office, the master text.
#[utoipa::path(get, path = "/api/v1/articles/{slug}", tag = "articles",
    params(("slug" = String, Path, description = "The article's URL name")),
    responses(
        (status = 200, description = "The article; `ETag` is its revision", body = ArticleDetail),
        (status = 401, description = "A token was sent and is not valid", body = ErrorBody),
        (status = 404, description = "No such article, or not published and not yours to view", body = ErrorBody),
        (status = 410, description = "Unpublished", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    caller: Option<Bearer>,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let user = caller.map(|b| b.0);
    let detail = detail(&state, user.as_ref(), &slug).await?;
    Ok(with_etag(StatusCode::OK, detail))
}

/// A response carrying the article and its revision as the `ETag`.
pub(super) fn with_etag(status: StatusCode, detail: ArticleDetail) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", detail.revision))
        .expect("a number is a valid header");
    let mut response = (status, Json(detail)).into_response();
    response.headers_mut().insert("etag", etag);
    response
}

/// The article as `user` (or an anonymous reader) may see it: 404 for what they may not see,
/// 410 for an unpublished article they may not view.
pub(super) async fn detail(
    state: &AppState,
    user: Option<&User>,
    slug: &str,
) -> ApiResult<ArticleDetail> {
    let not_found = || ApiError::not_found(format!("no article {slug:?}"));
    let store = state.store();
    let editable = store.editable(slug).await?.ok_or_else(not_found)?;
    let status = editable.access.status;
    let public = status == Status::Published
        && editable
            .input
            .published_at
            .is_some_and(|t| t <= Timestamp::now());
    let may_view = user.is_some_and(|u| u.may(Action::ViewArticle, Some(&editable.access)));
    if !public && !may_view {
        return Err(if status == Status::Unpublished {
            ApiError::new(
                StatusCode::GONE,
                format!("the article {slug:?} was unpublished"),
            )
        } else {
            not_found()
        });
    }
    // The English text comes with the first Chinese edition's; each further Chinese edition is
    // its own read.
    let served = state.config().editions();
    let mut first = None;
    let mut chinese: Vec<(Edition, EditionText)> = Vec::new();
    for edition in served
        .iter()
        .copied()
        .filter(|e| e.language() == Language::Zh)
    {
        let article = store.article(slug, edition).await?.ok_or_else(not_found)?;
        if let Some(text) = &article.zh {
            chinese.push((edition, text.clone()));
        }
        first.get_or_insert(article);
    }
    let article = first.ok_or_else(not_found)?;
    let (has_en, has_zh) = (article.en.is_some(), article.zh.is_some());
    let english = article
        .en
        .clone()
        .filter(|_| served.contains(&Edition::En))
        .map(|t| (Edition::En, t));
    let editions = english
        .into_iter()
        .chain(chinese)
        .map(|(edition, text)| EditionBody {
            edition: edition.code().to_owned(),
            lang: edition.lang_tag().to_owned(),
            title: text.title,
            dek: text.dek,
            hero_caption: text.hero_caption,
            hero_credit: text.hero_credit,
            blocks: text
                .blocks
                .into_iter()
                .map(|b| BlockBody {
                    kind: serde_json::to_value(b.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    html: b.html,
                    pair: b.pair,
                })
                .collect(),
            urls: mode_urls(state, edition, slug, has_en, has_zh),
        })
        .collect();
    let named = |slug: &str, text: &crate::content::Localized| Named {
        slug: slug.to_owned(),
        names: names(state, text),
    };
    let version = |v: &VersionText| VersionBody {
        title: v.title.clone(),
        dek: v.dek.clone(),
        body: v.body.clone(),
        hero_caption: v.hero_caption.clone(),
        hero_credit: v.hero_credit.clone(),
    };
    Ok(ArticleDetail {
        id: article.id.0,
        slug: article.slug.clone(),
        status: status.code().to_owned(),
        revision: editable.revision,
        published_at: article.published_at.map(|t| t.to_string()),
        updated_at: article.updated_at.to_string(),
        zh_script: article.zh_script.code().to_owned(),
        section: article.section.as_ref().map(|s| named(&s.slug, &s.name)),
        topics: article
            .topics
            .iter()
            .map(|t| named(&t.slug, &t.name))
            .collect(),
        authors: article
            .authors
            .iter()
            .map(|a| named(&a.slug, &a.name))
            .collect(),
        hero: article.hero.as_ref().map(|m| HeroImage {
            path: m.path.clone(),
            url: state.absolute(&paths::media(&m.path)),
            mime: m.mime.clone(),
            alt: names(state, &m.alt),
        }),
        versions: versions(has_en, has_zh),
        deleted_at: editable.deleted_at.map(|t| t.to_string()),
        editions,
        pairing: article
            .pairing
            .iter()
            .map(|r| PairRow {
                en: r.en.clone(),
                zh: r.zh.clone(),
            })
            .collect(),
        master: may_view.then(|| Master {
            featured: editable.input.featured,
            zh_rules: editable.input.zh_rules.clone(),
            en: editable.input.en.as_ref().map(version),
            zh: editable.input.zh.as_ref().map(version),
        }),
    })
}

/// Creates an article (a draft unless `status` says otherwise).
#[utoipa::path(post, path = "/api/v1/articles", tag = "articles",
    request_body = ArticleBody,
    responses(
        (status = 201, description = "Created; `Location` is its API address", body = ArticleDetail),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted (creating, or publishing)", body = ErrorBody),
        (status = 413, description = "Request too large", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    ApiJson(body): ApiJson<ArticleBody>,
) -> ApiResult<Response> {
    let slug = write::create(&state, &user, &body).await?;
    let detail = detail(&state, Some(&user), &slug).await?;
    let mut response = with_etag(StatusCode::CREATED, detail);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/articles/{slug}")) {
        response.headers_mut().insert("location", location);
    }
    Ok(response)
}

/// Replaces an article's text and metadata, at the revision given in `revision` or `If-Match`.
#[utoipa::path(put, path = "/api/v1/articles/{slug}", tag = "articles",
    params(
        ("slug" = String, Path, description = "The article's URL name"),
        ("If-Match" = Option<String>, Header, description = "The revision replaced, as `\"12\"`"),
    ),
    request_body = ArticleBody,
    responses(
        (status = 200, description = "Saved", body = ArticleDetail),
        (status = 400, description = "Malformed JSON or If-Match", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not permitted (this part, this article, or publishing)", body = ErrorBody),
        (status = 404, description = "No such article", body = ErrorBody),
        (status = 409, description = "Changed since that revision; `current_revision` says to what", body = ErrorBody),
        (status = 413, description = "Request too large", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
        (status = 428, description = "No revision given", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn replace(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ArticleBody>,
) -> ApiResult<Response> {
    write::replace(&state, &user, &slug, &headers, &body).await?;
    let detail = detail(&state, Some(&user), &slug).await?;
    Ok(with_etag(StatusCode::OK, detail))
}

/// Publishes, schedules or unpublishes an article.
#[utoipa::path(post, path = "/api/v1/articles/{slug}/status", tag = "articles",
    params(
        ("slug" = String, Path, description = "The article's URL name"),
        ("If-Match" = Option<String>, Header, description = "The revision this applies to, as `\"12\"`"),
    ),
    request_body = StatusChange,
    responses(
        (status = 200, description = "Done", body = ArticleDetail),
        (status = 400, description = "Malformed JSON or If-Match", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user may not publish", body = ErrorBody),
        (status = 404, description = "No such article", body = ErrorBody),
        (status = 409, description = "Changed since that revision", body = ErrorBody),
        (status = 422, description = "Invalid (a schedule in the past, say)", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn set_status(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ApiJson(change): ApiJson<StatusChange>,
) -> ApiResult<Response> {
    write::set_status(&state, &user, &slug, &headers, &change).await?;
    let detail = detail(&state, Some(&user), &slug).await?;
    Ok(with_etag(StatusCode::OK, detail))
}

/// Moves an article to the trash: it stops being public at once (a published article's pages
/// answer 410 Gone) and can be restored for 30 days.
#[utoipa::path(delete, path = "/api/v1/articles/{slug}", tag = "articles",
    params(("slug" = String, Path, description = "The article's URL name")),
    responses(
        (status = 200, description = "In the trash (see `deleted_at`)", body = ArticleDetail),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user may not delete it", body = ErrorBody),
        (status = 404, description = "No such article", body = ErrorBody),
        (status = 410, description = "It is in the trash already", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    trash(&state, &user, &slug, true).await
}

/// Takes an article out of the trash, as it was when deleted except that it is not public:
/// publish it again with `/status`.
#[utoipa::path(post, path = "/api/v1/articles/{slug}/restore", tag = "articles",
    params(("slug" = String, Path, description = "The article's URL name")),
    responses(
        (status = 200, description = "Restored", body = ArticleDetail),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user may not restore it", body = ErrorBody),
        (status = 404, description = "No such article (or removed for good)", body = ErrorBody),
        (status = 422, description = "It is not in the trash", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn restore(
    State(state): State<AppState>,
    Bearer(user): Bearer,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    trash(&state, &user, &slug, false).await
}

/// Moves an article into the trash (`into`) or out of it; answers with the article.
async fn trash(state: &AppState, user: &User, slug: &str, into: bool) -> ApiResult<Response> {
    let converters = state.converters();
    let core = state.core(&converters, Some(user));
    let done = if into {
        crate::editorial::articles::delete(&core, slug).await
    } else {
        crate::editorial::articles::restore(&core, slug).await
    };
    done.map_err(ApiError::editorial)?;
    let detail = detail(state, Some(user), slug).await?;
    Ok(with_etag(StatusCode::OK, detail))
}
