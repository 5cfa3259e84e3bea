//! What the API sends and receives. These are its own types, not the store's, so that the
//! wire format and the OpenAPI schemas derived from them change only when we mean them to.
//!
//! Times are RFC 3339 strings in UTC. Text fields (`title`, `dek`, captions, names) are plain
//! text, to be escaped by whoever displays them; `html` fields are rendered by us from the
//! Markdown, with raw HTML shown as text and only safe link schemes kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Every error: a message, and the fields to fix when the request was invalid.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: String,
    /// The fields to fix (422), each with its message; empty otherwise.
    pub fields: Vec<FieldMessage>,
    /// On a conflict (409): the article's current revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
}

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldMessage {
    /// The field, as a path in the request body (`slug`, `en.title`, `zh_rules`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// A name in every edition the site serves, keyed by edition code (`en`, `zh-hans`, ...).
pub type Names = BTreeMap<String, String>;

/// A section, topic or author as an article refers to it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Named {
    /// URL name.
    pub slug: String,
    /// Name per edition.
    pub names: Names,
}

/// `GET /api/v1/articles` query.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<u32>,
    /// Only articles with this topic (slug).
    pub topic: Option<String>,
    /// Only articles by this author (slug).
    pub author: Option<String>,
    /// Only articles in this section (slug).
    pub section: Option<String>,
}

/// A page of published articles, newest first.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ArticleList {
    /// This page's number.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
    /// Articles in the whole list.
    pub total: i64,
    /// The articles on this page.
    pub items: Vec<ArticleItem>,
}

/// An article in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ArticleItem {
    /// Database id.
    pub id: i64,
    /// URL name.
    pub slug: String,
    /// Publication time.
    pub published_at: String,
    /// Last update.
    pub updated_at: String,
    /// Section slug.
    pub section: Option<String>,
    /// Topic slugs, in order.
    pub topics: Vec<String>,
    /// Author slugs, in byline order.
    pub authors: Vec<String>,
    /// The language versions present: `en`, `zh`.
    pub versions: Vec<String>,
    /// Headline per edition (only editions whose language the article has).
    pub titles: BTreeMap<String, String>,
    /// Page URL per edition, then per reading mode (`en`, `zh`, `dual`).
    pub urls: BTreeMap<String, BTreeMap<String, String>>,
}

/// One article with every version and edition.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ArticleDetail {
    /// Database id.
    pub id: i64,
    /// URL name.
    pub slug: String,
    /// `draft`, `scheduled`, `published` or `unpublished`.
    pub status: String,
    /// Revision, to send back when replacing it (also the `ETag`).
    pub revision: i64,
    /// Publication time.
    pub published_at: Option<String>,
    /// Last update.
    pub updated_at: String,
    /// Script of the Chinese master: `hans` or `hant`.
    pub zh_script: String,
    /// Section.
    pub section: Option<Named>,
    /// Topics, in order.
    pub topics: Vec<Named>,
    /// Authors, in byline order.
    pub authors: Vec<Named>,
    /// Hero image.
    pub hero: Option<HeroImage>,
    /// The language versions present: `en`, `zh`.
    pub versions: Vec<String>,
    /// The text in each edition the site serves and the article has.
    pub editions: Vec<EditionBody>,
    /// How English and Chinese blocks pair in the parallel mode (indices into `blocks`).
    pub pairing: Vec<PairRow>,
    /// The master text as the editor writes it; only for a token allowed to view the article
    /// in the back office.
    pub master: Option<Master>,
    /// When it was moved to the trash, while it is there (it can be restored for 30 days,
    /// then it is removed for good); `null` otherwise.
    pub deleted_at: Option<String>,
}

/// The hero image.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct HeroImage {
    /// Path in the media store (what `hero` is set to when writing).
    pub path: String,
    /// URL.
    pub url: String,
    /// MIME type.
    pub mime: String,
    /// Alternative text per edition.
    pub alt: Names,
}

/// An article's text in one edition.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct EditionBody {
    /// Edition code: `en`, `zh-hans`, `zh-hant`, `zh-tw`, `zh-hk`.
    pub edition: String,
    /// BCP 47 language tag.
    pub lang: String,
    /// Headline (plain text).
    pub title: String,
    /// Summary (plain text).
    pub dek: String,
    /// Hero caption (plain text).
    pub hero_caption: String,
    /// Hero credit (plain text).
    pub hero_credit: String,
    /// Body blocks, rendered.
    pub blocks: Vec<BlockBody>,
    /// Page URL per reading mode available in this edition.
    pub urls: BTreeMap<String, String>,
}

/// One rendered block of a body.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct BlockBody {
    /// `paragraph`, `heading`, `quote`, `list`, `table`, `code` or `rule`.
    pub kind: String,
    /// Its HTML, safe to embed.
    pub html: String,
    /// Its pairing name, if the source named it.
    pub pair: Option<String>,
}

/// One row of the parallel view.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PairRow {
    /// Indices of English blocks.
    pub en: Vec<usize>,
    /// Indices of Chinese blocks.
    pub zh: Vec<usize>,
}

/// The master text and settings, as written.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Master {
    /// Pinned as the home page's lead.
    pub featured: bool,
    /// Per-article conversion rules (glossary syntax).
    pub zh_rules: String,
    /// English version.
    pub en: Option<VersionBody>,
    /// Chinese version, in `zh_script`.
    pub zh: Option<VersionBody>,
}

/// One language version as written: headline, summary, Markdown body, hero caption and credit.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// Headline, one line, at most 300 characters.
    #[serde(default)]
    pub title: String,
    /// Summary, at most 1,000 characters.
    #[serde(default)]
    pub dek: String,
    /// Body in Markdown, at most 1,000,000 bytes.
    #[serde(default)]
    pub body: String,
    /// Caption of the hero image.
    #[serde(default)]
    pub hero_caption: String,
    /// Credit of the hero image.
    #[serde(default)]
    pub hero_credit: String,
}

/// The script of a Chinese version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ZhScript {
    /// Simplified.
    Hans,
    /// Traditional.
    Hant,
}

/// An article's status as a write asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusBody {
    /// Not public.
    Draft,
    /// Public from `published_at` (now if absent or in the future).
    Published,
    /// To publish itself at `published_at`, which must be in the future.
    Scheduled,
    /// Taken down: its pages answer 410.
    Unpublished,
}

/// An article to create (`POST`) or replace (`PUT`).
///
/// On `PUT` the body replaces every part the token's user may change (an absent version
/// removes it); a part they may not change (another language for a translator, the metadata)
/// may be left out, and if sent must equal what is stored.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleBody {
    /// The revision this replaces (or send `If-Match: "<revision>"`); required on `PUT`.
    pub revision: Option<i64>,
    /// URL name: lower-case letters, digits and inner hyphens. On `POST`, absent or empty: made
    /// from the English headline, else the Chinese one in pinyin (numbered past slugs in use).
    /// On `PUT` it must be the article's own if given.
    pub slug: Option<String>,
    /// Section slug.
    pub section: Option<String>,
    /// Topic slugs.
    pub topics: Option<Vec<String>>,
    /// Author slugs, in byline order.
    pub authors: Option<Vec<String>>,
    /// Path of the hero image in the media store.
    pub hero: Option<String>,
    /// Pinned as the home page's lead.
    pub featured: Option<bool>,
    /// Script of the Chinese version (default `hans`).
    pub zh_script: Option<ZhScript>,
    /// Per-article conversion rules, glossary syntax (`source -> target` lines).
    pub zh_rules: Option<String>,
    /// Publication time, RFC 3339 with an offset.
    pub published_at: Option<String>,
    /// English version.
    pub en: Option<VersionBody>,
    /// Chinese version.
    pub zh: Option<VersionBody>,
    /// Status; absent keeps the stored one (a new article is a draft). Publishing,
    /// scheduling and unpublishing need the right to publish.
    pub status: Option<StatusBody>,
}

/// `POST /api/v1/articles/{slug}/status`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `published`, `scheduled` or `unpublished`.
    pub status: StatusBody,
    /// Publication time (RFC 3339); required to schedule.
    pub published_at: Option<String>,
    /// The revision this applies to (or `If-Match`); if absent, the current one.
    pub revision: Option<i64>,
}

/// A topic.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TopicBody {
    /// URL name.
    pub slug: String,
    /// Name per edition.
    pub names: Names,
    /// In the hot-topics bar.
    pub hot: bool,
    /// Order in the hot-topics bar.
    pub hot_order: i64,
    /// Description per edition (empty when none was written).
    pub description: Names,
    /// Page URL per edition.
    pub urls: BTreeMap<String, String>,
}

/// An author.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AuthorBody {
    /// URL name.
    pub slug: String,
    /// Name per edition.
    pub names: Names,
    /// Biography per edition.
    pub bio: Names,
    /// The portrait's address, if there is one.
    pub photo: Option<String>,
    /// Page URL per edition.
    pub urls: BTreeMap<String, String>,
}

/// A section.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SectionBody {
    /// URL name.
    pub slug: String,
    /// Name per edition.
    pub names: Names,
    /// Menu order.
    pub position: i64,
    /// Page URL per edition.
    pub urls: BTreeMap<String, String>,
}

/// `POST /api/v1/topics` and `PUT /api/v1/topics/{slug}`: a topic as an editor writes it.
/// Names and description are written in English and Simplified Chinese; the other editions
/// are derived.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicWrite {
    /// URL name; absent or empty: made from the English name (else the Chinese). A `PUT` with
    /// another slug renames the topic, and its old address answers 301.
    #[serde(default)]
    pub slug: Option<String>,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Chinese name (Simplified).
    #[serde(default)]
    pub name_zh: String,
    /// What the topic covers, in English.
    #[serde(default)]
    pub description_en: String,
    /// What the topic covers, in Chinese (Simplified).
    #[serde(default)]
    pub description_zh: String,
    /// In the hot-topics bar (熱點話題).
    #[serde(default)]
    pub hot: bool,
    /// Order in the hot-topics bar, smallest first.
    #[serde(default)]
    pub hot_order: i64,
}

/// `POST /api/v1/authors` and `PUT /api/v1/authors/{slug}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorWrite {
    /// URL name (see [`TopicWrite::slug`]).
    #[serde(default)]
    pub slug: Option<String>,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Chinese name (Simplified).
    #[serde(default)]
    pub name_zh: String,
    /// English biography.
    #[serde(default)]
    pub bio_en: String,
    /// Chinese biography (Simplified).
    #[serde(default)]
    pub bio_zh: String,
    /// Portrait: a media library path (`uploads/…`, or its address `/media/uploads/…`).
    #[serde(default)]
    pub photo: Option<String>,
}

/// `POST /api/v1/sections` and `PUT /api/v1/sections/{slug}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionWrite {
    /// URL name (see [`TopicWrite::slug`]).
    #[serde(default)]
    pub slug: Option<String>,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Chinese name (Simplified).
    #[serde(default)]
    pub name_zh: String,
    /// Order in the navigation, smallest first.
    #[serde(default)]
    pub position: i64,
}

/// `DELETE /api/v1/{topics|authors|sections}/{slug}`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeleteParams {
    /// Another topic (author, section) to move the articles to; required while articles
    /// carry this one. The old address then answers 301 to it: this is how two are merged.
    pub reassign_to: Option<String>,
}

/// What a delete did.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Deleted {
    /// The slug deleted.
    pub deleted: String,
    /// Where its articles went, if anywhere.
    pub reassigned_to: Option<String>,
    /// The articles moved.
    pub articles: Vec<String>,
}
