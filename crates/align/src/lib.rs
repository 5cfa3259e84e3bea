//! Bilingual English–Chinese alignment for parallel publishing.
//!
//! Given the English and Chinese versions of a text, this crate finds which sentences (and
//! paragraphs) translate which, allowing for sentences split, merged, added or left out:
//!
//! * **Sentence segmentation** for both languages ([`segment`]).
//! * **Sentence alignment** ([`Aligner::align_sentences`]): a length model calibrated on the text
//!   pair itself, anchors (numbers in digits, Chinese numerals and English words; Latin-script
//!   names kept in the Chinese; question and exclamation marks; quotations), then a translation
//!   lexicon learned by IBM Model 1 from the beads the first pass is surest of, and a second pass
//!   with it. No dictionary, no model files: it works on any article.
//! * **Paragraph alignment** ([`Aligner::align_article`]): paragraphs first (length and anchors),
//!   then sentences inside each paragraph bead, with byte ranges for each sentence.
//! * **Gale–Church** ([`Method::GaleChurch`]) as the baseline, and the scoring used by the
//!   literature ([`eval`]).
//!
//! Every pass is a dynamic programme over a band around the diagonal (or around the previous
//! pass's path), so the work grows linearly with the document.
//!
//! ```
//! use duizhao_align::{Aligner, Bead};
//!
//! let en = ["The committee met on 3 May 2023.", "It approved the budget.", "Who pays?"];
//! let zh = ["委员会于二〇二三年五月三日开会，", "批准了预算。", "谁来付钱？"];
//! let beads = Aligner::new().align_sentences(&en, &zh);
//! assert_eq!(beads, [Bead::new(0..1, 0..1), Bead::new(1..2, 1..2), Bead::new(2..3, 2..3)]);
//! ```
#![deny(missing_docs)]

mod article;
mod bead;
mod dp;
mod engine;
mod error;
mod features;
mod gale_church;
mod lexicon;
mod lexscore;
pub mod numbers;

pub mod segment;

pub mod eval;

pub use article::{ParagraphBead, SentenceBead, SentenceRef};
pub use bead::{Bead, parse_beads};
pub use error::{Error, lines_from_bytes};

/// How to align.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// Length model and anchors, then a lexicon learned from the text pair and a second pass.
    /// The default.
    #[default]
    Lexical,
    /// Length model and anchors only (one pass, re-estimated once).
    LengthAnchors,
    /// Plain Gale–Church (1993) on UTF-8 byte lengths: the baseline.
    GaleChurch,
}

impl std::str::FromStr for Method {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "lexical" | "default" => Ok(Method::Lexical),
            "anchors" | "length-anchors" => Ok(Method::LengthAnchors),
            "length" | "gale-church" => Ok(Method::GaleChurch),
            _ => Err(format!(
                "unknown method {s:?}; valid methods are lexical, anchors, length"
            )),
        }
    }
}

/// A configured aligner. Cheap to build and to share between threads.
#[derive(Clone, Debug, Default)]
pub struct Aligner {
    method: Method,
    weights: engine::Weights,
    zh_semicolons: bool,
}

impl Aligner {
    /// The default aligner ([`Method::Lexical`]).
    pub fn new() -> Self {
        Aligner::default()
    }

    /// An aligner using `method`.
    pub fn with_method(method: Method) -> Self {
        Aligner {
            method,
            ..Aligner::default()
        }
    }

    /// Whether [`Aligner::align_article`] also splits Chinese sentences at ； (default: no).
    pub fn zh_semicolons(mut self, split: bool) -> Self {
        self.zh_semicolons = split;
        self
    }

    /// The method in use.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Aligns pre-split sentences. The beads cover every sentence of both sides, in order.
    pub fn align_sentences<E: AsRef<str>, Z: AsRef<str>>(&self, en: &[E], zh: &[Z]) -> Vec<Bead> {
        let (e, z) = features::build(en, zh);
        engine::align(
            &e,
            &z,
            engine::SENTENCE_SHAPES,
            self.method,
            &self.weights,
            None,
        )
    }

    /// Aligns an article given as paragraphs: paragraphs first (1-1, 1-2, 2-1, 2-2, 1-0, 0-1),
    /// then the sentences inside each paragraph bead, found with [`segment::en`] and
    /// [`segment::zh`]. The paragraph beads cover every paragraph in order, and each one's
    /// sentence beads cover its sentences in order.
    pub fn align_article<E: AsRef<str>, Z: AsRef<str>>(
        &self,
        en: &[E],
        zh: &[Z],
    ) -> Vec<ParagraphBead> {
        article::align(self, en, zh)
    }
}
