//! Front matter in the Hugo/Zola convention: TOML between `+++` lines or YAML between `---`
//! lines at the top of a Markdown file.
//!
//! Only the fields Duizhao has a place for are read; the many others Hugo and Zola sites carry
//! (`weight`, `aliases`, `extra`, …) are ignored rather than refused, since an import should not
//! fail on a theme's settings. Errors carry the line in the file (not in the front matter
//! block), so that `posts/a.en.md, line 4: invalid type …` points where an editor looks.
//!
//! Times: an RFC 3339 time with an offset is taken as written; a date or a date and time without
//! an offset is taken as UTC.

use std::fmt;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// The fields of a front matter block that an import uses.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct FrontMatter {
    /// Headline.
    pub title: Option<String>,
    /// Publication time.
    pub date: Option<When>,
    /// URL name (Hugo's `slug`; Zola's too).
    pub slug: Option<String>,
    /// Topics (Hugo and Zola taxonomies); `topics` is read as well.
    pub tags: Strings,
    /// Topics, when a site names the taxonomy so.
    pub topics: Strings,
    /// Authors (a list) …
    pub authors: Strings,
    /// … or one author.
    pub author: Strings,
    /// Section: the first category …
    pub categories: Strings,
    /// … or a `section` field.
    pub section: Option<String>,
    /// Dek (`description`, or `summary`).
    pub description: Option<String>,
    /// Dek, when `description` is absent.
    pub summary: Option<String>,
    /// Not public yet.
    pub draft: bool,
    /// Hero image: `image`, `hero`, `featured_image` or `featured` (first present).
    pub image: Option<String>,
    /// Hero image.
    pub hero: Option<String>,
    /// Hero image.
    pub featured_image: Option<String>,
    /// Hero image alternative text.
    pub image_alt: Option<String>,
    /// Hero caption.
    pub hero_caption: Option<String>,
    /// Hero credit.
    pub hero_credit: Option<String>,
    /// Last update (`updated`, Zola; `lastmod`, Hugo).
    pub updated: Option<When>,
    /// Last update, Hugo's name.
    pub lastmod: Option<When>,
    /// Zola keeps taxonomies in a table: `[taxonomies] tags = [...]`.
    pub taxonomies: Taxonomies,
}

/// Zola's `[taxonomies]` table.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Taxonomies {
    /// Tags.
    pub tags: Strings,
    /// Topics.
    pub topics: Strings,
    /// Authors.
    pub authors: Strings,
    /// Categories.
    pub categories: Strings,
}

impl FrontMatter {
    /// The dek: `description`, else `summary`.
    pub fn dek(&self) -> String {
        self.description
            .clone()
            .or_else(|| self.summary.clone())
            .unwrap_or_default()
    }

    /// The hero image address, from the first field present.
    pub fn hero_image(&self) -> Option<&str> {
        [&self.image, &self.hero, &self.featured_image]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    /// Topic names: `tags`, `topics` and Zola's taxonomies, in order, without repeats.
    pub fn topic_names(&self) -> Vec<String> {
        unique(
            [
                &self.tags,
                &self.topics,
                &self.taxonomies.tags,
                &self.taxonomies.topics,
            ]
            .into_iter()
            .flat_map(|s| s.0.iter().cloned()),
        )
    }

    /// Author names or slugs, in byline order.
    pub fn author_names(&self) -> Vec<String> {
        unique(
            [&self.authors, &self.author, &self.taxonomies.authors]
                .into_iter()
                .flat_map(|s| s.0.iter().cloned()),
        )
    }

    /// The section: `section`, else the first category.
    pub fn section_name(&self) -> Option<String> {
        self.section
            .clone()
            .or_else(|| self.categories.0.first().cloned())
            .or_else(|| self.taxonomies.categories.0.first().cloned())
            .filter(|s| !s.trim().is_empty())
    }

    /// The last update: `updated`, else `lastmod`.
    pub fn updated_at(&self) -> Option<Timestamp> {
        self.updated.or(self.lastmod).map(|w| w.0)
    }
}

fn unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim().to_owned();
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// A list of strings that may be written as one string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings(pub Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Strings, E> {
                Ok(Strings(vec![v.to_owned()]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Strings, E> {
                Ok(Strings::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Strings(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A point in time as front matter writes it: a TOML date-time, or a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When(pub Timestamp);

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = When;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date or date-time such as 2026-05-01 or 2026-05-01T09:30:00+08:00")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<When, E> {
                parse_time(v).map(When).map_err(E::custom)
            }
            // TOML hands its date-times over as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<When, A::Error> {
                let Some((_, value)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("an empty date"));
                };
                parse_time(&value).map(When).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses an RFC 3339 time, a date and time without an offset (UTC), or a date (midnight UTC).
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let civil = text
        .replace(' ', "T")
        .parse::<jiff::civil::DateTime>()
        .or_else(|_| {
            text.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        });
    civil
        .and_then(|dt| jiff::tz::TimeZone::UTC.to_timestamp(dt))
        .map_err(|_| {
            format!("{text:?} is not a date or date-time (2026-05-01, 2026-05-01T09:30:00+08:00)")
        })
}

/// Which syntax a block was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `+++` … `+++`.
    Toml,
    /// `---` … `---`.
    Yaml,
}

/// A front matter error, with the line in the file it is about.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct FrontMatterError {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Splits a Markdown file into its front matter and body, and parses the front matter.
/// A file without front matter is all body.
pub fn split(source: &str) -> Result<(FrontMatter, String), FrontMatterError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let first_line = source.lines().next().unwrap_or("").trim_end();
    let (syntax, fence) = match first_line {
        "+++" => (Syntax::Toml, "+++"),
        "---" => (Syntax::Yaml, "---"),
        _ => return Ok((FrontMatter::default(), source.to_owned())),
    };
    let after_open = source.find('\n').map_or(source.len(), |i| i + 1);
    let rest = &source[after_open..];
    // The closing fence: the first line that is exactly the fence.
    let mut offset = 0;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((block_end, body_start)) = close else {
        return Err(FrontMatterError {
            line: 1,
            message: format!("the front matter opened with {fence} is never closed"),
        });
    };
    let block = &rest[..block_end];
    let front = parse_block(syntax, block).map_err(|(line, message)| FrontMatterError {
        // The block starts on the file's second line.
        line: line + 1,
        message,
    })?;
    let body = rest[body_start..]
        .trim_start_matches(['\n', '\r'])
        .to_owned();
    Ok((front, body))
}

/// Parses a block; an error carries the 1-based line within the block.
fn parse_block(syntax: Syntax, block: &str) -> Result<FrontMatter, (usize, String)> {
    match syntax {
        Syntax::Toml => toml::from_str(block).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                block[..s.start.min(block.len())].matches('\n').count() + 1
            });
            (line, format!("TOML front matter: {}", e.message().trim()))
        }),
        Syntax::Yaml => {
            if block.trim().is_empty() {
                return Ok(FrontMatter::default());
            }
            serde_norway::from_str(block).map_err(|e| {
                let line = e.location().map_or(1, |l| l.line());
                let message = e.to_string();
                // serde_norway appends "at line L column C" (within the block): drop it, since
                // the line we report is the file's.
                let message = match message.find(" at line ") {
                    Some(at) => message[..at].to_owned(),
                    None => message,
                };
                (line, format!("YAML front matter: {message}"))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_give_the_same_fields() {
        let (toml, body) = split(
            "+++\ntitle = \"Rates\"\ndate = 2026-03-01T08:00:00+08:00\ntags = [\"Trade\", \"Chips\"]\n\
             authors = [\"lin-mei\"]\ncategories = [\"Economy\"]\ndescription = \"Why.\"\n\
             image = \"hero.jpg\"\ndraft = true\nweight = 3\n[extra]\nx = 1\n+++\n\nBody.\n",
        )
        .unwrap();
        let (yaml, body2) = split(
            "---\ntitle: Rates\ndate: 2026-03-01T08:00:00+08:00\ntags: [Trade, Chips]\n\
             author: lin-mei\ncategories: Economy\nsummary: Why.\nfeatured_image: hero.jpg\n\
             draft: true\naliases: [/old/]\n---\nBody.\n",
        )
        .unwrap();
        assert_eq!(body, "Body.\n");
        assert_eq!(body2, "Body.\n");
        for f in [&toml, &yaml] {
            assert_eq!(f.title.as_deref(), Some("Rates"));
            assert_eq!(f.date.unwrap().0, "2026-03-01T00:00:00Z".parse().unwrap());
            assert_eq!(f.topic_names(), ["Trade", "Chips"]);
            assert_eq!(f.author_names(), ["lin-mei"]);
            assert_eq!(f.section_name().as_deref(), Some("Economy"));
            assert_eq!(f.dek(), "Why.");
            assert_eq!(f.hero_image(), Some("hero.jpg"));
            assert!(f.draft);
        }
    }

    #[test]
    fn dates_without_offsets_are_utc() {
        assert_eq!(
            parse_time("2026-03-01").unwrap(),
            "2026-03-01T00:00:00Z".parse().unwrap()
        );
        assert_eq!(
            parse_time("2026-03-01 10:30:00").unwrap(),
            "2026-03-01T10:30:00Z".parse().unwrap()
        );
        assert!(parse_time("yesterday").is_err());
        let (f, _) = split("+++\ndate = 2026-03-01T10:30:00\nlastmod = 2026-03-02\n+++\n").unwrap();
        assert_eq!(f.date.unwrap().0, "2026-03-01T10:30:00Z".parse().unwrap());
        assert_eq!(
            f.updated_at(),
            Some("2026-03-02T00:00:00Z".parse().unwrap())
        );
    }

    #[test]
    fn errors_give_the_line_in_the_file() {
        let err = split("+++\ntitle = \"A\"\ndate = \"soon\"\n+++\n").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("soon"), "{err}");
        let err = split("---\ntitle: A\ntags: [a, b\ndraft: false\n---\n").unwrap_err();
        assert!(err.line >= 3, "{err}");
        let err = split("---\ntitle: A\n").unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
        let (f, body) = split("No front matter.\n").unwrap();
        assert_eq!(f, FrontMatter::default());
        assert_eq!(body, "No front matter.\n");
    }
}
