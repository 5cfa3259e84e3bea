//! The site glossary's command: check and save the conversion rules edited in the back office,
//! re-deriving only the articles a changed rule can touch.

use duizhao_convert::Glossary;
use jiff::Timestamp;

use super::error::{EditorialError, EditorialResult};
use super::events::Change;
use super::{Core, GLOSSARY_SETTING, rederive_containing, site_glossary};
use crate::accounts::Action;
use crate::config::SiteConfig;
use crate::content::Converters;

/// The converters `text` would give the site (the configuration's glossary file, then `text`),
/// or why it cannot be used, on the field `text`.
pub fn converters_for(config: &SiteConfig, text: &str) -> EditorialResult<Converters> {
    let invalid = |message: String| EditorialError::invalid("text", message);
    crate::content::text::check(text).map_err(|m| invalid(format!("the glossary {m}")))?;
    Glossary::parse(text).map_err(|e| invalid(e.to_string()))?;
    let glossary = site_glossary(config, Some(text)).map_err(|e| invalid(format!("{e:#}")))?;
    Ok(Converters::new(&config.editions, glossary))
}

/// The phrases a glossary's rules convert (both sides of a two-way rule).
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

/// What saving the glossary did.
#[derive(Debug)]
pub struct SavedGlossary {
    /// The converters with the new rules, for the caller to put in use.
    pub converters: Converters,
    /// The articles converted again.
    pub articles: Vec<String>,
}

/// Saves the site glossary: stores the rules (where every app server picks them up), converts
/// again the articles whose Chinese holds a phrase of an old or a new rule, and emits one
/// [`Change::Glossary`].
pub async fn save(
    core: &Core<'_>,
    config: &SiteConfig,
    text: &str,
) -> EditorialResult<SavedGlossary> {
    core.require(Action::ManageGlossary)?;
    let text = text.replace("\r\n", "\n");
    let converters = converters_for(config, &text)?;
    let old_text = core
        .store
        .setting(GLOSSARY_SETTING)
        .await?
        .unwrap_or_default();
    let mut touched = phrases(&Glossary::parse(&old_text).unwrap_or_default());
    touched.extend(phrases(&Glossary::parse(&text).unwrap_or_default()));
    let now = Timestamp::now();
    core.store.set_setting(GLOSSARY_SETTING, &text, now).await?;
    let articles = rederive_containing(core.store, &converters, &touched, now).await?;
    core.emit(Change::Glossary {
        articles: articles.clone(),
    })
    .await?;
    Ok(SavedGlossary {
        converters,
        articles,
    })
}
