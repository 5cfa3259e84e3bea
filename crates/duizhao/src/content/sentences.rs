//! Marking sentences inside a block's HTML, so that the parallel mode can show which sentence
//! translates which.
//!
//! The aligner works on a block's text; this module maps its byte ranges back onto the HTML.
//! A sentence becomes `<span class="s" data-s="BEAD" data-n="N">…</span>`; where inline
//! markup (a link, emphasis) cuts across it, the span closes before the tag and reopens after,
//! so the result stays well nested. Markup is never split or reordered.

use std::ops::Range;

/// The text content of block HTML, entities decoded, with nothing trimmed: byte offsets into it
/// are what [`mark_sentences`] takes.
pub fn text_content(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    walk(html, |piece| {
        if let Piece::Text(t) = piece {
            out.push_str(t);
        }
    });
    out
}

/// A sentence to mark: its byte range in [`text_content`], its bead id and its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// Byte range in the block's text content.
    pub bytes: Range<usize>,
    /// The alignment bead it belongs to (shared with its translation).
    pub bead: usize,
    /// The sentence's number on its side of the article.
    pub n: usize,
}

/// Wraps each marked range of the block's text in sentence spans.
pub fn mark_sentences(html: &str, marks: &[Mark]) -> String {
    let mut out = String::with_capacity(html.len() + marks.len() * 40);
    let mut offset = 0usize; // position in the text content
    let mut open: Option<usize> = None; // index into `marks` of the open span
    let mut next = 0usize; // first mark not yet finished
    walk(html, |piece| match piece {
        Piece::Tag(tag) => {
            if open.take().is_some() {
                out.push_str("</span>");
            }
            out.push_str(tag);
        }
        Piece::Raw(raw, text) => {
            // One decoded character (an entity) or a run of plain text.
            let mut written = 0usize;
            let raw_is_entity = raw.len() != text.len() || raw.starts_with('&');
            let mut pos = 0usize;
            while pos < text.len() {
                while next < marks.len() && marks[next].bytes.end <= offset + pos {
                    if open == Some(next) {
                        out.push_str("</span>");
                        open = None;
                    }
                    next += 1;
                }
                let inside = next < marks.len() && marks[next].bytes.start <= offset + pos;
                match (open, inside) {
                    (None, true) => {
                        let m = &marks[next];
                        out.push_str(&format!(
                            "<span class=\"s\" data-s=\"{}\" data-n=\"{}\">",
                            m.bead, m.n
                        ));
                        open = Some(next);
                    }
                    (Some(_), false) => {
                        out.push_str("</span>");
                        open = None;
                    }
                    _ => {}
                }
                // Advance to the next boundary (a mark start or end) or the end of the piece.
                let mut stop = text.len();
                if next < marks.len() {
                    for b in [marks[next].bytes.start, marks[next].bytes.end] {
                        if b > offset + pos && b - offset < stop {
                            stop = b - offset;
                        }
                    }
                }
                let stop = floor_char_boundary(text, stop.max(pos + 1).min(text.len()));
                if raw_is_entity {
                    // An entity is atomic: write it whole once.
                    if written == 0 {
                        out.push_str(raw);
                        written = raw.len();
                    }
                } else {
                    out.push_str(&raw[pos..stop]);
                }
                pos = stop;
            }
            offset += text.len();
        }
        // The same text again, decoded: marking works on the raw form.
        Piece::Text(_) => {}
    });
    if open.is_some() {
        out.push_str("</span>");
    }
    out
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

enum Piece<'a> {
    /// A tag, written as is.
    Tag(&'a str),
    /// Decoded text, for [`text_content`]; always followed by the same text as [`Piece::Raw`].
    Text(&'a str),
    /// Raw HTML text and what it decodes to (equal except for entities).
    Raw(&'a str, &'a str),
}

/// Splits our own renderer's HTML into tags and text. It only has to understand what
/// pulldown-cmark writes: tags without `>` in attribute values, and the five entities it uses.
fn walk<'a>(html: &'a str, mut f: impl FnMut(Piece<'a>)) {
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            f(Piece::Tag(&rest[..end]));
            rest = &rest[end..];
            continue;
        }
        let end = rest.find(['<', '&']).unwrap_or(rest.len());
        if end > 0 {
            f(Piece::Text(&rest[..end]));
            f(Piece::Raw(&rest[..end], &rest[..end]));
            rest = &rest[end..];
            continue;
        }
        // An entity.
        let semi = rest.find(';').filter(|&i| i <= 8);
        let (raw, decoded) = match semi.map(|i| &rest[..=i]) {
            Some("&amp;") => ("&amp;", "&"),
            Some("&lt;") => ("&lt;", "<"),
            Some("&gt;") => ("&gt;", ">"),
            Some("&quot;") => ("&quot;", "\""),
            Some("&#39;") => ("&#39;", "'"),
            _ => ("&", "&"),
        };
        f(Piece::Text(decoded));
        f(Piece::Raw(raw, decoded));
        rest = &rest[raw.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(bytes: Range<usize>, bead: usize, n: usize) -> Mark {
        Mark { bytes, bead, n }
    }

    #[test]
    fn text_content_decodes_and_keeps_offsets() {
        assert_eq!(text_content("<p>A &amp; <em>B</em>.</p>\n"), "A & B.\n");
    }

    #[test]
    fn sentences_are_wrapped() {
        let html = "<p>One. Two.</p>\n";
        let text = text_content(html);
        assert_eq!(&text[0..4], "One.");
        let out = mark_sentences(html, &[mark(0..4, 0, 0), mark(5..9, 1, 1)]);
        assert_eq!(
            out,
            "<p><span class=\"s\" data-s=\"0\" data-n=\"0\">One.</span> \
             <span class=\"s\" data-s=\"1\" data-n=\"1\">Two.</span></p>\n"
        );
    }

    #[test]
    fn spans_close_around_inline_markup_and_entities_stay_whole() {
        let html = "<p>A <em>b &amp; c</em> d. E.</p>";
        let text = text_content(html);
        assert_eq!(text, "A b & c d. E.");
        let out = mark_sentences(html, &[mark(0..10, 7, 0), mark(11..13, 8, 1)]);
        assert_eq!(
            out,
            "<p><span class=\"s\" data-s=\"7\" data-n=\"0\">A </span><em>\
             <span class=\"s\" data-s=\"7\" data-n=\"0\">b &amp; c</span></em>\
             <span class=\"s\" data-s=\"7\" data-n=\"0\"> d.</span> \
             <span class=\"s\" data-s=\"8\" data-n=\"1\">E.</span></p>"
        );
    }

    #[test]
    fn chinese_text_is_cut_on_character_boundaries() {
        let html = "<p>第一句。第二句！</p>";
        let text = text_content(html);
        let first = "第一句。".len();
        let out = mark_sentences(html, &[mark(0..first, 0, 0), mark(first..text.len(), 1, 1)]);
        assert!(out.contains("data-n=\"0\">第一句。</span>"), "{out}");
        assert!(out.contains("data-n=\"1\">第二句！</span>"), "{out}");
        // Removing the spans gives the original back.
        let stripped = out
            .replace("<span class=\"s\" data-s=\"0\" data-n=\"0\">", "")
            .replace("<span class=\"s\" data-s=\"1\" data-n=\"1\">", "")
            .replace("</span>", "");
        assert_eq!(stripped, html);
    }
}
