//! Chinese script conversion (Simplified ↔ Traditional, Taiwan and Hong Kong standards) on
//! current OpenCC dictionaries, built for publishing.
//!
//! * **Correct on running text.** OpenCC's greedy longest match converts 日头发生日食 as
//!   日頭髮生日食 and 齐国人参加 as 齊國人蔘加, because a dictionary phrase (头发, 人参)
//!   straddles a word boundary.
//!   By default this crate checks each phrase against a word lexicon and re-segments the few
//!   characters around a doubtful one by their most probable reading; [`Segmentation::OpenccExact`]
//!   reproduces OpenCC's output instead.
//! * **Quick to start.** Dictionaries are compiled into double-array tries at build time. In a
//!   fresh process an exact-mode s2t converter is ready in about 2 ms; the first default-mode
//!   converter takes 5–13 ms (s2t; s2twp 10–17 ms; the higher figures on a busy machine),
//!   because it also loads the word lexicon, which is then shared: further converters in the
//!   same process take 0.5–2 ms. Throughput figures against the other Rust converters are in
//!   the crate README.
//! * **Editorial control.** A [`Glossary`] of phrase rules takes precedence over the
//!   dictionaries, and inline markup in the text (`-{不转换}-`, `-{zh-hans:…;zh-hant:…}-`)
//!   protects or chooses text per variant.
//! * **Markup-aware.** [`Converter::convert_html`] changes only text and the `title` and `alt`
//!   attributes of an HTML fragment, leaving code, URLs and everything else byte for byte.
//! * **Streaming.** [`Converter::convert_stream`] converts input of any size in bounded memory.
//!
//! ```
//! use duizhao_convert::{Config, Converter, Segmentation};
//!
//! let s2t = Converter::new(Config::S2t);
//! assert_eq!(s2t.convert("日头发生日食"), "日頭發生日食");
//! assert_eq!(s2t.convert("他的头发生出白丝"), "他的頭髮生出白絲");
//!
//! let exact = Converter::builder(Config::S2t).segmentation(Segmentation::OpenccExact).build();
//! assert_eq!(exact.convert("日头发生日食"), "日頭髮生日食"); // what OpenCC prints
//!
//! let s2tw = Converter::new(Config::S2tw);
//! assert_eq!(s2tw.convert("为了大众"), "為了大眾");
//! ```
#![deny(missing_docs)]

mod config;
mod dict;
mod engine;
mod error;
mod glossary;
mod html;
mod inline;
mod lattice;
mod stream;

use std::sync::{Arc, OnceLock};

pub use config::{Config, Variant};
pub use error::Error;
pub use glossary::{Glossary, Rule};

use dict::{Dict, Lexicon};
use engine::Pipeline;

mod tables {
    #[derive(Debug)]
    pub(crate) struct ConfigTable {
        pub name: &'static str,
        pub segmentation: Option<usize>,
        /// A chain of two steps whose first step's first level is OpenCC's segmentation: the
        /// dictionary in `COMPOSED` that converts as the chain does (see build.rs, `compose`).
        pub composed: Option<usize>,
        /// The word-aware mode's segmentation dictionary: the folded keys of all steps, for
        /// chains that are not composed.
        pub better_segmentation: Option<usize>,
        pub steps: &'static [usize],
    }
    include!(concat!(env!("OUT_DIR"), "/tables.rs"));
}

/// How the text is cut before the dictionaries convert it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Segmentation {
    /// Greedy longest match, with every phrase checked against a word lexicon and doubtful
    /// stretches re-segmented by their most probable reading. The default.
    #[default]
    Words,
    /// OpenCC's own segmentation, reproducing its output (including its mistakes).
    OpenccExact,
}

/// A ready-to-use converter for one configuration. Cheap to share between threads.
#[derive(Debug)]
pub struct Converter {
    config: Config,
    pipeline: Pipeline,
    glossary: Option<glossary::Compiled>,
    inline_rules: bool,
}

/// Builds a [`Converter`] with options.
#[derive(Debug)]
pub struct ConverterBuilder {
    config: Config,
    segmentation: Segmentation,
    glossary: Option<Glossary>,
    inline_rules: bool,
}

impl ConverterBuilder {
    /// Chooses the segmentation (default [`Segmentation::Words`]).
    pub fn segmentation(mut self, segmentation: Segmentation) -> Self {
        self.segmentation = segmentation;
        self
    }

    /// Adds editorial override rules, which take precedence over the dictionaries.
    pub fn glossary(mut self, glossary: Glossary) -> Self {
        self.glossary = Some(glossary);
        self
    }

    /// Whether inline markup (`-{…}-`) in the text is honoured (default: yes).
    pub fn inline_rules(mut self, on: bool) -> Self {
        self.inline_rules = on;
        self
    }

    /// Builds the converter.
    pub fn build(self) -> Converter {
        let table = tables::CONFIGS
            .iter()
            .find(|t| t.name == self.config.name())
            .expect("every Config has a table entry (checked by tests)");
        let steps: Vec<Dict> = match table.composed {
            Some(i) => vec![Dict::load(tables::COMPOSED[i])],
            None => table
                .steps
                .iter()
                .map(|&i| Dict::load(tables::DICTS[i]))
                .collect(),
        };
        let words = match self.segmentation {
            Segmentation::OpenccExact => None,
            Segmentation::Words => {
                let seg = table
                    .better_segmentation
                    .map(|i| Dict::load(tables::SEGMENTATION[i]));
                Some((lexicon(), seg))
            }
        };
        let segmentation = match self.segmentation {
            Segmentation::OpenccExact if table.composed.is_none() => {
                table.segmentation.map(|i| Dict::load(tables::DICTS[i]))
            }
            _ => None,
        };
        Converter {
            config: self.config,
            pipeline: Pipeline {
                steps,
                segmentation,
                words,
            },
            glossary: self.glossary.as_ref().and_then(|g| g.compile(self.config)),
            inline_rules: self.inline_rules,
        }
    }
}

/// The word lexicon is the same for every configuration and immutable: it is loaded once per
/// process and shared, so that building a second converter costs only its dictionaries.
pub(crate) fn lexicon() -> Arc<Lexicon> {
    static LEXICON: OnceLock<Arc<Lexicon>> = OnceLock::new();
    LEXICON
        .get_or_init(|| {
            Arc::new(Lexicon::load(
                tables::WORDS,
                tables::FOLD,
                tables::WORD_PAIRS,
                (tables::FIRST_PAIRS, tables::LAST_PAIRS),
            ))
        })
        .clone()
}

impl Converter {
    /// A converter with the default options.
    pub fn new(config: Config) -> Converter {
        Converter::builder(config).build()
    }

    /// A builder for a converter with options.
    pub fn builder(config: Config) -> ConverterBuilder {
        ConverterBuilder {
            config,
            segmentation: Segmentation::default(),
            glossary: None,
            inline_rules: true,
        }
    }

    /// The configuration this converter applies.
    pub fn config(&self) -> Config {
        self.config
    }

    /// Converts plain text.
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        self.convert_into(text, &mut out);
        out
    }

    /// Converts plain text, appending to `out`.
    pub fn convert_into(&self, text: &str, out: &mut String) {
        self.convert_text(text, out, false);
    }

    /// Text of an HTML text node or attribute (inline markup honoured, replacements escaped).
    pub(crate) fn convert_html_text(&self, text: &str, out: &mut String) {
        self.convert_text(text, out, true);
    }

    fn convert_text(&self, text: &str, out: &mut String, html: bool) {
        if self.inline_rules && text.contains("-{") {
            inline::convert_with(self, text, out, html);
        } else {
            self.convert_plain(text, out, html);
        }
    }

    /// Converts an HTML fragment: text and `title`/`alt` values only (see the `html` module docs:
    /// code, URLs, entities and `translate="no"` content stay byte for byte).
    pub fn convert_html(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        html::convert(self, html, &mut out);
        out
    }

    /// Converts a stream in bounded memory, returning the number of bytes read. Invalid UTF-8
    /// is reported with its offset in the stream.
    pub fn convert_stream(
        &self,
        input: impl std::io::Read,
        output: impl std::io::Write,
    ) -> Result<u64, Error> {
        stream::convert(self, input, output)
    }

    /// Converts bytes that should be UTF-8; invalid input is reported with its byte offset.
    pub fn convert_bytes(&self, bytes: &[u8]) -> Result<String, Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
            offset: e.valid_up_to() as u64,
        })?;
        Ok(self.convert(text))
    }

    /// Text with no inline markup: glossary rules first, dictionaries for the rest.
    pub(crate) fn convert_plain(&self, text: &str, out: &mut String, html: bool) {
        match &self.glossary {
            Some(g) => g.apply(text, out, html, |gap, out| {
                self.pipeline.convert_into(gap, out)
            }),
            None => self.pipeline.convert_into(text, out),
        }
    }
}
