//! Syndication: one feed model, written as Atom 1.0, RSS 2.0 or JSON Feed 1.1.
//!
//! The handlers ([`super::handlers::feeds`]) fill a [`Feed`] from the store; this module only
//! writes it out. Atom and RSS go through rust-syndication's `atom_syndication` and `rss`
//! crates, so escaping and namespaces are theirs; JSON Feed is plain serde_json.

use jiff::Timestamp;
use serde_json::json;

use super::{AppState, paths};
use crate::content::Edition;
use crate::content::markdown::escape;

/// A feed format; each has its own URL (`feed.atom`, `feed.rss`, `feed.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedFormat {
    /// Atom 1.0 (RFC 4287).
    Atom,
    /// RSS 2.0.
    Rss,
    /// JSON Feed 1.1.
    Json,
}

impl FeedFormat {
    /// Every format, in the order pages advertise them.
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json];

    /// The file extension in the feed's URL.
    pub fn extension(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom",
            FeedFormat::Rss => "rss",
            FeedFormat::Json => "json",
        }
    }

    /// The format named by a request path ending in `feed.{extension}`.
    pub fn from_path(path: &str) -> Option<FeedFormat> {
        let ext = path.rsplit_once("/feed.")?.1;
        FeedFormat::ALL.into_iter().find(|f| f.extension() == ext)
    }

    /// The media type, for `<link type>`.
    pub fn mime(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    /// The `Content-Type` header.
    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// The format's name, for link titles.
    pub fn label(self) -> &'static str {
        match self {
            FeedFormat::Atom => "Atom",
            FeedFormat::Rss => "RSS",
            FeedFormat::Json => "JSON Feed",
        }
    }
}

/// What a feed covers, with the slug of its topic, author or section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedOf<'a> {
    /// Every article of the edition.
    Edition,
    /// A topic's articles.
    Topic(&'a str),
    /// An author's articles.
    Author(&'a str),
    /// A section's articles.
    Section(&'a str),
    /// Every article of the edition, English and Chinese paired (中英對照).
    Parallel,
}

impl<'a> FeedOf<'a> {
    /// The articles the feed lists.
    pub fn filter(self) -> crate::store::articles::ListFilter<'a> {
        use crate::store::articles::ListFilter;
        match self {
            FeedOf::Edition | FeedOf::Parallel => ListFilter::All,
            FeedOf::Topic(slug) => ListFilter::Topic(slug),
            FeedOf::Author(slug) => ListFilter::Author(slug),
            FeedOf::Section(slug) => ListFilter::Section(slug),
        }
    }
}

/// A feed advertised in a page's head.
#[derive(Clone, Debug)]
pub struct FeedLink {
    /// Media type.
    pub mime: &'static str,
    /// Title shown by feed readers.
    pub title: String,
    /// Absolute URL.
    pub href: String,
}

/// The `<link rel="alternate" type>` elements for one feed in every format; `title` names what
/// it covers.
pub fn feed_links(
    state: &AppState,
    edition: Edition,
    of: FeedOf<'_>,
    title: &str,
) -> Vec<FeedLink> {
    FeedFormat::ALL
        .into_iter()
        .map(|format| FeedLink {
            mime: format.mime(),
            title: format!("{title} ({})", format.label()),
            href: state.absolute(&paths::feed(edition, of, format)),
        })
        .collect()
}

/// A person in a byline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Name in the feed's edition.
    pub name: String,
    /// Absolute URL of their page.
    pub url: String,
}

/// One item.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Stable id (a `tag:` URI).
    pub id: String,
    /// Absolute URL of the article page.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Language of the title and text, when it is one language.
    pub lang: Option<&'static str>,
    /// Summary.
    pub summary: String,
    /// The full text as HTML, with absolute URLs.
    pub content_html: String,
    /// Absolute URL of the hero image.
    pub image: Option<String>,
    /// Publication time.
    pub published: Timestamp,
    /// Last update.
    pub updated: Timestamp,
    /// Bylines.
    pub authors: Vec<Person>,
    /// Section and topic names.
    pub categories: Vec<String>,
}

/// A feed, ready to be written in any format.
#[derive(Clone, Debug)]
pub struct Feed {
    /// Stable id (a `tag:` URI).
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Language tag of the edition.
    pub lang: &'static str,
    /// The publication's name, the feed's author.
    pub publisher: String,
    /// Absolute URL of the HTML page the feed follows.
    pub page_url: String,
    /// Absolute URL of this feed.
    pub self_url: String,
    /// The newest update among the entries (the epoch when there are none).
    pub updated: Timestamp,
    /// Newest first.
    pub entries: Vec<Entry>,
}

impl Feed {
    /// The feed written in `format`.
    ///
    /// The XML formats drop any character XML 1.0 cannot carry, so that text stored before the
    /// input checks (see [`crate::content::text`]) cannot make a feed unreadable.
    pub fn write(&self, format: FeedFormat) -> anyhow::Result<String> {
        use crate::content::text::into_xml_safe;
        match format {
            FeedFormat::Atom => self.atom().map(into_xml_safe),
            FeedFormat::Rss => self.rss().map(into_xml_safe),
            FeedFormat::Json => Ok(self.json()),
        }
    }

    fn atom(&self) -> anyhow::Result<String> {
        use atom_syndication as atom;
        let time = |t: Timestamp| -> anyhow::Result<atom::FixedDateTime> {
            atom::FixedDateTime::parse_from_rfc3339(&t.to_string())
                .map_err(|e| anyhow::anyhow!("time {t} for Atom: {e}"))
        };
        let text = |value: &str, lang: Option<&str>| atom::Text {
            value: value.to_owned(),
            lang: lang.map(str::to_owned),
            ..atom::Text::default()
        };
        let link = |href: &str, rel: &str, mime: Option<&str>| atom::Link {
            href: href.to_owned(),
            rel: rel.to_owned(),
            mime_type: mime.map(str::to_owned),
            ..atom::Link::default()
        };
        let person = |p: &Person| atom::Person {
            name: p.name.clone(),
            uri: Some(p.url.clone()),
            ..atom::Person::default()
        };
        let mut entries = Vec::with_capacity(self.entries.len());
        for e in &self.entries {
            entries.push(atom::Entry {
                id: e.id.clone(),
                title: text(&e.title, e.lang),
                updated: time(e.updated)?,
                published: Some(time(e.published)?),
                authors: e.authors.iter().map(person).collect(),
                categories: e
                    .categories
                    .iter()
                    .map(|c| atom::Category {
                        term: c.clone(),
                        ..atom::Category::default()
                    })
                    .collect(),
                links: vec![link(&e.url, "alternate", Some("text/html"))],
                summary: Some(text(&e.summary, e.lang)),
                content: Some(atom::Content {
                    value: Some(e.content_html.clone()),
                    content_type: Some("html".to_owned()),
                    lang: e.lang.map(str::to_owned),
                    ..atom::Content::default()
                }),
                ..atom::Entry::default()
            });
        }
        let feed = atom::Feed {
            id: self.id.clone(),
            title: text(&self.title, None),
            subtitle: Some(text(&self.description, None)),
            updated: time(self.updated)?,
            lang: Some(self.lang.to_owned()),
            authors: vec![atom::Person {
                name: self.publisher.clone(),
                uri: Some(self.page_url.clone()),
                ..atom::Person::default()
            }],
            links: vec![
                link(&self.self_url, "self", Some(FeedFormat::Atom.mime())),
                link(&self.page_url, "alternate", Some("text/html")),
            ],
            generator: Some(atom::Generator {
                value: "Duizhao".to_owned(),
                ..atom::Generator::default()
            }),
            entries,
            ..atom::Feed::default()
        };
        let mut out = feed.write_to(Vec::new())?;
        out.push(b'\n');
        Ok(String::from_utf8(out)?)
    }

    fn rss(&self) -> anyhow::Result<String> {
        use rss::extension::dublincore::DublinCoreExtension;
        let date = |t: Timestamp| -> anyhow::Result<String> {
            Ok(jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&t)?)
        };
        let mut items = Vec::with_capacity(self.entries.len());
        for e in &self.entries {
            items.push(rss::Item {
                title: Some(e.title.clone()),
                link: Some(e.url.clone()),
                // RSS readers take <description> as HTML: the plain-text summary is escaped,
                // so that `<script>` in a summary stays text.
                description: Some(escape(&e.summary)),
                guid: Some(rss::Guid {
                    value: e.id.clone(),
                    permalink: false,
                }),
                pub_date: Some(date(e.published)?),
                categories: e
                    .categories
                    .iter()
                    .map(|c| rss::Category {
                        name: c.clone(),
                        domain: None,
                    })
                    .collect(),
                content: Some(e.content_html.clone()),
                // RSS's own <author> is an e-mail address; names go in dc:creator.
                dublin_core_ext: Some(DublinCoreExtension {
                    creators: e.authors.iter().map(|p| p.name.clone()).collect(),
                    languages: e.lang.map(str::to_owned).into_iter().collect(),
                    ..DublinCoreExtension::default()
                }),
                ..rss::Item::default()
            });
        }
        let channel = rss::Channel {
            title: self.title.clone(),
            link: self.page_url.clone(),
            description: escape(&self.description),
            language: Some(self.lang.to_owned()),
            last_build_date: Some(date(self.updated)?),
            generator: Some("Duizhao".to_owned()),
            atom_ext: Some(rss::extension::atom::AtomExtension {
                links: vec![atom_syndication::Link {
                    href: self.self_url.clone(),
                    rel: "self".to_owned(),
                    mime_type: Some(FeedFormat::Rss.mime().to_owned()),
                    ..atom_syndication::Link::default()
                }],
            }),
            items,
            ..rss::Channel::default()
        };
        let mut out = channel.write_to(Vec::new())?;
        out.push(b'\n');
        Ok(String::from_utf8(out)?)
    }

    fn json(&self) -> String {
        let person = |p: &Person| json!({"name": p.name, "url": p.url});
        let items: Vec<_> = self
            .entries
            .iter()
            .map(|e| {
                let mut item = json!({
                    "id": e.id,
                    "url": e.url,
                    "title": e.title,
                    "summary": e.summary,
                    "content_html": e.content_html,
                    "date_published": e.published.to_string(),
                    "date_modified": e.updated.to_string(),
                    "authors": e.authors.iter().map(person).collect::<Vec<_>>(),
                    "tags": e.categories,
                });
                if let Some(lang) = e.lang {
                    item["language"] = json!(lang);
                }
                if let Some(image) = &e.image {
                    item["image"] = json!(image);
                }
                item
            })
            .collect();
        let feed = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.title,
            "home_page_url": self.page_url,
            "feed_url": self.self_url,
            "description": self.description,
            "language": self.lang,
            "authors": [{"name": self.publisher, "url": self.page_url}],
            "items": items,
        });
        let mut out = serde_json::to_string_pretty(&feed).expect("JSON values serialise");
        out.push('\n');
        out
    }
}

/// Makes the site-relative `src` and `href` addresses in rendered HTML absolute: feed readers
/// show the text away from the site.
pub fn absolute_urls(base: &str, html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = ["src=\"/", "href=\"/"]
        .iter()
        .filter_map(|needle| rest.find(needle).map(|i| (i, needle.len())))
        .min()
    {
        let (i, len) = at;
        // `//host/…` is already absolute (scheme-relative).
        let protocol_relative = rest[i + len..].starts_with('/');
        out.push_str(&rest[..i + len - 1]);
        if !protocol_relative {
            out.push_str(base);
        }
        out.push('/');
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_path() {
        assert_eq!(
            FeedFormat::from_path("/en/feed.atom"),
            Some(FeedFormat::Atom)
        );
        assert_eq!(
            FeedFormat::from_path("/en/topics/trade/feed.json"),
            Some(FeedFormat::Json)
        );
        assert_eq!(FeedFormat::from_path("/en/feed.rss"), Some(FeedFormat::Rss));
        assert_eq!(FeedFormat::from_path("/en/feed.xml"), None);
        assert_eq!(FeedFormat::from_path("/en/"), None);
    }

    #[test]
    fn site_paths_become_absolute() {
        assert_eq!(
            absolute_urls(
                "https://news.example",
                r#"<a href="/en/x">x</a><img src="/media/a.png"><a href="//cdn.example/y">"#
            ),
            r#"<a href="https://news.example/en/x">x</a><img src="https://news.example/media/a.png"><a href="//cdn.example/y">"#
        );
        assert_eq!(
            absolute_urls("https://n.example", "<a href=\"https://o.example/\">"),
            "<a href=\"https://o.example/\">"
        );
    }
}
