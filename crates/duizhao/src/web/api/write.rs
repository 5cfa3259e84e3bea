//! The API's writes: a request body becomes the editorial core's [`ArticleDraft`] with an
//! [`Intent`], and the core's [`articles::save`] checks and stores it (permissions, fields,
//! revision, search entry, page cache), as it does for the editor.
//!
//! Where the editor silently keeps a part the user may not change (its form does not show
//! them), the API refuses (403) a request that would change such a part: a client should
//! learn that its change was not made. A part that is not the user's may be left out of a
//! `PUT`; it is then kept.

use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;

use super::types::{ArticleBody, FieldMessage, StatusBody, StatusChange, VersionBody, ZhScript};
use super::{ApiError, ApiResult};
use crate::accounts::{Action, Role, User};
use crate::content::{ArticleInput, Language, Script, Status, VersionText};
use crate::editorial::articles::{self, ArticleDraft, Intent, SaveArticle};
use crate::store::revisions::{Editable, Meta};
use crate::web::AppState;

/// Which parts a `PUT` keeps from the stored article when the body leaves them out.
#[derive(Clone, Copy, Debug, Default)]
struct Keep {
    meta: bool,
    en: bool,
    zh: bool,
}

/// The publication time a body names, read as the editor reads it (RFC 3339 with an offset,
/// or a local time in the site's zone).
fn time(state: &AppState, value: Option<&str>) -> ApiResult<Option<Timestamp>> {
    crate::web::admin::form::parse_local_time(value.unwrap_or(""), state.time_zone())
        .map_err(|e| invalid_field("published_at", &e))
}

/// The draft for a body, over `stored` for the parts `keep` names.
fn to_draft(
    body: &ArticleBody,
    keep: Keep,
    stored: &ArticleDraft,
    published_at: Option<Timestamp>,
) -> ArticleDraft {
    let mut d = if keep.meta {
        stored.clone()
    } else {
        ArticleDraft::default()
    };
    if let Some(v) = &body.slug {
        d.slug = v.clone();
    }
    if let Some(v) = &body.section {
        d.section = Some(v.clone());
    }
    if let Some(v) = &body.topics {
        d.topics = v.clone();
    }
    if let Some(v) = &body.authors {
        d.authors = v.clone();
    }
    if let Some(v) = &body.hero {
        d.hero = Some(v.clone());
    }
    if let Some(v) = &body.zh_rules {
        d.zh_rules = v.clone();
    }
    if let Some(v) = body.featured {
        d.featured = v;
    }
    if let Some(script) = body.zh_script {
        d.zh_script = match script {
            ZhScript::Hans => Script::Hans,
            ZhScript::Hant => Script::Hant,
        };
    }
    d.published_at = published_at.or(d.published_at);
    let version = |v: &Option<VersionBody>, kept: bool, stored: &VersionText| match v {
        Some(v) => VersionText {
            title: v.title.clone(),
            dek: v.dek.clone(),
            body: v.body.clone(),
            hero_caption: v.hero_caption.clone(),
            hero_credit: v.hero_credit.clone(),
        },
        None if kept => stored.clone(),
        None => VersionText::default(),
    };
    d.en = version(&body.en, keep.en, &stored.en);
    d.zh = version(&body.zh, keep.zh, &stored.zh);
    d
}

fn invalid_field(field: &str, message: &str) -> ApiError {
    ApiError::invalid(vec![FieldMessage {
        field: field.to_owned(),
        message: message.to_owned(),
    }])
}

/// The editor's action for a requested status, given the stored one (`None` when creating).
fn action_for(
    requested: Option<StatusBody>,
    stored: Option<Status>,
    new_time: bool,
) -> ApiResult<Intent> {
    let Some(requested) = requested else {
        return Ok(Intent::Save);
    };
    let same = match (requested, stored) {
        (StatusBody::Draft, None | Some(Status::Draft)) => true,
        (StatusBody::Published, Some(Status::Published)) => true,
        // A new time for a scheduled article is a new schedule, checked as one.
        (StatusBody::Scheduled, Some(Status::Scheduled)) => !new_time,
        (StatusBody::Unpublished, Some(Status::Unpublished)) => true,
        _ => false,
    };
    if same {
        return Ok(Intent::Save);
    }
    match requested {
        StatusBody::Published => Ok(Intent::Publish),
        StatusBody::Scheduled => Ok(Intent::Schedule),
        StatusBody::Unpublished if stored.is_some() => Ok(Intent::Unpublish),
        StatusBody::Unpublished => Err(invalid_field(
            "status",
            "a new article cannot be unpublished",
        )),
        StatusBody::Draft => Err(invalid_field(
            "status",
            "an article does not go back to draft; unpublish it instead",
        )),
    }
}

/// The revision a write names, from the body or an `If-Match: "<revision>"` header.
fn named_revision(body: Option<i64>, headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let header = match headers.get("if-match") {
        None => None,
        Some(value) => {
            let parsed = value
                .to_str()
                .ok()
                .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
                .and_then(|v| v.parse::<i64>().ok());
            Some(parsed.ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "If-Match must be the article's revision in quotes, as in \"12\"",
                )
            })?)
        }
    };
    match (body, header) {
        (Some(b), Some(h)) if b != h => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body names revision {b} and If-Match names {h}"),
        )),
        (b, h) => Ok(b.or(h)),
    }
}

/// The stored article for a write by `user`: 404 when it does not exist, or is unpublished
/// work they may not see; 403 when they may see it but may not change it at all.
async fn writable(state: &AppState, user: &User, slug: &str) -> ApiResult<Editable> {
    let editable = state
        .store()
        .editable(slug)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no article {slug:?}")))?;
    let access = &editable.access;
    if !user.may(Action::ViewArticle, Some(access)) {
        return Err(match access.status {
            Status::Draft | Status::Scheduled => {
                ApiError::not_found(format!("no article {slug:?}"))
            }
            _ => ApiError::forbidden("your token may not change this article"),
        });
    }
    Ok(editable)
}

/// Runs the core's save for an API request (the checklist is the client's to apply: API
/// writes are confirmed).
async fn store(
    state: &AppState,
    user: &User,
    stored: Option<&Editable>,
    draft: &ArticleDraft,
    intent: Intent,
    revision: Option<i64>,
) -> ApiResult<String> {
    let converters = state.converters();
    let core = state.core(&converters, Some(user));
    let command = SaveArticle {
        stored,
        draft,
        intent,
        revision,
        assign: None,
        confirmed: true,
    };
    match articles::save(&core, command).await {
        Ok(saved) => Ok(saved.slug),
        Err(e) => Err(ApiError::editorial(e)),
    }
}

fn require_publish(user: &User, access: Option<&crate::accounts::ArticleAccess>) -> ApiResult<()> {
    if user.may(Action::Publish, access) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "your token's user may not publish, schedule or unpublish",
        ))
    }
}

/// `POST /api/v1/articles`: returns the new article's slug.
pub async fn create(state: &AppState, user: &User, body: &ArticleBody) -> ApiResult<String> {
    if !user.may(Action::CreateArticle, None) {
        return Err(ApiError::forbidden(
            "your token's user may not create articles",
        ));
    }
    let intent = action_for(body.status, None, body.published_at.is_some())?;
    if intent != Intent::Save {
        require_publish(user, None)?;
    }
    let published_at = time(state, body.published_at.as_deref())?;
    // No slug: the core proposes one from the headlines.
    let draft = to_draft(
        body,
        Keep::default(),
        &ArticleDraft::default(),
        published_at,
    );
    store(state, user, None, &draft, intent, None).await
}

/// `PUT /api/v1/articles/{slug}`.
pub async fn replace(
    state: &AppState,
    user: &User,
    slug: &str,
    headers: &HeaderMap,
    body: &ArticleBody,
) -> ApiResult<()> {
    let editable = writable(state, user, slug).await?;
    let access = &editable.access;
    let may_meta = user.may(Action::EditMetadata, Some(access));
    let may_en = user.may(Action::EditVersion(Language::En), Some(access));
    let may_zh = user.may(Action::EditVersion(Language::Zh), Some(access));
    if !(may_meta || may_en || may_zh) {
        return Err(ApiError::forbidden(
            "your token may not change this article",
        ));
    }
    let expected = named_revision(body.revision, headers)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "name the revision you are replacing: `revision` in the body or If-Match",
        )
    })?;
    if expected != editable.revision {
        return Err(ApiError::conflict(expected, editable.revision));
    }
    if body.slug.as_deref().is_some_and(|s| s != slug) {
        return Err(invalid_field(
            "slug",
            "an article's slug does not change once it exists",
        ));
    }
    let intent = action_for(
        body.status,
        Some(access.status),
        body.published_at.is_some(),
    )?;
    if intent != Intent::Save {
        require_publish(user, Some(access))?;
    }
    let keep = Keep {
        meta: !may_meta,
        en: !may_en,
        zh: !may_zh,
    };
    let published_at = time(state, body.published_at.as_deref())?;
    let stored = ArticleDraft::of(&editable.input);
    let draft = to_draft(body, keep, &stored, published_at);
    // What the body asks for as if every part were the user's: a part that would change but
    // is not theirs is refused rather than silently kept.
    let unrestricted = User {
        role: Role::Editor,
        ..user.clone()
    };
    let asked = articles::prepare(
        &draft,
        Intent::Save,
        Some((&editable.input, access)),
        Some(&unrestricted),
        Timestamp::now(),
    );
    let base = &editable.input;
    let meta = |i: &ArticleInput| Meta {
        status: Status::Draft,
        ..Meta::of(i)
    };
    for (allowed, differs, part) in [
        (
            may_en,
            asked.as_ref().map_or(true, |a| a.en != base.en),
            "the English version",
        ),
        (
            may_zh,
            asked.as_ref().map_or(true, |a| a.zh != base.zh),
            "the Chinese version",
        ),
        (
            may_meta,
            asked.as_ref().map_or(true, |a| meta(a) != meta(base)),
            "the metadata (section, topics, authors, hero, script, rules, time)",
        ),
    ] {
        if !allowed && differs {
            return Err(ApiError::forbidden(format!(
                "your token may not change {part} of this article"
            )));
        }
    }
    store(state, user, Some(&editable), &draft, intent, Some(expected)).await?;
    Ok(())
}

/// `POST /api/v1/articles/{slug}/status`.
pub async fn set_status(
    state: &AppState,
    user: &User,
    slug: &str,
    headers: &HeaderMap,
    change: &StatusChange,
) -> ApiResult<()> {
    let editable = writable(state, user, slug).await?;
    require_publish(user, Some(&editable.access))?;
    let expected = named_revision(change.revision, headers)?.unwrap_or(editable.revision);
    if expected != editable.revision {
        return Err(ApiError::conflict(expected, editable.revision));
    }
    let intent = match change.status {
        StatusBody::Published => Intent::Publish,
        StatusBody::Scheduled => Intent::Schedule,
        StatusBody::Unpublished => Intent::Unpublish,
        StatusBody::Draft => {
            return Err(invalid_field(
                "status",
                "an article does not go back to draft; unpublish it instead",
            ));
        }
    };
    let mut draft = ArticleDraft::of(&editable.input);
    draft.published_at = time(state, change.published_at.as_deref())?.or(draft.published_at);
    store(state, user, Some(&editable), &draft, intent, Some(expected)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_editors_actions() {
        use StatusBody as B;
        let act = |asked: Option<B>, stored: Option<Status>, new_time| {
            action_for(asked, stored, new_time).map_err(|e| e.status())
        };
        let unprocessable = Err(StatusCode::UNPROCESSABLE_ENTITY);
        let save = Ok(Intent::Save);
        assert_eq!(act(None, Some(Status::Published), false), save);
        assert_eq!(act(Some(B::Published), Some(Status::Published), true), save);
        assert_eq!(
            act(Some(B::Published), Some(Status::Draft), false),
            Ok(Intent::Publish)
        );
        assert_eq!(
            act(Some(B::Scheduled), Some(Status::Scheduled), true),
            Ok(Intent::Schedule)
        );
        assert_eq!(
            act(Some(B::Scheduled), Some(Status::Scheduled), false),
            save
        );
        assert_eq!(
            act(Some(B::Unpublished), Some(Status::Published), false),
            Ok(Intent::Unpublish)
        );
        assert_eq!(act(Some(B::Draft), None, false), save);
        assert_eq!(
            act(Some(B::Draft), Some(Status::Published), false),
            unprocessable
        );
        assert_eq!(act(Some(B::Unpublished), None, false), unprocessable);
    }

    #[test]
    fn if_match_and_body_revisions() {
        let mut h = HeaderMap::new();
        assert_eq!(named_revision(None, &h).unwrap(), None);
        assert_eq!(named_revision(Some(3), &h).unwrap(), Some(3));
        h.insert("if-match", "\"7\"".parse().unwrap());
        assert_eq!(named_revision(None, &h).unwrap(), Some(7));
        assert_eq!(named_revision(Some(7), &h).unwrap(), Some(7));
        assert_eq!(
            named_revision(Some(6), &h).unwrap_err().status(),
            StatusCode::BAD_REQUEST
        );
        h.insert("if-match", "\"seven\"".parse().unwrap());
        assert_eq!(
            named_revision(None, &h).unwrap_err().status(),
            StatusCode::BAD_REQUEST
        );
    }
}
