//! `/admin/glossary`: the site-wide conversion glossary, with a preview of its effect on a
//! sample in every Chinese edition. Saving puts new converters in use and re-derives the
//! articles whose Chinese text a changed rule can touch.

use askama::Template;
use axum::extract::State;
use duizhao_convert::Glossary;
use jiff::Timestamp;
use serde::Deserialize;

use super::{AdminResult, Shell, page, require};
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

/// The phrases a glossary's rules look for (and, read both ways, write).
fn phrases(g: &Glossary) -> Vec<String> {
    let mut out = Vec::new();
    for rule in g.rules() {
        out.push(rule.from.clone());
        if rule.both_ways {
            out.push(rule.to.clone());
        }
    }
    out
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
    let parsed = match crate::content::text::check(&text)
        .map_err(|m| anyhow::anyhow!("the glossary {m}"))
        .and_then(|()| Glossary::parse(&text).map_err(anyhow::Error::from))
        .and_then(|_| editorial::site_glossary(state.config(), Some(&text)))
    {
        Ok(g) => g,
        Err(e) => {
            return page(&GlossaryPage {
                shell,
                text,
                sample: form.sample,
                error: Some(format!("{e:#}")),
                preview: Vec::new(),
            });
        }
    };
    let converters = Converters::new(&state.config().editions, parsed.clone());
    if form.action != "save" {
        let preview = preview(&converters, &state, &form.sample);
        return page(&GlossaryPage {
            shell,
            text,
            sample: form.sample,
            error: None,
            preview,
        });
    }
    let old_text = state
        .store()
        .setting(GLOSSARY_SETTING)
        .await?
        .unwrap_or_default();
    let mut touched = phrases(&Glossary::parse(&old_text).unwrap_or_default());
    touched.extend(phrases(&Glossary::parse(&text).unwrap_or_default()));
    let now = Timestamp::now();
    state
        .store()
        .set_setting(GLOSSARY_SETTING, &text, now)
        .await?;
    let slugs = editorial::rederive_containing(state.store(), &converters, &touched, now).await?;
    state.replace_converters(converters);
    for slug in &slugs {
        state.article_changed(slug).await?;
    }
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
