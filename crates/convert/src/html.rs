//! Markup-aware conversion of HTML fragments.
//!
//! Only text and the values of `title` and `alt` attributes change. Tags, other attributes,
//! character references, comments and the contents of `code`, `pre`, `kbd`, `samp`, `script`,
//! `style` and of any element marked `translate="no"` (until an inner `translate="yes"`) are
//! copied byte for byte. The scanner follows the HTML tokenizer's rules closely enough for
//! fragments (quoted attributes, raw-text elements, comments, void elements) and never fails:
//! anything it cannot read as a tag is text, and an unterminated construct is copied as is.
//!
//! A hand-written scanner rather than an HTML library: it must reproduce every byte it does not
//! convert, which a tree-building parser does not do, and the benchmark holds this mode to
//! within 1.3 times the cost of plain conversion.

use memchr::memchr;

use crate::Converter;

/// Elements whose content is never converted.
const VERBATIM: [&str; 6] = ["code", "pre", "kbd", "samp", "script", "style"];
/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: [&str; 2] = ["script", "style"];
/// Elements that have no end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

struct Open<'a> {
    /// As written: names compare without regard to ASCII case.
    name: &'a str,
    verbatim: bool,
}

/// Whether `names` holds `name`, in any ASCII case.
fn one_of(names: &[&str], name: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

pub(crate) fn convert(conv: &Converter, html: &str, out: &mut String) {
    out.reserve(html.len());
    let bytes = html.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let verbatim = stack.last().is_some_and(|o| o.verbatim);
        let next = memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        if next > pos {
            text(conv, &html[pos..next], verbatim, out);
            pos = next;
            continue;
        }
        // At '<'.
        let rest = &html[pos..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(html.len(), |i| pos + 4 + i + 3);
            out.push_str(&html[pos..end]);
            pos = end;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = memchr(b'>', &bytes[pos..]).map_or(html.len(), |i| pos + i + 1);
            out.push_str(&html[pos..end]);
            pos = end;
        } else if let Some(tag) = Tag::parse(html, pos) {
            let name = tag.name;
            if tag.closing {
                if let Some(i) = stack
                    .iter()
                    .rposition(|o| o.name.eq_ignore_ascii_case(name))
                {
                    stack.truncate(i);
                }
                out.push_str(&html[pos..tag.end]);
            } else {
                tag.write(conv, html, verbatim, out);
                let translate = tag.translate;
                let self_closing = tag.self_closing || one_of(&VOID, name);
                let is_verbatim = one_of(&VERBATIM, name)
                    || match translate {
                        Some(false) => true,
                        Some(true) => false,
                        None => verbatim,
                    };
                if one_of(&RAW_TEXT, name) && !self_closing {
                    // Raw text runs to the matching end tag, whatever it contains.
                    let close = format!("</{name}");
                    let body_end =
                        find_ci(&html[tag.end..], &close).map_or(html.len(), |i| tag.end + i);
                    out.push_str(&html[tag.end..body_end]);
                    pos = body_end;
                    continue;
                }
                if !self_closing {
                    stack.push(Open {
                        name,
                        verbatim: is_verbatim,
                    });
                }
            }
            pos = tag.end;
        } else {
            // A '<' that starts no tag is text.
            text(conv, "<", true, out);
            pos += 1;
        }
    }
}

/// Converts text between tags, leaving character references untouched.
fn text(conv: &Converter, s: &str, verbatim: bool, out: &mut String) {
    // Whitespace between tags (a line break after each paragraph) converts to itself, unless
    // a glossary rule is made of it: no dictionary key or inline markup is.
    let blank = || conv.glossary.is_none() && s.bytes().all(|b| b.is_ascii_whitespace());
    if verbatim || blank() {
        out.push_str(s);
        return;
    }
    let bytes = s.as_bytes();
    let mut pos = 0;
    while let Some(i) = memchr(b'&', &bytes[pos..]) {
        let amp = pos + i;
        let Some(len) = reference_len(&s[amp..]) else {
            // A bare '&': part of the text.
            conv.convert_html_text(&s[pos..amp + 1], out);
            pos = amp + 1;
            continue;
        };
        conv.convert_html_text(&s[pos..amp], out);
        out.push_str(&s[amp..amp + len]);
        pos = amp + len;
    }
    conv.convert_html_text(&s[pos..], out);
}

/// Length of a character reference (`&amp;`, `&#20013;`, `&#x4E2D;`) at the start of `s`.
fn reference_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let body = if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let digits = b[if hex { 3 } else { 2 }..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        (if hex { 3 } else { 2 }) + digits
    } else {
        let n = b[1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if n == 0 {
            return None;
        }
        1 + n
    };
    Some(if b.get(body) == Some(&b';') {
        body + 1
    } else {
        body
    })
}

struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    /// `translate="yes"` / `"no"`, if given.
    translate: Option<bool>,
    /// Byte ranges (absolute) of `title` and `alt` values to convert.
    convertible: Vec<(usize, usize)>,
    start: usize,
    end: usize,
}

impl<'a> Tag<'a> {
    /// Reads a start or end tag at `start` (which holds '<'); `None` if it is not one.
    fn parse(html: &'a str, start: usize) -> Option<Tag<'a>> {
        let b = html.as_bytes();
        let mut p = start + 1;
        let closing = b.get(p) == Some(&b'/');
        if closing {
            p += 1;
        }
        if !b.get(p)?.is_ascii_alphabetic() {
            return None;
        }
        let name_start = p;
        while p < b.len() && !matches!(b[p], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            p += 1;
        }
        let name = &html[name_start..p];
        let mut tag = Tag {
            name,
            closing,
            self_closing: false,
            translate: None,
            convertible: Vec::new(),
            start,
            end: b.len(),
        };
        loop {
            while p < b.len() && matches!(b[p], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                p += 1;
            }
            match b.get(p) {
                None => return Some(tag), // unterminated: the rest is copied as is
                Some(b'>') => {
                    tag.end = p + 1;
                    return Some(tag);
                }
                Some(b'/') => {
                    p += 1;
                    if b.get(p) == Some(&b'>') {
                        tag.self_closing = true;
                    }
                    continue;
                }
                _ => {}
            }
            let attr_start = p;
            while p < b.len()
                && !matches!(
                    b[p],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
                )
            {
                p += 1;
            }
            if p == attr_start {
                p += 1; // a stray '=' with no name
                continue;
            }
            let attr = &html[attr_start..p];
            while p < b.len() && matches!(b[p], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                p += 1;
            }
            if b.get(p) != Some(&b'=') {
                continue;
            }
            p += 1;
            while p < b.len() && matches!(b[p], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                p += 1;
            }
            let (v_start, v_end) = match b.get(p) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr(q, &b[p + 1..]).map_or(b.len(), |i| p + 1 + i);
                    let range = (p + 1, close);
                    p = (close + 1).min(b.len());
                    range
                }
                _ => {
                    let s = p;
                    while p < b.len()
                        && !matches!(b[p], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                    {
                        p += 1;
                    }
                    (s, p)
                }
            };
            if attr.eq_ignore_ascii_case("title") || attr.eq_ignore_ascii_case("alt") {
                tag.convertible.push((v_start, v_end));
            } else if attr.eq_ignore_ascii_case("translate") {
                let v = html[v_start..v_end].trim();
                tag.translate = if v.eq_ignore_ascii_case("no") {
                    Some(false)
                } else if v.eq_ignore_ascii_case("yes") || v.is_empty() {
                    Some(true)
                } else {
                    None
                };
            }
        }
    }

    /// Writes the tag, converting `title` and `alt` unless inside a verbatim zone.
    fn write(&self, conv: &Converter, html: &str, verbatim: bool, out: &mut String) {
        let begin = self.start;
        if verbatim || self.convertible.is_empty() || self.translate == Some(false) {
            out.push_str(&html[begin..self.end]);
            return;
        }
        let mut last = begin;
        for &(s, e) in &self.convertible {
            out.push_str(&html[last..s]);
            text(conv, &html[s..e], false, out);
            last = e;
        }
        out.push_str(&html[last..self.end]);
    }
}

/// Case-insensitive ASCII search.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let mut from = 0;
    while let Some(i) = memchr(b'<', &h[from..]) {
        let at = from + i;
        if h.len() - at >= n.len() && h[at..at + n.len()].eq_ignore_ascii_case(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Escapes text for insertion into HTML text or a quoted attribute.
pub(crate) fn escape_into(s: &str, out: &mut String) {
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
}
