//! The domain model: articles, their language versions, authors, topics, sections, media.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::edition::{Edition, Language, Script};
use super::markdown::Block;
use super::pairing::PairRow;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
    )*};
}

id_type! {
    /// An article's database id.
    ArticleId;
    /// An author's database id.
    AuthorId;
    /// A topic's database id.
    TopicId;
    /// A section's database id.
    SectionId;
    /// A stored media file's database id.
    MediaId;
}

/// Where an article is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; not public.
    Draft,
    /// To be published by itself at its publication time.
    Scheduled,
    /// Public.
    Published,
    /// Was public, taken down: its URLs answer 410 Gone.
    Unpublished,
}

impl Status {
    /// The stored form.
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    /// Parses the stored form.
    pub fn from_code(s: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Scheduled,
            Status::Published,
            Status::Unpublished,
        ]
        .into_iter()
        .find(|st| st.code() == s)
    }
}

/// A name (or other short text) in every edition: written in English and Chinese, the other
/// Chinese scripts derived when saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh_hans: String,
    /// Traditional Chinese.
    pub zh_hant: String,
    /// Taiwan.
    pub zh_tw: String,
    /// Hong Kong.
    pub zh_hk: String,
}

impl Localized {
    /// The text for an edition, falling back to English when the Chinese is empty.
    pub fn get(&self, edition: Edition) -> &str {
        let zh = match edition {
            Edition::En => return &self.en,
            Edition::ZhHans => &self.zh_hans,
            Edition::ZhHant => &self.zh_hant,
            Edition::ZhTw => &self.zh_tw,
            Edition::ZhHk => &self.zh_hk,
        };
        if zh.is_empty() { &self.en } else { zh }
    }

    /// Sets the text of one edition.
    pub fn set(&mut self, edition: Edition, text: String) {
        match edition {
            Edition::En => self.en = text,
            Edition::ZhHans => self.zh_hans = text,
            Edition::ZhHant => self.zh_hant = text,
            Edition::ZhTw => self.zh_tw = text,
            Edition::ZhHk => self.zh_hk = text,
        }
    }
}

/// A section of the publication (World, Economy, Opinion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Database id.
    pub id: SectionId,
    /// URL name.
    pub slug: String,
    /// Names per edition.
    pub name: Localized,
    /// Order in menus.
    pub position: i64,
}

/// A topic; hot topics appear in the 熱點話題 bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    /// Database id.
    pub id: TopicId,
    /// URL name.
    pub slug: String,
    /// Names per edition.
    pub name: Localized,
    /// Shown in the hot-topics bar.
    pub hot: bool,
    /// Order in the hot-topics bar.
    pub hot_order: i64,
    /// What the topic covers, per edition (empty when not written).
    pub description: Localized,
}

/// An author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    /// Database id.
    pub id: AuthorId,
    /// URL name.
    pub slug: String,
    /// Names per edition.
    pub name: Localized,
    /// Biographies per edition.
    pub bio: Localized,
    /// Portrait.
    pub photo: Option<Media>,
}

/// A stored media file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Media {
    /// Database id.
    pub id: MediaId,
    /// Path under the media directory, also its URL under `/media/`.
    pub path: String,
    /// MIME type.
    pub mime: String,
    /// Alternative text per edition.
    pub alt: Localized,
    /// Caption per edition (empty for images stored before captions were kept).
    pub caption: Localized,
    /// Width in pixels, when known (uploads record it; older rows may not).
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
    /// Smaller versions for `srcset`, widest first.
    pub variants: Vec<MediaVariant>,
}

/// A smaller version of a stored image, for responsive `srcset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaVariant {
    /// Path under the media directory.
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// What an editor writes for one language version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionText {
    /// Headline.
    pub title: String,
    /// Summary under the headline.
    pub dek: String,
    /// Body in Markdown.
    pub body: String,
    /// Caption of the hero image.
    pub hero_caption: String,
    /// Credit of the hero image.
    pub hero_credit: String,
}

/// An article as an editor saves it: metadata and the two language versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleInput {
    /// URL name, unique.
    pub slug: String,
    /// Section slug.
    pub section: Option<String>,
    /// Topic slugs, in order.
    pub topics: Vec<String>,
    /// Author slugs, in byline order.
    pub authors: Vec<String>,
    /// Path of the hero image in the media store.
    pub hero: Option<String>,
    /// Life-cycle state.
    pub status: Status,
    /// Pinned as the home page's lead story.
    pub featured: bool,
    /// Script of the Chinese version.
    pub zh_script: Script,
    /// Per-article conversion rules, in glossary syntax.
    pub zh_rules: String,
    /// Publication time.
    pub published_at: Option<Timestamp>,
    /// Last substantive update (defaults to the publication time).
    pub updated_at: Option<Timestamp>,
    /// English version.
    pub en: Option<VersionText>,
    /// Chinese version, in `zh_script`.
    pub zh: Option<VersionText>,
}

impl ArticleInput {
    /// The version in one language.
    pub fn version(&self, language: Language) -> Option<&VersionText> {
        match language {
            Language::En => self.en.as_ref(),
            Language::Zh => self.zh.as_ref(),
        }
    }
}

/// An article version as shown in one edition's script: what is derived when it is saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionText {
    /// Headline.
    pub title: String,
    /// Summary.
    pub dek: String,
    /// Hero caption.
    pub hero_caption: String,
    /// Hero credit.
    pub hero_credit: String,
    /// Rendered body blocks.
    pub blocks: Vec<Block>,
}

/// Everything derived from an [`ArticleInput`] when it is saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Derived {
    /// Text per edition that has it: `En` from the English version, each Chinese edition from
    /// the Chinese version converted to its script.
    pub editions: Vec<(Edition, EditionText)>,
    /// How English and Chinese blocks pair in the parallel mode.
    pub pairing: Vec<PairRow>,
}

/// A published article's summary, for lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleSummary {
    /// Database id.
    pub id: ArticleId,
    /// URL name.
    pub slug: String,
    /// Publication time.
    pub published_at: Timestamp,
    /// Whether there is an English version.
    pub has_en: bool,
    /// Whether there is a Chinese version.
    pub has_zh: bool,
    /// Headline in the requested edition, or in the other language when it is missing.
    pub title: String,
    /// Summary, likewise.
    pub dek: String,
    /// The edition `title` and `dek` are in.
    pub text_edition: Edition,
    /// Hero image.
    pub hero: Option<Media>,
    /// Section slug and names.
    pub section: Option<Section>,
}

/// A full article for its page: metadata, bylines, topics and the text of the requested
/// editions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Database id.
    pub id: ArticleId,
    /// URL name.
    pub slug: String,
    /// Life-cycle state.
    pub status: Status,
    /// Publication time.
    pub published_at: Option<Timestamp>,
    /// Last update.
    pub updated_at: Timestamp,
    /// Script of the Chinese master.
    pub zh_script: Script,
    /// Section.
    pub section: Option<Section>,
    /// Topics, in order.
    pub topics: Vec<Topic>,
    /// Authors, in byline order.
    pub authors: Vec<Author>,
    /// Hero image.
    pub hero: Option<Media>,
    /// The English text, if there is an English version.
    pub en: Option<EditionText>,
    /// The Chinese text in the requested script, if there is a Chinese version.
    pub zh: Option<EditionText>,
    /// Pairing of English and Chinese blocks.
    pub pairing: Vec<PairRow>,
}

impl Article {
    /// Whether the article has a version in this language.
    pub fn has(&self, language: Language) -> bool {
        match language {
            Language::En => self.en.is_some(),
            Language::Zh => self.zh.is_some(),
        }
    }
}
