//! Importing a publication from elsewhere: a folder of Markdown files in the Hugo/Zola
//! convention ([`markdown`]) or a WordPress export ([`wordpress`]).
//!
//! Both importers turn what they read into [`ArticleInput`]s and save them with
//! [`crate::editorial::save_article`], one transaction per article, so an import that stops half
//! way leaves every article either as it was or wholly imported. Saving replaces the article
//! with the same slug, so running an import again updates what it imported before instead of
//! duplicating it.
//!
//! What the importers share lives here: the [`ImportReport`] (every file or item ends up
//! imported, updated, skipped with a reason, or unreadable with the reason and where), the
//! creation of sections, topics and authors that the store does not have yet (existing ones are
//! never renamed), and copying images into the media directory.
//!
//! Images go through the media library's [`crate::media::ingest`], like an editor's upload:
//! checked by content (SVG and anything that is not a JPEG, PNG, WebP or GIF is refused),
//! re-encoded without metadata, given responsive variants, and stored under a name made from the
//! file's name and a hash of its bytes. The same file therefore always lands on the same media
//! path, and a rerun finds it there and copies nothing.

pub mod frontmatter;
pub mod html;
pub mod markdown;
pub mod wordpress;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::ProgressBar;
use jiff::Timestamp;
use pulldown_cmark::{Event, Options, Parser, Tag};

pub use crate::content::slug::slugify;
use crate::content::{ArticleInput, Converters};
use crate::media::{IngestSettings, LocalStorage, MediaStorage, Upload};
use crate::store::Store;
use crate::store::media::MediaText;
use crate::store::taxonomy::{AuthorInput, SectionInput, TaxonomyInput, TopicInput};

/// A file or item that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file (with line or field where known) or the export item.
    pub what: String,
    /// Why.
    pub why: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.what, self.why)
    }
}

/// What an import did, item by item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Slugs of articles that did not exist before.
    pub imported: Vec<String>,
    /// Slugs of articles that existed and were replaced.
    pub updated: Vec<String>,
    /// Files or items left out on purpose (a page, a duplicate, a list page), with the reason.
    pub skipped: Vec<Problem>,
    /// Files or items that could not be read (bad front matter, invalid UTF-8, a broken date).
    pub unreadable: Vec<Problem>,
    /// Sections, topics and authors created, as `kind slug`.
    pub created: Vec<String>,
    /// Things worth knowing that did not stop an article: an image not found, a Chinese name
    /// that had to be the English one.
    pub notes: Vec<String>,
    /// Media files copied into the media directory.
    pub media_copied: usize,
    /// Media files that were already there with the same bytes.
    pub media_unchanged: usize,
}

impl ImportReport {
    /// The summary block `duizhao import` prints at the end.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "imported {} new articles, updated {}, skipped {}, unreadable {}; \
             created {} sections/topics/authors; media: {} copied, {} unchanged\n",
            self.imported.len(),
            self.updated.len(),
            self.skipped.len(),
            self.unreadable.len(),
            self.created.len(),
            self.media_copied,
            self.media_unchanged
        );
        for (title, list) in [("skipped", &self.skipped), ("unreadable", &self.unreadable)] {
            if !list.is_empty() {
                out.push_str(&format!("{title}:\n"));
                for p in list {
                    out.push_str(&format!("  {p}\n"));
                }
            }
        }
        if !self.created.is_empty() {
            out.push_str(&format!("created: {}\n", self.created.join(", ")));
        }
        if !self.notes.is_empty() {
            out.push_str("notes:\n");
            for n in &self.notes {
                out.push_str(&format!("  {n}\n"));
            }
        }
        out
    }
}

/// A section, topic or author as an import source names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermName {
    /// URL name.
    pub slug: String,
    /// English name, when the source gives one.
    pub en: Option<String>,
    /// Chinese name, when the source gives one.
    pub zh: Option<String>,
}

/// What every import needs: the store, the converters, the media directory, and the report it
/// fills.
#[derive(Debug)]
pub struct Importer<'a> {
    store: &'a Store,
    converters: &'a Converters,
    media_dir: PathBuf,
    now: Timestamp,
    progress: ProgressBar,
    /// The report so far.
    pub report: ImportReport,
    media_seen: HashMap<PathBuf, String>,
    ingest: IngestSettings,
    terms_seen: HashSet<(&'static str, String)>,
    to_hans: duizhao_convert::Converter,
}

impl<'a> Importer<'a> {
    /// An importer writing into `store` and `media_dir`, showing progress on `progress` (use
    /// [`ProgressBar::hidden`] when nobody watches).
    pub fn new(
        store: &'a Store,
        converters: &'a Converters,
        media_dir: &Path,
        now: Timestamp,
        progress: ProgressBar,
    ) -> Self {
        Importer {
            store,
            converters,
            media_dir: media_dir.to_owned(),
            now,
            progress,
            report: ImportReport::default(),
            media_seen: HashMap::new(),
            ingest: IngestSettings::default(),
            terms_seen: HashSet::new(),
            to_hans: duizhao_convert::Converter::new(duizhao_convert::Config::T2s),
        }
    }

    /// The progress bar (its length is set by each importer once it knows the count).
    pub fn progress(&self) -> &ProgressBar {
        &self.progress
    }

    /// Switches the progress bar from reading to saving `articles` articles.
    pub fn start_saving(&self, articles: usize) {
        self.progress.set_message("saving articles");
        self.progress.set_position(0);
        self.progress.set_length(articles as u64);
    }

    /// The time of this import.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// A Chinese name in Simplified, as the store keeps names: converted when the source
    /// writes Traditional.
    pub fn simplified(&self, text: &str, script: crate::content::Script) -> String {
        match script {
            crate::content::Script::Hans => text.to_owned(),
            crate::content::Script::Hant => self.to_hans.convert(text),
        }
    }

    /// Records a skipped file or item.
    pub fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.report.skipped.push(Problem {
            what: what.into(),
            why: why.into(),
        });
    }

    /// Records an unreadable file or item.
    pub fn unreadable(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.report.unreadable.push(Problem {
            what: what.into(),
            why: why.into(),
        });
    }

    /// Records a note.
    pub fn note(&mut self, note: impl Into<String>) {
        self.report.notes.push(note.into());
    }

    /// Creates the section, if the store has none by that slug; whether the article may name
    /// it (not when its slug is refused, which the report notes).
    pub async fn ensure_section(&mut self, term: &TermName) -> anyhow::Result<bool> {
        if !self.acceptable("section", &term.slug) {
            return Ok(false);
        }
        if !self.first_time("section", &term.slug)
            || self.store.section(&term.slug).await?.is_some()
        {
            return Ok(true);
        }
        let (name_en, name_zh) = self.names("section", term);
        self.create_term(TaxonomyInput::Section(SectionInput {
            slug: term.slug.clone(),
            name_en,
            name_zh,
            position: 100,
        }))
        .await
    }

    /// Creates the topic, if the store has none by that slug; whether the article may name
    /// it (not when its slug is refused, which the report notes).
    pub async fn ensure_topic(&mut self, term: &TermName) -> anyhow::Result<bool> {
        if !self.acceptable("topic", &term.slug) {
            return Ok(false);
        }
        if !self.first_time("topic", &term.slug) || self.store.topic(&term.slug).await?.is_some() {
            return Ok(true);
        }
        let (name_en, name_zh) = self.names("topic", term);
        self.create_term(TaxonomyInput::Topic(TopicInput {
            slug: term.slug.clone(),
            name_en,
            name_zh,
            ..Default::default()
        }))
        .await
    }

    /// Creates the author, if the store has none by that slug; whether the article may name
    /// it (not when its slug is refused, which the report notes).
    pub async fn ensure_author(&mut self, term: &TermName) -> anyhow::Result<bool> {
        if !self.acceptable("author", &term.slug) {
            return Ok(false);
        }
        if !self.first_time("author", &term.slug) || self.store.author(&term.slug).await?.is_some()
        {
            return Ok(true);
        }
        let (name_en, name_zh) = self.names("author", term);
        self.create_term(TaxonomyInput::Author(AuthorInput {
            slug: term.slug.clone(),
            name_en,
            name_zh,
            ..Default::default()
        }))
        .await
    }

    /// Creates a topic, author or section through the editorial core, as the system; whether
    /// articles may name it. What the core refuses (a name too long, say) goes into the report.
    async fn create_term(&mut self, input: TaxonomyInput) -> anyhow::Result<bool> {
        let kind = input.kind().code();
        let slug = input.slug().to_owned();
        let changes = crate::editorial::Changes::new();
        let core = crate::editorial::Core {
            store: self.store,
            converters: self.converters,
            changes: &changes,
            user: None,
        };
        match crate::editorial::taxonomy::save(&core, None, input).await {
            Ok(_) => {
                self.report.created.push(format!("{kind} {slug}"));
                Ok(true)
            }
            Err(crate::editorial::EditorialError::Invalid(fields)) => {
                let why: Vec<String> = fields.iter().map(ToString::to_string).collect();
                self.note(format!(
                    "{kind} {slug:?} was not created ({}); articles that name it do without it",
                    why.join("; ")
                ));
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Whether a term's slug passes [`crate::content::slug::check`]; the first refusal of each
    /// is noted.
    fn acceptable(&mut self, kind: &'static str, slug: &str) -> bool {
        match crate::content::slug::check(slug) {
            Ok(()) => true,
            Err(why) => {
                if self.terms_seen.insert((kind, format!("refused:{slug}"))) {
                    self.note(format!("{kind} left out of its articles: {why}"));
                }
                false
            }
        }
    }

    fn first_time(&mut self, kind: &'static str, slug: &str) -> bool {
        self.terms_seen.insert((kind, slug.to_owned()))
    }

    /// English and Chinese names for a new term: what the source gave; else, for the English
    /// name, one made from an ASCII slug or the Chinese name; for the Chinese name, the English
    /// one, with a note saying so.
    fn names(&mut self, kind: &str, term: &TermName) -> (String, String) {
        let given = |s: &Option<String>| {
            s.as_deref()
                .map(|s| crate::content::text::strip(s).0.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let en = given(&term.en)
            .or_else(|| term.slug.is_ascii().then(|| name_from_slug(&term.slug)))
            .or_else(|| given(&term.zh))
            .unwrap_or_else(|| term.slug.clone());
        let zh = match given(&term.zh) {
            Some(zh) => zh,
            None => {
                self.note(format!(
                    "{kind} {}: no Chinese name in the source; it is {en:?} until an editor sets one",
                    term.slug
                ));
                en.clone()
            }
        };
        (en, zh)
    }

    /// Stores an image file through the media library (see the module docs) unless it is
    /// already there; returns its media path.
    pub async fn import_media(&mut self, source: &Path, text: MediaText) -> anyhow::Result<String> {
        image_mime(source).with_context(|| {
            format!(
                "{}: not an image this importer copies (png, jpg, gif, webp)",
                source.display()
            )
        })?;
        let canonical = source
            .canonicalize()
            .with_context(|| format!("cannot read image {}", source.display()))?;
        if let Some(path) = self.media_seen.get(&canonical) {
            return Ok(path.clone());
        }
        let bytes = std::fs::read(source)
            .with_context(|| format!("cannot read image {}", source.display()))?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = crate::media::Format::sniff(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", source.display()))?;
        let key = crate::media::names::UploadKeys::new(&name, &bytes, format).full()?;
        let storage = LocalStorage::new(&self.media_dir);
        let path = key.as_str().to_owned();
        let known = self.store.media_id(&path).await.is_ok() && storage.exists(&key).await?;
        if known {
            self.report.media_unchanged += 1;
        } else {
            let strip = |s: String| crate::content::text::strip(&s).0.into_owned();
            let text = MediaText {
                alt_en: strip(text.alt_en),
                alt_zh: strip(text.alt_zh),
                caption_en: strip(text.caption_en),
                caption_zh: strip(text.caption_zh),
            };
            let upload = Upload {
                bytes,
                original_name: name,
                text,
            };
            crate::media::ingest(
                &storage,
                self.store,
                self.converters,
                upload,
                &self.ingest,
                self.now,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", source.display()))?;
            self.report.media_copied += 1;
        }
        self.media_seen.insert(canonical, path.clone());
        Ok(path)
    }

    /// Saves an article, counting it as imported or updated. Characters no text may hold
    /// (see [`crate::content::text`]) are removed, and the report says how many; a slug that
    /// [`crate::content::slug::check`] refuses is an error naming the source.
    pub async fn save(&mut self, input: &ArticleInput, source: &str) -> anyhow::Result<()> {
        crate::content::slug::check(&input.slug)
            .map_err(|why| anyhow::anyhow!("{source}: {why}"))?;
        let mut clean = input.clone();
        let removed = strip_forbidden(&mut clean);
        if removed > 0 {
            self.note(format!(
                "{source}: removed {removed} invisible control character{} that no text may hold",
                if removed == 1 { "" } else { "s" }
            ));
        }
        let input = &clean;
        let existed = self.store.article_state(&input.slug).await?.is_some();
        crate::editorial::save_article(self.store, self.converters, input, self.now)
            .await
            .with_context(|| format!("{source}: saving article {}", input.slug))?;
        if existed {
            self.report.updated.push(input.slug.clone());
        } else {
            self.report.imported.push(input.slug.clone());
        }
        Ok(())
    }
}

/// Imports a folder of Markdown files (see [`markdown`]) and returns the report.
pub async fn import_markdown(
    store: &Store,
    converters: &Converters,
    media_dir: &Path,
    dir: &Path,
    now: Timestamp,
    progress: ProgressBar,
) -> anyhow::Result<ImportReport> {
    let mut importer = Importer::new(store, converters, media_dir, now, progress);
    markdown::import_dir(&mut importer, dir).await?;
    Ok(importer.report)
}

/// Imports a WordPress export (see [`wordpress`]) and returns the report.
pub async fn import_wordpress(
    store: &Store,
    converters: &Converters,
    media_dir: &Path,
    file: &Path,
    now: Timestamp,
    progress: ProgressBar,
) -> anyhow::Result<ImportReport> {
    let mut importer = Importer::new(store, converters, media_dir, now, progress);
    wordpress::import_wxr(&mut importer, file).await?;
    Ok(importer.report)
}

/// The MIME type of an image file by its extension, for the types the media library takes
/// (a first filter; the library checks the content).
pub fn image_mime(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => return None,
    })
}

/// A relative path made of plain components (no `..`, no root, no empty parts), joined with
/// `/`; `None` when the path tries to leave its directory.
pub fn clean_relative(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(':') || p.chars().any(char::is_control) => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Removes the characters no text may hold from every text of an article; how many went.
fn strip_forbidden(input: &mut ArticleInput) -> usize {
    let mut removed = 0;
    let mut clean = |s: &mut String| {
        let (kept, n) = crate::content::text::strip(s);
        if n > 0 {
            *s = kept.into_owned();
            removed += n;
        }
    };
    clean(&mut input.zh_rules);
    for v in [input.en.as_mut(), input.zh.as_mut()].into_iter().flatten() {
        clean(&mut v.title);
        clean(&mut v.dek);
        clean(&mut v.body);
        clean(&mut v.hero_caption);
        clean(&mut v.hero_credit);
    }
    removed
}

/// A readable name from a slug: `trade-policy` → `Trade Policy`.
pub fn name_from_slug(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a text is Chinese: more Han characters than Latin letters.
pub fn is_mostly_han(text: &str) -> bool {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if crate::content::text::is_han(c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    han > latin
}

/// Where an image's address is in a Markdown text: its byte offset and the address as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Byte offset of the address.
    pub at: usize,
    /// The address.
    pub url: String,
}

/// The addresses of every image in a Markdown text: inline `![](…)` and the reference
/// definitions images use. Each address is listed once, in no particular order.
pub fn image_refs(markdown: &str) -> Vec<ImageRef> {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES);
    let defs: Vec<(String, std::ops::Range<usize>)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| (def.dest.to_string(), def.span.clone()))
        .collect();
    let mut found: BTreeMap<usize, String> = BTreeMap::new();
    for (event, range) in parser.into_offset_iter() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            let url = dest_url.to_string();
            if url.is_empty() {
                continue;
            }
            // In `![alt](url "title")` the address follows the alt text: the last match
            // before any title is the address; a reference image's is in its definition.
            let inline = markdown[range.clone()]
                .find(&format!("]({url}"))
                .or_else(|| {
                    markdown[range.clone()]
                        .find(&format!("](<{url}"))
                        .map(|a| a + 1)
                })
                .map(|a| range.start + a + 2);
            let at = inline.or_else(|| {
                defs.iter()
                    .find(|(d, _)| *d == url)
                    .and_then(|(d, span)| markdown[span.clone()].find(&**d).map(|a| span.start + a))
            });
            if let Some(at) = at {
                found.insert(at, url);
            }
        }
    }
    found
        .into_iter()
        .map(|(at, url)| ImageRef { at, url })
        .collect()
}

/// Replaces image addresses found by [`image_refs`]: each `(reference, new address)`.
pub fn replace_image_refs(markdown: &str, mut edits: Vec<(ImageRef, String)>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.at));
    let mut out = markdown.to_owned();
    for (r, new) in edits {
        if out.get(r.at..r.at + r.url.len()) == Some(r.url.as_str()) {
            out.replace_range(r.at..r.at + r.url.len(), &new);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_names_and_paths() {
        assert_eq!(slugify("Trade Policy & Tariffs"), "trade-policy-tariffs");
        assert_eq!(slugify("  贸易 政策 "), "贸易-政策");
        assert_eq!(name_from_slug("trade-policy"), "Trade Policy");
        assert_eq!(clean_relative("a/./b\\c.png").as_deref(), Some("a/b/c.png"));
        assert_eq!(clean_relative("../etc/passwd"), None);
        assert_eq!(clean_relative("C:/x.png"), None);
        assert!(is_mostly_han("央行今天宣布降息 0.25%，GDP 增长"));
        assert!(!is_mostly_han("The central bank cut rates, 央行"));
        assert_eq!(image_mime(Path::new("a/B.JPG")), Some("image/jpeg"));
        assert_eq!(image_mime(Path::new("a/b.svg")), None);
    }

    #[test]
    fn image_addresses_are_rewritten_inline_and_by_reference() {
        let md =
            "A ![one](img/a.png \"t\") and ![two][r] and [link](img/a.png).\n\n[r]: img/b.png\n";
        let refs = image_refs(md);
        assert_eq!(refs.len(), 2, "{refs:?}");
        let edits = refs
            .into_iter()
            .map(|r| {
                let new = format!("imported/{}", r.url);
                (r, new)
            })
            .collect();
        assert_eq!(
            replace_image_refs(md, edits),
            "A ![one](imported/img/a.png \"t\") and ![two][r] and [link](img/a.png).\n\n[r]: imported/img/b.png\n"
        );
    }
}
