//! The editor's form: its fields, and turning them into an [`ArticleInput`] with what the
//! user may change, validated, so that a refused save can show the form again exactly as sent.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::accounts::{Action, ArticleAccess, User};
use crate::content::{ArticleInput, Language, Script, Status, VersionText};

/// Limits on what one field may hold (characters; the body in bytes).
pub const MAX_TITLE: usize = 300;
/// Summary limit.
pub const MAX_DEK: usize = 1_000;
/// Body limit, bytes.
pub const MAX_BODY: usize = 1_000_000;
/// Slug limit.
pub const MAX_SLUG: usize = 120;

/// The editor form as posted (every field optional: a translator's form has only theirs).
#[derive(Clone, Debug, Default, Deserialize)]
#[allow(missing_docs)]
pub struct ArticleForm {
    pub revision: Option<i64>,
    pub slug: Option<String>,
    pub section: Option<String>,
    pub topics: Option<String>,
    pub authors: Option<String>,
    pub hero: Option<String>,
    pub featured: Option<String>,
    pub zh_script: Option<String>,
    pub zh_rules: Option<String>,
    pub published_at: Option<String>,
    pub en_title: Option<String>,
    pub en_dek: Option<String>,
    pub en_body: Option<String>,
    pub en_hero_caption: Option<String>,
    pub en_hero_credit: Option<String>,
    pub zh_title: Option<String>,
    pub zh_dek: Option<String>,
    pub zh_body: Option<String>,
    pub zh_hero_caption: Option<String>,
    pub zh_hero_credit: Option<String>,
    /// Usernames of the translators assigned to the English version.
    pub assign_en: Option<String>,
    /// Usernames of the translators assigned to the Chinese version.
    pub assign_zh: Option<String>,
    /// `save`, `publish`, `schedule` or `unpublish`.
    pub action: Option<String>,
}

/// What the save asks for besides the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Keep the status (a new article is a draft).
    Save,
    /// Publish now (or at the given past time).
    Publish,
    /// Publish by itself at the given future time.
    Schedule,
    /// Take down.
    Unpublish,
}

impl Intent {
    fn parse(s: Option<&str>) -> Result<Intent, String> {
        match s.unwrap_or("save") {
            "save" => Ok(Intent::Save),
            // `-anyway`: after the pre-publish checklist was shown.
            "publish" | "publish-anyway" => Ok(Intent::Publish),
            "schedule" | "schedule-anyway" => Ok(Intent::Schedule),
            "unpublish" => Ok(Intent::Unpublish),
            other => Err(format!("unknown action {other:?}")),
        }
    }
}

/// A field the user must fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The form field.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
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

/// Splits a comma-separated list of slugs.
pub fn slug_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split([',', '，', ' ', '\n']) {
        let part = part.trim().to_lowercase();
        if !part.is_empty() && !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

/// Formats a time for the `datetime-local` field, in the site's zone.
pub fn local_time(t: Option<Timestamp>, tz: &TimeZone) -> String {
    t.map(|t| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

/// Reads a publication time: an RFC 3339 time with an offset (what the API sends) is taken as
/// it is; a date and time without one (the `datetime-local` field) is in the site's zone.
fn parse_local_time(s: &str, tz: &TimeZone) -> Result<Option<Timestamp>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(Some(t));
    }
    let civil: DateTime = s.parse().map_err(|_| {
        format!("{s:?} is not a date and time (YYYY-MM-DDTHH:MM, or RFC 3339 with an offset)")
    })?;
    let zoned = civil
        .to_zoned_datetime(tz.clone())
        .map_err(|e| format!("{s:?}: {e}"))?;
    Ok(Some(zoned.timestamp()))
}

fn version_from(
    language: Language,
    title: &Option<String>,
    dek: &Option<String>,
    body: &Option<String>,
    caption: &Option<String>,
    credit: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<VersionText> {
    let get = |v: &Option<String>| v.as_deref().unwrap_or("").replace("\r\n", "\n");
    let v = VersionText {
        title: get(title).trim().to_owned(),
        dek: get(dek).trim().to_owned(),
        body: get(body),
        hero_caption: get(caption).trim().to_owned(),
        hero_credit: get(credit).trim().to_owned(),
    };
    let (f_title, f_dek, f_body) = match language {
        Language::En => ("en_title", "en_dek", "en_body"),
        Language::Zh => ("zh_title", "zh_dek", "zh_body"),
    };
    if v.title.chars().count() > MAX_TITLE {
        errors.push(err(f_title, format!("at most {MAX_TITLE} characters")));
    }
    if v.title.contains(['\n', '\r']) {
        errors.push(err(f_title, "one line only"));
    }
    if v.dek.chars().count() > MAX_DEK {
        errors.push(err(f_dek, format!("at most {MAX_DEK} characters")));
    }
    if v.body.len() > MAX_BODY {
        errors.push(err(f_body, format!("at most {MAX_BODY} bytes")));
    }
    if v.title.is_empty() && v.body.trim().is_empty() && v.dek.is_empty() {
        return None;
    }
    if v.title.is_empty() {
        errors.push(err(f_title, "a version with text needs a headline"));
    }
    Some(v)
}

/// A field error for every field that holds a character no text may hold (see
/// [`crate::content::text`]), before anything else reads the form.
fn forbidden_characters(form: &ArticleForm) -> Vec<FieldError> {
    let fields = [
        ("slug", &form.slug),
        ("section", &form.section),
        ("topics", &form.topics),
        ("authors", &form.authors),
        ("hero", &form.hero),
        ("featured", &form.featured),
        ("zh_script", &form.zh_script),
        ("zh_rules", &form.zh_rules),
        ("published_at", &form.published_at),
        ("en_title", &form.en_title),
        ("en_dek", &form.en_dek),
        ("en_body", &form.en_body),
        ("en_hero_caption", &form.en_hero_caption),
        ("en_hero_credit", &form.en_hero_credit),
        ("zh_title", &form.zh_title),
        ("zh_dek", &form.zh_dek),
        ("zh_body", &form.zh_body),
        ("zh_hero_caption", &form.zh_hero_caption),
        ("zh_hero_credit", &form.zh_hero_credit),
        ("assign_en", &form.assign_en),
        ("assign_zh", &form.assign_zh),
        ("action", &form.action),
    ];
    fields
        .into_iter()
        .filter_map(|(field, value)| {
            let message = crate::content::text::check(value.as_deref()?).err()?;
            Some(err(field, message))
        })
        .collect()
}

/// The form that [`to_input`] turns back into `input`, for a save that changes only part of a
/// stored article (the publication time is left empty, which keeps the stored one).
pub fn form_of(input: &ArticleInput) -> ArticleForm {
    let version = |v: Option<&VersionText>| {
        let v = v.cloned().unwrap_or_default();
        (
            Some(v.title),
            Some(v.dek),
            Some(v.body),
            Some(v.hero_caption),
            Some(v.hero_credit),
        )
    };
    let (en_title, en_dek, en_body, en_hero_caption, en_hero_credit) = version(input.en.as_ref());
    let (zh_title, zh_dek, zh_body, zh_hero_caption, zh_hero_credit) = version(input.zh.as_ref());
    ArticleForm {
        revision: None,
        slug: Some(input.slug.clone()),
        section: input.section.clone(),
        topics: Some(input.topics.join(", ")),
        authors: Some(input.authors.join(", ")),
        hero: input.hero.clone(),
        featured: input.featured.then(|| "on".to_owned()),
        zh_script: Some(input.zh_script.code().to_owned()),
        zh_rules: Some(input.zh_rules.clone()),
        published_at: None,
        en_title,
        en_dek,
        en_body,
        en_hero_caption,
        en_hero_credit,
        zh_title,
        zh_dek,
        zh_body,
        zh_hero_caption,
        zh_hero_credit,
        // No assignment fields: the article's translators stay as they are.
        assign_en: None,
        assign_zh: None,
        action: None,
    }
}

/// Builds the article to save from the form, keeping from `base` (the stored article) every
/// part this user may not change. Returns the input and the intent, or every field error.
pub fn to_input(
    form: &ArticleForm,
    base: Option<&ArticleInput>,
    user: &User,
    access: Option<&ArticleAccess>,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<(ArticleInput, Intent), Vec<FieldError>> {
    let mut errors = forbidden_characters(form);
    let intent = Intent::parse(form.action.as_deref()).unwrap_or_else(|e| {
        errors.push(err("action", e));
        Intent::Save
    });
    let creating = base.is_none();
    let may_meta = if creating {
        user.may(Action::CreateArticle, None)
    } else {
        user.may(Action::EditMetadata, access)
    };
    let mut input = match base {
        Some(b) => b.clone(),
        None => {
            let slug = form.slug.as_deref().unwrap_or("").trim().to_owned();
            if !valid_slug(&slug) {
                errors.push(err(
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
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        input.section = opt(&form.section);
        input.topics = slug_list(form.topics.as_deref().unwrap_or(""));
        input.authors = slug_list(form.authors.as_deref().unwrap_or(""));
        input.hero = opt(&form.hero);
        input.featured = form.featured.is_some();
        input.zh_script = match form.zh_script.as_deref() {
            Some("hant") => Script::Hant,
            Some("hans") | None => Script::Hans,
            Some(other) => {
                errors.push(err("zh_script", format!("unknown script {other:?}")));
                Script::Hans
            }
        };
        let rules = form.zh_rules.as_deref().unwrap_or("").replace("\r\n", "\n");
        if let Err(e) = duizhao_convert::Glossary::parse(&rules) {
            errors.push(err("zh_rules", e.to_string()));
        }
        input.zh_rules = rules;
        match parse_local_time(form.published_at.as_deref().unwrap_or(""), tz) {
            Ok(t) => input.published_at = t.or(input.published_at.filter(|_| !creating)),
            Err(e) => errors.push(err("published_at", e)),
        }
    }
    for language in [Language::En, Language::Zh] {
        let allowed = if creating {
            user.may(Action::CreateArticle, None)
        } else {
            user.may(Action::EditVersion(language), access)
        };
        if !allowed {
            continue;
        }
        let v = match language {
            Language::En => version_from(
                language,
                &form.en_title,
                &form.en_dek,
                &form.en_body,
                &form.en_hero_caption,
                &form.en_hero_credit,
                &mut errors,
            ),
            Language::Zh => version_from(
                language,
                &form.zh_title,
                &form.zh_dek,
                &form.zh_body,
                &form.zh_hero_caption,
                &form.zh_hero_credit,
                &mut errors,
            ),
        };
        match language {
            Language::En => input.en = v,
            Language::Zh => input.zh = v,
        }
    }
    if input.en.is_none() && input.zh.is_none() {
        errors.push(err("en_title", "write at least one version"));
    }
    if intent != Intent::Save && !user.may(Action::Publish, access) {
        errors.push(err("action", "you may not publish, schedule or unpublish"));
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
            _ => errors.push(err(
                "published_at",
                "to schedule, give a publication time in the future",
            )),
        },
        Intent::Unpublish => input.status = Status::Unpublished,
    }
    if input.status == Status::Published {
        // A correction to a published article updates its date.
        input.updated_at = Some(now);
    } else {
        input.updated_at = None;
    }
    if errors.is_empty() {
        Ok((input, intent))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{Role, UserId};

    fn user(role: Role) -> User {
        User {
            id: UserId(7),
            username: "u".into(),
            display_name: String::new(),
            role,
        }
    }

    /// A new article from the form, as an editor saves it now.
    fn as_editor(f: &ArticleForm) -> Result<(ArticleInput, Intent), Vec<FieldError>> {
        to_input(
            f,
            None,
            &user(Role::Editor),
            None,
            &TimeZone::UTC,
            Timestamp::now(),
        )
    }

    fn form() -> ArticleForm {
        ArticleForm {
            slug: Some("trade-talks".into()),
            en_title: Some("Trade talks".into()),
            en_body: Some("Body.\r\n\r\nMore.".into()),
            zh_title: Some("贸易谈判".into()),
            zh_body: Some("正文。".into()),
            topics: Some("trade, Economy，trade".into()),
            ..ArticleForm::default()
        }
    }

    #[test]
    fn a_new_draft_from_the_form() {
        let tz = TimeZone::UTC;
        let (input, intent) = to_input(
            &form(),
            None,
            &user(Role::Editor),
            None,
            &tz,
            Timestamp::now(),
        )
        .unwrap();
        assert_eq!(intent, Intent::Save);
        assert_eq!(input.status, Status::Draft);
        assert_eq!(input.topics, ["trade", "economy"]);
        assert_eq!(input.en.unwrap().body, "Body.\n\nMore.");
        assert_eq!(input.zh.unwrap().title, "贸易谈判");
    }

    #[test]
    fn bad_fields_are_all_reported() {
        let mut f = form();
        f.slug = Some("Bad Slug!".into());
        f.en_title = Some(String::new());
        f.published_at = Some("tomorrow".into());
        f.zh_rules = Some("no arrow here".into());
        let errors = as_editor(&f).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        for field in ["slug", "en_title", "published_at", "zh_rules"] {
            assert!(fields.contains(&field), "{field} missing from {fields:?}");
        }
    }

    #[test]
    fn characters_that_break_feeds_are_refused_in_every_field() {
        let mut f = form();
        f.en_title = Some("Tariffs\u{1} bite".into());
        f.zh_dek = Some("关税\u{fffe}".into());
        f.zh_body = Some("正文\u{0}".into());
        f.topics = Some("trade\u{0}".into());
        let errors = as_editor(&f).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        for field in ["en_title", "zh_dek", "zh_body", "topics"] {
            assert!(fields.contains(&field), "{field} missing from {fields:?}");
        }
        let title = errors.iter().find(|e| e.field == "en_title").unwrap();
        assert!(title.message.contains("U+0001"), "{}", title.message);
        // Tabs and line breaks are text.
        let mut f = form();
        f.en_body = Some("Line one\r\n\tLine two".into());
        assert!(as_editor(&f).is_ok());
    }

    #[test]
    fn authors_cannot_publish_and_schedules_need_a_future_time() {
        let mut f = form();
        f.action = Some("publish".into());
        let errors = to_input(
            &f,
            None,
            &user(Role::Author),
            None,
            &TimeZone::UTC,
            Timestamp::now(),
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "action");
        f.action = Some("schedule".into());
        f.published_at = Some("2001-01-01T10:00".into());
        let errors = as_editor(&f).unwrap_err();
        assert_eq!(errors[0].field, "published_at");
        f.published_at = Some("2999-01-01T10:00".into());
        let (input, _) = as_editor(&f).unwrap();
        assert_eq!(input.status, Status::Scheduled);
    }

    #[test]
    fn a_stored_article_survives_its_own_form_and_times_may_carry_an_offset() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let mut f = form();
        f.published_at = Some("2026-03-01T08:30:00+08:00".into());
        let editor = user(Role::Editor);
        let (stored, _) = to_input(&f, None, &editor, None, &tz, Timestamp::now()).unwrap();
        assert_eq!(
            stored.published_at.unwrap().to_string(),
            "2026-03-01T00:30:00Z"
        );
        let (again, _) = to_input(
            &form_of(&stored),
            Some(&stored),
            &editor,
            None,
            &tz,
            Timestamp::now(),
        )
        .unwrap();
        assert_eq!(again, stored);
        f.published_at = Some("2026-03-01T08:30".into());
        let (local, _) = to_input(&f, None, &editor, None, &tz, Timestamp::now()).unwrap();
        assert_eq!(local.published_at, stored.published_at);
    }

    #[test]
    fn a_translator_changes_only_their_version() {
        let base = to_input(
            &form(),
            None,
            &user(Role::Editor),
            None,
            &TimeZone::UTC,
            Timestamp::now(),
        )
        .unwrap()
        .0;
        let access = ArticleAccess {
            created_by: None,
            status: Status::Draft,
            assignments: vec![(UserId(7), Language::Zh)],
        };
        let mut f = ArticleForm {
            zh_title: Some("新标题".into()),
            zh_body: Some("新正文。".into()),
            en_title: Some("HACKED".into()),
            topics: Some("other".into()),
            ..ArticleForm::default()
        };
        f.slug = Some("elsewhere".into());
        let (input, _) = to_input(
            &f,
            Some(&base),
            &user(Role::Translator),
            Some(&access),
            &TimeZone::UTC,
            Timestamp::now(),
        )
        .unwrap();
        assert_eq!(input.zh.as_ref().unwrap().title, "新标题");
        assert_eq!(input.en, base.en);
        assert_eq!(input.topics, base.topics);
        assert_eq!(input.slug, "trade-talks");
    }
}
