//! Characters that no text of ours may hold, and what each boundary does about them.
//!
//! XML 1.0 forbids the C0 control characters other than tab, line feed and carriage return,
//! and U+FFFE and U+FFFF: one of them in a headline makes every feed and sitemap that lists
//! the article unreadable for every subscriber. PostgreSQL refuses NUL in text. None of them,
//! nor DEL, the C1 controls or Unicode's noncharacters, has a use in an article, a name or a
//! caption. So:
//!
//! - interactive inputs (the editor, the API, account and media forms) **refuse** text that
//!   holds one, naming the field and the character ([`check`]), and lose nothing;
//! - importers **remove** them and say so in their report ([`strip`]): an export from
//!   elsewhere is not the editor's to fix before anything else can be imported;
//! - feeds and sitemaps drop any that still reach them ([`xml_safe`]), so that older stored
//!   text cannot break them either.

use std::borrow::Cow;

/// Whether a character is refused in stored text (see the module docs).
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{fdd0}'..='\u{fdef}')
        || (c as u32) & 0xfffe == 0xfffe
}

/// Whether XML 1.0 can carry a character at all.
/// Whether a character is a Han character (CJK unified ideographs, their extensions and the
/// compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The first forbidden character of a text, with its position in characters from 1.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| is_forbidden(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `Ok` when the text holds no forbidden character; else the message to show beside the
/// field ("contains the control character U+0001 at character 7; remove it").
pub fn check(text: &str) -> Result<(), String> {
    match first_forbidden(text) {
        None => Ok(()),
        Some((at, c)) => Err(format!(
            "contains the invisible character U+{:04X} at character {at}, which no text may hold; \
             remove it",
            c as u32
        )),
    }
}

/// The text without its forbidden characters, and how many went.
pub fn strip(text: &str) -> (Cow<'_, str>, usize) {
    if !text.chars().any(is_forbidden) {
        return (Cow::Borrowed(text), 0);
    }
    let kept: String = text.chars().filter(|c| !is_forbidden(*c)).collect();
    let removed = text.chars().count() - kept.chars().count();
    (Cow::Owned(kept), removed)
}

/// The text without the characters XML 1.0 cannot carry (for feeds and sitemaps).
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| is_xml_char(*c)).collect())
    }
}

/// [`xml_safe`] for a whole document, without a copy when there is nothing to drop.
pub fn into_xml_safe(document: String) -> String {
    match xml_safe(&document) {
        Cow::Borrowed(_) => document,
        Cow::Owned(safe) => safe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_are_forbidden_but_not_line_breaks() {
        for c in [
            '\0', '\u{1}', '\u{8}', '\u{b}', '\u{1f}', '\u{7f}', '\u{85}', '\u{fdd0}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\u{fffe}', '\u{ffff}', '\u{1fffe}', '\u{10ffff}'] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in [
            '\t', '\n', '\r', ' ', 'a', '港', '\u{fffd}', '\u{200b}', '\u{202e}', '😀',
        ] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }

    #[test]
    fn check_names_the_character_and_where() {
        assert!(check("港口 ok\n\tline").is_ok());
        let message = check("Tariffs\u{1} bite").unwrap_err();
        assert!(message.contains("U+0001 at character 8"), "{message}");
    }

    #[test]
    fn strip_and_xml_safe() {
        assert_eq!(strip("a\u{0}b\u{fffe}c"), (Cow::Owned("abc".to_owned()), 2));
        assert!(matches!(strip("abc").0, Cow::Borrowed(_)));
        assert_eq!(xml_safe("a\u{1}b\u{ffff}\n\u{85}"), "ab\n\u{85}");
    }
}
