//! Pages made static: site links rewritten to relative file links by a real HTML rewriter
//! (`lol_html`, which tokenizes as browsers do, so that a link inside a comment, a script or an
//! attribute value is never mistaken for one), and the small pages that stand in for the
//! server's redirects.
//!
//! What stays absolute: `<link rel="canonical">` and the `hreflang` alternates (search
//! engines want them absolute, and they name the public site, not a file of the export), Open
//! Graph `<meta>` and JSON-LD (not links the reader follows). Their targets are still crawled.
//! They keep the site's own URLs (`/en/articles/x`), which a host serving `x.html` for `/x`
//! answers, as sitemaps and feeds do; only a list's later pages (`?page=2`, which no static
//! host can serve) name their exported file instead.
//!
//! What goes: every `<form>`. The site has two, and both need the server: the text-size
//! buttons post to `/prefs`, and search queries the index. A static site without them is
//! honest; a search box that finds nothing is not.

use std::cell::RefCell;

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};

use super::files::SiteUrl;

/// A page after rewriting.
#[derive(Debug)]
pub struct Rewritten {
    /// The page.
    pub html: String,
    /// Every site URL it refers to, rewritten or not: what the crawl visits next.
    pub links: Vec<SiteUrl>,
}

/// Attributes that hold one URL.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "poster", "data"];

/// Rewrites the site links of the page at `page` to relative links, and drops its forms.
/// With `base`, the page gets a `<base href>` of the public site and links relative to the
/// root: for `404.html`, which hosts serve at any depth.
pub fn rewrite_page(
    html: &str,
    page: &SiteUrl,
    base_url: &str,
    base: Option<&str>,
) -> anyhow::Result<Rewritten> {
    let links = RefCell::new(Vec::new());
    let relative = |value: &str| -> Option<String> {
        let (target, fragment) = SiteUrl::parse(&decode_entities(value), base_url)?;
        if !target.is_public() {
            // The back office stays on the server, at the public address.
            return Some(escape_ampersands(&format!("{base_url}{target}")));
        }
        let link = page.link_to(&target, fragment.as_deref());
        links.borrow_mut().push(target);
        Some(escape_ampersands(&link))
    };
    // Absolute links stay as the site makes them, except a list's later page: no static host
    // tells `?page=2` from page 1, so they name the exported file.
    let root = SiteUrl::from_path("/").expect("a path");
    let absolute = |value: &str| -> Option<String> {
        let (target, _) = SiteUrl::parse(&decode_entities(value), base_url)?;
        if !target.is_public() {
            return None;
        }
        let file = target
            .is_paged()
            .then(|| format!("{base_url}/{}", root.link_to(&target, None)));
        links.borrow_mut().push(target);
        file.map(|f| escape_ampersands(&f))
    };
    let html = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("head", |el| {
                    if let Some(base) = base {
                        let tag = format!("<base href=\"{}/\">", escape_attribute(base));
                        el.prepend(&tag, ContentType::Html);
                    }
                    Ok(())
                }),
                element!("form", |el| {
                    el.remove();
                    Ok(())
                }),
                element!("*", |el| {
                    if el.removed() {
                        return Ok(());
                    }
                    let rel = el.get_attribute("rel").unwrap_or_default();
                    let absolute_by_design = el.tag_name() == "link"
                        && rel.split_ascii_whitespace().any(|r| {
                            r.eq_ignore_ascii_case("canonical")
                                || (r.eq_ignore_ascii_case("alternate")
                                    && el.has_attribute("hreflang"))
                        });
                    for name in URL_ATTRIBUTES {
                        let Some(value) = el.get_attribute(name) else {
                            continue;
                        };
                        let rewritten = if absolute_by_design {
                            absolute(&value)
                        } else {
                            relative(&value)
                        };
                        if let Some(link) = rewritten {
                            el.set_attribute(name, &link)?;
                        }
                    }
                    if let Some(srcset) = el.get_attribute("srcset") {
                        let rewritten: Vec<String> = srcset
                            .split(',')
                            .map(|candidate| {
                                let candidate = candidate.trim();
                                let (url, descriptor) =
                                    candidate.split_once(' ').unwrap_or((candidate, ""));
                                match relative(url) {
                                    Some(link) if descriptor.is_empty() => link,
                                    Some(link) => format!("{link} {descriptor}"),
                                    None => candidate.to_owned(),
                                }
                            })
                            .collect();
                        el.set_attribute("srcset", &rewritten.join(", "))?;
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|err| anyhow::anyhow!("{page}: cannot rewrite the page: {err}"))?;
    Ok(Rewritten {
        html,
        links: links.into_inner(),
    })
}

/// The page that stands in for a redirect from `from` to `to` (a static host cannot redirect):
/// it refreshes at once, and says where it goes for readers and robots that do not follow
/// refreshes. `choices` are further links to offer (the editions, in place of the server's
/// language negotiation at `/`), with their text and language.
pub fn redirect_page(
    from: &SiteUrl,
    to: &SiteUrl,
    base_url: &str,
    title: &str,
    choices: &[(SiteUrl, String, &str)],
) -> String {
    let target = escape_attribute(&from.link_to(to, None));
    let canonical = escape_attribute(&format!("{base_url}{}", to.request_uri()));
    let mut page = format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex, follow\">\n\
         </head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n",
        title = escape_text(title),
    );
    if !choices.is_empty() {
        page.push_str("<ul>\n");
        for (url, label, lang) in choices {
            page.push_str(&format!(
                "<li><a href=\"{}\" lang=\"{lang}\" hreflang=\"{lang}\">{}</a></li>\n",
                escape_attribute(&from.link_to(url, None)),
                escape_text(label),
            ));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// Decodes the character references a URL attribute may hold (askama writes `&` as `&#38;`).
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').and_then(|end| {
            let name = &rest[1..end];
            let ch = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => name.strip_prefix('#').and_then(|n| {
                    match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    }
                    .and_then(char::from_u32)
                }),
            };
            ch.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `lol_html` escapes the quotes of a value it sets, not ampersands.
fn escape_ampersands(value: &str) -> String {
    value.replace('&', "&amp;")
}

fn escape_attribute(value: &str) -> String {
    escape_text(value).replace('"', "&quot;")
}

fn escape_text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://news.example";

    fn at(path: &str) -> SiteUrl {
        SiteUrl::from_path(path).unwrap()
    }

    #[test]
    fn site_links_become_relative_and_metadata_stays_absolute() {
        let html = r##"<html><head>
<link rel="canonical" href="https://news.example/en/articles/x">
<link rel="alternate" hreflang="zh-Hans" href="https://news.example/zh-hans/articles/x">
<link rel="alternate" hreflang="zh-Hant" href="https://news.example/zh-hant/topics/t?page=2">
<link rel="alternate" type="application/atom+xml" href="https://news.example/en/feed.atom">
<link rel="stylesheet" href="/static/site.css?v=12ab">
<meta property="og:url" content="https://news.example/en/articles/x">
</head><body>
<a href="/en/">home</a> <a href="/en/topics/t?page=2&#38;x=1#top">t</a>
<a href="https://elsewhere.example/">out</a> <a href="#main">skip</a> <a href="/admin/">edit</a>
<img src="/media/a.jpg" srcset="/media/a.jpg 1x, https://news.example/media/b.jpg 2x">
<!-- <a href="/en/commented-out"> -->
<script>var u = "/en/in-script";</script>
<form action="/prefs" method="post"><button>A+</button></form>
</body></html>"##;
        let out = rewrite_page(html, &at("/en/articles/x"), BASE, None).unwrap();
        let h = &out.html;
        assert!(h.contains(r#"<link rel="canonical" href="https://news.example/en/articles/x">"#));
        assert!(
            h.contains(r#"hreflang="zh-Hans" href="https://news.example/zh-hans/articles/x">"#)
        );
        assert!(h.contains(r#"href="https://news.example/zh-hant/topics/t/page/2.html">"#));
        assert!(h.contains(r#"type="application/atom+xml" href="../feed.atom">"#));
        assert!(h.contains(r#"href="../../static/site.css">"#));
        assert!(h.contains(r#"content="https://news.example/en/articles/x">"#));
        assert!(h.contains(r#"<a href="../index.html">home</a>"#));
        assert!(h.contains(r#"<a href="../topics/t/page/2.html#top">t</a>"#));
        assert!(h.contains(r#"<a href="https://elsewhere.example/">out</a>"#));
        assert!(h.contains(r##"<a href="#main">skip</a>"##));
        assert!(h.contains(r#"<a href="https://news.example/admin/">edit</a>"#));
        assert!(h.contains(
            r#"src="../../media/a.jpg" srcset="../../media/a.jpg 1x, ../../media/b.jpg 2x""#
        ));
        assert!(h.contains(r#"<!-- <a href="/en/commented-out"> -->"#));
        assert!(h.contains(r#""/en/in-script""#));
        assert!(!h.contains("<form") && !h.contains("A+"), "{h}");
        let mut links: Vec<String> = out.links.iter().map(ToString::to_string).collect();
        links.sort();
        links.dedup();
        assert_eq!(
            links,
            [
                "/en/",
                "/en/articles/x",
                "/en/feed.atom",
                "/en/topics/t?page=2",
                "/media/a.jpg",
                "/media/b.jpg",
                "/static/site.css",
                "/zh-hans/articles/x",
                "/zh-hant/topics/t?page=2",
            ]
        );
    }

    #[test]
    fn the_not_found_page_links_from_the_public_root() {
        let html =
            r#"<html><head><title>x</title></head><body><a href="/en/">home</a></body></html>"#;
        let out = rewrite_page(html, &at("/"), BASE, Some(BASE)).unwrap();
        assert!(
            out.html
                .contains(r#"<head><base href="https://news.example/"><title>"#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"<a href="en/index.html">home</a>"#));
    }

    #[test]
    fn a_redirect_becomes_a_page_that_refreshes() {
        let page = redirect_page(
            &at("/"),
            &at("/en/"),
            BASE,
            "News <&>",
            &[(at("/zh-hans/"), "简体中文".to_owned(), "zh-Hans")],
        );
        assert!(page.contains(r#"<meta http-equiv="refresh" content="0; url=en/index.html">"#));
        assert!(page.contains(r#"<link rel="canonical" href="https://news.example/en/">"#));
        assert!(page.contains(r#"<a href="en/index.html">News &lt;&amp;&gt;</a>"#));
        assert!(page.contains(r#"<a href="zh-hans/index.html" lang="zh-Hans""#));
    }

    #[test]
    fn character_references_in_urls_are_decoded() {
        assert_eq!(
            decode_entities("/a?b=1&#38;c=2&amp;d&#x27;&bogus"),
            "/a?b=1&c=2&d'&bogus"
        );
    }
}
