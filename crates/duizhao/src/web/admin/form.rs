//! The editor's form: its fields as posted, and reading them into the editorial core's typed
//! [`ArticleDraft`] (what is left to check, the core checks). A refused save shows the form
//! again exactly as sent, with the core's field paths (`en.title`) turned back into the form's
//! field names (`en_title`) by [`form_field`].

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::content::{ArticleInput, Script, VersionText};
pub use crate::editorial::FieldError;
use crate::editorial::articles::ArticleDraft;
pub use crate::editorial::articles::{Intent, MAX_BODY, valid_slug};

/// The editor form as posted (every field optional: a translator's form has only theirs).
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize)]
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
    /// Set: create the topics and authors named that do not exist yet.
    pub create_terms: Option<String>,
    /// The name of a new section to create and put the article in.
    pub new_section: Option<String>,
    /// `save`, `publish`, `schedule` or `unpublish`.
    pub action: Option<String>,
}

/// Reads the form's action: the intent, and whether the pre-publish checklist was seen
/// (`publish-anyway`, `schedule-anyway`).
fn intent(action: Option<&str>) -> Result<(Intent, bool), String> {
    match action.unwrap_or("save") {
        "save" => Ok((Intent::Save, false)),
        "publish" => Ok((Intent::Publish, false)),
        "publish-anyway" => Ok((Intent::Publish, true)),
        "schedule" => Ok((Intent::Schedule, false)),
        "schedule-anyway" => Ok((Intent::Schedule, true)),
        "unpublish" => Ok((Intent::Unpublish, false)),
        other => Err(format!("unknown action {other:?}")),
    }
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

/// The form's field for a path in the editorial core's commands (`en.title` → `en_title`,
/// `status` → `action`).
pub fn form_field(path: &str) -> String {
    match path {
        "status" => "action".to_owned(),
        other => other.replace('.', "_"),
    }
}

/// Splits a list of slugs or names (separated by commas, Chinese commas, enumeration commas
/// or lines), without repeats (in any case).
pub fn slug_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split([',', '，', '、', '\n']) {
        let part = part.trim();
        if !part.is_empty() && !out.iter().any(|o| o.to_lowercase() == part.to_lowercase()) {
            out.push(part.to_owned());
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

/// A time as the back office's lists and notices show it, in the site's zone
/// (`2026-12-07 14:05`).
pub fn shown_time(t: Timestamp, tz: &TimeZone) -> String {
    local_time(Some(t), tz).replace('T', " ")
}

/// Reads a publication time: an RFC 3339 time with an offset (what the API sends) is taken as
/// it is; a date and time without one (the `datetime-local` field) is in the site's zone.
pub fn parse_local_time(s: &str, tz: &TimeZone) -> Result<Option<Timestamp>, String> {
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
        ("new_section", &form.new_section),
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
        create_terms: None,
        new_section: None,
        action: None,
    }
}

/// What the form asks for: the draft, the intent, and whether the checklist was confirmed;
/// or the fields that could not be read (unknown values, times, characters no text may hold),
/// named as in the form. What is left to check (slugs, lengths, permissions) the core checks.
pub fn to_draft(
    form: &ArticleForm,
    tz: &TimeZone,
) -> Result<(ArticleDraft, Intent, bool), Vec<FieldError>> {
    let mut errors = forbidden_characters(form);
    let (intent, confirmed) = intent(form.action.as_deref()).unwrap_or_else(|e| {
        errors.push(err("action", e));
        (Intent::Save, false)
    });
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").to_owned();
    let zh_script = match form.zh_script.as_deref() {
        Some("hant") => Script::Hant,
        Some("hans") | None => Script::Hans,
        Some(other) => {
            errors.push(err("zh_script", format!("unknown script {other:?}")));
            Script::Hans
        }
    };
    let published_at = parse_local_time(form.published_at.as_deref().unwrap_or(""), tz)
        .unwrap_or_else(|e| {
            errors.push(err("published_at", e));
            None
        });
    let version = |title, dek, body, caption, credit| VersionText {
        title: text(title),
        dek: text(dek),
        body: text(body),
        hero_caption: text(caption),
        hero_credit: text(credit),
    };
    let draft = ArticleDraft {
        slug: text(&form.slug),
        section: form.section.clone(),
        topics: slug_list(form.topics.as_deref().unwrap_or("")),
        authors: slug_list(form.authors.as_deref().unwrap_or("")),
        hero: form.hero.clone(),
        featured: form.featured.is_some(),
        zh_script,
        zh_rules: text(&form.zh_rules),
        published_at,
        en: version(
            &form.en_title,
            &form.en_dek,
            &form.en_body,
            &form.en_hero_caption,
            &form.en_hero_credit,
        ),
        zh: version(
            &form.zh_title,
            &form.zh_dek,
            &form.zh_body,
            &form.zh_hero_caption,
            &form.zh_hero_credit,
        ),
    };
    if errors.is_empty() {
        Ok((draft, intent, confirmed))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_form_becomes_a_draft() {
        let (draft, intent, confirmed) = to_draft(&form(), &TimeZone::UTC).unwrap();
        assert_eq!((intent, confirmed), (Intent::Save, false));
        assert_eq!(draft.topics, ["trade", "Economy"]);
        assert_eq!(draft.zh.title, "贸易谈判");
        let mut f = form();
        f.action = Some("publish-anyway".into());
        let (_, intent, confirmed) = to_draft(&f, &TimeZone::UTC).unwrap();
        assert_eq!((intent, confirmed), (Intent::Publish, true));
    }

    #[test]
    fn unreadable_fields_are_all_reported_by_their_form_names() {
        let mut f = form();
        f.published_at = Some("tomorrow".into());
        f.zh_script = Some("latin".into());
        f.action = Some("explode".into());
        f.en_title = Some("Tariffs\u{1} bite".into());
        f.assign_zh = Some("li\u{0}".into());
        let errors = to_draft(&f, &TimeZone::UTC).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "published_at",
            "zh_script",
            "action",
            "en_title",
            "assign_zh",
        ] {
            assert!(fields.contains(&field), "{field} missing from {fields:?}");
        }
        let title = errors.iter().find(|e| e.field == "en_title").unwrap();
        assert!(title.message.contains("U+0001"), "{}", title.message);
    }

    #[test]
    fn times_may_carry_an_offset_or_be_local() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let mut f = form();
        f.published_at = Some("2026-03-01T08:30:00+08:00".into());
        let (offset, _, _) = to_draft(&f, &tz).unwrap();
        assert_eq!(
            offset.published_at.unwrap().to_string(),
            "2026-03-01T00:30:00Z"
        );
        f.published_at = Some("2026-03-01T08:30".into());
        let (local, _, _) = to_draft(&f, &tz).unwrap();
        assert_eq!(local.published_at, offset.published_at);
    }

    #[test]
    fn a_stored_article_survives_its_own_form() {
        let (draft, _, _) = to_draft(&form(), &TimeZone::UTC).unwrap();
        let stored =
            crate::editorial::articles::prepare(&draft, Intent::Save, None, None, Timestamp::now())
                .unwrap();
        let (again, _, _) = to_draft(&form_of(&stored), &TimeZone::UTC).unwrap();
        let access = crate::accounts::ArticleAccess {
            created_by: None,
            status: stored.status,
            assignments: Vec::new(),
        };
        let resaved = crate::editorial::articles::prepare(
            &again,
            Intent::Save,
            Some((&stored, &access)),
            None,
            Timestamp::now(),
        )
        .unwrap();
        assert_eq!(resaved, stored);
    }

    #[test]
    fn core_paths_name_form_fields() {
        assert_eq!(form_field("en.title"), "en_title");
        assert_eq!(form_field("zh.hero_caption"), "zh_hero_caption");
        assert_eq!(form_field("status"), "action");
        assert_eq!(form_field("slug"), "slug");
    }
}
