//! The API's writes, on the editor's rules: a request body becomes the editor's form
//! ([`ArticleForm`]), which [`form::to_input`] validates and turns into the article to save
//! with what the user may change, and the editor's [`save`] stores it (revision check,
//! search entry, page cache).
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
use crate::content::{ArticleInput, Language, Status};
use crate::store::revisions::{Editable, Expect, Meta};
use crate::web::AppState;
use crate::web::admin::AdminError;
use crate::web::admin::articles::{Refused, save};
use crate::web::admin::form::{self, ArticleForm, FieldError};

/// Which parts a `PUT` keeps from the stored article when the body leaves them out.
#[derive(Clone, Copy, Debug, Default)]
struct Keep {
    meta: bool,
    en: bool,
    zh: bool,
}

/// The editor's form for a body, over `stored` for the parts `keep` names.
fn to_form(body: &ArticleBody, keep: Keep, stored: &ArticleForm) -> ArticleForm {
    let mut f = if keep.meta {
        stored.clone()
    } else {
        ArticleForm::default()
    };
    let list = |v: &Vec<String>| v.join(", ");
    macro_rules! meta {
        ($field:ident, $value:expr) => {
            if let Some(v) = &body.$field {
                f.$field = Some($value(v));
            }
        };
    }
    meta!(slug, |v: &String| v.clone());
    meta!(section, |v: &String| v.clone());
    meta!(topics, list);
    meta!(authors, list);
    meta!(hero, |v: &String| v.clone());
    meta!(zh_rules, |v: &String| v.clone());
    if let Some(featured) = body.featured {
        f.featured = featured.then(|| "on".to_owned());
    }
    if let Some(script) = body.zh_script {
        f.zh_script = Some(
            match script {
                ZhScript::Hans => "hans",
                ZhScript::Hant => "hant",
            }
            .to_owned(),
        );
    }
    f.published_at = body.published_at.clone();
    let version = |v: &Option<VersionBody>, kept: bool, stored: [&Option<String>; 5]| match v {
        Some(v) => {
            [&v.title, &v.dek, &v.body, &v.hero_caption, &v.hero_credit].map(|s| Some(s.clone()))
        }
        None if kept => stored.map(Clone::clone),
        None => [None, None, None, None, None],
    };
    [
        f.en_title,
        f.en_dek,
        f.en_body,
        f.en_hero_caption,
        f.en_hero_credit,
    ] = version(
        &body.en,
        keep.en,
        [
            &stored.en_title,
            &stored.en_dek,
            &stored.en_body,
            &stored.en_hero_caption,
            &stored.en_hero_credit,
        ],
    );
    [
        f.zh_title,
        f.zh_dek,
        f.zh_body,
        f.zh_hero_caption,
        f.zh_hero_credit,
    ] = version(
        &body.zh,
        keep.zh,
        [
            &stored.zh_title,
            &stored.zh_dek,
            &stored.zh_body,
            &stored.zh_hero_caption,
            &stored.zh_hero_credit,
        ],
    );
    f
}

/// The editor's field names as paths in the API's body.
fn field_path(field: &str) -> String {
    for language in ["en", "zh"] {
        if let Some(rest) = field
            .strip_prefix(language)
            .and_then(|r| r.strip_prefix('_'))
            .filter(|r| ["title", "dek", "body", "hero_caption", "hero_credit"].contains(r))
        {
            return format!("{language}.{rest}");
        }
    }
    match field {
        "action" => "status".to_owned(),
        other => other.to_owned(),
    }
}

fn invalid(errors: Vec<FieldError>) -> ApiError {
    ApiError::invalid(
        errors
            .into_iter()
            .map(|e| FieldMessage {
                field: field_path(e.field),
                message: e.message,
            })
            .collect(),
    )
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
) -> ApiResult<&'static str> {
    let Some(requested) = requested else {
        return Ok("save");
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
        return Ok("save");
    }
    match requested {
        StatusBody::Published => Ok("publish"),
        StatusBody::Scheduled => Ok("schedule"),
        StatusBody::Unpublished if stored.is_some() => Ok("unpublish"),
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

/// Saves, mapping what the client can fix to 422 and a lost race to 409.
async fn store(
    state: &AppState,
    user: &User,
    input: &ArticleInput,
    expect: Expect,
    now: Timestamp,
) -> ApiResult<()> {
    let outcome = save(state, user, input, expect, now, None)
        .await
        .map_err(|e| match e {
            AdminError::Internal(err) => ApiError::from(err),
            AdminError::Forbidden => ApiError::forbidden("not permitted"),
            AdminError::NotFound => ApiError::not_found("not found"),
            AdminError::BadRequest(m) => ApiError::new(StatusCode::BAD_REQUEST, m),
            AdminError::Busy => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy; try again in a moment",
            ),
        })?;
    match outcome {
        Ok(()) => Ok(()),
        Err(Refused::Fields(errors)) => Err(invalid(errors)),
        Err(Refused::Conflict) => {
            let current = state
                .store()
                .editable(&input.slug)
                .await?
                .map_or(0, |e| e.revision);
            let expected = match expect {
                Expect::Revision(r) => r,
                _ => 0,
            };
            Err(ApiError::conflict(expected, current))
        }
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
    let action = action_for(body.status, None, body.published_at.is_some())?;
    if action != "save" {
        require_publish(user, None)?;
    }
    let mut f = to_form(body, Keep::default(), &ArticleForm::default());
    f.action = Some(action.to_owned());
    // No slug: one is made from the headlines.
    crate::web::admin::articles::propose_slug(state, &mut f).await?;
    let now = Timestamp::now();
    let (input, _) =
        form::to_input(&f, None, user, None, state.time_zone(), now).map_err(invalid)?;
    store(state, user, &input, Expect::New, now).await?;
    Ok(input.slug)
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
    let action = action_for(
        body.status,
        Some(access.status),
        body.published_at.is_some(),
    )?;
    if action != "save" {
        require_publish(user, Some(access))?;
    }
    let keep = Keep {
        meta: !may_meta,
        en: !may_en,
        zh: !may_zh,
    };
    let stored = form::form_of(&editable.input);
    let mut f = to_form(body, keep, &stored);
    f.action = Some(action.to_owned());
    let now = Timestamp::now();
    let tz = state.time_zone();
    let (input, _) =
        form::to_input(&f, Some(&editable.input), user, Some(access), tz, now).map_err(invalid)?;
    // What the body asks for as if every part were the user's: a part that would change but
    // is not theirs is refused rather than silently kept.
    f.action = Some("save".to_owned());
    let unrestricted = User {
        role: Role::Editor,
        ..user.clone()
    };
    let asked = form::to_input(
        &f,
        Some(&editable.input),
        &unrestricted,
        Some(access),
        tz,
        now,
    )
    .map(|(asked, _)| asked);
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
    store(state, user, &input, Expect::Revision(expected), now).await
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
    let action = match change.status {
        StatusBody::Published => "publish",
        StatusBody::Scheduled => "schedule",
        StatusBody::Unpublished => "unpublish",
        StatusBody::Draft => {
            return Err(invalid_field(
                "status",
                "an article does not go back to draft; unpublish it instead",
            ));
        }
    };
    let mut f = form::form_of(&editable.input);
    f.published_at = change.published_at.clone();
    f.action = Some(action.to_owned());
    let now = Timestamp::now();
    let (input, _) = form::to_input(
        &f,
        Some(&editable.input),
        user,
        Some(&editable.access),
        state.time_zone(),
        now,
    )
    .map_err(invalid)?;
    store(state, user, &input, Expect::Revision(expected), now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_fields_become_body_paths() {
        assert_eq!(field_path("en_title"), "en.title");
        assert_eq!(field_path("zh_hero_caption"), "zh.hero_caption");
        assert_eq!(field_path("zh_rules"), "zh_rules");
        assert_eq!(field_path("zh_script"), "zh_script");
        assert_eq!(field_path("action"), "status");
        assert_eq!(field_path("slug"), "slug");
    }

    #[test]
    fn statuses_map_to_the_editors_actions() {
        use StatusBody as B;
        let act = |asked: Option<B>, stored: Option<Status>, new_time| {
            action_for(asked, stored, new_time).map_err(|e| e.status())
        };
        let unprocessable = Err(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(act(None, Some(Status::Published), false), Ok("save"));
        assert_eq!(
            act(Some(B::Published), Some(Status::Published), true),
            Ok("save")
        );
        assert_eq!(
            act(Some(B::Published), Some(Status::Draft), false),
            Ok("publish")
        );
        assert_eq!(
            act(Some(B::Scheduled), Some(Status::Scheduled), true),
            Ok("schedule")
        );
        assert_eq!(
            act(Some(B::Scheduled), Some(Status::Scheduled), false),
            Ok("save")
        );
        assert_eq!(
            act(Some(B::Unpublished), Some(Status::Published), false),
            Ok("unpublish")
        );
        assert_eq!(act(Some(B::Draft), None, false), Ok("save"));
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
