//! `duizhao import --wordpress export.xml`: a WordPress export (WXR, versions 1.0–1.2).
//!
//! What becomes what:
//! - posts (`wp:post_type` `post`) become articles; `publish` is published, `draft` and
//!   `pending` are drafts, `future` is scheduled; `private`, `trash` and `auto-draft` posts are
//!   skipped (nothing public to carry over). Pages are skipped and reported: Duizhao publishes
//!   articles, and a page's content belongs in the site's templates. Menu items, revisions and
//!   custom post types are skipped and reported too.
//! - `wp:post_date_gmt` is the publication time (`wp:post_date` read as UTC when WordPress left
//!   the GMT time empty); the first category (other than `uncategorized`) is the section; tags
//!   are topics; `dc:creator` is the author, named from the export's `wp:author` entries.
//! - `content:encoded` is converted from HTML to Markdown ([`super::html`]); the excerpt is the
//!   dek. The featured image (`_thumbnail_id` → the attachment item) and images in the body are
//!   copied when the file is on disk next to the export, at `wp-content/uploads/<path>` or
//!   `uploads/<path>` where `<path>` follows `wp-content/uploads/` in the image's URL. Nothing
//!   is downloaded; an image not found stays a remote address (body) or is left out (hero), with
//!   a note.
//!
//! Languages and translations. A WordPress post has one language: Polylang's `language` term
//! when the export has one, else the script of the title and text (more Han characters than Latin
//! letters: Chinese). A Chinese post is Traditional when converting it to Simplified changes more
//! characters than converting it to Traditional does. Two posts are one article's two versions
//! when they belong to the same Polylang `post_translations` term, or when their slugs are the
//! same but for a `-en`, `-zh`, `-zh-hans` or `-zh-hant` suffix; the article's slug is then the
//! slug without the suffix. The English post leads for the status, time, section and image. A
//! second post in the same language for one article is skipped and reported.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, bail};
use duizhao_convert::{Config, Converter};
use jiff::Timestamp;
use roxmltree::{Document, Node};

use super::{Importer, TermName, html, image_refs, is_mostly_han, replace_image_refs, slugify};
use crate::content::{ArticleInput, Language, Script, Status, VersionText};
use crate::store::media::MediaText;

const WP_NS: &str = "http://wordpress.org/export/";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// One `<item>` of type post, read.
#[derive(Clone, Debug)]
struct Post {
    /// How the report names it: `item 3 (line 120, "Title")`.
    what: String,
    slug: String,
    title: String,
    status: Status,
    published_at: Option<Timestamp>,
    author: Option<String>,
    content: String,
    excerpt: String,
    categories: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    language: Language,
    script: Script,
    translations: Option<String>,
    thumbnail: Option<String>,
}

/// An attachment item: where its file was, its alternative text and caption.
#[derive(Clone, Debug, Default)]
struct Attachment {
    url: String,
    alt: String,
    caption: String,
}

/// Imports the posts of a WXR file.
pub async fn import_wxr(importer: &mut Importer<'_>, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        anyhow::anyhow!("{}, line {line}: not valid UTF-8", file.display())
    })?;
    let doc = Document::parse(&text)
        .with_context(|| format!("{} is not well-formed XML", file.display()))?;
    let Some(channel) = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("channel"))
    else {
        bail!(
            "{}: not a WordPress export (no rss/channel)",
            file.display()
        );
    };
    let base = file.parent().unwrap_or(Path::new("."));
    let authors: HashMap<String, String> = channel
        .children()
        .filter(|n| is(n, WP_NS, "author"))
        .filter_map(|n| {
            let login = child_text(n, WP_NS, "author_login")?;
            let name = child_text(n, WP_NS, "author_display_name").unwrap_or_else(|| login.clone());
            Some((login, name))
        })
        .collect();
    let items: Vec<Node> = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    importer.progress().set_length(items.len() as u64);

    let to_hans = Converter::new(Config::T2s);
    let to_hant = Converter::new(Config::S2t);
    let mut attachments: HashMap<String, Attachment> = HashMap::new();
    let mut posts = Vec::new();
    for (index, item) in items.iter().enumerate() {
        importer.progress().inc(1);
        let line = doc.text_pos_at(item.range().start).row;
        let title = child_text(*item, "", "title").unwrap_or_default();
        let what = format!("item {} (line {line}, {:?})", index + 1, title.trim());
        let post_type = child_text(*item, WP_NS, "post_type").unwrap_or_default();
        match post_type.as_str() {
            "attachment" => {
                if let Some(id) = child_text(*item, WP_NS, "post_id") {
                    attachments.insert(
                        id,
                        Attachment {
                            url: child_text(*item, WP_NS, "attachment_url").unwrap_or_default(),
                            alt: meta(*item, "_wp_attachment_image_alt").unwrap_or_default(),
                            caption: excerpt(*item),
                        },
                    );
                }
            }
            "post" => match read_post(*item, &title, what.clone(), &to_hans, &to_hant) {
                Ok(Some(post)) => posts.push(post),
                Ok(None) => {
                    let status = child_text(*item, WP_NS, "status").unwrap_or_default();
                    importer.skip(what, format!("status {status:?}: nothing public to import"));
                }
                Err(e) => importer.unreadable(what, format!("{e:#}")),
            },
            "page" => importer.skip(
                what,
                "a page: Duizhao publishes articles only (put a page's text in the site's templates)",
            ),
            "" => importer.unreadable(what, "no wp:post_type"),
            other => importer.skip(what, format!("post type {other:?} is not imported")),
        }
    }

    // Names of terms in each language, from every post that uses them.
    let mut names: HashMap<(&'static str, String), TermName> = HashMap::new();
    for post in &posts {
        for (kind, list) in [("category", &post.categories), ("tag", &post.tags)] {
            for (slug, name) in list {
                let term = names
                    .entry((kind, slug.clone()))
                    .or_insert_with(|| TermName {
                        // WordPress stores non-ASCII slugs percent-encoded.
                        slug: slugify(&percent_decode(slug)),
                        ..TermName::default()
                    });
                let slot = match post.language {
                    Language::En if !is_mostly_han(name) => &mut term.en,
                    Language::Zh if is_mostly_han(name) => &mut term.zh,
                    _ if is_mostly_han(name) => &mut term.zh,
                    _ => &mut term.en,
                };
                slot.get_or_insert_with(|| importer.simplified(name, post.script));
            }
        }
    }

    // Pair translations.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, (String, Option<Post>, Option<Post>)> = HashMap::new();
    for post in posts {
        let (key, slug) = match &post.translations {
            Some(group) => (format!("pll:{group}"), None),
            None => {
                let base = strip_language_suffix(&post.slug);
                (format!("slug:{base}"), Some(base.to_owned()))
            }
        };
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (String::new(), None, None)
        });
        if let Some(slug) = slug {
            entry.0 = slug;
        }
        let slot = match post.language {
            Language::En => &mut entry.1,
            Language::Zh => &mut entry.2,
        };
        if slot.is_some() {
            let lang = if post.language == Language::En {
                "English"
            } else {
                "Chinese"
            };
            importer.skip(
                post.what.clone(),
                format!("a second {lang} post for article {:?}", post.slug),
            );
            continue;
        }
        *slot = Some(post);
    }

    let mut used: BTreeMap<String, String> = BTreeMap::new();
    importer.start_saving(order.len());
    for key in order {
        importer.progress().inc(1);
        let (mut slug, en, zh) = groups.remove(&key).expect("every key has a group");
        if slug.is_empty() {
            slug = en
                .as_ref()
                .or(zh.as_ref())
                .map(|p| p.slug.clone())
                .unwrap_or_default();
        }
        let what = en
            .iter()
            .chain(zh.iter())
            .map(|p| p.what.clone())
            .collect::<Vec<_>>()
            .join(" + ");
        if let Some(other) = used.get(&slug) {
            importer.skip(what, format!("slug {slug:?} is already used by {other}"));
            continue;
        }
        used.insert(slug.clone(), what.clone());
        let result = article(importer, base, &names, &attachments, &authors, slug, en, zh).await;
        match result {
            Ok(input) => {
                if let Err(e) = importer.save(&input, &what).await {
                    importer.unreadable(what, format!("{e:#}"));
                }
            }
            Err(e) => importer.unreadable(what, format!("{e:#}")),
        }
    }
    Ok(())
}

/// Reads one post item; `None` for statuses with nothing to import (`private`, `trash`,
/// `auto-draft`, `inherit`).
fn read_post(
    item: Node,
    title: &str,
    what: String,
    to_hans: &Converter,
    to_hant: &Converter,
) -> anyhow::Result<Option<Post>> {
    let status_code = child_text(item, WP_NS, "status").unwrap_or_default();
    let status = match status_code.as_str() {
        "publish" => Status::Published,
        "draft" | "pending" => Status::Draft,
        "future" => Status::Scheduled,
        "private" | "trash" | "auto-draft" | "inherit" => return Ok(None),
        other => bail!("wp:status {other:?} is not a WordPress post status"),
    };
    let gmt = wp_time(item, "post_date_gmt")?;
    let local = wp_time(item, "post_date")?;
    let published_at = match status {
        Status::Draft => gmt,
        _ => Some(
            gmt.or(local)
                .context("a published post without wp:post_date_gmt or wp:post_date")?,
        ),
    };
    let content = child_text(item, CONTENT_NS, "encoded").unwrap_or_default();
    if title.trim().is_empty() && content.trim().is_empty() {
        bail!("neither a title nor content");
    }
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    let mut language_term = None;
    let mut translations = None;
    for c in item.children().filter(|n| n.has_tag_name("category")) {
        let domain = c.attribute("domain").unwrap_or("");
        let name = c.text().unwrap_or("").trim().to_owned();
        let nicename = c
            .attribute("nicename")
            .map(str::to_owned)
            .unwrap_or_else(|| slugify(&name));
        match domain {
            "category" if nicename != "uncategorized" => categories.push((nicename, name)),
            "post_tag" => tags.push((nicename, name)),
            "language" => language_term = Some(nicename),
            "post_translations" => translations = Some(nicename),
            _ => {}
        }
    }
    let sample = format!("{title}\n{content}");
    let (language, mut script) = match language_term.as_deref().map(str::to_ascii_lowercase) {
        Some(code) if code.starts_with("zh") => {
            let hant = ["tw", "hk", "hant", "mo"].iter().any(|s| code.contains(s));
            (Language::Zh, if hant { Script::Hant } else { Script::Hans })
        }
        Some(code) if code.starts_with("en") => (Language::En, Script::Hans),
        _ if is_mostly_han(&sample) => (Language::Zh, Script::Hans),
        _ => (Language::En, Script::Hans),
    };
    if language == Language::Zh && language_term.is_none() {
        script = detect_script(&sample, to_hans, to_hant);
    }
    let post_id = child_text(item, WP_NS, "post_id").unwrap_or_default();
    let slug = child_text(item, WP_NS, "post_name")
        .map(|s| slugify(&percent_decode(&s)))
        .filter(|s| !s.is_empty())
        .or_else(|| Some(slugify(title)).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| format!("post-{post_id}"));
    Ok(Some(Post {
        what,
        slug,
        title: title.trim().to_owned(),
        status,
        published_at,
        author: child_text(item, DC_NS, "creator"),
        content,
        excerpt: excerpt(item),
        categories,
        tags,
        language,
        script,
        translations,
        thumbnail: meta(item, "_thumbnail_id"),
    }))
}

/// Builds an article from its English and Chinese posts.
#[allow(clippy::too_many_arguments)]
async fn article(
    importer: &mut Importer<'_>,
    base: &Path,
    names: &HashMap<(&'static str, String), TermName>,
    attachments: &HashMap<String, Attachment>,
    authors: &HashMap<String, String>,
    slug: String,
    en: Option<Post>,
    zh: Option<Post>,
) -> anyhow::Result<ArticleInput> {
    let lead = en
        .as_ref()
        .or(zh.as_ref())
        .context("an article has a post")?;
    let posts: Vec<&Post> = en.iter().chain(zh.iter()).collect();
    if let (Some(e), Some(z)) = (&en, &zh)
        && e.status != z.status
    {
        importer.note(format!(
            "{slug}: the English post is {} and the Chinese one {}; the article is {}",
            e.status.code(),
            z.status.code(),
            e.status.code()
        ));
    }
    let section = match posts.iter().find_map(|p| p.categories.first()) {
        Some((nicename, _)) => {
            let term = names[&("category", nicename.clone())].clone();
            importer.ensure_section(&term).await?.then_some(term.slug)
        }
        None => None,
    };
    let mut topics = Vec::new();
    for (nicename, _) in posts.iter().flat_map(|p| &p.tags) {
        let term = &names[&("tag", nicename.clone())];
        if !topics.contains(&term.slug) && importer.ensure_topic(term).await? {
            topics.push(term.slug.clone());
        }
    }
    let mut byline = Vec::new();
    for login in posts.iter().filter_map(|p| p.author.as_ref()) {
        let slug = slugify(login);
        if slug.is_empty() || byline.contains(&slug) {
            continue;
        }
        let display = authors.get(login).cloned().unwrap_or_else(|| login.clone());
        let term = if is_mostly_han(&display) {
            let zh = importer.simplified(&display, lead.script);
            TermName {
                slug: slug.clone(),
                en: None,
                zh: Some(zh),
            }
        } else {
            TermName {
                slug: slug.clone(),
                en: Some(display),
                zh: None,
            }
        };
        if importer.ensure_author(&term).await? {
            byline.push(slug);
        }
    }

    let mut hero = None;
    let mut captions = (String::new(), String::new());
    if let Some((post, attachment)) = posts.iter().find_map(|p| {
        p.thumbnail
            .as_ref()
            .and_then(|id| attachments.get(id))
            .map(|a| (p, a))
    }) {
        // The attachment's text is in its post's language.
        let text = match post.language {
            Language::En => MediaText {
                alt_en: attachment.alt.clone(),
                caption_en: attachment.caption.clone(),
                ..MediaText::default()
            },
            Language::Zh => MediaText {
                alt_zh: importer.simplified(&attachment.alt, post.script),
                caption_zh: importer.simplified(&attachment.caption, post.script),
                ..MediaText::default()
            },
        };
        hero = copy_upload(importer, base, &attachment.url, text, &post.what).await;
        if hero.is_some() {
            match post.language {
                Language::En => captions.0 = attachment.caption.clone(),
                Language::Zh => captions.1 = attachment.caption.clone(),
            }
        }
    }

    let mut versions = Vec::new();
    for (post, caption) in [(&en, &captions.0), (&zh, &captions.1)] {
        versions.push(match post {
            Some(p) => Some(version(importer, base, p, caption).await?),
            None => None,
        });
    }
    let zh_text = versions.pop().flatten();
    let en_text = versions.pop().flatten();
    Ok(ArticleInput {
        slug,
        section,
        topics,
        authors: byline,
        hero,
        status: lead.status,
        featured: false,
        zh_script: zh.as_ref().map_or(Script::Hans, |p| p.script),
        zh_rules: String::new(),
        published_at: lead.published_at,
        updated_at: None,
        en: en_text,
        zh: zh_text,
    })
}

/// One version's text: the body converted to Markdown with its uploads copied.
async fn version(
    importer: &mut Importer<'_>,
    base: &Path,
    post: &Post,
    caption: &str,
) -> anyhow::Result<VersionText> {
    let body = html::to_markdown(&post.content).context("content:encoded")?;
    let mut edits = Vec::new();
    for r in image_refs(&body) {
        if r.url.contains("/wp-content/uploads/")
            && let Some(path) =
                copy_upload(importer, base, &r.url, MediaText::default(), &post.what).await
        {
            edits.push((r, path));
        }
    }
    Ok(VersionText {
        title: post.title.clone(),
        dek: html::to_plain_text(&post.excerpt).context("excerpt:encoded")?,
        body: replace_image_refs(&body, edits),
        hero_caption: caption.to_owned(),
        hero_credit: String::new(),
    })
}

/// Copies an upload by its URL from beside the export; `None`, with a note, when the file is
/// not there.
async fn copy_upload(
    importer: &mut Importer<'_>,
    base: &Path,
    url: &str,
    text: MediaText,
    what: &str,
) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some((_, rest)) = path.split_once("wp-content/uploads/") else {
        importer.note(format!(
            "{what}: image {url:?} is not under wp-content/uploads; not copied"
        ));
        return None;
    };
    let rest = percent_decode(rest);
    let Some(rel) = super::clean_relative(&rest) else {
        importer.note(format!(
            "{what}: image {url:?} has an unsafe path; not copied"
        ));
        return None;
    };
    let candidates = [
        base.join("wp-content/uploads").join(&rel),
        base.join("uploads").join(&rel),
    ];
    let Some(found) = candidates.iter().find(|c| c.is_file()) else {
        importer.note(format!(
            "{what}: image {url:?} is not on disk at {}; not downloaded",
            candidates[0].display()
        ));
        return None;
    };
    match importer.import_media(found, text).await {
        Ok(path) => Some(path),
        Err(e) => {
            importer.note(format!("{what}: image {url:?} not copied: {e:#}"));
            None
        }
    }
}

/// The slug without a language suffix: `rates-zh` → `rates`.
fn strip_language_suffix(slug: &str) -> &str {
    for suffix in ["-zh-hans", "-zh-hant", "-zh", "-en"] {
        if let Some(base) = slug.strip_suffix(suffix)
            && !base.is_empty()
        {
            return base;
        }
    }
    slug
}

/// Traditional when converting to Simplified changes more characters than converting to
/// Traditional does.
fn detect_script(text: &str, to_hans: &Converter, to_hant: &Converter) -> Script {
    let changed = |converted: String| {
        text.chars()
            .zip(converted.chars())
            .filter(|(a, b)| a != b)
            .count()
    };
    if changed(to_hans.convert(text)) > changed(to_hant.convert(text)) {
        Script::Hant
    } else {
        Script::Hans
    }
}

fn is(node: &Node, ns: &str, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && match (ns, node.tag_name().namespace()) {
            ("", None) => true,
            ("", Some(_)) => false,
            (ns, Some(actual)) => actual.starts_with(ns),
            (_, None) => false,
        }
}

/// The text of the first child element named so (CDATA included).
fn child_text(node: Node, ns: &str, local: &str) -> Option<String> {
    node.children().find(|n| is(n, ns, local)).map(|n| {
        n.children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect::<String>()
    })
}

fn excerpt(item: Node) -> String {
    item.children()
        .find(|n| {
            n.tag_name().name() == "encoded"
                && n.tag_name()
                    .namespace()
                    .is_some_and(|ns| ns.contains("/excerpt/"))
        })
        .map(|n| n.children().filter_map(|c| c.text()).collect())
        .unwrap_or_default()
}

/// A `wp:postmeta` value by key.
fn meta(item: Node, key: &str) -> Option<String> {
    item.children()
        .filter(|n| is(n, WP_NS, "postmeta"))
        .find(|m| child_text(*m, WP_NS, "meta_key").as_deref() == Some(key))
        .and_then(|m| child_text(m, WP_NS, "meta_value"))
}

/// A WordPress time (`2026-03-01 09:30:00`, UTC or site time); the all-zero time is none.
fn wp_time(item: Node, field: &str) -> anyhow::Result<Option<Timestamp>> {
    let Some(text) = child_text(item, WP_NS, field) else {
        return Ok(None);
    };
    let text = text.trim();
    if text.is_empty() || text.starts_with("0000-00-00") {
        return Ok(None);
    }
    super::frontmatter::parse_time(text)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("wp:{field}: {e}"))
}

/// Decodes `%XX` escapes (WordPress stores non-ASCII slugs percent-encoded).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_percent_escapes() {
        assert_eq!(strip_language_suffix("rates-zh"), "rates");
        assert_eq!(strip_language_suffix("rates-zh-hant"), "rates");
        assert_eq!(strip_language_suffix("rates-en"), "rates");
        assert_eq!(strip_language_suffix("-en"), "-en");
        assert_eq!(strip_language_suffix("frozen"), "frozen");
        assert_eq!(percent_decode("%e5%a4%ae%e8%a1%8c-1"), "央行-1");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn the_script_of_a_chinese_post_is_detected() {
        let (s, t) = (Converter::new(Config::T2s), Converter::new(Config::S2t));
        assert_eq!(
            detect_script("央行宣布降低利率，经济学家认为这会支持增长。", &s, &t),
            Script::Hans
        );
        assert_eq!(
            detect_script("央行宣布降低利率，經濟學家認為這會支持增長。", &s, &t),
            Script::Hant
        );
    }
}
