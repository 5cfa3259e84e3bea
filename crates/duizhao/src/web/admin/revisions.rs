//! `GET /admin/articles/{slug}/revisions`: each part's history (English, Chinese, metadata),
//! what each save changed as a readable diff, and restoring an earlier version (saved as a
//! new revision, so that restoring is itself undoable).

use askama::Template;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};

use super::{AdminError, AdminResult, Shell, page, require, see_other};
use crate::accounts::Action;
use crate::content::Language;
use crate::editorial::EditorialError;
use crate::editorial::articles::{self, ArticleDraft, Intent, SaveArticle};
use crate::store::revisions::{Part, version_text};
use crate::web::AppState;
use crate::web::auth::Signed;

/// One line of a diff: `+`, `-` or ` `, and its pieces (changed pieces emphasised).
#[derive(Debug)]
pub struct DiffLine {
    sign: &'static str,
    class: &'static str,
    pieces: Vec<(bool, String)>,
}

/// A readable diff of two texts: by line, with the changed words or characters marked.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let (sign, class) = match change.tag() {
                ChangeTag::Delete => ("-", "del"),
                ChangeTag::Insert => ("+", "ins"),
                ChangeTag::Equal => (" ", "same"),
            };
            out.push(DiffLine {
                sign,
                class,
                pieces: change
                    .iter_strings_lossy()
                    .map(|(emph, s)| (emph, s.trim_end_matches('\n').to_owned()))
                    .collect(),
            });
        }
    }
    out
}

/// The readable form of a stored part: a version's fields, or the metadata, as lines.
fn readable(part: Part, content: &str) -> String {
    match part {
        Part::Version(_) => match version_text(content) {
            Ok(v) => format!(
                "Headline: {}\nSummary: {}\nCaption: {}\nCredit: {}\n\n{}",
                v.title, v.dek, v.hero_caption, v.hero_credit, v.body
            ),
            Err(_) => content.to_owned(),
        },
        Part::Meta => serde_json::from_str::<serde_json::Value>(content)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| content.to_owned()),
    }
}

#[derive(Template)]
#[template(path = "admin/revisions.html")]
struct RevisionsPage {
    shell: Shell,
    slug: String,
    part: &'static str,
    parts: Vec<(&'static str, &'static str, bool)>,
    entries: Vec<(i64, String, String, bool)>,
    selected: Option<i64>,
    lines: Vec<DiffLine>,
    current_revision: i64,
    can_restore: bool,
}

/// Query of the revisions page.
#[derive(Debug, Deserialize)]
pub struct RevisionsParams {
    part: Option<String>,
    rev: Option<i64>,
}

/// Lists a part's revisions and shows what the selected one changed.
pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(params): Query<RevisionsParams>,
) -> AdminResult {
    let editable = super::viewable(&state, &signed, &slug).await?;
    let part = Part::from_code(params.part.as_deref().unwrap_or("en"))
        .ok_or_else(|| AdminError::bad_request("unknown part"))?;
    let history = state.store().revisions(editable.id, part).await?;
    let selected = params.rev.or(history.first().map(|r| r.revision));
    let tz = state.time_zone();
    let mut lines = Vec::new();
    if let Some(sel) = selected {
        let i = history
            .iter()
            .position(|r| r.revision == sel)
            .ok_or(AdminError::not_found("Not found."))?;
        let new = readable(part, &history[i].content);
        let old = history
            .get(i + 1)
            .map(|r| readable(part, &r.content))
            .unwrap_or_default();
        lines = diff(&old, &new);
    }
    let can_restore = match part {
        Part::Version(l) => signed
            .user
            .may(Action::EditVersion(l), Some(&editable.access)),
        Part::Meta => false,
    };
    page(&RevisionsPage {
        shell: Shell::new(
            format!("Revisions: {slug}"),
            &signed.user,
            &signed.csrf,
            "articles",
        ),
        part: part.code(),
        parts: [("en", "English"), ("zh", "中文"), ("meta", "Metadata")]
            .into_iter()
            .map(|(code, label)| (code, label, code == part.code()))
            .collect(),
        entries: history
            .iter()
            .map(|r| {
                (
                    r.revision,
                    super::form::shown_time(r.saved_at, tz),
                    r.saved_by.clone().unwrap_or_else(|| "import".to_owned()),
                    Some(r.revision) == selected,
                )
            })
            .collect(),
        selected,
        lines,
        current_revision: editable.revision,
        can_restore,
        slug,
    })
}

/// The restore form.
#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    part: String,
    rev: i64,
    current: i64,
}

/// Restores one language version to an earlier revision.
pub async fn restore(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<RestoreForm>,
) -> AdminResult {
    let editable = state
        .store()
        .editable(&slug)
        .await?
        .ok_or(AdminError::not_found("Not found."))?;
    let language = match Part::from_code(&form.part) {
        Some(Part::Version(l)) => l,
        _ => {
            return Err(AdminError::bad_request(
                "only a language version can be restored",
            ));
        }
    };
    require(
        signed
            .user
            .may(Action::EditVersion(language), Some(&editable.access)),
    )?;
    let history = state
        .store()
        .revisions(editable.id, Part::Version(language))
        .await?;
    let entry = history
        .iter()
        .find(|r| r.revision == form.rev)
        .ok_or(AdminError::not_found("Not found."))?;
    let text = version_text(&entry.content)?;
    let mut input = editable.input.clone();
    let restored = (!text.title.is_empty() || !text.body.is_empty()).then_some(text);
    match language {
        Language::En => input.en = restored,
        Language::Zh => input.zh = restored,
    }
    if input.en.is_none() && input.zh.is_none() {
        return Err(AdminError::bad_request(
            "restoring this would leave the article with no text",
        ));
    }
    // Saved as a new revision by the editorial core, like any save.
    let converters = state.converters();
    let core = state.core(&converters, Some(&signed.user));
    let draft = ArticleDraft::of(&input);
    let command = SaveArticle {
        stored: Some(&editable),
        draft: &draft,
        intent: Intent::Save,
        revision: Some(form.current),
        assign: None,
        confirmed: true,
    };
    match articles::save(&core, command).await {
        Ok(_) => {}
        Err(EditorialError::Conflict { .. }) => {
            return Err(AdminError::conflict_with(
                "Someone saved the article meanwhile; reload the revisions and try again.",
            ));
        }
        Err(e) => return Err(AdminError::editorial(e)),
    }
    Ok(see_other(&format!("/admin/articles/{slug}?saved=restored")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_mark_the_changed_words() {
        let lines = diff("one two three\nsame\n", "one 2 three\nsame\n");
        let signs: Vec<&str> = lines.iter().map(|l| l.sign).collect();
        assert_eq!(signs, ["-", "+", " "]);
        let inserted: Vec<&str> = lines[1]
            .pieces
            .iter()
            .filter(|(emph, _)| *emph)
            .map(|(_, s)| s.as_str())
            .collect();
        assert_eq!(inserted, ["2"]);
    }
}
