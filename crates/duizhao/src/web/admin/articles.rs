//! The article list, the bilingual editor (create, edit, publish, schedule, unpublish) and the
//! preview.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::form::{self, ArticleForm, FieldError, Intent};
use super::{AdminError, AdminResult, Shell, page, require, see_other};
use crate::accounts::{Action, ArticleAccess, Role, User};
use crate::content::{ArticleInput, Edition, Language, Mode, Status, VersionText};
use crate::editorial::EditorialError;
use crate::editorial::articles::{self, SaveArticle, SavedArticle};
use crate::store::revisions::{AdminRow, Editable, Visible};
use crate::web::AppState;
use crate::web::auth::Signed;

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "admin/articles.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ListRow>,
    status: String,
    can_create: bool,
    next_page: Option<String>,
}

struct ListRow {
    slug: String,
    title: String,
    status: &'static str,
    when: String,
    languages: &'static str,
}

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    status: Option<String>,
    page: Option<u32>,
    /// The slug of an article just moved to the trash.
    deleted: Option<String>,
}

/// `GET /admin/`: the articles this user may work on.
pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<ListParams>,
) -> AdminResult {
    let user = &signed.user;
    let visible = match user.role {
        Role::Admin | Role::Editor => Visible::All,
        Role::Translator => Visible::AssignedTo(user.id),
        Role::Author => Visible::CreatedBy(user.id),
    };
    let trashed = params.status.as_deref() == Some("trash");
    let status = match params.status.as_deref().filter(|s| !s.is_empty()) {
        None | Some("trash") => None,
        Some(s) => Some(
            Status::from_code(s)
                .ok_or_else(|| AdminError::bad_request(format!("unknown status {s:?}")))?,
        ),
    };
    let page_no = params.page.unwrap_or(1).clamp(1, 100_000);
    let found: Vec<AdminRow> = state
        .store()
        .admin_articles(
            visible,
            status,
            trashed,
            PAGE_SIZE + 1,
            (i64::from(page_no) - 1) * PAGE_SIZE,
        )
        .await?;
    let more = found.len() as i64 > PAGE_SIZE;
    let tz = state.time_zone();
    let rows = found
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| ListRow {
            title: r
                .title_en
                .clone()
                .filter(|t| !t.is_empty())
                .or(r.title_zh.clone())
                .unwrap_or_else(|| r.slug.clone()),
            languages: match (r.title_en.is_some(), r.title_zh.is_some()) {
                (true, true) => "EN · 中",
                (true, false) => "EN",
                (false, true) => "中",
                (false, false) => "—",
            },
            when: match r.deleted_at {
                Some(at) => format!(
                    "{} · {}",
                    form::shown_time(at, tz),
                    form::shown_time(articles::purged_at(at), tz)
                ),
                None => form::shown_time(r.published_at.unwrap_or(r.updated_at), tz),
            },
            status: r.status.code(),
            slug: r.slug,
        })
        .collect();
    let status_code = if trashed {
        "trash"
    } else {
        status.map(Status::code).unwrap_or("")
    }
    .to_owned();
    let flash = params.deleted.map(|slug| {
        format!(
            "{slug} is in the trash. It can be restored from here for {} days.",
            articles::TRASH_DAYS
        )
    });
    page(&ListPage {
        shell: Shell::new("Articles", user, &signed.csrf, "articles").flash(flash),
        rows,
        can_create: user.may(Action::CreateArticle, None),
        next_page: more.then(|| format!("/admin/?status={status_code}&page={}", page_no + 1)),
        status: status_code,
    })
}

/// One language's fields as the editor shows them.
#[derive(Clone, Debug, Default)]
pub struct VersionView {
    title: String,
    dek: String,
    body: String,
    hero_caption: String,
    hero_credit: String,
}

impl VersionView {
    fn of(v: Option<&VersionText>) -> VersionView {
        v.map(|v| VersionView {
            title: v.title.clone(),
            dek: v.dek.clone(),
            body: v.body.clone(),
            hero_caption: v.hero_caption.clone(),
            hero_credit: v.hero_credit.clone(),
        })
        .unwrap_or_default()
    }
}

/// The whole form as the editor shows it.
#[derive(Clone, Debug, Default)]
pub struct EditView {
    slug: String,
    section: String,
    topics: String,
    authors: String,
    hero: String,
    featured: bool,
    hant: bool,
    zh_rules: String,
    published_at: String,
    en: VersionView,
    zh: VersionView,
    /// Translators of each version (usernames, comma-separated).
    assign_en: String,
    assign_zh: String,
}

impl EditView {
    fn of(input: &ArticleInput, state: &AppState) -> EditView {
        EditView {
            slug: input.slug.clone(),
            section: input.section.clone().unwrap_or_default(),
            topics: input.topics.join(", "),
            authors: input.authors.join(", "),
            hero: input.hero.clone().unwrap_or_default(),
            featured: input.featured,
            hant: input.zh_script == crate::content::Script::Hant,
            zh_rules: input.zh_rules.clone(),
            published_at: form::local_time(input.published_at, state.time_zone()),
            en: VersionView::of(input.en.as_ref()),
            zh: VersionView::of(input.zh.as_ref()),
            assign_en: String::new(),
            assign_zh: String::new(),
        }
    }

    /// Adds the assigned translators' names.
    async fn with_assignments(
        mut self,
        state: &AppState,
        access: &ArticleAccess,
    ) -> AdminResult<EditView> {
        let users = state.store().users().await?;
        let names = |language: Language| {
            access
                .assignments
                .iter()
                .filter(|(_, l)| *l == language)
                .filter_map(|(id, _)| users.iter().find(|a| a.user.id == *id))
                .map(|a| a.user.username.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.assign_en = names(Language::En);
        self.assign_zh = names(Language::Zh);
        Ok(self)
    }

    /// What was posted, over what is stored (fields the form did not carry keep their value).
    fn posted(f: &ArticleForm, base: EditView) -> EditView {
        let pick = |v: &Option<String>, old: String| v.clone().unwrap_or(old);
        EditView {
            slug: pick(&f.slug, base.slug),
            section: pick(&f.section, base.section),
            topics: pick(&f.topics, base.topics),
            authors: pick(&f.authors, base.authors),
            hero: pick(&f.hero, base.hero),
            featured: f.featured.is_some() || (f.section.is_none() && base.featured),
            hant: f.zh_script.as_deref().map_or(base.hant, |s| s == "hant"),
            zh_rules: pick(&f.zh_rules, base.zh_rules),
            published_at: pick(&f.published_at, base.published_at),
            en: VersionView {
                title: pick(&f.en_title, base.en.title),
                dek: pick(&f.en_dek, base.en.dek),
                body: pick(&f.en_body, base.en.body),
                hero_caption: pick(&f.en_hero_caption, base.en.hero_caption),
                hero_credit: pick(&f.en_hero_credit, base.en.hero_credit),
            },
            zh: VersionView {
                title: pick(&f.zh_title, base.zh.title),
                dek: pick(&f.zh_dek, base.zh.dek),
                body: pick(&f.zh_body, base.zh.body),
                hero_caption: pick(&f.zh_hero_caption, base.zh.hero_caption),
                hero_credit: pick(&f.zh_hero_credit, base.zh.hero_credit),
            },
            assign_en: pick(&f.assign_en, base.assign_en),
            assign_zh: pick(&f.assign_zh, base.assign_zh),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/edit.html")]
struct EditPage {
    shell: Shell,
    is_new: bool,
    revision: i64,
    status: &'static str,
    view: EditView,
    can_meta: bool,
    can_en: bool,
    can_zh: bool,
    can_publish: bool,
    can_assign: bool,
    errors: Vec<FieldError>,
    /// Someone else's save, shown beside the user's own text.
    theirs: Option<(i64, EditView)>,
    previews: Vec<(String, String)>,
    sections: Vec<(String, String)>,
    /// Every topic and author, as (slug, "English · 中文") for the pickers.
    topics_known: Vec<(String, String)>,
    authors_known: Vec<(String, String)>,
    /// May create topics, authors and sections from the editor.
    can_create_terms: bool,
    /// The headline (English, else Chinese), else the slug: the page's title.
    heading: String,
    /// The article on the site, once published.
    site_url: Option<String>,
    /// What the pre-publish checklist found, and the action that goes ahead anyway.
    checklist: Vec<String>,
    anyway: &'static str,
    /// May move it to the trash or back.
    can_delete: bool,
    /// In the trash: since when, and when it goes for good.
    trashed: Option<(String, String)>,
    /// When the user's unsaved work was autosaved, if there is some to restore.
    autosaved: Option<String>,
    /// Where the form's autosaves go.
    autosave_url: String,
    /// Where its live preview comes from.
    preview_url: String,
}

impl EditPage {
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    signed: &Signed,
    stored: Option<&Editable>,
    revision: i64,
    status: Status,
    view: EditView,
    errors: Vec<FieldError>,
    theirs: Option<(i64, EditView)>,
    flash: Option<String>,
    held: Option<(Vec<String>, &'static str)>,
) -> AdminResult {
    let user = &signed.user;
    let access = stored.map(|s| &s.access);
    let is_new = access.is_none();
    let tz = state.time_zone();
    let trashed = stored.and_then(|s| s.deleted_at).map(|at| {
        let day = |t| form::shown_time(t, tz);
        (day(at), day(articles::purged_at(at)))
    });
    // Work the user typed and did not save, unless it is on the page already (restored, or
    // sent back with errors).
    let autosaved = match state
        .store()
        .autosave(user.id, stored.map(|s| s.id))
        .await?
    {
        Some(a) if errors.is_empty() && held.is_none() && theirs.is_none() && flash.is_none() => {
            Some(form::shown_time(a.saved_at, tz))
        }
        _ => None,
    };
    let editing = trashed.is_none();
    let may_version = |l| {
        if is_new {
            user.may(Action::CreateArticle, None)
        } else {
            user.may(Action::EditVersion(l), access)
        }
    };
    let previews = if is_new {
        Vec::new()
    } else {
        let mut out = Vec::new();
        for edition in Edition::ALL
            .into_iter()
            .filter(|e| state.config().edition_enabled(*e))
        {
            for mode in Mode::ALL {
                out.push((
                    format!("{} · {}", edition.code(), mode_label(mode)),
                    format!(
                        "/admin/articles/{}/preview/{}/{}",
                        view.slug,
                        edition.code(),
                        mode.code()
                    ),
                ));
            }
        }
        out
    };
    let sections = state.store().sections().await?;
    let all_topics = state.store().topics().await?;
    let authors = state.store().authors().await?;
    let heading = [&view.en.title, &view.zh.title, &view.slug]
        .into_iter()
        .map(|t| t.trim())
        .find(|t| !t.is_empty())
        .unwrap_or("New article")
        .to_owned();
    let title = if is_new {
        "New article".to_owned()
    } else {
        heading.clone()
    };
    let site_url = (status == Status::Published).then(|| {
        let edition = if view.en.title.trim().is_empty() {
            Edition::ZhHans
        } else {
            Edition::En
        };
        crate::web::paths::article(edition, &view.slug, Mode::natural(edition))
    });
    page(&EditPage {
        shell: Shell::new(title, user, &signed.csrf, "articles").flash(flash),
        is_new,
        revision,
        status: status.code(),
        can_meta: editing
            && if is_new {
                user.may(Action::CreateArticle, None)
            } else {
                user.may(Action::EditMetadata, access)
            },
        can_en: editing && may_version(Language::En),
        can_zh: editing && may_version(Language::Zh),
        can_publish: editing && user.may(Action::Publish, access),
        can_delete: !is_new && user.may(Action::DeleteArticle, access),
        trashed,
        autosaved,
        preview_url: if is_new {
            "/admin/preview".to_owned()
        } else {
            format!(
                "/admin/preview?article={}",
                crate::web::paths::encode_segment(&view.slug)
            )
        },
        autosave_url: if is_new {
            "/admin/articles/new/autosave".to_owned()
        } else {
            format!(
                "/admin/articles/{}/autosave",
                crate::web::paths::encode_segment(&view.slug)
            )
        },
        can_assign: user.may(Action::Assign, access),
        errors,
        theirs,
        previews,
        sections: sections
            .iter()
            .map(|s| (s.slug.clone(), s.name.en.clone()))
            .collect(),
        topics_known: all_topics
            .iter()
            .map(|t| (t.slug.clone(), label(&t.name)))
            .collect(),
        authors_known: authors
            .iter()
            .map(|a| (a.slug.clone(), label(&a.name)))
            .collect(),
        can_create_terms: editing && user.may(Action::ManageTaxonomy, None),
        heading,
        site_url,
        checklist: held.as_ref().map(|h| h.0.clone()).unwrap_or_default(),
        anyway: held.map_or("", |h| h.1),
        view,
    })
}

/// A name as the pickers show it: both languages when they differ.
fn label(name: &crate::content::Localized) -> String {
    match (name.en.trim(), name.zh_hans.trim()) {
        (en, "") => en.to_owned(),
        ("", zh) => zh.to_owned(),
        (en, zh) if en == zh => en.to_owned(),
        (en, zh) => format!("{en} · {zh}"),
    }
}

fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Zh => "中文",
        Mode::En => "English",
        Mode::Parallel => "對照",
    }
}

/// Query of the edit page.
#[derive(Debug, Deserialize)]
pub struct EditParams {
    saved: Option<String>,
    /// `restore`: show the autosaved form instead of what is stored.
    autosave: Option<String>,
}

/// The user's autosaved form for this article (`None`: a new one), when the query asks for it.
async fn autosaved_form(
    state: &AppState,
    user: &User,
    stored: Option<&Editable>,
    params: &EditParams,
) -> AdminResult<Option<(i64, ArticleForm)>> {
    if params.autosave.as_deref() != Some("restore") {
        return Ok(None);
    }
    let Some(saved) = state
        .store()
        .autosave(user.id, stored.map(|s| s.id))
        .await?
    else {
        return Ok(None);
    };
    // A form this server wrote; one it cannot read any more is dropped, not an error.
    Ok(serde_json::from_str(&saved.form)
        .ok()
        .map(|f| (saved.base_revision, f)))
}

/// `GET /admin/articles/new`.
pub async fn new_form(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<EditParams>,
) -> AdminResult {
    require(signed.user.may(Action::CreateArticle, None))?;
    let restored = autosaved_form(&state, &signed.user, None, &params).await?;
    let flash = restored
        .is_some()
        .then(|| "Your autosaved text is back in the form; it is not saved yet.".to_owned());
    let view = match &restored {
        Some((_, f)) => EditView::posted(f, EditView::default()),
        None => EditView::default(),
    };
    let mut response = edit_page(
        &state,
        &signed,
        None,
        0,
        Status::Draft,
        view,
        Vec::new(),
        None,
        flash,
        None,
    )
    .await?;
    no_store(&mut response);
    Ok(response)
}

/// Marks an editor page as not to be kept by the browser (it holds unsaved text).
fn no_store(response: &mut axum::response::Response) {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
}

/// `GET /admin/articles/{slug}`.
pub async fn edit_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(params): Query<EditParams>,
) -> AdminResult {
    let editable = super::viewable(&state, &signed, &slug).await?;
    let restored = autosaved_form(&state, &signed.user, Some(&editable), &params).await?;
    let flash = params.saved.as_deref().map(|what| match what {
        "published" => "Published.".to_owned(),
        "scheduled" => "Scheduled: it will publish itself at the given time.".to_owned(),
        "unpublished" => "Unpublished: its pages now answer 410 Gone.".to_owned(),
        "restored" => "Restored from an earlier revision (saved as a new revision).".to_owned(),
        "untrashed" => {
            "Taken out of the trash. It is not public: publish it again when ready.".to_owned()
        }
        _ => "Saved.".to_owned(),
    });
    let stored_view = EditView::of(&editable.input, &state)
        .with_assignments(&state, &editable.access)
        .await?;
    let (revision, view, flash) = match restored {
        // Based on the revision the user was editing: if someone saved since, saving shows
        // the conflict with both texts.
        Some((base, f)) => (
            base,
            EditView::posted(&f, stored_view),
            Some("Your autosaved text is back in the form; it is not saved yet.".to_owned()),
        ),
        None => (editable.revision, stored_view, flash),
    };
    let mut response = edit_page(
        &state,
        &signed,
        Some(&editable),
        revision,
        editable.input.status,
        view,
        Vec::new(),
        None,
        flash,
        None,
    )
    .await?;
    no_store(&mut response);
    Ok(response)
}

/// What became of a save the editor's form asked for.
enum Outcome {
    /// Saved, as asked.
    Saved(SavedArticle, Intent),
    /// Fields to fix (named as in the form).
    Refused(Vec<FieldError>),
    /// The pre-publish checklist found something: what, and the action that goes ahead.
    Held(Vec<String>, &'static str),
    /// Someone else saved since the revision the form was based on.
    Conflict,
}

/// Runs the editorial core's save for a posted form (over `stored`, or creating).
/// What the core found or made on the way (a proposed slug, topics and authors named by
/// slug, a new section) is written back into `f`, so that a form shown again (to fix a field,
/// or to confirm the checklist) sends it the next time.
async fn submit(
    state: &AppState,
    user: &User,
    stored: Option<&Editable>,
    f: &mut ArticleForm,
) -> AdminResult<Outcome> {
    let assign = assignments(state, user, stored.map(|s| &s.access), f).await?;
    let ((mut draft, intent, confirmed), assign) =
        match (form::to_draft(f, state.time_zone()), assign) {
            (Ok(parsed), Ok(assign)) => (parsed, assign),
            (parsed, assign) => {
                let errors = parsed.err().into_iter().chain(assign.err()).flatten();
                return Ok(Outcome::Refused(errors.collect()));
            }
        };
    let converters = state.converters();
    let core = state.core(&converters, Some(user));
    // Topics, authors and a section named in the form are found (or created, when asked)
    // only once the rest of the form is right, so that a refused save creates nothing.
    if stored.is_none() && draft.slug.trim().is_empty() {
        draft.slug = articles::propose_slug(&core, &draft.en.title, &draft.zh.title)
            .await
            .map_err(AdminError::editorial)?;
    }
    let base = stored.map(|s| (&s.input, &s.access));
    let checked = articles::prepare(&draft, intent, base, Some(user), jiff::Timestamp::now());
    let create = f.create_terms.is_some() && checked.is_ok();
    let mut errors = articles::resolve_terms(&core, &mut draft, create)
        .await
        .map_err(AdminError::editorial)?;
    if stored.is_none() && f.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
        f.slug = Some(draft.slug.clone());
    }
    if f.topics.is_some() {
        f.topics = Some(draft.topics.join(", "));
    }
    if f.authors.is_some() {
        f.authors = Some(draft.authors.join(", "));
    }
    let new_section = f.new_section.clone().unwrap_or_default();
    let new_section = new_section.trim();
    if !new_section.is_empty() && checked.is_ok() && errors.is_empty() {
        match articles::create_section(&core, new_section).await {
            Ok(slug) => {
                draft.section = Some(slug.clone());
                f.section = Some(slug);
                f.new_section = None;
            }
            Err(EditorialError::Invalid(fields)) => errors.extend(
                fields
                    .into_iter()
                    .map(|e| FieldError::new("new_section", e.message)),
            ),
            Err(e) => return Err(AdminError::editorial(e)),
        }
    }
    if let Err(more) = checked {
        errors.extend(more);
    }
    if !errors.is_empty() {
        return Ok(Outcome::Refused(
            errors
                .into_iter()
                .map(|e| FieldError::new(form::form_field(&e.field), e.message))
                .collect(),
        ));
    }
    let command = SaveArticle {
        stored,
        draft: &draft,
        intent,
        revision: f.revision,
        assign: assign.as_deref(),
        confirmed,
    };
    match articles::save(&core, command).await {
        Ok(saved) => Ok(Outcome::Saved(saved, intent)),
        Err(EditorialError::Invalid(errors)) => Ok(Outcome::Refused(
            errors
                .into_iter()
                .map(|e| FieldError::new(form::form_field(&e.field), e.message))
                .collect(),
        )),
        Err(EditorialError::Unconfirmed(found)) => {
            let anyway = match intent {
                Intent::Schedule => "schedule-anyway",
                _ => "publish-anyway",
            };
            Ok(Outcome::Held(found, anyway))
        }
        Err(EditorialError::Conflict { .. }) => Ok(Outcome::Conflict),
        Err(e) => Err(AdminError::editorial(e)),
    }
}

/// `POST /admin/articles/new`.
pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    axum::Form(mut f): axum::Form<ArticleForm>,
) -> AdminResult {
    require(signed.user.may(Action::CreateArticle, None))?;
    let (errors, held) = match submit(&state, &signed.user, None, &mut f).await? {
        Outcome::Saved(saved, intent) => {
            return Ok(see_other(&format!(
                "/admin/articles/{}?saved={}",
                saved.slug,
                saved_word(intent)
            )));
        }
        Outcome::Refused(errors) => (errors, None),
        Outcome::Held(found, anyway) => (Vec::new(), Some((found, anyway))),
        Outcome::Conflict => {
            return Err(AdminError::conflict_with(
                "Another article was created with this slug at the same moment.",
            ));
        }
    };
    // The form again, as sent, with what to fix or to confirm.
    let view = EditView::posted(&f, EditView::default());
    edit_page(
        &state,
        &signed,
        None,
        0,
        Status::Draft,
        view,
        errors,
        None,
        None,
        held,
    )
    .await
}

fn saved_word(intent: Intent) -> &'static str {
    match intent {
        Intent::Save => "1",
        Intent::Publish => "published",
        Intent::Schedule => "scheduled",
        Intent::Unpublish => "unpublished",
    }
}

/// `POST /admin/articles/{slug}`.
pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    axum::Form(mut f): axum::Form<ArticleForm>,
) -> AdminResult {
    let editable = super::viewable(&state, &signed, &slug).await?;
    let access = &editable.access;
    let expected = f.revision.unwrap_or(editable.revision);
    let (errors, held) = match submit(&state, &signed.user, Some(&editable), &mut f).await? {
        Outcome::Saved(_, intent) => {
            return Ok(see_other(&format!(
                "/admin/articles/{slug}?saved={}",
                saved_word(intent)
            )));
        }
        Outcome::Refused(errors) => (errors, None),
        Outcome::Held(found, anyway) => (Vec::new(), Some((found, anyway))),
        Outcome::Conflict => return conflict(&state, &signed, &editable, &f, expected).await,
    };
    // The form again, as sent over what is stored, with what to fix or to confirm.
    let stored_view = EditView::of(&editable.input, &state)
        .with_assignments(&state, access)
        .await?;
    edit_page(
        &state,
        &signed,
        Some(&editable),
        expected,
        editable.input.status,
        EditView::posted(&f, stored_view),
        errors,
        None,
        None,
        held,
    )
    .await
}

/// The answer to a save that lost a race: both texts, theirs as now stored and the user's own
/// in the form, which now names the current revision, so that saving again is a deliberate
/// choice.
async fn conflict(
    state: &AppState,
    signed: &Signed,
    editable: &Editable,
    f: &ArticleForm,
    expected: i64,
) -> AdminResult {
    let current = state
        .store()
        .editable(&editable.input.slug)
        .await?
        .ok_or(AdminError::not_found("Not found."))?;
    let theirs = EditView::of(&current.input, state);
    let mine = EditView::posted(f, EditView::of(&editable.input, state));
    let mut response = edit_page(
        state,
        signed,
        Some(&current),
        current.revision,
        current.input.status,
        mine,
        vec![FieldError::new(
            "conflict",
            format!(
                "Someone else saved this article (revision {}) after you opened it \
                 (revision {expected}). Your text is below and was not saved; theirs \
                 is shown beside it. Merge what you need and save again.",
                current.revision
            ),
        )],
        Some((current.revision, theirs)),
        None,
        None,
    )
    .await?;
    *response.status_mut() = axum::http::StatusCode::CONFLICT;
    Ok(response)
}

/// The translators the form assigns, when the user may assign (`None`: leave as they are).
async fn assignments(
    state: &AppState,
    user: &User,
    access: Option<&ArticleAccess>,
    f: &ArticleForm,
) -> AdminResult<Result<Option<Vec<(crate::accounts::UserId, Language)>>, Vec<FieldError>>> {
    if !user.may(Action::Assign, access) || (f.assign_en.is_none() && f.assign_zh.is_none()) {
        return Ok(Ok(None));
    }
    let accounts = state.store().users().await?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (field, language, names) in [
        ("assign_en", Language::En, &f.assign_en),
        ("assign_zh", Language::Zh, &f.assign_zh),
    ] {
        for name in form::slug_list(names.as_deref().unwrap_or("")) {
            match accounts
                .iter()
                .find(|a| a.user.username.eq_ignore_ascii_case(&name))
            {
                Some(a) if a.user.role == Role::Translator => out.push((a.user.id, language)),
                Some(_) => errors.push(FieldError::new(
                    field,
                    format!("{name} is not a translator"),
                )),
                None => errors.push(FieldError::new(field, format!("there is no user {name:?}"))),
            }
        }
    }
    if errors.is_empty() {
        Ok(Ok(Some(out)))
    } else {
        Ok(Err(errors))
    }
}

/// `GET /admin/articles/{slug}/preview/{edition}/{mode}`: the page as readers will see it.
pub async fn preview(
    State(state): State<AppState>,
    signed: Signed,
    Path((slug, edition, mode)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> AdminResult {
    super::viewable(&state, &signed, &slug).await?;
    let edition = crate::web::handlers::edition(&state, &edition)
        .map_err(|_| AdminError::not_found("Not found."))?;
    let mode = Mode::from_code(&mode).ok_or(AdminError::not_found("Not found."))?;
    let article = state
        .store()
        .article(&slug, edition.chinese_text())
        .await?
        .ok_or(AdminError::not_found("Not found."))?;
    let prefs = crate::web::prefs::Prefs::from_headers(&headers);
    let link =
        |e: Edition, m: Mode| format!("/admin/articles/{slug}/preview/{}/{}", e.code(), m.code());
    crate::web::handlers::article::render(&state, edition, &article, mode, &prefs, &link, true)
        .await
}

/// `POST /admin/articles/{slug}/delete`: to the trash.
pub async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
) -> AdminResult {
    trash(&state, &signed, &slug, true).await
}

/// `POST /admin/articles/{slug}/restore`: out of the trash.
pub async fn restore(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
) -> AdminResult {
    trash(&state, &signed, &slug, false).await
}

/// Moves an article into the trash (`into`) or out of it, then to the page that shows it.
async fn trash(state: &AppState, signed: &Signed, slug: &str, into: bool) -> AdminResult {
    let converters = state.converters();
    let core = state.core(&converters, Some(&signed.user));
    let done = if into {
        articles::delete(&core, slug).await
    } else {
        articles::restore(&core, slug).await
    };
    done.map_err(AdminError::editorial)?;
    let slug = crate::web::paths::encode_segment(slug);
    Ok(see_other(&if into {
        format!("/admin/?status=trash&deleted={slug}")
    } else {
        format!("/admin/articles/{slug}?saved=untrashed")
    }))
}

/// The longest form an autosave keeps: the editor's limits with room for the rest.
const MAX_AUTOSAVE: usize = 2 * articles::MAX_BODY + 64 * 1024;

/// `POST /admin/articles/{slug}/autosave` (`new` for an article not yet saved): keeps what the
/// user typed, apart from the revisions, and answers with the time it was kept. With
/// `action=discard`, forgets it.
pub async fn autosave(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    axum::Form(f): axum::Form<ArticleForm>,
) -> AdminResult {
    let user = &signed.user;
    let (article, revision) = if slug == "new" {
        require(user.may(Action::CreateArticle, None))?;
        (None, 0)
    } else {
        let editable = super::viewable(&state, &signed, &slug).await?;
        let access = &editable.access;
        require(
            user.may(Action::EditMetadata, Some(access))
                || user.may(Action::EditVersion(Language::En), Some(access))
                || user.may(Action::EditVersion(Language::Zh), Some(access)),
        )?;
        (Some(editable.id), f.revision.unwrap_or(editable.revision))
    };
    if f.action.as_deref() == Some("discard") {
        state.store().clear_autosave(user.id, article).await?;
        return Ok(see_other(&if slug == "new" {
            "/admin/articles/new".to_owned()
        } else {
            format!(
                "/admin/articles/{}",
                crate::web::paths::encode_segment(&slug)
            )
        }));
    }
    let json = serde_json::to_string(&ArticleForm { action: None, ..f })?;
    if json.len() > MAX_AUTOSAVE {
        return Err(AdminError::bad_request("The form is too large to keep."));
    }
    let now = jiff::Timestamp::now();
    state
        .store()
        .put_autosave(user.id, article, revision, &json, now)
        .await?;
    let at = form::shown_time(now, state.time_zone());
    Ok(axum::Json(serde_json::json!({ "saved_at": at })).into_response())
}

/// Query of the slug check.
#[derive(Debug, Deserialize)]
pub struct SlugParams {
    slug: Option<String>,
    en: Option<String>,
    zh: Option<String>,
}

/// `GET /admin/slug-check?slug=…&en=…&zh=…`: for the new-article form as the user types:
/// whether the slug typed is free, or (none typed) the one the headlines would give.
pub async fn slug_check(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<SlugParams>,
) -> AdminResult {
    require(signed.user.may(Action::CreateArticle, None))?;
    let converters = state.converters();
    let core = state.core(&converters, Some(&signed.user));
    let typed = q.slug.as_deref().unwrap_or("").trim();
    let clip = |s: &Option<String>| {
        s.as_deref()
            .unwrap_or("")
            .chars()
            .take(articles::MAX_TITLE)
            .collect::<String>()
    };
    let answer = if typed.is_empty() {
        let proposed = articles::propose_slug(&core, &clip(&q.en), &clip(&q.zh))
            .await
            .map_err(AdminError::editorial)?;
        serde_json::json!({ "slug": proposed, "ok": !proposed.is_empty(), "proposed": true })
    } else {
        match articles::check_slug(&core, typed)
            .await
            .map_err(AdminError::editorial)?
        {
            Ok(()) => serde_json::json!({ "slug": typed, "ok": true }),
            Err(why) => serde_json::json!({ "slug": typed, "ok": false, "message": why }),
        }
    };
    Ok(axum::Json(answer).into_response())
}

/// Query of the live preview.
#[derive(Debug, Deserialize)]
pub struct PreviewParams {
    /// The slug of the stored article the form edits (none: a new article).
    article: Option<String>,
}

/// `POST /admin/preview?article=SLUG`: the parallel mode of the article as the form stands, unsaved (the
/// editor's live preview, and its "Preview" button without JavaScript).
pub async fn live_preview(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Query(q): Query<PreviewParams>,
    axum::Form(f): axum::Form<ArticleForm>,
) -> AdminResult {
    // The article being edited is named in the address: a translator's form carries no slug.
    let stored = match q.article.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(super::viewable(&state, &signed, slug).await?),
        None => {
            require(signed.user.may(Action::CreateArticle, None))?;
            None
        }
    };
    let (draft, _, _) = match form::to_draft(&f, state.time_zone()) {
        Ok(parsed) => parsed,
        Err(errors) => return preview_refused(&signed, errors),
    };
    let edition = if draft.zh_script == crate::content::Script::Hant
        && state.config().edition_enabled(Edition::ZhHant)
    {
        Edition::ZhHant
    } else {
        Edition::ZhHans
    };
    let converters = state.converters();
    let core = state.core(&converters, Some(&signed.user));
    let article = match articles::preview(&core, stored.as_ref(), &draft, edition).await {
        Ok(article) => article,
        Err(EditorialError::Invalid(errors)) => return preview_refused(&signed, errors),
        Err(e) => return Err(AdminError::editorial(e)),
    };
    let shown = if article.en.is_some() {
        Edition::En
    } else {
        edition
    };
    let prefs = crate::web::prefs::Prefs::from_headers(&headers);
    let link = |_: Edition, _: Mode| "#".to_owned();
    let mut response = crate::web::handlers::article::render(
        &state,
        shown,
        &article,
        Mode::Parallel,
        &prefs,
        &link,
        true,
    )
    .await?;
    // Unsaved text: never kept by a cache. (The live preview puts the page into its frame as
    // `srcdoc`, so the page keeps its policy against framing.)
    no_store(&mut response);
    Ok(response)
}

#[derive(Template)]
#[template(path = "admin/preview_refused.html")]
struct PreviewRefused {
    shell: Shell,
    errors: Vec<FieldError>,
}

fn preview_refused(signed: &Signed, errors: Vec<FieldError>) -> AdminResult {
    page(&PreviewRefused {
        shell: Shell::new("Preview", &signed.user, &signed.csrf, "articles"),
        errors,
    })
}
