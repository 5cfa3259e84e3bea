//! Inline conversion markup in source text, after MediaWiki's convention:
//!
//! * `-{text}-` leaves `text` exactly as written in every variant;
//! * `-{zh-hans:文本;zh-hant:文本;zh-tw:文字}-` gives the text for each variant. A target
//!   without its own text falls back to a related one (zh-TW → zh-Hant → zh-HK), then to the
//!   source variant's text converted as usual, then to the first text given.
//!
//! The markers themselves never reach the output. An opening `-{` without a closing `}-` is
//! ordinary text.

use crate::{Converter, Variant};

/// Converts text that contains `-{`; `html`: the text is HTML source (glossary output escaped).
pub(crate) fn convert_with(conv: &Converter, text: &str, out: &mut String, html: bool) {
    let mut rest = text;
    while let Some(open) = rest.find("-{") {
        let Some(close) = rest[open + 2..].find("}-") else {
            break;
        };
        conv.convert_plain(&rest[..open], out, html);
        let inner = &rest[open + 2..open + 2 + close];
        match variants(inner) {
            Some(list) => choose(conv, &list, out, html),
            None => out.push_str(inner),
        }
        rest = &rest[open + 2 + close + 2..];
    }
    conv.convert_plain(rest, out, html);
}

/// Parses `zh-hans:…;zh-hant:…` if every part names a variant; `None` means plain protected text.
fn variants(inner: &str) -> Option<Vec<(Variant, &str)>> {
    let mut list = Vec::new();
    for part in inner.split(';') {
        if part.trim().is_empty() {
            continue;
        }
        let (code, text) = part.split_once(':')?;
        list.push((code.parse::<Variant>().ok()?, text.trim()));
    }
    (!list.is_empty()).then_some(list)
}

fn choose(conv: &Converter, list: &[(Variant, &str)], out: &mut String, html: bool) {
    let config = conv.config();
    for want in config.target().fallbacks() {
        if let Some((_, text)) = list.iter().find(|(v, _)| v == want) {
            out.push_str(text);
            return;
        }
    }
    if let Some((_, text)) = list.iter().find(|(v, _)| *v == config.source()) {
        conv.convert_plain(text, out, html);
        return;
    }
    out.push_str(list[0].1);
}
