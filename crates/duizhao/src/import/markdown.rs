//! `duizhao import DIR`: a folder of Markdown files with front matter, Hugo/Zola style.
//!
//! Files pair into articles by name: `SLUG.en.md` and `SLUG.zh.md` (or `SLUG.zh-hans.md`;
//! `SLUG.zh-hant.md`, `.zh-tw.md` or `.zh-hk.md` make the Chinese master Traditional) in the same
//! folder are the two versions of one article, as are `SLUG/index.en.md` and
//! `SLUG/index.zh.md` in a Hugo page bundle. A file without a language (`SLUG.md`) is Chinese
//! when most of its letters are Han characters, else English. `_index` files are Hugo's list
//! pages and are skipped. The article's slug is the front matter's `slug` (the English file's
//! first), else the file or bundle name.
//!
//! Given a Hugo or Zola site's root (a `content/` folder beside `hugo.toml`, `config.toml`,
//! `zola.toml`, …), the files under `content/` are imported and the rest (READMEs, themes) left
//! alone.
//!
//! Images: a hero image (`image`, `hero`, `featured_image`) and every image in the body with a
//! relative address are copied into the media directory (see [`super`]); an address starting
//! with `/` is looked up under the folder's `static/` (Hugo) and then the folder itself. Remote
//! images are left as they are and never downloaded. The body's addresses are rewritten to the
//! media paths.
//!
//! An article is published at its `date` (scheduled when that is in the future) unless
//! `draft = true`; without a date, the file's modification time stands in, so that a rerun
//! gives the same time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::Timestamp;

use super::frontmatter::{self, FrontMatter};
use super::{Importer, TermName, image_refs, is_mostly_han, replace_image_refs, slugify};
use crate::content::{ArticleInput, Language, Script, Status, VersionText};
use crate::store::media::MediaText;

/// One Markdown file read and parsed.
#[derive(Debug)]
struct Version {
    file: PathBuf,
    display: String,
    front: FrontMatter,
    body: String,
    modified: Option<Timestamp>,
}

/// The files of one article, by language.
#[derive(Debug, Default)]
struct Group {
    name: String,
    en: Option<Version>,
    zh: Option<(Version, Script)>,
}

/// Imports every Markdown file under `dir`; given a Hugo or Zola site's root (a `content/`
/// folder beside the site's configuration), the files under `content/`.
pub async fn import_dir(importer: &mut Importer<'_>, dir: &Path) -> anyhow::Result<()> {
    let root = dir
        .canonicalize()
        .with_context(|| format!("cannot open the folder {}", dir.display()))?;
    let site_config = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "zola.toml",
    ];
    let content =
        if root.join("content").is_dir() && site_config.iter().any(|f| root.join(f).is_file()) {
            root.join("content")
        } else {
            root.clone()
        };
    let mut files = Vec::new();
    walk(&content, &mut files).with_context(|| format!("cannot list {}", content.display()))?;
    files.sort();
    importer.progress().set_length(files.len() as u64);

    // Read and parse every file, grouping by (folder, name).
    let mut groups: BTreeMap<(PathBuf, String), Group> = BTreeMap::new();
    for file in files {
        importer.progress().inc(1);
        let display = file
            .strip_prefix(&content)
            .unwrap_or(&file)
            .display()
            .to_string();
        let Some((dir, name, lang)) = file_key(&file) else {
            continue;
        };
        if name == "_index" {
            importer.skip(&display, "a Hugo list page (_index), not an article");
            continue;
        }
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                importer.unreadable(&display, format!("cannot read: {e}"));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
                importer.unreadable(
                    format!("{display}, line {line}"),
                    format!("not valid UTF-8 (byte {at})"),
                );
                continue;
            }
        };
        let (front, body) = match frontmatter::split(&text) {
            Ok(parts) => parts,
            Err(e) => {
                importer.unreadable(format!("{display}, line {}", e.line), e.message);
                continue;
            }
        };
        let modified = std::fs::metadata(&file)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok());
        let version = Version {
            file: file.clone(),
            display: display.clone(),
            front,
            body,
            modified,
        };
        let lang = match lang {
            Some(lang) => lang,
            None if is_mostly_han(&version.body) => (Language::Zh, Script::Hans),
            None => (Language::En, Script::Hans),
        };
        let group = groups.entry((dir, name.clone())).or_default();
        group.name = name;
        let slot_taken = match lang.0 {
            Language::En => group.en.is_some(),
            Language::Zh => group.zh.is_some(),
        };
        if slot_taken {
            importer.skip(
                &display,
                format!(
                    "a second {} file for the same article",
                    match lang.0 {
                        Language::En => "English",
                        Language::Zh => "Chinese",
                    }
                ),
            );
            continue;
        }
        match lang.0 {
            Language::En => group.en = Some(version),
            Language::Zh => group.zh = Some((version, lang.1)),
        }
    }

    let mut slugs_used: BTreeMap<String, String> = BTreeMap::new();
    importer.start_saving(groups.len());
    for ((dir, _), group) in groups {
        importer.progress().inc(1);
        let first = group
            .en
            .as_ref()
            .or(group.zh.as_ref().map(|(v, _)| v))
            .expect("a group has a file");
        let what = first.display.clone();
        let slug = group
            .en
            .as_ref()
            .and_then(|v| v.front.slug.clone())
            .or_else(|| group.zh.as_ref().and_then(|(v, _)| v.front.slug.clone()))
            .map(|s| slugify(&s))
            .unwrap_or_else(|| slugify(&group.name));
        if slug.is_empty() {
            importer.skip(&what, "no usable slug (set `slug` in the front matter)");
            continue;
        }
        if let Some(other) = slugs_used.get(&slug) {
            importer.skip(&what, format!("slug {slug:?} is already used by {other}"));
            continue;
        }
        slugs_used.insert(slug.clone(), what.clone());
        match article(importer, &root, &dir, slug, group).await {
            Ok((input, source)) => {
                if let Err(e) = importer.save(&input, &source).await {
                    importer.unreadable(source, format!("{e:#}"));
                }
            }
            Err(e) => importer.unreadable(what, format!("{e:#}")),
        }
    }
    Ok(())
}

/// Lists Markdown files, skipping hidden folders and files.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// Where a file belongs: its article's folder and name, and its language and script when the
/// name says.
type FileKey = (PathBuf, String, Option<(Language, Script)>);

/// The folder, article name and language of a Markdown file: `a/b.zh-hant.md` is (`a`, `b`,
/// Chinese in Traditional), `a/b/index.en.md` is (`a`, `b`, English).
fn file_key(file: &Path) -> Option<FileKey> {
    let stem = file.file_stem()?.to_str()?;
    let (name, lang) = match stem.rsplit_once('.') {
        Some((name, code)) => match language_code(code) {
            Some(lang) => (name, Some(lang)),
            None => (stem, None),
        },
        None => (stem, None),
    };
    let dir = file.parent()?.to_owned();
    if name == "index" {
        // A page bundle: the article is named after its folder.
        let bundle = dir.file_name()?.to_str()?.to_owned();
        return Some((dir.parent()?.to_owned(), bundle, lang));
    }
    Some((dir, name.to_owned(), lang))
}

fn language_code(code: &str) -> Option<(Language, Script)> {
    Some(match code.to_ascii_lowercase().as_str() {
        "en" => (Language::En, Script::Hans),
        "zh" | "zh-hans" | "zh-cn" | "zh-sg" => (Language::Zh, Script::Hans),
        "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" => (Language::Zh, Script::Hant),
        _ => return None,
    })
}

/// Builds the article of a group, creating its taxonomy and copying its images; returns it
/// with the names of its files.
async fn article(
    importer: &mut Importer<'_>,
    root: &Path,
    dir: &Path,
    slug: String,
    group: Group,
) -> anyhow::Result<(ArticleInput, String)> {
    let en = group.en;
    let (zh, zh_script) = match group.zh {
        Some((v, script)) => (Some(v), script),
        None => (None, Script::Hans),
    };
    let source = en
        .iter()
        .chain(zh.iter())
        .map(|v| v.display.as_str())
        .collect::<Vec<_>>()
        .join(" + ");
    // The English file leads for metadata; the Chinese one fills what it leaves out.
    let lead = en.as_ref().or(zh.as_ref()).expect("a group has a file");
    let fronts: Vec<&FrontMatter> = en.iter().chain(zh.iter()).map(|v| &v.front).collect();

    let section = match fronts.iter().find_map(|f| f.section_name()) {
        Some(name) => {
            let term = term(&name, en.as_ref(), zh.as_ref(), |f| {
                f.section_name().into_iter().collect()
            });
            let term = simplified(importer, term, zh_script);
            importer.ensure_section(&term).await?.then_some(term.slug)
        }
        None => None,
    };
    let mut topics = Vec::new();
    let topic_names = if lead.front.topic_names().is_empty() {
        fronts
            .iter()
            .map(|f| f.topic_names())
            .find(|t| !t.is_empty())
            .unwrap_or_default()
    } else {
        lead.front.topic_names()
    };
    for name in &topic_names {
        let term = simplified(
            importer,
            term(name, en.as_ref(), zh.as_ref(), FrontMatter::topic_names),
            zh_script,
        );
        if term.slug.is_empty() || topics.contains(&term.slug) {
            continue;
        }
        if importer.ensure_topic(&term).await? {
            topics.push(term.slug);
        }
    }
    let mut authors = Vec::new();
    let author_names = fronts
        .iter()
        .map(|f| f.author_names())
        .find(|a| !a.is_empty())
        .unwrap_or_default();
    for name in &author_names {
        let term = simplified(
            importer,
            term(name, en.as_ref(), zh.as_ref(), FrontMatter::author_names),
            zh_script,
        );
        if term.slug.is_empty() || authors.contains(&term.slug) {
            continue;
        }
        if importer.ensure_author(&term).await? {
            authors.push(term.slug);
        }
    }

    let hero = match fronts
        .iter()
        .find_map(|f| f.hero_image().map(str::to_owned))
    {
        Some(address) => {
            let alt_en = en
                .as_ref()
                .and_then(|v| v.front.image_alt.clone())
                .unwrap_or_default();
            let alt_zh = zh
                .as_ref()
                .and_then(|v| v.front.image_alt.clone())
                .unwrap_or_default();
            let base = lead.file.parent().unwrap_or(dir);
            copy_image(
                importer,
                root,
                base,
                &address,
                &alt_en,
                &alt_zh,
                &lead.display,
            )
            .await
        }
        None => None,
    };

    let draft = fronts.iter().any(|f| f.draft);
    let date = fronts.iter().find_map(|f| f.date).map(|w| w.0);
    let published_at = date.or_else(|| (!draft).then_some(lead.modified).flatten());
    if date.is_none() && !draft {
        importer.note(format!(
            "{source}: no date; the file's modification time is the publication time"
        ));
    }
    let status = if draft {
        Status::Draft
    } else if published_at.is_some_and(|t| t > importer.now()) {
        Status::Scheduled
    } else {
        Status::Published
    };
    let updated_at = fronts.iter().find_map(|f| f.updated_at());

    let mut texts = Vec::new();
    for version in [&en, &zh] {
        let text = match version {
            Some(v) => Some(version_text(importer, root, v).await),
            None => None,
        };
        texts.push(text);
    }
    let zh_text = texts.pop().flatten();
    let en_text = texts.pop().flatten();
    Ok((
        ArticleInput {
            slug,
            section,
            topics,
            authors,
            hero,
            status,
            featured: false,
            zh_script,
            zh_rules: String::new(),
            published_at,
            updated_at,
            en: en_text,
            zh: zh_text,
        },
        source,
    ))
}

/// The term with its Chinese name (and a slug made from it) in Simplified.
fn simplified(importer: &Importer<'_>, mut term: TermName, script: Script) -> TermName {
    if script == Script::Hant
        && let Some(zh) = &term.zh
    {
        if term.slug == slugify(zh) {
            term.slug = slugify(&importer.simplified(zh, script));
        }
        term.zh = Some(importer.simplified(zh, script));
    }
    term
}

/// A taxonomy term named in the lead file: its slug from the name, the English name from the
/// English file and the Chinese name from the Chinese file's list at the same position, when
/// both lists are the same length.
fn term(
    name: &str,
    en: Option<&Version>,
    zh: Option<&Version>,
    list: impl Fn(&FrontMatter) -> Vec<String>,
) -> TermName {
    let en_list = en.map(|v| list(&v.front)).unwrap_or_default();
    let zh_list = zh.map(|v| list(&v.front)).unwrap_or_default();
    let lead_list = if en_list.is_empty() {
        &zh_list
    } else {
        &en_list
    };
    let position = lead_list.iter().position(|n| n == name);
    let paired = |other: &Vec<String>| {
        (other.len() == lead_list.len())
            .then(|| position.and_then(|p| other.get(p).cloned()))
            .flatten()
    };
    let en_name = paired(&en_list).filter(|n| !is_mostly_han(n));
    let zh_name = paired(&zh_list).filter(|n| is_mostly_han(n));
    // A name written in slug form (`lin-mei`) is a slug; an English name leads the slug.
    let slug = slugify(en_name.as_deref().unwrap_or(name));
    let looks_like_slug = |n: &str| !n.contains(' ') && n == slugify(n);
    TermName {
        slug,
        en: en_name
            .or_else(|| (!is_mostly_han(name)).then(|| name.to_owned()))
            .filter(|n| !looks_like_slug(n)),
        zh: zh_name.or_else(|| is_mostly_han(name).then(|| name.to_owned())),
    }
}

/// A version's text, its images copied and their addresses rewritten.
async fn version_text(importer: &mut Importer<'_>, root: &Path, v: &Version) -> VersionText {
    let base = v.file.parent().unwrap_or(root);
    let mut edits = Vec::new();
    for r in image_refs(&v.body) {
        // The alternative text stays in the body, where the renderer reads it.
        if let Some(path) = copy_image(importer, root, base, &r.url, "", "", &v.display).await {
            edits.push((r, path));
        }
    }
    VersionText {
        title: v.front.title.clone().unwrap_or_default(),
        dek: v.front.dek(),
        body: replace_image_refs(&v.body, edits),
        hero_caption: v.front.hero_caption.clone().unwrap_or_default(),
        hero_credit: v.front.hero_credit.clone().unwrap_or_default(),
    }
}

/// Copies the image an address names, relative to `base` (or, starting with `/`, to the
/// folder's `static/` or the folder); returns its media path, or `None` with a note.
async fn copy_image(
    importer: &mut Importer<'_>,
    root: &Path,
    base: &Path,
    address: &str,
    alt_en: &str,
    alt_zh: &str,
    display: &str,
) -> Option<String> {
    // Remote and other scheme addresses (`https:`, `data:`, `javascript:`) are not files here;
    // the renderer keeps the safe ones and drops the rest.
    let scheme = address
        .split_once(':')
        .is_some_and(|(s, _)| !s.contains('/'));
    if scheme || address.starts_with("//") {
        return None;
    }
    let address = address.split(['?', '#']).next().unwrap_or("");
    let candidates: Vec<PathBuf> = match address.strip_prefix('/') {
        Some(abs) => vec![root.join("static").join(abs), root.join(abs)],
        None => vec![base.join(address)],
    };
    let Some(found) = candidates.iter().find_map(|c| c.canonicalize().ok()) else {
        importer.note(format!(
            "{display}: image {address:?} not found; left as written"
        ));
        return None;
    };
    if !found.starts_with(root) {
        importer.note(format!(
            "{display}: image {address:?} is outside the imported folder; not copied"
        ));
        return None;
    }
    let text = MediaText {
        alt_en: alt_en.to_owned(),
        alt_zh: alt_zh.to_owned(),
        ..MediaText::default()
    };
    match importer.import_media(&found, text).await {
        Ok(path) => Some(path),
        Err(e) => {
            importer.note(format!("{display}: image {address:?} not copied: {e:#}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_article_and_language() {
        let k = |p: &str| file_key(Path::new(p)).unwrap();
        assert_eq!(
            k("/s/a.en.md"),
            (
                PathBuf::from("/s"),
                "a".into(),
                Some((Language::En, Script::Hans))
            )
        );
        assert_eq!(k("/s/a.zh-hant.md").2, Some((Language::Zh, Script::Hant)));
        assert_eq!(k("/s/a.zh-Hans.md").2, Some((Language::Zh, Script::Hans)));
        assert_eq!(
            k("/s/b/index.zh.md"),
            (
                PathBuf::from("/s"),
                "b".into(),
                Some((Language::Zh, Script::Hans))
            )
        );
        assert_eq!(k("/s/v1.2.md"), (PathBuf::from("/s"), "v1.2".into(), None));
    }

    #[test]
    fn chinese_term_names_pair_with_english_by_position() {
        let version = |src: &str| Version {
            file: PathBuf::from("x.md"),
            display: "x.md".into(),
            front: frontmatter::split(src).unwrap().0,
            body: String::new(),
            modified: None,
        };
        let en =
            version("+++\ntags = [\"Trade Policy\", \"chips\"]\nauthors = [\"lin-mei\"]\n+++\n");
        let zh = version("+++\ntags = [\"贸易政策\", \"芯片\"]\nauthors = [\"林梅\"]\n+++\n");
        let t = term(
            "Trade Policy",
            Some(&en),
            Some(&zh),
            FrontMatter::topic_names,
        );
        assert_eq!(
            (t.slug.as_str(), t.en.as_deref(), t.zh.as_deref()),
            ("trade-policy", Some("Trade Policy"), Some("贸易政策"))
        );
        let t = term("chips", Some(&en), Some(&zh), FrontMatter::topic_names);
        assert_eq!(
            (t.slug.as_str(), t.en, t.zh.as_deref()),
            ("chips", None, Some("芯片"))
        );
        let t = term("lin-mei", Some(&en), Some(&zh), FrontMatter::author_names);
        assert_eq!(
            (t.slug.as_str(), t.zh.as_deref()),
            ("lin-mei", Some("林梅"))
        );
        let t = term("芯片", None, Some(&zh), FrontMatter::topic_names);
        assert_eq!(
            (t.slug.as_str(), t.en, t.zh.as_deref()),
            ("芯片", None, Some("芯片"))
        );
    }
}
