//! Editorial overrides: phrase rules that take precedence over the dictionaries.
//!
//! A glossary is written one rule per line:
//!
//! ```text
//! # comments and blank lines are ignored
//! 特朗普 -> 川普 @zh-TW          one way, only when converting into zh-TW
//! 新冠肺炎 -> 新冠肺炎          keep a phrase exactly as written, in every variant
//! 脸书 <-> 臉書 @zh-Hant zh-TW   both ways: into those variants, and back out of them
//! ```
//!
//! `from` is matched in the text being converted (so it is written in the source script);
//! without `@…` a rule applies to every target. A rule read both ways (`<->`) also turns `to`
//! back into `from` when converting *from* one of its variants. Among rules that match at the
//! same place the longest `from` wins; the dictionaries never see the replaced text.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::{Config, Error, Variant};

/// One override rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Text to find, in the source script.
    pub from: String,
    /// Text to write instead.
    pub to: String,
    /// Target variants the rule applies to; empty means all.
    pub targets: Vec<Variant>,
    /// Whether the rule is also read backwards when converting out of one of `targets`.
    pub both_ways: bool,
}

impl Rule {
    /// A one-way rule for every target.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Rule {
        Rule {
            from: from.into(),
            to: to.into(),
            targets: Vec::new(),
            both_ways: false,
        }
    }

    /// Restricts the rule to these target variants.
    pub fn for_targets(mut self, targets: impl IntoIterator<Item = Variant>) -> Rule {
        self.targets = targets.into_iter().collect();
        self
    }

    /// Makes the rule apply both ways.
    pub fn both_ways(mut self) -> Rule {
        self.both_ways = true;
        self
    }

    fn applies_to(&self, v: Variant) -> bool {
        self.targets.is_empty() || self.targets.contains(&v)
    }
}

/// A set of override rules. Later rules with the same `from` lose to earlier ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Glossary {
    rules: Vec<Rule>,
}

impl Glossary {
    /// An empty glossary.
    pub fn new() -> Glossary {
        Glossary::default()
    }

    /// Adds a rule.
    pub fn push(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Adds every rule of `other` after this glossary's own (so this one's take precedence):
    /// an article's rules over the site's.
    pub fn extend(&mut self, other: &Glossary) {
        self.rules.extend(other.rules.iter().cloned());
    }

    /// Reads the line format described in the module documentation.
    pub fn parse(text: &str) -> Result<Glossary, Error> {
        let mut glossary = Glossary::new();
        for (n, raw) in text.lines().enumerate() {
            let err = |message: String| Error::Glossary {
                line: n + 1,
                message,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (rule, targets) = match line.split_once('@') {
                Some((rule, targets)) => (rule.trim(), Some(targets)),
                None => (line, None),
            };
            let (from, to, both_ways) = if let Some((f, t)) = rule.split_once("<->") {
                (f, t, true)
            } else if let Some((f, t)) = rule.split_once("->") {
                (f, t, false)
            } else {
                return Err(err(format!(
                    "expected `from -> to` or `from <-> to`, found {line:?}"
                )));
            };
            let (from, to) = (from.trim(), to.trim());
            if from.is_empty() || to.is_empty() {
                return Err(err("both sides of a rule must be non-empty".into()));
            }
            let targets = match targets {
                None => Vec::new(),
                Some(list) => list
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse::<Variant>().map_err(|e| err(e.to_string())))
                    .collect::<Result<_, _>>()?,
            };
            glossary.push(Rule {
                from: from.into(),
                to: to.into(),
                targets,
                both_ways,
            });
        }
        Ok(glossary)
    }

    /// The rules that apply to `config`, compiled into one automaton; `None` if none apply.
    pub(crate) fn compile(&self, config: Config) -> Option<Compiled> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut add = |from: &str, to: &str| {
            if !pairs.iter().any(|(f, _)| f == from) {
                pairs.push((from.to_owned(), to.to_owned()));
            }
        };
        for rule in &self.rules {
            if rule.applies_to(config.target()) {
                add(&rule.from, &rule.to);
            }
            if rule.both_ways && !rule.targets.is_empty() && rule.applies_to(config.source()) {
                add(&rule.to, &rule.from);
            }
        }
        if pairs.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pairs.iter().map(|(f, _)| f))
            .expect("glossary patterns are plain strings of bounded size");
        Some(Compiled {
            automaton,
            outputs: pairs.into_iter().map(|(_, t)| t).collect(),
        })
    }
}

/// A glossary compiled for one configuration.
#[derive(Debug)]
pub(crate) struct Compiled {
    automaton: AhoCorasick,
    outputs: Vec<String>,
}

impl Compiled {
    /// Writes `text` to `out`, replacing rule matches and handing the gaps to `convert`.
    /// `escape` makes replacements safe to insert into HTML text.
    pub(crate) fn apply(
        &self,
        text: &str,
        out: &mut String,
        escape: bool,
        mut convert: impl FnMut(&str, &mut String),
    ) {
        let mut last = 0;
        for m in self.automaton.find_iter(text) {
            convert(&text[last..m.start()], out);
            let to = &self.outputs[m.pattern().as_usize()];
            if escape {
                crate::html::escape_into(to, out)
            } else {
                out.push_str(to)
            }
            last = m.end();
        }
        convert(&text[last..], out);
    }
}
