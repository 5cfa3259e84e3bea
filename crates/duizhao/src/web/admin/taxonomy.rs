//! `/admin/topics`, `/admin/authors`, `/admin/sections`: the taxonomy, on the editorial core's
//! [`taxonomy`](crate::editorial::taxonomy) commands. Each list page carries the form for a
//! new one; each item's page edits it (a changed slug renames it, and its old address answers
//! 301), and deletes it, moving its articles to another when it has any (which is also how
//! two topics are merged).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{AdminError, AdminResult, Shell, page, require, see_other};
use crate::accounts::Action;
use crate::editorial::{EditorialError, FieldError, taxonomy as commands};
use crate::store::taxonomy::{AuthorInput, SectionInput, TaxonomyInput, TaxonomyKind, TopicInput};
use crate::web::auth::Signed;
use crate::web::{AppState, paths};

/// The form of any kind (fields that do not apply to a kind are absent from its form).
#[derive(Debug, Default, Deserialize)]
pub struct TaxonomyForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    description_zh: String,
    hot: Option<String>,
    #[serde(default)]
    order: String,
    #[serde(default)]
    photo: String,
}

/// The delete form.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    reassign_to: String,
}

struct Row {
    slug: String,
    name_en: String,
    name_zh: String,
    detail: String,
    used: i64,
}

#[derive(Template)]
#[template(path = "admin/taxonomy.html")]
struct ListPage {
    shell: Shell,
    kind: TaxonomyKind,
    rows: Vec<Row>,
    form: FormView,
}

#[derive(Template)]
#[template(path = "admin/taxonomy_edit.html")]
struct EditPage {
    shell: Shell,
    kind: TaxonomyKind,
    /// The slug as stored (the form may propose another).
    original: String,
    used: i64,
    form: FormView,
    /// Others of the kind, to move articles to: (slug, name).
    others: Vec<(String, String)>,
    public_url: String,
}

/// The form as shown, with what to fix.
struct FormView {
    input: TaxonomyForm,
    errors: Vec<FieldError>,
    /// The media library's images, for an author's photo: (path, thumbnail, alternative text).
    photos: Vec<(String, String, String)>,
}

impl FormView {
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn general_errors(&self) -> Vec<String> {
        const SHOWN: [&str; 8] = [
            "slug",
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "bio_en",
            "bio_zh",
            "photo",
        ];
        self.errors
            .iter()
            .filter(|e| !SHOWN.contains(&e.field.as_str()))
            .map(ToString::to_string)
            .collect()
    }

    fn hot(&self) -> bool {
        self.input.hot.is_some()
    }
}

fn kind_of(plural: &str) -> AdminResult<TaxonomyKind> {
    TaxonomyKind::from_plural(plural).ok_or(AdminError::not_found("Not found."))
}

fn title(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Topic => "Topics",
        TaxonomyKind::Author => "Authors",
        TaxonomyKind::Section => "Sections",
    }
}

fn to_input(kind: TaxonomyKind, f: &TaxonomyForm) -> Result<TaxonomyInput, FieldError> {
    let order_field = match kind {
        TaxonomyKind::Topic => "hot_order",
        _ => "position",
    };
    let order = match f.order.trim() {
        "" => 0,
        n => n
            .parse::<i64>()
            .map_err(|_| FieldError::new(order_field, "is not a whole number"))?,
    };
    Ok(match kind {
        TaxonomyKind::Topic => TaxonomyInput::Topic(TopicInput {
            slug: f.slug.clone(),
            name_en: f.name_en.clone(),
            name_zh: f.name_zh.clone(),
            hot: f.hot.is_some(),
            hot_order: order,
            description_en: f.description_en.clone(),
            description_zh: f.description_zh.clone(),
        }),
        TaxonomyKind::Author => TaxonomyInput::Author(AuthorInput {
            slug: f.slug.clone(),
            name_en: f.name_en.clone(),
            name_zh: f.name_zh.clone(),
            bio_en: f.description_en.clone(),
            bio_zh: f.description_zh.clone(),
            photo: Some(f.photo.clone()).filter(|p| !p.trim().is_empty()),
        }),
        TaxonomyKind::Section => TaxonomyInput::Section(SectionInput {
            slug: f.slug.clone(),
            name_en: f.name_en.clone(),
            name_zh: f.name_zh.clone(),
            position: order,
        }),
    })
}

fn to_form(input: TaxonomyInput) -> TaxonomyForm {
    match input {
        TaxonomyInput::Topic(t) => TaxonomyForm {
            slug: t.slug,
            name_en: t.name_en,
            name_zh: t.name_zh,
            description_en: t.description_en,
            description_zh: t.description_zh,
            hot: t.hot.then(|| "on".to_owned()),
            order: t.hot_order.to_string(),
            photo: String::new(),
        },
        TaxonomyInput::Author(a) => TaxonomyForm {
            slug: a.slug,
            name_en: a.name_en,
            name_zh: a.name_zh,
            description_en: a.bio_en,
            description_zh: a.bio_zh,
            photo: a.photo.unwrap_or_default(),
            ..TaxonomyForm::default()
        },
        TaxonomyInput::Section(s) => TaxonomyForm {
            slug: s.slug,
            name_en: s.name_en,
            name_zh: s.name_zh,
            order: s.position.to_string(),
            ..TaxonomyForm::default()
        },
    }
}

/// Field names of the core (`bio_en`, `hot_order`) as the form calls them.
fn form_field(kind: TaxonomyKind, mut e: FieldError) -> FieldError {
    e.field = match (kind, e.field.as_str()) {
        (_, "bio_en") => "description_en".into(),
        (_, "bio_zh") => "description_zh".into(),
        (_, "hot_order" | "position") => "order".into(),
        _ => e.field,
    };
    e
}

async fn photos(
    state: &AppState,
    kind: TaxonomyKind,
) -> AdminResult<Vec<(String, String, String)>> {
    if kind != TaxonomyKind::Author {
        return Ok(Vec::new());
    }
    Ok(state
        .store()
        .list_media(500, 0)
        .await?
        .into_iter()
        .map(|m| {
            let thumb = paths::media(
                m.variants
                    .last()
                    .map_or(m.path.as_str(), |v| v.path.as_str()),
            );
            (m.path, thumb, m.alt.en)
        })
        .collect())
}

/// Every topic, author or section of a kind, as the list shows them, with how many articles
/// carry each.
async fn rows(state: &AppState, kind: TaxonomyKind) -> AdminResult<Vec<Row>> {
    let usage = state.store().taxonomy_usage(kind).await?;
    let row = |slug: String, name: crate::content::Localized, detail: String| Row {
        used: usage.get(&slug).copied().unwrap_or(0),
        detail,
        name_en: name.en,
        name_zh: name.zh_hans,
        slug,
    };
    Ok(match kind {
        TaxonomyKind::Topic => state
            .store()
            .topics()
            .await?
            .into_iter()
            .map(|t| {
                let hot = if t.hot {
                    format!("熱點 #{}", t.hot_order)
                } else {
                    String::new()
                };
                row(t.slug, t.name, hot)
            })
            .collect(),
        TaxonomyKind::Author => state
            .store()
            .authors()
            .await?
            .into_iter()
            .map(|a| {
                let photo = if a.photo.is_some() { "photo" } else { "" };
                row(a.slug, a.name, photo.to_owned())
            })
            .collect(),
        TaxonomyKind::Section => state
            .store()
            .sections()
            .await?
            .into_iter()
            .map(|s| row(s.slug, s.name, format!("#{}", s.position)))
            .collect(),
    })
}

async fn list_page(
    state: &AppState,
    signed: &Signed,
    kind: TaxonomyKind,
    form: TaxonomyForm,
    errors: Vec<FieldError>,
    flash: Option<String>,
) -> AdminResult {
    let rows = rows(state, kind).await?;
    page(&ListPage {
        shell: Shell::new(title(kind), &signed.user, &signed.csrf, kind.plural()).flash(flash),
        kind,
        rows,
        form: FormView {
            input: form,
            errors,
            photos: photos(state, kind).await?,
        },
    })
}

async fn edit_page(
    state: &AppState,
    signed: &Signed,
    kind: TaxonomyKind,
    original: &str,
    form: TaxonomyForm,
    errors: Vec<FieldError>,
    flash: Option<String>,
) -> AdminResult {
    let (this, others): (Vec<Row>, Vec<Row>) = rows(state, kind)
        .await?
        .into_iter()
        .partition(|r| r.slug == original);
    let public_url = paths::taxonomy(kind, crate::content::Edition::En, original);
    page(&EditPage {
        shell: Shell::new(
            format!("{} · {}", title(kind), original),
            &signed.user,
            &signed.csrf,
            kind.plural(),
        )
        .flash(flash),
        kind,
        original: original.to_owned(),
        used: this.first().map_or(0, |r| r.used),
        others: others.into_iter().map(|r| (r.slug, r.name_en)).collect(),
        form: FormView {
            input: form,
            errors,
            photos: photos(state, kind).await?,
        },
        public_url,
    })
}

/// Query of the list page.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    deleted: Option<String>,
}

/// `GET /admin/{topics|authors|sections}`.
pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Path(plural): Path<String>,
    axum::extract::Query(params): axum::extract::Query<ListParams>,
) -> AdminResult {
    let kind = kind_of(&plural)?;
    require(signed.user.may(Action::ManageTaxonomy, None))?;
    let flash = params.deleted.map(|how| match how.as_str() {
        "moved" => "Deleted; its articles were moved, and its old address leads to where they \
                    went (301)."
            .to_owned(),
        _ => "Deleted.".to_owned(),
    });
    list_page(
        &state,
        &signed,
        kind,
        TaxonomyForm::default(),
        Vec::new(),
        flash,
    )
    .await
}

/// `POST /admin/{topics|authors|sections}`: creates one.
pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Path(plural): Path<String>,
    axum::Form(f): axum::Form<TaxonomyForm>,
) -> AdminResult {
    let kind = kind_of(&plural)?;
    require(signed.user.may(Action::ManageTaxonomy, None))?;
    let result = match to_input(kind, &f) {
        Ok(input) => {
            let converters = state.converters();
            let core = state.core(&converters, Some(&signed.user));
            commands::save(&core, None, input).await
        }
        Err(e) => Err(EditorialError::Invalid(vec![e])),
    };
    match result {
        Ok(slug) => Ok(see_other(&format!(
            "/admin/{}/{}?saved=created",
            kind.plural(),
            paths::encode_segment(&slug)
        ))),
        Err(EditorialError::Invalid(errors)) => {
            let errors = errors.into_iter().map(|e| form_field(kind, e)).collect();
            let mut response = list_page(&state, &signed, kind, f, errors, None).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(AdminError::editorial(e)),
    }
}

/// Query of an item's page.
#[derive(Debug, Deserialize)]
pub struct EditParams {
    saved: Option<String>,
}

/// `GET /admin/{topics|authors|sections}/{slug}`.
pub async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path((plural, slug)): Path<(String, String)>,
    axum::extract::Query(params): axum::extract::Query<EditParams>,
) -> AdminResult {
    let kind = kind_of(&plural)?;
    require(signed.user.may(Action::ManageTaxonomy, None))?;
    let Some(input) = state.store().taxonomy_input(kind, &slug).await? else {
        // An old slug: on to the new one.
        return match state.store().slug_redirect(kind, &slug).await? {
            Some(new) => Ok(see_other(&format!(
                "/admin/{}/{}",
                kind.plural(),
                paths::encode_segment(&new)
            ))),
            None => Err(AdminError::not_found("Not found.")),
        };
    };
    let flash = params.saved.map(|what| match what.as_str() {
        "created" => "Created.".to_owned(),
        "renamed" => "Saved. The old address now leads here (301).".to_owned(),
        _ => "Saved.".to_owned(),
    });
    edit_page(
        &state,
        &signed,
        kind,
        &slug,
        to_form(input),
        Vec::new(),
        flash,
    )
    .await
}

/// `POST /admin/{topics|authors|sections}/{slug}`: saves (and renames, with a new slug).
pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path((plural, slug)): Path<(String, String)>,
    axum::Form(f): axum::Form<TaxonomyForm>,
) -> AdminResult {
    let kind = kind_of(&plural)?;
    require(signed.user.may(Action::ManageTaxonomy, None))?;
    let result = match to_input(kind, &f) {
        Ok(input) => {
            let original = slug.as_str();
            {
                let converters = state.converters();
                let core = state.core(&converters, Some(&signed.user));
                commands::save(&core, Some(original), input).await
            }
        }
        Err(e) => Err(EditorialError::Invalid(vec![e])),
    };
    match result {
        Ok(new) => Ok(see_other(&format!(
            "/admin/{}/{}?saved={}",
            kind.plural(),
            paths::encode_segment(&new),
            if new == slug { "1" } else { "renamed" }
        ))),
        Err(EditorialError::Invalid(errors)) => {
            let errors = errors.into_iter().map(|e| form_field(kind, e)).collect();
            let mut response = edit_page(&state, &signed, kind, &slug, f, errors, None).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(AdminError::editorial(e)),
    }
}

/// `POST /admin/{topics|authors|sections}/{slug}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path((plural, slug)): Path<(String, String)>,
    axum::Form(f): axum::Form<DeleteForm>,
) -> AdminResult {
    let kind = kind_of(&plural)?;
    require(signed.user.may(Action::ManageTaxonomy, None))?;
    let reassign = Some(f.reassign_to.as_str()).filter(|s| !s.trim().is_empty());
    let target = slug.as_str();
    let result = {
        let converters = state.converters();
        let core = state.core(&converters, Some(&signed.user));
        commands::delete(&core, kind, target, reassign).await
    };
    match result {
        Ok(_moved) => Ok(see_other(&format!(
            "/admin/{}?deleted={}",
            kind.plural(),
            if reassign.is_some() { "moved" } else { "1" }
        ))),
        Err(e @ (EditorialError::InUse { .. } | EditorialError::Invalid(_))) => {
            let (status, errors) = match e {
                EditorialError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
                e => (
                    StatusCode::CONFLICT,
                    vec![FieldError::new("reassign_to", e.to_string())],
                ),
            };
            let Some(input) = state.store().taxonomy_input(kind, &slug).await? else {
                return Err(AdminError::not_found("Not found."));
            };
            let mut response =
                edit_page(&state, &signed, kind, &slug, to_form(input), errors, None).await?;
            *response.status_mut() = status;
            Ok(response)
        }
        Err(e) => Err(AdminError::editorial(e)),
    }
}
