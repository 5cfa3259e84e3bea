//! The article list, the bilingual editor (create, edit, publish, schedule, unpublish) and the
//! preview.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use jiff::Timestamp;
use serde::Deserialize;

use super::form::{self, ArticleForm, FieldError, Intent};
use super::{AdminError, AdminResult, Shell, page, require, see_other};
use crate::accounts::{Action, ArticleAccess, Role, User};
use crate::content::{ArticleInput, Edition, Language, Mode, Status, VersionText, derive_article};
use crate::store::StoreError;
use crate::store::revisions::{AdminRow, Expect, SaveBy, Visible};
use crate::web::AppState;
use crate::web::auth::Signed;
use crate::web::error::WebError;

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
    let status = match params.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Status::from_code(s)
                .ok_or_else(|| AdminError::BadRequest(format!("unknown status {s:?}")))?,
        ),
    };
    let page_no = params.page.unwrap_or(1).clamp(1, 100_000);
    let found: Vec<AdminRow> = state
        .store()
        .admin_articles(
            visible,
            status,
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
            when: form::local_time(Some(r.published_at.unwrap_or(r.updated_at)), tz)
                .replace('T', " "),
            status: r.status.code(),
            slug: r.slug,
        })
        .collect();
    let status_code = status.map(Status::code).unwrap_or("").to_owned();
    page(&ListPage {
        shell: Shell::new("Articles", user, &signed.csrf, "articles"),
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
    topics_known: String,
    authors_known: String,
    /// The headline (English, else Chinese), else the slug: the page's title.
    heading: String,
    /// The article on the site, once published.
    site_url: Option<String>,
    /// What the pre-publish checklist found, and the action that goes ahead anyway.
    checklist: Vec<String>,
    anyway: &'static str,
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
    access: Option<&ArticleAccess>,
    revision: i64,
    status: Status,
    view: EditView,
    errors: Vec<FieldError>,
    theirs: Option<(i64, EditView)>,
    flash: Option<String>,
    held: Option<(Vec<String>, &'static str)>,
) -> AdminResult {
    let user = &signed.user;
    let is_new = access.is_none();
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
        can_meta: if is_new {
            user.may(Action::CreateArticle, None)
        } else {
            user.may(Action::EditMetadata, access)
        },
        can_en: may_version(Language::En),
        can_zh: may_version(Language::Zh),
        can_publish: user.may(Action::Publish, access),
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
            .map(|t| t.slug.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        authors_known: authors
            .iter()
            .map(|a| a.slug.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        heading,
        site_url,
        checklist: held.as_ref().map(|h| h.0.clone()).unwrap_or_default(),
        anyway: held.map_or("", |h| h.1),
        view,
    })
}

fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Zh => "中文",
        Mode::En => "English",
        Mode::Parallel => "對照",
    }
}

/// `GET /admin/articles/new`.
pub async fn new_form(State(state): State<AppState>, signed: Signed) -> AdminResult {
    require(signed.user.may(Action::CreateArticle, None))?;
    edit_page(
        &state,
        &signed,
        None,
        0,
        Status::Draft,
        EditView::default(),
        Vec::new(),
        None,
        None,
        None,
    )
    .await
}

/// Query of the edit page.
#[derive(Debug, Deserialize)]
pub struct EditParams {
    saved: Option<String>,
}

/// `GET /admin/articles/{slug}`.
pub async fn edit_form(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(params): Query<EditParams>,
) -> AdminResult {
    let editable = super::viewable(&state, &signed, &slug).await?;
    let flash = params.saved.map(|what| match what.as_str() {
        "published" => "Published.".to_owned(),
        "scheduled" => "Scheduled: it will publish itself at the given time.".to_owned(),
        "unpublished" => "Unpublished: its pages now answer 410 Gone.".to_owned(),
        "restored" => "Restored from an earlier revision (saved as a new revision).".to_owned(),
        _ => "Saved.".to_owned(),
    });
    edit_page(
        &state,
        &signed,
        Some(&editable.access),
        editable.revision,
        editable.input.status,
        EditView::of(&editable.input, &state)
            .with_assignments(&state, &editable.access)
            .await?,
        Vec::new(),
        None,
        flash,
        None,
    )
    .await
}

/// Fills in an empty slug of a new article from its headlines
/// ([`crate::content::slug::from_headline`]), numbered (`-2`, `-3`, …) past slugs in use.
pub(crate) async fn propose_slug(state: &AppState, f: &mut ArticleForm) -> anyhow::Result<()> {
    if f.slug.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return Ok(());
    }
    let base = crate::content::slug::from_headline(
        f.en_title.as_deref().unwrap_or(""),
        f.zh_title.as_deref().unwrap_or(""),
    );
    if base.is_empty() {
        return Ok(());
    }
    for n in 1..=100 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if state.store().article_state(&candidate).await?.is_none() {
            f.slug = Some(candidate);
            return Ok(());
        }
    }
    Ok(())
}

/// `POST /admin/articles/new`.
pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    axum::Form(mut f): axum::Form<ArticleForm>,
) -> AdminResult {
    require(signed.user.may(Action::CreateArticle, None))?;
    propose_slug(&state, &mut f).await?;
    let now = Timestamp::now();
    let parsed = form::to_input(&f, None, &signed.user, None, state.time_zone(), now);
    let assign = assignments(&state, &signed.user, None, &f).await?;
    // The form again, as sent, with what to fix.
    let refuse = async |errors: Vec<FieldError>| {
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
            None,
        )
        .await
    };
    let ((input, intent), assign) = match (parsed, assign) {
        (Ok(parsed), Ok(assign)) => (parsed, assign),
        (parsed, assign) => {
            let errors = parsed.err().into_iter().chain(assign.err()).flatten();
            return refuse(errors.collect()).await;
        }
    };
    if let Some(held) = hold_for_checklist(&state, &f, &input, intent).await? {
        let view = EditView::posted(&f, EditView::default());
        return edit_page(
            &state,
            &signed,
            None,
            0,
            Status::Draft,
            view,
            Vec::new(),
            None,
            None,
            Some(held),
        )
        .await;
    }
    let saved = save(
        &state,
        &signed.user,
        &input,
        Expect::New,
        now,
        assign.as_deref(),
    )
    .await?;
    match saved {
        Ok(()) => Ok(see_other(&format!(
            "/admin/articles/{}?saved={}",
            input.slug,
            saved_word(intent)
        ))),
        Err(Refused::Fields(errors)) => refuse(errors).await,
        Err(Refused::Conflict) => Err(AdminError::BadRequest("conflict on a new article".into())),
    }
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
    axum::Form(f): axum::Form<ArticleForm>,
) -> AdminResult {
    let editable = super::viewable(&state, &signed, &slug).await?;
    let access = &editable.access;
    let user = &signed.user;
    let now = Timestamp::now();
    let stored_view = EditView::of(&editable.input, &state)
        .with_assignments(&state, access)
        .await?;
    let expected = f.revision.unwrap_or(editable.revision);
    let parsed = form::to_input(
        &f,
        Some(&editable.input),
        user,
        Some(access),
        state.time_zone(),
        now,
    );
    let assign = assignments(&state, user, Some(access), &f).await?;
    // The form again, as sent over what is stored, with what to fix.
    let refuse = async |errors: Vec<FieldError>| {
        let view = EditView::posted(&f, stored_view.clone());
        let status = editable.input.status;
        edit_page(
            &state,
            &signed,
            Some(access),
            expected,
            status,
            view,
            errors,
            None,
            None,
            None,
        )
        .await
    };
    let ((input, intent), assign) = match (parsed, assign) {
        (Ok(parsed), Ok(assign)) => (parsed, assign),
        (parsed, assign) => {
            let errors = parsed.err().into_iter().chain(assign.err()).flatten();
            return refuse(errors.collect()).await;
        }
    };
    if let Some(held) = hold_for_checklist(&state, &f, &input, intent).await? {
        let view = EditView::posted(&f, stored_view.clone());
        return edit_page(
            &state,
            &signed,
            Some(access),
            expected,
            editable.input.status,
            view,
            Vec::new(),
            None,
            None,
            Some(held),
        )
        .await;
    }
    let expect = Expect::Revision(expected);
    match save(&state, user, &input, expect, now, assign.as_deref()).await? {
        Ok(()) => Ok(see_other(&format!(
            "/admin/articles/{slug}?saved={}",
            saved_word(intent)
        ))),
        Err(Refused::Fields(errors)) => refuse(errors).await,
        Err(Refused::Conflict) => {
            // Show both: theirs as now stored, and the user's own text in the form, which
            // now names the current revision, so that saving again is a deliberate choice.
            let current = state
                .store()
                .editable(&slug)
                .await?
                .ok_or(AdminError::NotFound)?;
            let theirs = EditView::of(&current.input, &state);
            let mine = EditView::posted(&f, EditView::of(&editable.input, &state));
            let mut response = edit_page(
                &state,
                &signed,
                Some(&current.access),
                current.revision,
                current.input.status,
                mine,
                vec![FieldError {
                    field: "conflict",
                    message: format!(
                        "Someone else saved this article (revision {}) after you opened it \
                         (revision {expected}). Your text is below and was not saved; theirs \
                         is shown beside it. Merge what you need and save again.",
                        current.revision
                    ),
                }],
                Some((current.revision, theirs)),
                None,
                None,
            )
            .await?;
            *response.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(response)
        }
    }
}

/// The pre-publish checklist: what a reader would miss in an article about to be published or
/// scheduled. Empty when nothing is missing.
pub(crate) async fn checklist(
    state: &AppState,
    input: &ArticleInput,
) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    let has = |v: &Option<VersionText>| v.as_ref().is_some_and(|v| !v.title.trim().is_empty());
    let (en, zh) = (has(&input.en), has(&input.zh));
    if !en {
        found.push("There is no English version: English readers and the parallel mode will have only the Chinese.".to_owned());
    }
    if !zh {
        found.push("There is no Chinese version: Chinese readers and the parallel mode will have only the English.".to_owned());
    }
    if input.authors.is_empty() {
        found.push("No author: the byline will be empty.".to_owned());
    }
    if input.section.is_none() {
        found.push("No section: it will appear in no section's page or menu.".to_owned());
    }
    if let Some(hero) = &input.hero
        && let Ok(id) = state
            .store()
            .media_id(crate::editorial::media_key(hero))
            .await
        && let Some(media) = state.store().media(id).await?
    {
        for (language, alt, present) in [
            ("English", &media.alt.en, en),
            ("Chinese", &media.alt.zh_hans, zh),
        ] {
            if present && alt.trim().is_empty() {
                found.push(format!(
                    "The hero image has no {language} alternative text (add it in the media library)."
                ));
            }
        }
    }
    for (language, version) in [("English", &input.en), ("Chinese", &input.zh)] {
        if let Some(v) = version
            && v.body.contains("![](")
        {
            found.push(format!(
                "An image in the {language} text has no alternative text (![text](path))."
            ));
        }
    }
    if let (Some(e), Some(z)) = (&input.en, &input.zh) {
        let paragraphs = |body: &str| body.split("\n\n").filter(|p| !p.trim().is_empty()).count();
        let (pe, pz) = (paragraphs(&e.body), paragraphs(&z.body));
        if pe != pz {
            found.push(format!(
                "The English has {pe} paragraphs and the Chinese {pz}: the parallel mode will pair \
                 them unevenly (see the pairing view)."
            ));
        }
    }
    Ok(found)
}

/// When the form asks to publish or schedule (not "anyway") and the checklist finds something:
/// what it found and the action that goes ahead. The caller shows the form as sent with them,
/// instead of saving.
async fn hold_for_checklist(
    state: &AppState,
    f: &ArticleForm,
    input: &ArticleInput,
    intent: Intent,
) -> anyhow::Result<Option<(Vec<String>, &'static str)>> {
    let anyway = match (intent, f.action.as_deref()) {
        (Intent::Publish, Some("publish")) => "publish-anyway",
        (Intent::Schedule, Some("schedule")) => "schedule-anyway",
        _ => return Ok(None),
    };
    let found = checklist(state, input).await?;
    Ok((!found.is_empty()).then_some((found, anyway)))
}

/// Why a save did not happen (besides internal errors).
pub(crate) enum Refused {
    /// Fields the user must fix.
    Fields(Vec<FieldError>),
    /// Someone else saved since the expected revision.
    Conflict,
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
                Some(_) => errors.push(FieldError {
                    field,
                    message: format!("{name} is not a translator"),
                }),
                None => errors.push(FieldError {
                    field,
                    message: format!("there is no user {name:?}"),
                }),
            }
        }
    }
    if errors.is_empty() {
        Ok(Ok(Some(out)))
    } else {
        Ok(Err(errors))
    }
}

/// Derives and saves, mapping what the user can fix to field errors; then replaces the
/// article's translator assignments when `assign` is given, and brings the search entry and
/// the page cache up to date. Shared by the editor and the JSON API.
pub(crate) async fn save(
    state: &AppState,
    user: &User,
    input: &ArticleInput,
    expect: Expect,
    now: Timestamp,
    assign: Option<&[(crate::accounts::UserId, Language)]>,
) -> AdminResult<Result<(), Refused>> {
    let converters = state.converters();
    let derived = match derive_article(input, &converters, &crate::editorial::media_url) {
        Ok(d) => d,
        Err(e) => {
            return Ok(Err(Refused::Fields(vec![FieldError {
                field: "zh_rules",
                message: e.to_string(),
            }])));
        }
    };
    let by = SaveBy {
        user: Some(user.id),
        expect,
    };
    match state
        .store()
        .save_article_as(input, &derived, now, &by)
        .await
    {
        Ok(saved) => {
            if let Some(assign) = assign {
                state.store().clear_assignments(saved.id).await?;
                for (who, language) in assign {
                    state.store().assign(saved.id, *who, *language).await?;
                }
            }
        }
        Err(StoreError::Conflict { .. }) => return Ok(Err(Refused::Conflict)),
        Err(StoreError::Taken { key, .. }) => {
            return Ok(Err(Refused::Fields(vec![FieldError {
                field: "slug",
                message: format!("{key:?} is already used by another article"),
            }])));
        }
        Err(StoreError::Missing { kind, key }) => {
            let field = match kind {
                "section" => "section",
                "topic" => "topics",
                "author" => "authors",
                _ => "hero",
            };
            return Ok(Err(Refused::Fields(vec![FieldError {
                field,
                message: format!("there is no {kind} {key:?}"),
            }])));
        }
        Err(e) => return Err(e.into()),
    }
    state.article_changed(&input.slug).await?;
    Ok(Ok(()))
}

/// `GET /admin/articles/{slug}/preview/{edition}/{mode}`: the page as readers will see it.
pub async fn preview(
    State(state): State<AppState>,
    signed: Signed,
    Path((slug, edition, mode)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> AdminResult {
    super::viewable(&state, &signed, &slug).await?;
    let edition =
        crate::web::handlers::edition(&state, &edition).map_err(|_| AdminError::NotFound)?;
    let mode = Mode::from_code(&mode).ok_or(AdminError::NotFound)?;
    let article = state
        .store()
        .article(&slug, edition.chinese_text())
        .await?
        .ok_or(AdminError::NotFound)?;
    let prefs = crate::web::prefs::Prefs::from_headers(&headers);
    let link =
        |e: Edition, m: Mode| format!("/admin/articles/{slug}/preview/{}/{}", e.code(), m.code());
    crate::web::handlers::article::render(&state, edition, &article, mode, &prefs, &link, true)
        .await
        .map_err(|e| match e {
            WebError::Internal(err) => AdminError::Internal(err),
            _ => AdminError::NotFound,
        })
}
