//! The demo publication that `serve --demo` loads into an empty database: articles, authors,
//! topics, sections and illustrations written for this project, compiled into the binary.
//!
//! The layout of `demo/` is documented by the types below: `sections.toml`, `topics.toml`,
//! `authors.toml`, `images/`, and `articles/<slug>/` with `article.toml` and `en.md` and/or
//! `zh.md` (TOML front matter between `+++` lines, then Markdown).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, bail};
use jiff::Timestamp;
use rust_embed::RustEmbed;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::content::{ArticleInput, Converters, Script, Status, VersionText};
use crate::editorial::save_article;
use crate::store::Store;
use crate::store::media::MediaInput;
use crate::store::taxonomy::{AuthorInput, SectionInput, TopicInput};

#[derive(RustEmbed)]
#[folder = "demo/"]
struct DemoFiles;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sections {
    section: Vec<SectionFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    slug: String,
    name_en: String,
    name_zh: String,
    position: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Topics {
    topic: Vec<TopicFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    slug: String,
    name_en: String,
    name_zh: String,
    #[serde(default)]
    hot: bool,
    #[serde(default)]
    hot_order: i64,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    description_zh: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Authors {
    author: Vec<AuthorFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorFile {
    slug: String,
    name_en: String,
    name_zh: String,
    bio_en: String,
    bio_zh: String,
    photo: Option<String>,
    #[serde(default)]
    photo_alt_en: String,
    #[serde(default)]
    photo_alt_zh: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFile {
    section: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    published: Timestamp,
    updated: Option<Timestamp>,
    hero: Option<String>,
    #[serde(default)]
    hero_alt_en: String,
    #[serde(default)]
    hero_alt_zh: String,
    #[serde(default)]
    zh_script: Script,
    #[serde(default)]
    lead: bool,
    #[serde(default)]
    rules: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    dek: String,
    #[serde(default)]
    hero_caption: String,
    #[serde(default)]
    hero_credit: String,
}

/// What was loaded.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Articles saved.
    pub articles: usize,
    /// Authors saved.
    pub authors: usize,
    /// Topics saved.
    pub topics: usize,
    /// Sections saved.
    pub sections: usize,
    /// Media files written.
    pub media: usize,
}

fn text(path: &str) -> anyhow::Result<String> {
    let file = DemoFiles::get(path).with_context(|| format!("demo/{path} is missing"))?;
    String::from_utf8(file.data.into_owned()).with_context(|| format!("demo/{path} is not UTF-8"))
}

fn toml_file<T: DeserializeOwned>(path: &str) -> anyhow::Result<T> {
    toml::from_str(&text(path)?).with_context(|| format!("in demo/{path}"))
}

/// Splits `+++` front matter from a Markdown file and parses it.
fn split_front_matter(path: &str, source: &str) -> anyhow::Result<(FrontMatter, String)> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let Some(rest) = source.strip_prefix("+++\n") else {
        bail!("demo/{path}, line 1: expected front matter opening with +++");
    };
    let Some(end) = rest
        .find("\n+++\n")
        .or_else(|| rest.strip_suffix("\n+++").map(|r| r.len()))
    else {
        bail!("demo/{path}: front matter is not closed with +++");
    };
    let front: FrontMatter = toml::from_str(&rest[..end])
        .with_context(|| format!("in the front matter of demo/{path}"))?;
    let body = rest
        .get(end + 5..)
        .unwrap_or("")
        .trim_start_matches('\n')
        .to_owned();
    Ok((front, body))
}

/// Loads the demo publication into `store` and its images into `media_dir`.
pub async fn load(
    store: &Store,
    converters: &Converters,
    media_dir: &Path,
    now: Timestamp,
) -> anyhow::Result<DemoSummary> {
    let mut summary = DemoSummary::default();

    // Images first: authors and articles refer to them.
    let mut alts: Vec<(String, String, String)> = Vec::new();
    let authors: Authors = toml_file("authors.toml")?;
    for a in &authors.author {
        if let Some(photo) = &a.photo {
            alts.push((
                photo.clone(),
                a.photo_alt_en.clone(),
                a.photo_alt_zh.clone(),
            ));
        }
    }
    let mut slugs = BTreeSet::new();
    for file in DemoFiles::iter() {
        if let Some((slug, _)) = file
            .strip_prefix("articles/")
            .and_then(|rest| rest.split_once('/'))
        {
            slugs.insert(slug.to_owned());
        }
    }
    let mut articles = Vec::new();
    for slug in &slugs {
        let meta: ArticleFile = toml_file(&format!("articles/{slug}/article.toml"))?;
        if let Some(hero) = &meta.hero {
            alts.push((
                hero.clone(),
                meta.hero_alt_en.clone(),
                meta.hero_alt_zh.clone(),
            ));
        }
        articles.push((slug.clone(), meta));
    }
    for file in DemoFiles::iter().filter(|f| f.starts_with("images/")) {
        let embedded = DemoFiles::get(&file).expect("listed files exist");
        // rust-embed guesses the type from the extension when it embeds the file.
        let mime = embedded.metadata.mimetype().to_owned();
        let data = embedded.data;
        let target = media_dir.join(&*file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, &data)
            .with_context(|| format!("cannot write {}", target.display()))?;
        let (alt_en, alt_zh) = alts
            .iter()
            .find(|(p, _, _)| p == &*file)
            .map(|(_, en, zh)| (en.clone(), zh.clone()))
            .unwrap_or_default();
        store
            .upsert_media(
                &MediaInput {
                    path: file.to_string(),
                    mime,
                    alt_en,
                    alt_zh,
                },
                converters,
                now,
            )
            .await?;
        summary.media += 1;
    }

    let sections: Sections = toml_file("sections.toml")?;
    for s in sections.section {
        store
            .upsert_section(
                &SectionInput {
                    slug: s.slug,
                    name_en: s.name_en,
                    name_zh: s.name_zh,
                    position: s.position,
                },
                converters,
            )
            .await?;
        summary.sections += 1;
    }
    let topics: Topics = toml_file("topics.toml")?;
    for t in topics.topic {
        store
            .upsert_topic(
                &TopicInput {
                    slug: t.slug,
                    name_en: t.name_en,
                    name_zh: t.name_zh,
                    hot: t.hot,
                    hot_order: t.hot_order,
                    description_en: t.description_en,
                    description_zh: t.description_zh,
                },
                converters,
            )
            .await?;
        summary.topics += 1;
    }
    for a in authors.author {
        store
            .upsert_author(
                &AuthorInput {
                    slug: a.slug,
                    name_en: a.name_en,
                    name_zh: a.name_zh,
                    bio_en: a.bio_en,
                    bio_zh: a.bio_zh,
                    photo: a.photo,
                },
                converters,
            )
            .await?;
        summary.authors += 1;
    }

    for (slug, meta) in articles {
        let version = |lang: &str| -> anyhow::Result<Option<VersionText>> {
            let path = format!("articles/{slug}/{lang}.md");
            if DemoFiles::get(&path).is_none() {
                return Ok(None);
            }
            let (front, body) = split_front_matter(&path, &text(&path)?)?;
            Ok(Some(VersionText {
                title: front.title,
                dek: front.dek,
                body,
                hero_caption: front.hero_caption,
                hero_credit: front.hero_credit,
            }))
        };
        let input = ArticleInput {
            slug: slug.clone(),
            section: meta.section,
            topics: meta.topics,
            authors: meta.authors,
            hero: meta.hero,
            status: Status::Published,
            featured: meta.lead,
            zh_script: meta.zh_script,
            zh_rules: meta.rules,
            published_at: Some(meta.published),
            updated_at: meta.updated,
            en: version("en")?,
            zh: version("zh")?,
        };
        if input.en.is_none() && input.zh.is_none() {
            bail!("demo/articles/{slug}: neither en.md nor zh.md");
        }
        save_article(store, converters, &input, now)
            .await
            .with_context(|| format!("demo/articles/{slug}"))?;
        summary.articles += 1;
    }
    Ok(summary)
}

/// The sentences of the demo articles' bodies, English and Simplified Chinese (the
/// Traditional-master ones converted), for generating synthetic publications
/// (`duizhao bench-gen`): realistic sentence lengths and vocabulary, all our own text.
pub fn sentences() -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let to_hans = duizhao_convert::Converter::new(duizhao_convert::Config::Tw2s);
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    for file in DemoFiles::iter().filter(|f| f.starts_with("articles/") && f.ends_with(".md")) {
        let (_, body) = split_front_matter(&file, &text(&file)?)?;
        let hant = file.ends_with("zh.md")
            && toml_file::<ArticleFile>(&file.replace("zh.md", "article.toml"))?.zh_script
                == Script::Hant;
        for paragraph in body.split("\n\n") {
            let p = paragraph.trim();
            if p.is_empty() || p.starts_with(['#', '|', '<', '!', '>', '-', '1']) {
                continue;
            }
            if file.ends_with("en.md") {
                en.extend(
                    duizhao_align::segment::en(p)
                        .into_iter()
                        .map(|r| p[r].to_owned()),
                );
            } else {
                let p = if hant {
                    to_hans.convert(p)
                } else {
                    p.to_owned()
                };
                zh.extend(
                    duizhao_align::segment::zh(&p)
                        .into_iter()
                        .map(|r| p[r].to_owned()),
                );
            }
        }
    }
    Ok((en, zh))
}

/// A site over a fresh store holding the demo publication, its search index built: what tests,
/// benchmarks and the browser test serve. `config` must validate.
pub async fn site(config: crate::config::SiteConfig) -> anyhow::Result<crate::web::AppState> {
    let (store, converters) = crate::commands::serve::open_site(&config).await?;
    load(
        &store,
        &converters,
        &config.data_dir.join("media"),
        Timestamp::now(),
    )
    .await?;
    let state = crate::web::AppState::new(config, store, converters)?;
    state.reindex_if_empty().await?;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_and_errors_name_the_file() {
        let (front, body) =
            split_front_matter("x.md", "+++\ntitle = \"T\"\ndek = \"D\"\n+++\n\nBody.\n").unwrap();
        assert_eq!(front.title, "T");
        assert_eq!(body, "Body.\n");
        let err = split_front_matter("x.md", "title = 1").unwrap_err();
        assert!(err.to_string().contains("demo/x.md"), "{err}");
        let err = split_front_matter("y.md", "+++\ntitle = \"T\"\ncolour = 1\n+++\n").unwrap_err();
        assert!(format!("{err:#}").contains("colour"), "{err:#}");
    }

    #[test]
    fn every_demo_file_parses() {
        let sections: Sections = toml_file("sections.toml").unwrap();
        assert_eq!(sections.section.len(), 3);
        let topics: Topics = toml_file("topics.toml").unwrap();
        assert_eq!(topics.topic.len(), 5);
        let authors: Authors = toml_file("authors.toml").unwrap();
        assert_eq!(authors.author.len(), 3);
    }
}
