//! Deriving the editions of an article when it is saved: Markdown to blocks, and the Chinese
//! version converted into every other script.
//!
//! Derived text is stored, never recomputed per request; this module is the one place that
//! computes it, so that saving, importing and re-deriving after a glossary change agree.

use duizhao_convert::{Config as Conversion, Converter, Glossary, Variant};

use super::edition::{Edition, Script};
use super::markdown::{Block, BlockKind, render_blocks};
use super::model::{ArticleInput, Derived, EditionText, Localized, VersionText};
use super::pairing::{PairRow, pair_blocks};
use super::sentences::{Mark, mark_sentences};
use crate::config::EditionsConfig;

/// The conversions for every Chinese edition from each master script, with the site glossary.
#[derive(Debug)]
pub struct Converters {
    site_glossary: Glossary,
    plans: Vec<(Script, Edition, Option<Conversion>)>,
    built: Vec<Option<Converter>>,
}

impl Converters {
    /// Builds the converters an edition configuration needs.
    pub fn new(config: &EditionsConfig, site_glossary: Glossary) -> Converters {
        let mut plans = Vec::new();
        for edition in Edition::CHINESE {
            let from_hans = match edition {
                Edition::ZhHans => None,
                Edition::ZhHant => Some(config.zh_hant),
                Edition::ZhTw => Some(config.zh_tw_conversion),
                Edition::ZhHk => Some(config.zh_hk_conversion),
                Edition::En => unreachable!("not a Chinese edition"),
            };
            plans.push((Script::Hans, edition, from_hans));
            // A Traditional master is written in Taiwan-standard forms.
            let from_hant = match edition {
                Edition::ZhHans => Some(Conversion::Tw2s),
                Edition::ZhHant | Edition::ZhTw => None,
                Edition::ZhHk => Some(Conversion::T2hk),
                Edition::En => unreachable!("not a Chinese edition"),
            };
            plans.push((Script::Hant, edition, from_hant));
        }
        let built = plans
            .iter()
            .map(|(script, edition, conversion)| {
                conversion.map(|c| build(c, *script, *edition, &site_glossary, None))
            })
            .collect();
        Converters {
            site_glossary,
            plans,
            built,
        }
    }

    /// Calls `f` with the converter from a master script into an edition (`None`: the text
    /// is already in that edition's script). `article_rules` are added to the site's rules.
    fn with_converter<R>(
        &self,
        script: Script,
        edition: Edition,
        article_rules: Option<&Glossary>,
        f: impl FnOnce(Option<&Converter>) -> R,
    ) -> R {
        let Some(i) = self
            .plans
            .iter()
            .position(|(s, e, _)| *s == script && *e == edition)
        else {
            return f(None);
        };
        match (self.plans[i].2, article_rules) {
            (Some(conversion), Some(rules)) => f(Some(&build(
                conversion,
                script,
                edition,
                &self.site_glossary,
                Some(rules),
            ))),
            _ => f(self.built[i].as_ref()),
        }
    }

    /// Converts an HTML fragment written in Simplified (a search snippet) into an edition's
    /// script; `en` and `zh-hans` get it unchanged.
    pub fn html_for(&self, edition: Edition, html: &str) -> String {
        self.with_converter(Script::Hans, edition, None, |c| match c {
            Some(c) => c.convert_html(html),
            None => html.to_owned(),
        })
    }

    /// Converts short text (a name, a UI string) written in Simplified into every Chinese
    /// edition; `en` is kept as given.
    pub fn localize(&self, en: &str, zh_hans: &str) -> Localized {
        let mut out = Localized {
            en: en.to_owned(),
            ..Localized::default()
        };
        for edition in Edition::CHINESE {
            let text = self.with_converter(Script::Hans, edition, None, |c| match c {
                Some(c) => c.convert(zh_hans),
                None => zh_hans.to_owned(),
            });
            out.set(edition, text);
        }
        out
    }
}

/// Builds the converter of one plan. Glossary rules name editions (`@zh-Hant`, `@zh-TW`),
/// not converter targets: the zh-Hant edition is written with `s2tw` by default, whose
/// target is Taiwan forms, yet a rule for zh-Hant must apply to it and a rule for zh-TW must
/// not (unless that is the same edition). So the rules are chosen here for the edition and
/// handed to the converter as rules for every target.
fn build(
    conversion: Conversion,
    script: Script,
    edition: Edition,
    site: &Glossary,
    article: Option<&Glossary>,
) -> Converter {
    let mut all = site.clone();
    if let Some(article) = article {
        all.extend(article);
    }
    let glossary = for_edition(&all, script, edition);
    let builder = Converter::builder(conversion);
    if glossary.rules().is_empty() {
        builder.build()
    } else {
        builder.glossary(glossary).build()
    }
}

/// The rules that apply when converting a master in `script` into `edition`, as rules for
/// every target: those for all editions or naming this one, and the both-ways rules read
/// backwards when they name the master's own script.
fn for_edition(all: &Glossary, script: Script, edition: Edition) -> Glossary {
    let variant = edition_variant(edition);
    let master: &[Variant] = match script {
        Script::Hans => &[Variant::Hans],
        Script::Hant => &[Variant::Hant, Variant::Tw],
    };
    let mut out = Glossary::new();
    for rule in all.rules() {
        if rule.targets.is_empty() || rule.targets.contains(&variant) {
            out.push(duizhao_convert::Rule::new(
                rule.from.clone(),
                rule.to.clone(),
            ));
        }
        if rule.both_ways
            && !rule.targets.is_empty()
            && rule.targets.iter().any(|t| master.contains(t))
        {
            out.push(duizhao_convert::Rule::new(
                rule.to.clone(),
                rule.from.clone(),
            ));
        }
    }
    out
}

fn edition_variant(edition: Edition) -> Variant {
    match edition {
        Edition::ZhHans | Edition::En => Variant::Hans,
        Edition::ZhHant => Variant::Hant,
        Edition::ZhTw => Variant::Tw,
        Edition::ZhHk => Variant::Hk,
    }
}

/// An article's conversion rules could not be read.
#[derive(Debug, thiserror::Error)]
#[error("conversion rules of article {slug:?}: {source}")]
pub struct RulesError {
    slug: String,
    #[source]
    source: duizhao_convert::Error,
}

/// Derives every edition's text and the parallel pairing of an article.
pub fn derive_article(
    input: &ArticleInput,
    converters: &Converters,
    resolve_media: &dyn Fn(&str) -> String,
) -> Result<Derived, RulesError> {
    let rules = if input.zh_rules.trim().is_empty() {
        None
    } else {
        Some(
            Glossary::parse(&input.zh_rules).map_err(|source| RulesError {
                slug: input.slug.clone(),
                source,
            })?,
        )
    };
    let mut en_blocks = input
        .en
        .as_ref()
        .map(|v| render_blocks(&v.body, resolve_media))
        .unwrap_or_default();
    let mut zh_blocks = input
        .zh
        .as_ref()
        .map(|v| render_blocks(&v.body, resolve_media))
        .unwrap_or_default();
    let pairing = if input.en.is_some() && input.zh.is_some() {
        let pairing = pair_blocks(&en_blocks, &zh_blocks);
        mark_blocks(&pairing, &mut en_blocks, &mut zh_blocks);
        pairing
    } else {
        Vec::new()
    };

    let mut editions = Vec::new();
    if let Some(en) = &input.en {
        editions.push((Edition::En, edition_text(en, en_blocks, None)));
    }
    if let Some(zh) = &input.zh {
        for edition in Edition::CHINESE {
            let text = converters.with_converter(input.zh_script, edition, rules.as_ref(), |c| {
                edition_text(zh, zh_blocks.clone(), c)
            });
            editions.push((edition, text));
        }
    }
    Ok(Derived { editions, pairing })
}

/// Marks every aligned sentence in its block: both sides of a sentence pair share the pair's
/// number, which the parallel page uses to highlight a sentence's translation.
fn mark_blocks(pairing: &[PairRow], en: &mut [Block], zh: &mut [Block]) {
    let mut en_marks: Vec<Vec<Mark>> = vec![Vec::new(); en.len()];
    let mut zh_marks: Vec<Vec<Mark>> = vec![Vec::new(); zh.len()];
    let (mut en_n, mut zh_n) = (0usize, 0usize);
    let sentences = pairing.iter().flat_map(|row| &row.sentences);
    for (bead, pair) in sentences.enumerate() {
        for s in &pair.en {
            if let Some(marks) = en_marks.get_mut(s.block) {
                marks.push(Mark {
                    bytes: s.bytes.clone(),
                    bead,
                    n: en_n,
                });
                en_n += 1;
            }
        }
        for s in &pair.zh {
            if let Some(marks) = zh_marks.get_mut(s.block) {
                marks.push(Mark {
                    bytes: s.bytes.clone(),
                    bead,
                    n: zh_n,
                });
                zh_n += 1;
            }
        }
    }
    for (blocks, marks) in [(en, en_marks), (zh, zh_marks)] {
        for (block, mut marks) in blocks.iter_mut().zip(marks) {
            // Code and tables are not prose: no sentences to point at.
            if marks.is_empty() || matches!(block.kind, BlockKind::Code | BlockKind::Table) {
                continue;
            }
            marks.sort_by_key(|m| m.bytes.start);
            block.marked = Some(mark_sentences(&block.html, &marks));
        }
    }
}

fn edition_text(
    version: &VersionText,
    mut blocks: Vec<Block>,
    converter: Option<&Converter>,
) -> EditionText {
    let text = |s: &str| match converter {
        Some(c) => c.convert(s),
        None => s.to_owned(),
    };
    if let Some(c) = converter {
        for block in &mut blocks {
            block.html = c.convert_html(&block.html);
            if let Some(marked) = &block.marked {
                block.marked = Some(c.convert_html(marked));
            }
        }
    }
    EditionText {
        title: text(&version.title),
        dek: text(&version.dek),
        hero_caption: text(&version.hero_caption),
        hero_credit: text(&version.hero_credit),
        blocks,
    }
}

/// The variant a master script is written in.
pub fn master_variant(script: Script) -> Variant {
    match script {
        Script::Hans => Variant::Hans,
        Script::Hant => Variant::Tw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Status;

    #[test]
    fn glossary_rules_name_editions_not_converter_targets() {
        let config = EditionsConfig {
            zh_tw: true,
            zh_hk: true,
            ..EditionsConfig::default()
        };
        let glossary = Glossary::parse("特朗普 -> 川普 @zh-TW\n脸书 <-> 臉書 @zh-Hant").unwrap();
        let c = Converters::new(&config, glossary);
        let l = c.localize("", "特朗普的脸书");
        // zh-Hant is written with s2tw (Taiwan forms), but the zh-TW rule is not its rule.
        assert_eq!(l.zh_hant, "特朗普的臉書");
        assert_eq!(l.zh_tw, "川普的臉書");
        assert_eq!(l.zh_hk, "特朗普的臉書");
        // Read both ways out of a Traditional master.
        let mut derived = None;
        c.with_converter(Script::Hant, Edition::ZhHans, None, |conv| {
            derived = conv.map(|conv| conv.convert("臉書"));
        });
        assert_eq!(derived.as_deref(), Some("脸书"));
    }

    fn input(zh_script: Script, zh_body: &str, rules: &str) -> ArticleInput {
        ArticleInput {
            slug: "t".into(),
            section: None,
            topics: vec![],
            authors: vec![],
            hero: None,
            status: Status::Published,
            featured: false,
            zh_script,
            zh_rules: rules.into(),
            published_at: None,
            updated_at: None,
            en: Some(VersionText {
                title: "Hair".into(),
                body: "One.\n\nTwo.".into(),
                ..VersionText::default()
            }),
            zh: Some(VersionText {
                title: "头发".into(),
                body: zh_body.into(),
                ..VersionText::default()
            }),
        }
    }

    fn edition(d: &Derived, e: Edition) -> &EditionText {
        &d.editions.iter().find(|(x, _)| *x == e).unwrap().1
    }

    #[test]
    fn simplified_master_is_converted_into_each_traditional_edition() {
        let converters = Converters::new(&EditionsConfig::default(), Glossary::new());
        let d = derive_article(
            &input(Script::Hans, "为了大众的软件。\n\n`为了` 不变。", ""),
            &converters,
            &|p| p.to_owned(),
        )
        .unwrap();
        assert_eq!(edition(&d, Edition::ZhHans).title, "头发");
        assert_eq!(edition(&d, Edition::ZhHant).title, "頭髮");
        let hant = &edition(&d, Edition::ZhHant).blocks;
        assert_eq!(
            hant[0].html, "<p>為了大眾的軟件。</p>\n",
            "s2tw keeps vocabulary"
        );
        assert_eq!(
            edition(&d, Edition::ZhTw).blocks[0].html,
            "<p>為了大眾的軟體。</p>\n",
            "s2twp changes vocabulary"
        );
        assert!(
            hant[1].html.contains("<code>为了</code>"),
            "code is not converted"
        );
        assert_eq!(d.pairing.len(), 2);
    }

    #[test]
    fn traditional_master_is_converted_to_simplified() {
        let converters = Converters::new(&EditionsConfig::default(), Glossary::new());
        let d = derive_article(
            &input(Script::Hant, "為了大眾。", ""),
            &converters,
            &|p| p.to_owned(),
        )
        .unwrap();
        assert_eq!(
            edition(&d, Edition::ZhHans).blocks[0].html,
            "<p>为了大众。</p>\n"
        );
        assert_eq!(
            edition(&d, Edition::ZhHant).blocks[0].html,
            "<p>為了大眾。</p>\n"
        );
    }

    #[test]
    fn article_rules_override_the_dictionaries() {
        let converters = Converters::new(&EditionsConfig::default(), Glossary::new());
        let d = derive_article(
            &input(Script::Hans, "特朗普说。", "特朗普 -> 川普 @zh-TW"),
            &converters,
            &|p| p.to_owned(),
        )
        .unwrap();
        // Rules name the conversion's target variant: s2tw and s2twp both write zh-TW.
        assert_eq!(
            edition(&d, Edition::ZhTw).blocks[0].html,
            "<p>川普說。</p>\n"
        );
        assert_eq!(
            edition(&d, Edition::ZhHk).blocks[0].html,
            "<p>特朗普説。</p>\n"
        );
        let bad = derive_article(
            &input(Script::Hans, "x", "no arrow here"),
            &converters,
            &|p| p.to_owned(),
        );
        assert!(bad.unwrap_err().to_string().contains("\"t\""));
    }
}
