//! Every URL the site links to is made here, so that routes and links cannot drift apart.

use super::feed::{FeedFormat, FeedOf};
use crate::content::{Edition, Mode};

/// An edition's home page.
pub fn home(edition: Edition) -> String {
    format!("/{}/", edition.code())
}

/// An article in a reading mode; the edition's own language has the short URL.
pub fn article(edition: Edition, slug: &str, mode: Mode) -> String {
    if mode == Mode::natural(edition) {
        format!("/{}/articles/{slug}", edition.code())
    } else {
        format!("/{}/articles/{slug}/{}", edition.code(), mode.code())
    }
}

/// A topic page.
pub fn topic(edition: Edition, slug: &str) -> String {
    format!("/{}/topics/{slug}", edition.code())
}

/// An author page.
pub fn author(edition: Edition, slug: &str) -> String {
    format!("/{}/authors/{slug}", edition.code())
}

/// A section page.
pub fn section(edition: Edition, slug: &str) -> String {
    format!("/{}/sections/{slug}", edition.code())
}

/// A topic's, author's or section's page.
pub fn taxonomy(
    kind: crate::store::taxonomy::TaxonomyKind,
    edition: Edition,
    slug: &str,
) -> String {
    use crate::store::taxonomy::TaxonomyKind;
    match kind {
        TaxonomyKind::Topic => topic(edition, slug),
        TaxonomyKind::Author => author(edition, slug),
        TaxonomyKind::Section => section(edition, slug),
    }
}

/// The archive's list of months.
pub fn archive(edition: Edition) -> String {
    format!("/{}/archive/", edition.code())
}

/// One month of the archive.
pub fn archive_month(edition: Edition, year: i16, month: i8) -> String {
    format!("/{}/archive/{year:04}/{month:02}", edition.code())
}

/// The search page.
pub fn search(edition: Edition) -> String {
    format!("/{}/search", edition.code())
}

/// One path segment (a slug) percent-encoded, as a header such as `Location` needs it; links
/// in pages may carry Chinese slugs as they are (browsers encode them).
pub fn encode_segment(segment: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}

/// A media file.
pub fn media(path: &str) -> String {
    crate::editorial::media_url(path)
}

/// Adds `?page=N` to a list URL (page 1 has none).
pub fn paged(url: &str, page: u32) -> String {
    if page <= 1 {
        url.to_owned()
    } else {
        format!("{url}?page={page}")
    }
}

/// A feed of an edition, a topic, an author or a section, or the edition's parallel feed.
pub fn feed(edition: Edition, of: FeedOf<'_>, format: FeedFormat) -> String {
    let e = edition.code();
    let ext = format.extension();
    match of {
        FeedOf::Edition => format!("/{e}/feed.{ext}"),
        FeedOf::Topic(slug) => format!("/{e}/topics/{slug}/feed.{ext}"),
        FeedOf::Author(slug) => format!("/{e}/authors/{slug}/feed.{ext}"),
        FeedOf::Section(slug) => format!("/{e}/sections/{slug}/feed.{ext}"),
        FeedOf::Parallel => format!("/{e}/dual/feed.{ext}"),
    }
}

/// The sitemap index (named in `robots.txt`).
pub fn sitemap_index() -> String {
    "/sitemap.xml".to_owned()
}

/// The `n`th sitemap (from 1) of an edition.
pub fn sitemap(edition: Edition, n: usize) -> String {
    format!("/sitemaps/{}-{n}.xml", edition.code())
}

/// The news sitemap.
pub fn news_sitemap() -> String {
    "/sitemaps/news.xml".to_owned()
}

/// The one same-origin check for every redirect whose target comes from a request (`next`
/// after sign-in, the text-size form): the target as it may go into a `Location` header, or
/// `None` when it is not a path on this site.
///
/// Refused: anything that is not a path beginning with a single `/`; any control character
/// (browsers drop tabs and line breaks from URLs, so `/\t/evil.example` would become the
/// scheme-relative `//evil.example`); any backslash (browsers read `\` as `/`). Characters
/// outside printable ASCII are percent-encoded so that the header is valid. Last, the target is
/// resolved against a placeholder origin as a browser would resolve it, and must stay there.
pub fn local_redirect(next: &str) -> Option<String> {
    let rest = next.strip_prefix('/')?;
    if rest.starts_with('/') || next.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'|')
        .add(b'^');
    let target = percent_encoding::utf8_percent_encode(next, UNSAFE).to_string();
    let origin = url::Url::parse("https://origin.invalid/").expect("a valid URL");
    let resolved = origin.join(&target).ok()?;
    (resolved.origin() == origin.origin()).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_mode_has_the_short_url() {
        assert_eq!(article(Edition::En, "x", Mode::En), "/en/articles/x");
        assert_eq!(article(Edition::En, "x", Mode::Zh), "/en/articles/x/zh");
        assert_eq!(
            article(Edition::ZhHant, "x", Mode::Zh),
            "/zh-hant/articles/x"
        );
        assert_eq!(
            article(Edition::ZhHant, "x", Mode::Parallel),
            "/zh-hant/articles/x/dual"
        );
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(
            local_redirect("/en/articles/x?page=2").as_deref(),
            Some("/en/articles/x?page=2")
        );
        assert_eq!(
            local_redirect("/zh-hans/search?q=港口 x").as_deref(),
            Some("/zh-hans/search?q=%E6%B8%AF%E5%8F%A3%20x")
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "/x\\y",
            "",
            "en/",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\u{1}",
            "/\u{0}x",
            "/\u{7f}",
            "/\u{85}/evil.example",
            " /evil",
            "\t//evil.example",
        ] {
            assert_eq!(local_redirect(bad), None, "{bad:?}");
        }
    }
}
