//! WordPress post HTML to Markdown.
//!
//! The renderer shows raw HTML as text, so an imported body must be Markdown: `htmd` (a
//! turndown port over html5ever) converts paragraphs, headings, links, emphasis, lists,
//! quotations, images, code and tables. Elements that could run or embed something (`script`,
//! `style`, `iframe`, `object`, `embed`, `form`, …) are dropped with their content; whatever
//! else survives is still made safe by the renderer (raw HTML shown as text, `javascript:` and
//! other unsafe link schemes removed).
//!
//! WordPress's classic editor stores paragraphs as blank-line-separated text and adds the `<p>`
//! tags only when it displays a post (`wpautop`), so paragraphs without tags are wrapped first;
//! Gutenberg's `<!-- wp:… -->` block comments are dropped by the HTML parser.

use htmd::HtmlToMarkdown;
use pulldown_cmark::{Event, Parser, TagEnd};

/// Tags dropped with everything inside them.
const DROPPED: [&str; 12] = [
    "script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math",
    "head", "button",
];

fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .skip_tags(DROPPED.to_vec())
        .build()
}

/// Converts a post body (HTML, perhaps without paragraph tags) to Markdown.
pub fn to_markdown(html: &str) -> anyhow::Result<String> {
    let html = autop(&html.replace("\r\n", "\n"));
    let md = converter()
        .convert(&html)
        .map_err(|e| anyhow::anyhow!("cannot read the HTML: {e}"))?;
    Ok(md.trim().to_owned() + "\n")
}

/// A dek or title given as HTML, as plain text (tags dropped, entities decoded).
pub fn to_plain_text(html: &str) -> anyhow::Result<String> {
    let md = to_markdown(html)?;
    let mut text = String::new();
    for event in Parser::new(&md) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            _ => {}
        }
    }
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Block-level tags: text starting with one of them is not wrapped in a paragraph.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "figure",
    "hr",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "dl",
    "!--",
    "address",
];

/// WordPress's `wpautop`, reduced to what matters for conversion: chunks of text separated by
/// blank lines that do not start with a block-level tag become paragraphs.
fn autop(html: &str) -> String {
    if !html.contains("\n\n") {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut in_pre = false;
    for chunk in html.split("\n\n") {
        let trimmed = chunk.trim();
        let lower = trimmed.to_ascii_lowercase();
        let starts_block = lower.strip_prefix('<').is_some_and(|rest| {
            let rest = rest.trim_start_matches('/');
            BLOCKS.iter().any(|tag| {
                rest.starts_with(tag)
                    && rest[tag.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_ascii_alphanumeric())
            })
        });
        if lower.contains("<pre") {
            in_pre = !lower.contains("</pre");
        } else if in_pre && lower.contains("</pre") {
            in_pre = false;
            out.push_str(chunk);
            out.push_str("\n\n");
            continue;
        }
        if trimmed.is_empty() || starts_block || in_pre {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(trimmed);
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_elements_become_markdown() {
        let md = to_markdown(
            "<h2>Rates</h2><p>The <strong>bank</strong> <em>cut</em> rates; see \
             <a href=\"https://example.org/r\">the note</a>.</p><ul><li>one</li><li>two</li></ul>\
             <ol><li>first</li></ol><blockquote><p>Quoted.</p></blockquote>\
             <p><img src=\"/wp-content/uploads/2026/03/chart.png\" alt=\"Chart\"></p>\
             <h3>More</h3><h4>Less</h4>",
        )
        .unwrap();
        for expected in [
            "## Rates",
            "**bank**",
            "*cut*",
            "[the note](https://example.org/r)",
            "*   one",
            "1.  first",
            "> Quoted.",
            "![Chart](/wp-content/uploads/2026/03/chart.png)",
            "### More",
            "#### Less",
        ] {
            assert!(md.contains(expected), "{expected:?} missing in:\n{md}");
        }
    }

    #[test]
    fn classic_editor_paragraphs_are_wrapped() {
        let md =
            to_markdown("First line.\n\nSecond <em>line</em>.\n\n<h2>Head</h2>\n\nThird.").unwrap();
        assert_eq!(md, "First line.\n\nSecond *line*.\n\n## Head\n\nThird.\n");
    }

    #[test]
    fn scripts_and_frames_are_dropped() {
        let md = to_markdown(
            "<p>Hello<script>alert(1)</script></p><iframe src=\"https://x\"></iframe>\
             <p onclick=\"evil()\">World</p>",
        )
        .unwrap();
        assert!(!md.contains("alert"), "{md}");
        assert!(!md.contains("iframe") && !md.contains("onclick"), "{md}");
        assert!(md.contains("Hello") && md.contains("World"), "{md}");
        assert_eq!(to_plain_text("<p>A &amp; <b>B</b></p>").unwrap(), "A & B");
    }
}
