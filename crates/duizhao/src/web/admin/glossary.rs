//! `/admin/glossary`: the site-wide conversion glossary, with a preview of its effect on a
//! sample in every Chinese edition. Saving puts new converters in use and re-derives the
//! articles whose Chinese text a changed rule can touch.

use askama::Template;
use axum::extract::State;

use serde::Deserialize;

use super::{AdminError, AdminResult, Shell, page, require};
use crate::accounts::Action;
use crate::content::{Converters, Edition};
use crate::editorial::{self, GLOSSARY_SETTING};
use crate::web::AppState;
use crate::web::auth::Signed;

#[derive(Template)]
#[template(path = "admin/glossary.html")]
struct GlossaryPage {
    shell: Shell,
    text: String,
    sample: String,
    error: Option<String>,
    preview: Vec<(&'static str, String)>,
}

fn preview(converters: &Converters, state: &AppState, sample: &str) -> Vec<(&'static str, String)> {
    let localized = converters.localize("", sample);
    Edition::CHINESE
        .into_iter()
        .filter(|e| state.config().edition_enabled(*e))
        .map(|e| (e.code(), localized.get(e).to_owned()))
        .collect()
}

/// Shows the glossary.
pub async fn show(State(state): State<AppState>, signed: Signed) -> AdminResult {
    require(signed.user.may(Action::ManageGlossary, None))?;
    let text = state
        .store()
        .setting(GLOSSARY_SETTING)
        .await?
        .unwrap_or_default();
    page(&GlossaryPage {
        shell: Shell::new("Glossary", &signed.user, &signed.csrf, "glossary"),
        text,
        sample: String::new(),
        error: None,
        preview: Vec::new(),
    })
}

/// The glossary form.
#[derive(Debug, Deserialize)]
pub struct GlossaryForm {
    text: String,
    #[serde(default)]
    sample: String,
    /// `preview` or `save`.
    action: String,
}

/// Previews or saves the glossary.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    axum::Form(form): axum::Form<GlossaryForm>,
) -> AdminResult {
    require(signed.user.may(Action::ManageGlossary, None))?;
    let text = form.text.replace("\r\n", "\n");
    let shell = Shell::new("Glossary", &signed.user, &signed.csrf, "glossary");
    let refused = |e: editorial::EditorialError, text: String, sample: String| match e {
        editorial::EditorialError::Invalid(fields) => page(&GlossaryPage {
            shell: shell.clone(),
            text,
            sample,
            error: Some(
                fields
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            preview: Vec::new(),
        }),
        e => Err(AdminError::editorial(e)),
    };
    if form.action != "save" {
        let converters = match editorial::glossary::converters_for(state.config(), &text) {
            Ok(c) => c,
            Err(e) => return refused(e, text, form.sample),
        };
        let preview = preview(&converters, &state, &form.sample);
        return page(&GlossaryPage {
            shell,
            text,
            sample: form.sample,
            error: None,
            preview,
        });
    }
    let in_use = state.converters();
    let core = state.core(&in_use, Some(&signed.user));
    let saved = match editorial::glossary::save(&core, state.config(), &text).await {
        Ok(saved) => saved,
        Err(e) => return refused(e, text, form.sample),
    };
    let slugs = saved.articles;
    state.replace_converters(saved.converters);
    // Pages rendered between the change and the new converters are not kept.
    state.page_cache().invalidate();
    let preview = preview(&state.converters(), &state, &form.sample);
    page(&GlossaryPage {
        shell: shell.flash(Some(format!(
            "Saved. {} article{} re-derived with the new rules.",
            slugs.len(),
            if slugs.len() == 1 { "" } else { "s" }
        ))),
        text,
        sample: form.sample,
        error: None,
        preview,
    })
}
