//! Commands on articles: save (create, change, publish, schedule, unpublish), delete to the
//! trash, restore, and purge what has been in the trash too long.
//!
//! A caller describes the article it wants as an [`ArticleDraft`] (typed: the back office
//! parses its form into one, the API its JSON body) with an [`Intent`]. [`save`] keeps from
//! the stored article every part the acting user may not change, validates the rest (errors
//! name fields by their path in the API's body: `slug`, `en.title`, `status`), derives the
//! editions, writes in one transaction, replaces the translator assignments when asked, and
//! emits one [`Change::Article`].

use jiff::{SignedDuration, Timestamp};

use super::error::{EditorialError, EditorialResult, FieldError};
use super::events::Change;
use super::{Core, media_key, media_url};
use crate::accounts::{Action, ArticleAccess, User, UserId};
use crate::content::{ArticleInput, Language, Script, Status, VersionText, derive_article};
use crate::store::StoreError;
use crate::store::revisions::{Editable, Expect, SaveBy};

pub use crate::store::trash::TRASH_DAYS;

/// The longest headline, in characters.
pub const MAX_TITLE: usize = 300;
/// The longest summary, in characters.
pub const MAX_DEK: usize = 1_000;
/// The longest body, in bytes.
pub const MAX_BODY: usize = 1_000_000;
/// The longest slug.
pub const MAX_SLUG: usize = 120;
/// The longest caption or credit, in characters.
pub const MAX_CAPTION: usize = 1_000;

/// What a save asks for besides the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Keep the status (a new article is a draft).
    Save,
    /// Publish now (or at the given past time).
    Publish,
    /// Publish by itself at the given future time.
    Schedule,
    /// Take down: its pages answer 410 Gone.
    Unpublish,
}

/// An article as a caller asks it to be. Every part is given; the parts the acting user may
/// not change are ignored and kept as stored. An empty version (no headline, summary or body)
/// is no version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleDraft {
    /// The URL name. Empty on a new article: one is proposed from the headlines. Ignored on a
    /// stored article (slugs do not change once articles exist).
    pub slug: String,
    /// Section slug.
    pub section: Option<String>,
    /// Topic slugs, in order.
    pub topics: Vec<String>,
    /// Author slugs, in order.
    pub authors: Vec<String>,
    /// The hero image, as stored (`uploads/…`) or as served (`/media/uploads/…`).
    pub hero: Option<String>,
    /// On the front page's lead.
    pub featured: bool,
    /// The script the Chinese version is written in.
    pub zh_script: Script,
    /// The article's own conversion rules (glossary syntax).
    pub zh_rules: String,
    /// The publication time (`None`: keep the stored one, or now when publishing).
    pub published_at: Option<Timestamp>,
    /// The English version.
    pub en: VersionText,
    /// The Chinese version.
    pub zh: VersionText,
}

impl ArticleDraft {
    /// The draft that saves `input` unchanged.
    pub fn of(input: &ArticleInput) -> ArticleDraft {
        ArticleDraft {
            slug: input.slug.clone(),
            section: input.section.clone(),
            topics: input.topics.clone(),
            authors: input.authors.clone(),
            hero: input.hero.clone(),
            featured: input.featured,
            zh_script: input.zh_script,
            zh_rules: input.zh_rules.clone(),
            published_at: input.published_at,
            en: input.en.clone().unwrap_or_default(),
            zh: input.zh.clone().unwrap_or_default(),
        }
    }
}

/// Whether a slug is acceptable: lower-case ASCII letters, digits and inner hyphens.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

fn may(user: Option<&User>, action: Action, access: Option<&ArticleAccess>) -> bool {
    user.is_none_or(|u| u.may(action, access))
}

/// An error for each field of a version that holds a character no text may hold
/// ([`crate::content::text`]).
fn check_characters(language: Language, v: &VersionText, errors: &mut Vec<FieldError>) {
    for (field, text) in [
        ("title", &v.title),
        ("dek", &v.dek),
        ("body", &v.body),
        ("hero_caption", &v.hero_caption),
        ("hero_credit", &v.hero_credit),
    ] {
        if let Err(message) = crate::content::text::check(text) {
            errors.push(FieldError::new(
                format!("{}.{field}", language.code()),
                message,
            ));
        }
    }
}

/// One version from the draft, validated; `None` when it is empty.
fn version(
    language: Language,
    v: &VersionText,
    errors: &mut Vec<FieldError>,
) -> Option<VersionText> {
    let v = VersionText {
        title: v.title.trim().to_owned(),
        dek: v.dek.trim().replace("\r\n", "\n"),
        body: v.body.replace("\r\n", "\n"),
        hero_caption: v.hero_caption.trim().to_owned(),
        hero_credit: v.hero_credit.trim().to_owned(),
    };
    check_characters(language, &v, errors);
    let code = language.code();
    let mut fail = |field: &str, message: String| {
        errors.push(FieldError::new(format!("{code}.{field}"), message));
    };
    if v.title.chars().count() > MAX_TITLE {
        fail("title", format!("at most {MAX_TITLE} characters"));
    }
    if v.title.contains(['\n', '\r']) {
        fail("title", "one line only".to_owned());
    }
    if v.dek.chars().count() > MAX_DEK {
        fail("dek", format!("at most {MAX_DEK} characters"));
    }
    if v.body.len() > MAX_BODY {
        fail("body", format!("at most {MAX_BODY} bytes"));
    }
    for (field, text) in [
        ("hero_caption", &v.hero_caption),
        ("hero_credit", &v.hero_credit),
    ] {
        if text.chars().count() > MAX_CAPTION {
            fail(field, format!("at most {MAX_CAPTION} characters"));
        }
    }
    if v.title.is_empty() && v.body.trim().is_empty() && v.dek.is_empty() {
        return None;
    }
    if v.title.is_empty() {
        fail("title", "a version with text needs a headline".to_owned());
    }
    Some(v)
}

/// Builds the article to store from a draft over `base` (the stored article, `None` when
/// creating), keeping every part `user` may not change (`None`: the system, which may change
/// everything). Returns every field error at once.
pub fn prepare(
    draft: &ArticleDraft,
    intent: Intent,
    base: Option<(&ArticleInput, &ArticleAccess)>,
    user: Option<&User>,
    now: Timestamp,
) -> Result<ArticleInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let access = base.map(|b| b.1);
    let creating = base.is_none();
    let may_meta = if creating {
        may(user, Action::CreateArticle, None)
    } else {
        may(user, Action::EditMetadata, access)
    };
    let mut input = match base {
        Some((b, _)) => b.clone(),
        None => {
            let slug = draft.slug.trim().to_owned();
            if !valid_slug(&slug) {
                errors.push(FieldError::new(
                    "slug",
                    "lower-case letters, digits and hyphens (e.g. trade-talks-resume)",
                ));
            }
            ArticleInput {
                slug,
                section: None,
                topics: Vec::new(),
                authors: Vec::new(),
                hero: None,
                status: Status::Draft,
                featured: false,
                zh_script: Script::Hans,
                zh_rules: String::new(),
                published_at: None,
                updated_at: None,
                en: None,
                zh: None,
            }
        }
    };
    if may_meta {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let list = |v: &[String]| {
            let mut out: Vec<String> = Vec::new();
            for s in v.iter().map(|s| s.trim().to_lowercase()) {
                if !s.is_empty() && !out.contains(&s) {
                    out.push(s);
                }
            }
            out
        };
        input.section = clean(&draft.section);
        input.topics = list(&draft.topics);
        input.authors = list(&draft.authors);
        input.hero = clean(&draft.hero).map(|h| media_key(&h).to_owned());
        input.featured = draft.featured;
        input.zh_script = draft.zh_script;
        let rules = draft.zh_rules.replace("\r\n", "\n");
        if let Err(e) = duizhao_convert::Glossary::parse(&rules) {
            errors.push(FieldError::new("zh_rules", e.to_string()));
        }
        input.zh_rules = rules;
        input.published_at = draft
            .published_at
            .or(input.published_at.filter(|_| !creating));
        let texts = [
            ("section", input.section.clone().unwrap_or_default()),
            ("topics", input.topics.join(",")),
            ("authors", input.authors.join(",")),
            ("hero", input.hero.clone().unwrap_or_default()),
            ("zh_rules", input.zh_rules.clone()),
        ];
        for (field, text) in texts {
            if let Err(message) = crate::content::text::check(&text) {
                errors.push(FieldError::new(field, message));
            }
        }
    }
    for language in [Language::En, Language::Zh] {
        let allowed = if creating {
            may(user, Action::CreateArticle, None)
        } else {
            may(user, Action::EditVersion(language), access)
        };
        if !allowed {
            continue;
        }
        match language {
            Language::En => input.en = version(language, &draft.en, &mut errors),
            Language::Zh => input.zh = version(language, &draft.zh, &mut errors),
        }
    }
    if input.en.is_none() && input.zh.is_none() {
        errors.push(FieldError::new("en.title", "write at least one version"));
    }
    if intent != Intent::Save && !may(user, Action::Publish, access) {
        errors.push(FieldError::new(
            "status",
            "you may not publish, schedule or unpublish",
        ));
    }
    match intent {
        Intent::Save => {}
        Intent::Publish => {
            input.status = Status::Published;
            if input.published_at.is_none_or(|t| t > now) {
                input.published_at = Some(now);
            }
        }
        Intent::Schedule => match input.published_at {
            Some(t) if t > now => input.status = Status::Scheduled,
            _ => errors.push(FieldError::new(
                "published_at",
                "to schedule, give a publication time in the future",
            )),
        },
        Intent::Unpublish if creating => errors.push(FieldError::new(
            "status",
            "a new article cannot be unpublished",
        )),
        Intent::Unpublish => input.status = Status::Unpublished,
    }
    // A correction to a published article updates its date.
    input.updated_at = (input.status == Status::Published).then_some(now);
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// A slug for a new article from its headlines ([`crate::content::slug::from_headline`]),
/// numbered (`-2`, `-3`, …) past the slugs in use; empty when neither headline gives one.
pub async fn propose_slug(core: &Core<'_>, en: &str, zh: &str) -> EditorialResult<String> {
    let base = crate::content::slug::from_headline(en, zh);
    if base.is_empty() {
        return Ok(base);
    }
    for n in 1..=100 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if core.store.article_state(&candidate).await?.is_none() {
            return Ok(candidate);
        }
    }
    Ok(String::new())
}

/// Turns the topics and authors a draft names, by slug or by name (English or Chinese, in
/// either script, any case), into slugs. A name that matches nothing is created (a topic or an
/// author with that name, its slug made from it) when `create` is set and the user may manage
/// taxonomy; otherwise it is reported, as a field error on `topics` or `authors`.
pub async fn resolve_terms(
    core: &Core<'_>,
    draft: &mut ArticleDraft,
    create: bool,
) -> EditorialResult<Vec<FieldError>> {
    use crate::store::taxonomy::{AuthorInput, TaxonomyInput, TopicInput};
    let mut errors = Vec::new();
    let topics = core.store.topics().await?;
    let authors = core.store.authors().await?;
    let may_create = create && may(core.user, Action::ManageTaxonomy, None);
    for (field, known, wanted) in [
        (
            "topics",
            topics
                .iter()
                .map(|t| (t.slug.clone(), t.name.clone()))
                .collect::<Vec<_>>(),
            &mut draft.topics,
        ),
        (
            "authors",
            authors
                .iter()
                .map(|a| (a.slug.clone(), a.name.clone()))
                .collect::<Vec<_>>(),
            &mut draft.authors,
        ),
    ] {
        let mut missing = Vec::new();
        for entry in wanted.iter_mut() {
            let name = entry.trim().to_owned();
            let lower = name.to_lowercase();
            let found = known.iter().find(|(slug, names)| {
                *slug == lower
                    || [
                        &names.en,
                        &names.zh_hans,
                        &names.zh_hant,
                        &names.zh_tw,
                        &names.zh_hk,
                    ]
                    .iter()
                    .any(|n| !n.is_empty() && n.to_lowercase() == lower)
            });
            match found {
                Some((slug, _)) => *entry = slug.clone(),
                None if may_create => {
                    let (name_en, name_zh) = if has_han(&name) {
                        (String::new(), name.clone())
                    } else {
                        (name.clone(), String::new())
                    };
                    let slug = crate::content::slug::from_headline(&name_en, &name_zh);
                    let input = if field == "topics" {
                        TaxonomyInput::Topic(TopicInput {
                            slug,
                            name_en,
                            name_zh,
                            ..TopicInput::default()
                        })
                    } else {
                        TaxonomyInput::Author(AuthorInput {
                            slug,
                            name_en,
                            name_zh,
                            ..AuthorInput::default()
                        })
                    };
                    match super::taxonomy::save(core, None, input).await {
                        Ok(slug) => *entry = slug,
                        Err(EditorialError::Invalid(fields)) => {
                            for f in fields {
                                errors.push(FieldError::new(
                                    field,
                                    format!("cannot create {name:?}: {}", f.message),
                                ));
                            }
                        }
                        Err(e) => return Err(e),
                    }
                }
                None => missing.push(name),
            }
        }
        if !missing.is_empty() {
            let what = if field == "topics" { "topic" } else { "author" };
            errors.push(FieldError::new(
                field,
                format!(
                    "there is no {what} {}: check the spelling, or create {}",
                    missing
                        .iter()
                        .map(|m| format!("{m:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if missing.len() == 1 { "it" } else { "them" }
                ),
            ));
        }
    }
    Ok(errors)
}

/// Whether a name is Chinese (holds a Han character): a new topic, author or section named so
/// gets it as its Chinese name.
fn has_han(name: &str) -> bool {
    name.chars().any(crate::content::text::is_han)
}

/// Creates a section named `name` (in the language its script says), placed after the others;
/// returns its slug.
pub async fn create_section(core: &Core<'_>, name: &str) -> EditorialResult<String> {
    use crate::store::taxonomy::{SectionInput, TaxonomyInput};
    let (name_en, name_zh) = if has_han(name) {
        (String::new(), name.to_owned())
    } else {
        (name.to_owned(), String::new())
    };
    let position = core
        .store
        .sections()
        .await?
        .iter()
        .map(|s| s.position)
        .max()
        .map_or(0, |p| p.saturating_add(1).min(super::taxonomy::MAX_ORDER));
    let input = TaxonomyInput::Section(SectionInput {
        slug: crate::content::slug::from_headline(&name_en, &name_zh),
        name_en,
        name_zh,
        position,
    });
    super::taxonomy::save(core, None, input).await
}

/// What a slug typed for a new article would give: `Ok` when it is free, else why not.
pub async fn check_slug(core: &Core<'_>, slug: &str) -> EditorialResult<Result<(), String>> {
    if !valid_slug(slug) {
        return Ok(Err(
            "lower-case letters, digits and hyphens (e.g. trade-talks-resume)".to_owned(),
        ));
    }
    Ok(match core.store.editable(slug).await? {
        None => Ok(()),
        Some(e) if e.deleted_at.is_some() => Err(format!(
            "{slug:?} is taken by an article in the trash (restore it, or choose another)"
        )),
        Some(_) => Err(format!("{slug:?} is already used by another article")),
    })
}

/// The pre-publish checklist: what a reader would miss in `input` if it were published now.
/// Empty when nothing is missing.
pub async fn checklist(core: &Core<'_>, input: &ArticleInput) -> EditorialResult<Vec<String>> {
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
        && let Ok(id) = core.store.media_id(media_key(hero)).await
        && let Some(media) = core.store.media(id).await?
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

/// The command to save an article.
#[derive(Clone, Copy, Debug)]
pub struct SaveArticle<'a> {
    /// The stored article (as the caller read it, with its access), `None` to create one.
    pub stored: Option<&'a Editable>,
    /// What the article should be.
    pub draft: &'a ArticleDraft,
    /// Publish, schedule, unpublish or just save.
    pub intent: Intent,
    /// The revision the draft was based on (`None`: the stored one).
    pub revision: Option<i64>,
    /// Replaces the article's translators when given (needs [`Action::Assign`]).
    pub assign: Option<&'a [(UserId, Language)]>,
    /// Whether the user has seen the pre-publish checklist (or does not want it): when false,
    /// publishing or scheduling with something on the checklist fails with
    /// [`EditorialError::Unconfirmed`].
    pub confirmed: bool,
}

/// What a save stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedArticle {
    /// Its slug (proposed from the headlines when the draft had none).
    pub slug: String,
    /// Its new revision.
    pub revision: i64,
    /// Its status now.
    pub status: Status,
}

/// Saves an article (see the module's documentation).
pub async fn save(core: &Core<'_>, cmd: SaveArticle<'_>) -> EditorialResult<SavedArticle> {
    let user = core.user;
    let now = Timestamp::now();
    let base = cmd.stored.map(|s| (&s.input, &s.access));
    match cmd.stored {
        None => core.require(Action::CreateArticle)?,
        Some(stored) => {
            if !may(user, Action::ViewArticle, Some(&stored.access)) {
                return Err(EditorialError::NotFound {
                    kind: "article",
                    key: stored.input.slug.clone(),
                });
            }
            if stored.deleted_at.is_some() {
                return Err(EditorialError::Gone {
                    kind: "article",
                    key: stored.input.slug.clone(),
                });
            }
        }
    }
    if cmd.assign.is_some() && !may(user, Action::Assign, base.map(|b| b.1)) {
        return Err(EditorialError::NotPermitted);
    }
    let mut draft = std::borrow::Cow::Borrowed(cmd.draft);
    if cmd.stored.is_none() && draft.slug.trim().is_empty() {
        let proposed = propose_slug(core, &draft.en.title, &draft.zh.title).await?;
        draft.to_mut().slug = proposed;
    }
    let input = prepare(&draft, cmd.intent, base, user, now).map_err(EditorialError::Invalid)?;
    let expect = match cmd.stored {
        None => Expect::New,
        Some(stored) => Expect::Revision(cmd.revision.unwrap_or(stored.revision)),
    };
    if let (Expect::Revision(expected), Some(stored)) = (expect, cmd.stored)
        && expected != stored.revision
    {
        return Err(EditorialError::Conflict {
            expected,
            current: stored.revision,
        });
    }
    if !cmd.confirmed && matches!(cmd.intent, Intent::Publish | Intent::Schedule) {
        let found = checklist(core, &input).await?;
        if !found.is_empty() {
            return Err(EditorialError::Unconfirmed(found));
        }
    }
    let derived = derive_article(&input, core.converters, &media_url)
        .map_err(|e| EditorialError::invalid("zh_rules", e.to_string()))?;
    let by = SaveBy {
        user: user.map(|u| u.id),
        expect,
    };
    let saved = match core.store.save_article_as(&input, &derived, now, &by).await {
        Ok(saved) => saved,
        Err(StoreError::Taken { key, .. }) => {
            let why = match check_slug(core, &key).await? {
                Err(why) => why,
                Ok(()) => format!("{key:?} is already used by another article"),
            };
            return Err(EditorialError::invalid("slug", why));
        }
        Err(StoreError::Missing { kind, key }) if kind != "article" => {
            let field = match kind {
                "section" => "section",
                "topic" => "topics",
                "author" => "authors",
                _ => "hero",
            };
            let message = if field == "hero" {
                format!("there is no image {key:?} in the media library")
            } else {
                format!("there is no {kind} {key:?}")
            };
            return Err(EditorialError::invalid(field, message));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(assign) = cmd.assign {
        core.store.clear_assignments(saved.id).await?;
        for (who, language) in assign {
            core.store.assign(saved.id, *who, *language).await?;
        }
    }
    if let Some(user) = user {
        // What was autosaved is now saved (or superseded by this save).
        let article = cmd.stored.map(|s| s.id);
        core.store.clear_autosave(user.id, article).await?;
    }
    core.emit(Change::Article {
        slug: input.slug.clone(),
    })
    .await?;
    Ok(SavedArticle {
        slug: input.slug,
        revision: saved.revision,
        status: input.status,
    })
}

/// The article a draft would make, for a preview before it is saved: as [`save`] would store
/// it (the parts `core.user` may not change kept from `stored`), with its Chinese text in
/// `chinese` (a Chinese edition). Nothing is written.
pub async fn preview(
    core: &Core<'_>,
    stored: Option<&Editable>,
    draft: &ArticleDraft,
    chinese: crate::content::Edition,
) -> EditorialResult<crate::content::Article> {
    let mut draft = draft.clone();
    if stored.is_none() && draft.slug.trim().is_empty() {
        // Any valid slug: a preview has no address of its own.
        draft.slug = "preview".to_owned();
    }
    let base = stored.map(|s| (&s.input, &s.access));
    let now = Timestamp::now();
    let input =
        prepare(&draft, Intent::Save, base, core.user, now).map_err(EditorialError::Invalid)?;
    let derived = derive_article(&input, core.converters, &media_url)
        .map_err(|e| EditorialError::invalid("zh_rules", e.to_string()))?;
    let text = |edition| {
        derived
            .editions
            .iter()
            .find(|(e, _)| *e == edition)
            .map(|(_, t)| t.clone())
    };
    let section = match &input.section {
        Some(s) => core
            .store
            .sections()
            .await?
            .into_iter()
            .find(|x| &x.slug == s),
        None => None,
    };
    let hero = match &input.hero {
        Some(path) => match core.store.media_id(media_key(path)).await {
            Ok(id) => core.store.media(id).await?,
            Err(_) => None,
        },
        None => None,
    };
    Ok(crate::content::Article {
        id: stored.map_or(crate::content::ArticleId(0), |s| s.id),
        slug: input.slug.clone(),
        status: input.status,
        published_at: input.published_at.or(Some(now)),
        updated_at: now,
        zh_script: input.zh_script,
        section,
        topics: in_order(core.store.topics().await?, &input.topics, |t| &t.slug),
        authors: in_order(core.store.authors().await?, &input.authors, |a| &a.slug),
        hero,
        en: text(crate::content::Edition::En),
        zh: text(chinese),
        pairing: derived.pairing,
    })
}

/// Those of `all` whose slug is in `wanted`, in its order.
fn in_order<T: Clone>(all: Vec<T>, wanted: &[String], slug: impl Fn(&T) -> &String) -> Vec<T> {
    wanted
        .iter()
        .filter_map(|w| all.iter().find(|x| slug(x) == w).cloned())
        .collect()
}

/// Stores an article exactly as given, status and dates included, replacing any article with
/// its slug: what the importers and the demo write (the system's work: `core.user` must be
/// `None`). Its slug and text are checked as for any save; then it is derived, stored in one
/// transaction, and its change emitted.
pub async fn import(
    core: &Core<'_>,
    input: &ArticleInput,
    now: Timestamp,
) -> EditorialResult<crate::content::ArticleId> {
    if core.user.is_some() {
        return Err(EditorialError::NotPermitted);
    }
    let mut errors = Vec::new();
    if let Err(why) = crate::content::slug::check(&input.slug) {
        errors.push(FieldError::new("slug", why));
    }
    // Characters no text may hold (an importer strips them first and reports it). Lengths
    // and headlines are not checked: what a source publication holds is imported as it is.
    for (language, v) in [(Language::En, &input.en), (Language::Zh, &input.zh)] {
        if let Some(v) = v {
            check_characters(language, v, &mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(EditorialError::Invalid(errors));
    }
    let derived = derive_article(input, core.converters, &media_url)
        .map_err(|e| EditorialError::invalid("zh_rules", e.to_string()))?;
    let id = core.store.save_article(input, &derived, now).await?;
    core.emit(Change::Article {
        slug: input.slug.clone(),
    })
    .await?;
    Ok(id)
}

/// The stored article `slug` for a command that needs `action` on it.
async fn stored_for(core: &Core<'_>, slug: &str, action: Action) -> EditorialResult<Editable> {
    let not_found = || EditorialError::NotFound {
        kind: "article",
        key: slug.to_owned(),
    };
    let stored = core.store.editable(slug).await?.ok_or_else(not_found)?;
    if !may(core.user, Action::ViewArticle, Some(&stored.access)) {
        return Err(not_found());
    }
    if !may(core.user, action, Some(&stored.access)) {
        return Err(EditorialError::NotPermitted);
    }
    Ok(stored)
}

/// Moves an article to the trash, where it can be restored for [`TRASH_DAYS`] days. A
/// published article stops being public at once (its pages answer 410 Gone); it comes back
/// unpublished.
pub async fn delete(core: &Core<'_>, slug: &str) -> EditorialResult<()> {
    let stored = stored_for(core, slug, Action::DeleteArticle).await?;
    if stored.deleted_at.is_some() {
        return Err(EditorialError::Gone {
            kind: "article",
            key: slug.to_owned(),
        });
    }
    core.store.trash_article(slug, Timestamp::now()).await?;
    core.emit(Change::Article {
        slug: slug.to_owned(),
    })
    .await
}

/// Takes an article out of the trash.
pub async fn restore(core: &Core<'_>, slug: &str) -> EditorialResult<()> {
    let stored = stored_for(core, slug, Action::DeleteArticle).await?;
    if stored.deleted_at.is_none() {
        return Err(EditorialError::invalid(
            "slug",
            "the article is not in the trash",
        ));
    }
    core.store.restore_article(slug).await?;
    core.emit(Change::Article {
        slug: slug.to_owned(),
    })
    .await
}

/// When an article deleted at `deleted_at` leaves the trash for good.
pub fn purged_at(deleted_at: Timestamp) -> Timestamp {
    deleted_at + SignedDuration::from_hours(24 * TRASH_DAYS)
}

/// Removes for good what has been in the trash for more than [`TRASH_DAYS`] days (the system's
/// work: the background job runs it); returns the slugs.
pub async fn purge_trash(core: &Core<'_>, now: Timestamp) -> EditorialResult<Vec<String>> {
    core.require(Action::DeleteArticle)?;
    let before = now - SignedDuration::from_hours(24 * TRASH_DAYS);
    Ok(core.store.purge_trash(before).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    fn user(role: Role) -> User {
        User {
            id: UserId(7),
            username: "u".into(),
            display_name: String::new(),
            role,
        }
    }

    fn draft() -> ArticleDraft {
        ArticleDraft {
            slug: "trade-talks".into(),
            topics: vec!["trade".into(), " Economy".into(), "trade".into()],
            en: VersionText {
                title: "Trade talks".into(),
                body: "Body.\r\n\r\nMore.".into(),
                ..VersionText::default()
            },
            zh: VersionText {
                title: "贸易谈判".into(),
                body: "正文。".into(),
                ..VersionText::default()
            },
            ..ArticleDraft::default()
        }
    }

    fn as_editor(d: &ArticleDraft, intent: Intent) -> Result<ArticleInput, Vec<FieldError>> {
        prepare(d, intent, None, Some(&user(Role::Editor)), Timestamp::now())
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_new_draft() {
        let input = as_editor(&draft(), Intent::Save).unwrap();
        assert_eq!(input.status, Status::Draft);
        assert_eq!(input.topics, ["trade", "economy"]);
        assert_eq!(input.en.unwrap().body, "Body.\n\nMore.");
        assert_eq!(input.zh.unwrap().title, "贸易谈判");
    }

    #[test]
    fn every_bad_field_is_reported_by_its_path() {
        let mut d = draft();
        d.slug = "Bad Slug!".into();
        d.en.title = String::new();
        d.zh.dek = "关税\u{fffe}".into();
        d.zh_rules = "no arrow here".into();
        d.topics.push("trade\u{0}".into());
        let errors = as_editor(&d, Intent::Save).unwrap_err();
        for field in ["slug", "en.title", "zh.dek", "zh_rules", "topics"] {
            assert!(
                fields(&errors).contains(&field),
                "{field} missing: {errors:?}"
            );
        }
        let dek = errors.iter().find(|e| e.field == "zh.dek").unwrap();
        assert!(dek.message.contains("U+FFFE"), "{}", dek.message);
    }

    #[test]
    fn authors_cannot_publish_and_schedules_need_a_future_time() {
        let errors = prepare(
            &draft(),
            Intent::Publish,
            None,
            Some(&user(Role::Author)),
            Timestamp::now(),
        )
        .unwrap_err();
        assert_eq!(fields(&errors), ["status"]);
        let mut d = draft();
        d.published_at = Some("2001-01-01T10:00:00Z".parse().unwrap());
        assert_eq!(
            fields(&as_editor(&d, Intent::Schedule).unwrap_err()),
            ["published_at"]
        );
        d.published_at = Some("2999-01-01T10:00:00Z".parse().unwrap());
        assert_eq!(
            as_editor(&d, Intent::Schedule).unwrap().status,
            Status::Scheduled
        );
        assert_eq!(
            fields(&as_editor(&d, Intent::Unpublish).unwrap_err()),
            ["status"]
        );
    }

    #[test]
    fn a_stored_article_survives_its_own_draft() {
        let editor = user(Role::Editor);
        let stored = as_editor(&draft(), Intent::Save).unwrap();
        let access = ArticleAccess {
            created_by: None,
            status: Status::Draft,
            assignments: Vec::new(),
        };
        let again = prepare(
            &ArticleDraft::of(&stored),
            Intent::Save,
            Some((&stored, &access)),
            Some(&editor),
            Timestamp::now(),
        )
        .unwrap();
        assert_eq!(again, stored);
    }

    #[test]
    fn a_translator_changes_only_their_version() {
        let base = as_editor(&draft(), Intent::Save).unwrap();
        let access = ArticleAccess {
            created_by: None,
            status: Status::Draft,
            assignments: vec![(UserId(7), Language::Zh)],
        };
        let mut d = ArticleDraft {
            slug: "elsewhere".into(),
            topics: vec!["other".into()],
            ..ArticleDraft::default()
        };
        d.zh.title = "新标题".into();
        d.en.title = "HACKED".into();
        let input = prepare(
            &d,
            Intent::Save,
            Some((&base, &access)),
            Some(&user(Role::Translator)),
            Timestamp::now(),
        )
        .unwrap();
        assert_eq!(input.zh.as_ref().unwrap().title, "新标题");
        assert_eq!(input.en, base.en);
        assert_eq!(input.topics, base.topics);
        assert_eq!(input.slug, "trade-talks");
    }

    #[test]
    fn the_system_may_do_anything_and_heroes_are_stored_paths() {
        let mut d = draft();
        d.hero = Some(" /media/uploads/2026/x.jpg ".into());
        let input = prepare(&d, Intent::Publish, None, None, Timestamp::now()).unwrap();
        assert_eq!(input.status, Status::Published);
        assert_eq!(input.hero.as_deref(), Some("uploads/2026/x.jpg"));
    }
}
