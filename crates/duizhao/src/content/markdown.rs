//! Article bodies: Markdown in, a list of rendered blocks out.
//!
//! A block is one top-level element (paragraph, heading, quotation, list, table, code, rule),
//! the unit that the parallel reading mode pairs across languages. Each is rendered to HTML on
//! its own.
//!
//! Safety: the Markdown comes from editors and importers, and none of it may become executable
//! markup. Raw HTML in the source is shown as text, never passed through; link and image
//! addresses are kept only with a safe scheme (`http`, `https`, `mailto`, or relative).
//! The one piece of HTML syntax we read is the pairing marker, a comment on its own line:
//! `<!-- pair: NAME -->` before a block gives it a name that the other language's version uses
//! to say "this block translates that one".

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// What kind of element a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A heading.
    Heading,
    /// A block quotation.
    Quote,
    /// A list.
    List,
    /// A table.
    Table,
    /// Preformatted code.
    Code,
    /// A thematic break.
    Rule,
}

/// One rendered top-level block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// The element kind.
    pub kind: BlockKind,
    /// Its HTML, safe to embed.
    pub html: String,
    /// The pairing name from a `<!-- pair: NAME -->` marker, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<String>,
    /// The HTML with each sentence marked for the parallel mode (see
    /// [`super::sentences`]), when the block has aligned sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked: Option<String>,
}

/// Renders a Markdown body into blocks. `resolve` maps a relative image address in the source
/// (such as `images/chart.svg`) to the URL it is served at.
pub fn render_blocks(markdown: &str, resolve: &dyn Fn(&str) -> String) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut blocks = Vec::new();
    let mut pending_pair: Option<String> = None;
    let mut current: Vec<Event<'_>> = Vec::new();
    let mut kind = BlockKind::Paragraph;
    let mut depth = 0usize;
    let mut in_html_block = false;
    let mut html_block_text = String::new();

    for event in Parser::new_ext(markdown, options) {
        // Raw HTML blocks at the top level: a pairing marker, or text to show as written.
        if depth == 0 {
            match &event {
                Event::Start(Tag::HtmlBlock) => {
                    in_html_block = true;
                    html_block_text.clear();
                    continue;
                }
                Event::End(TagEnd::HtmlBlock) => {
                    in_html_block = false;
                    if let Some(name) = pair_marker(&html_block_text) {
                        pending_pair = Some(name);
                    } else if !html_block_text.trim().is_empty() && !is_comment(&html_block_text) {
                        blocks.push(Block {
                            kind: BlockKind::Paragraph,
                            html: format!("<p>{}</p>\n", escape(html_block_text.trim())),
                            pair: pending_pair.take(),
                            marked: None,
                        });
                    }
                    continue;
                }
                Event::Html(text) if in_html_block => {
                    html_block_text.push_str(text);
                    continue;
                }
                Event::Rule => {
                    blocks.push(Block {
                        kind: BlockKind::Rule,
                        html: "<hr>\n".to_owned(),
                        pair: pending_pair.take(),
                        marked: None,
                    });
                    continue;
                }
                Event::Start(tag) => {
                    kind = block_kind(tag);
                    current.clear();
                }
                _ => {}
            }
        }
        let event = make_safe(event, resolve);
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.push(event);
        if depth == 0 && !current.is_empty() {
            let mut html = String::new();
            let table = kind == BlockKind::Table;
            if table {
                html.push_str("<div class=\"table-wrap\">");
            }
            if let Some(figure) = figure(&current) {
                html = figure;
                current.clear();
            }
            pulldown_cmark::html::push_html(&mut html, current.drain(..));
            if table {
                html.push_str("</div>\n");
            }
            blocks.push(Block {
                kind,
                html,
                pair: pending_pair.take(),
                marked: None,
            });
        }
    }
    blocks
}

/// An image alone in its paragraph, with a title, is a figure: the title is its caption, and
/// what follows a ` | ` in it the credit (`![Cranes at dawn](uploads/cranes.jpg "The harbour
/// at six | Photo: Lin Mei")`). Each language's body carries its own caption, which the
/// Chinese editions convert like any text. `None` for any other block.
fn figure(events: &[Event<'_>]) -> Option<String> {
    let inner = match events {
        [
            Event::Start(Tag::Paragraph),
            inner @ ..,
            Event::End(TagEnd::Paragraph),
        ] => inner,
        _ => return None,
    };
    let inner: Vec<&Event<'_>> = inner
        .iter()
        .filter(|e| {
            !matches!(e, Event::SoftBreak) && !matches!(e, Event::Text(t) if t.trim().is_empty())
        })
        .collect();
    let (url, title, alt_events) = match inner.as_slice() {
        [
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            alt @ ..,
            Event::End(TagEnd::Image),
        ] => (dest_url, title, alt),
        _ => return None,
    };
    if title.trim().is_empty() {
        return None;
    }
    let mut alt = String::new();
    for e in alt_events {
        match e {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::Start(Tag::Image { .. }) => return None,
            _ => {}
        }
    }
    let (caption, credit) = match title.split_once(" | ") {
        Some((caption, credit)) => (caption.trim(), credit.trim()),
        None => (title.trim(), ""),
    };
    let mut html = format!(
        "<figure class=\"inline\"><img src=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>{}",
        escape(url),
        escape(alt.trim()),
        escape(caption)
    );
    if !credit.is_empty() {
        html.push_str(&format!(
            " <span class=\"credit\">{}</span>",
            escape(credit)
        ));
    }
    html.push_str("</figcaption></figure>\n");
    Some(html)
}

/// The plain text of a block's HTML, for search snippets, alignment and summaries.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(out.trim())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn block_kind(tag: &Tag<'_>) -> BlockKind {
    match tag {
        Tag::Heading { .. } => BlockKind::Heading,
        Tag::BlockQuote(_) => BlockKind::Quote,
        Tag::List(_) => BlockKind::List,
        Tag::Table(_) => BlockKind::Table,
        Tag::CodeBlock(_) => BlockKind::Code,
        _ => BlockKind::Paragraph,
    }
}

/// Turns raw HTML into text and unsafe addresses into harmless ones.
fn make_safe<'a>(event: Event<'a>, resolve: &dyn Fn(&str) -> String) -> Event<'a> {
    match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if is_relative(&dest_url) {
                CowStr::from(resolve(&dest_url))
            } else {
                safe_url(dest_url)
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => Event::Text("".into()),
        other => other,
    }
}

fn is_relative(url: &str) -> bool {
    !url.contains(':') && !url.starts_with("//") && !url.starts_with('/') && !url.starts_with('#')
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    let safe = match scheme_end {
        // A colon after the first slash, query or fragment is not a scheme.
        Some(i) if i < path_start => {
            lower.starts_with("http:")
                || lower.starts_with("https:")
                || lower.starts_with("mailto:")
        }
        _ => true,
    };
    if safe { url } else { CowStr::from("#") }
}

fn pair_marker(html: &str) -> Option<String> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let name = inner.strip_prefix("pair:")?.trim();
    (!name.is_empty() && name.len() <= 100).then(|| name.to_owned())
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> Vec<Block> {
        render_blocks(md, &|p| format!("/media/{p}"))
    }

    #[test]
    fn a_captioned_image_alone_is_a_figure() {
        let blocks = render(
            "![Cranes at dawn](uploads/cranes.jpg \"The harbour at six | Photo: Lin <Mei>\")\n\n\
             Text ![icon](x.png \"t\") inline.\n\n![no title](y.png)",
        );
        assert_eq!(blocks.len(), 3);
        let figure = &blocks[0].html;
        assert!(
            figure.starts_with("<figure class=\"inline\"><img src=\"/media/uploads/cranes.jpg\""),
            "{figure}"
        );
        assert!(figure.contains("alt=\"Cranes at dawn\""), "{figure}");
        assert!(figure.contains("<figcaption>The harbour at six <span class=\"credit\">Photo: Lin &lt;Mei&gt;</span></figcaption>"), "{figure}");
        assert_eq!(plain_text(figure), "The harbour at six Photo: Lin <Mei>");
        assert!(
            blocks[1].html.starts_with("<p>"),
            "an image in running text stays"
        );
        assert!(blocks[2].html.starts_with("<p>"), "no caption: no figure");
        let hostile = render("![x](javascript:alert(1) \"\\\" onerror=\\\"alert(1)\")");
        assert!(
            !hostile[0].html.contains("javascript:"),
            "{}",
            hostile[0].html
        );
        assert!(
            !hostile[0].html.contains("\" onerror"),
            "{}",
            hostile[0].html
        );
    }

    #[test]
    fn top_level_elements_become_blocks() {
        let blocks = render(
            "## Heading\n\nFirst *para*.\n\n> quoted\n> still\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n---\n\nLast.",
        );
        let kinds: Vec<_> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading,
                BlockKind::Paragraph,
                BlockKind::Quote,
                BlockKind::List,
                BlockKind::Table,
                BlockKind::Rule,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(blocks[1].html, "<p>First <em>para</em>.</p>\n");
        assert!(
            blocks[4]
                .html
                .starts_with("<div class=\"table-wrap\"><table>")
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let blocks = render("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        let all: String = blocks.iter().map(|b| b.html.as_str()).collect();
        assert!(!all.contains("<script"), "{all}");
        assert!(!all.contains("<img"), "{all}");
        assert!(all.contains("&lt;script&gt;"), "{all}");
    }

    #[test]
    fn unsafe_link_schemes_are_neutralised() {
        let blocks = render(
            "[a](javascript:alert(1)) [b](JavaScript:x) [c](https://example.org/) [d](/x?y=a:b) [e](data:text/html,x)",
        );
        let html = &blocks[0].html;
        assert!(!html.to_ascii_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(html.contains("href=\"/x?y=a:b\""), "{html}");
    }

    #[test]
    fn relative_images_are_resolved() {
        let blocks = render("![A chart](images/chart.svg)");
        assert!(
            blocks[0].html.contains("src=\"/media/images/chart.svg\""),
            "{}",
            blocks[0].html
        );
        assert!(blocks[0].html.contains("alt=\"A chart\""));
    }

    #[test]
    fn pair_markers_name_the_next_block_and_vanish() {
        let blocks =
            render("One.\n\n<!-- pair: two -->\nTwo.\n\n<!-- an ordinary comment -->\n\nThree.");
        assert_eq!(blocks.len(), 3, "{blocks:?}");
        assert_eq!(blocks[0].pair, None);
        assert_eq!(blocks[1].pair.as_deref(), Some("two"));
        assert_eq!(blocks[1].html, "<p>Two.</p>\n");
        assert_eq!(blocks[2].pair, None);
    }

    #[test]
    fn plain_text_strips_tags_and_entities() {
        assert_eq!(
            plain_text("<p>A &amp; <em>B</em> &lt;C&gt;</p>\n"),
            "A & B <C>"
        );
    }
}
