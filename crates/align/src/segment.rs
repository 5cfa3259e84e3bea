//! Sentence segmentation for English and Chinese. Both return the byte ranges of the sentences
//! in the text, trimmed of surrounding whitespace, so that a caller can highlight or link them.
//!
//! ```
//! use duizhao_align::segment;
//!
//! let zh = "他说：“明天见。我先走了。”真的吗？";
//! let s: Vec<&str> = segment::zh(zh).into_iter().map(|r| &zh[r]).collect();
//! assert_eq!(s, ["他说：“明天见。我先走了。”", "真的吗？"]);
//!
//! let en = "Mr. Smith arrived at 9 a.m. on Monday. He paid $3.50... Then he left.";
//! let s: Vec<&str> = segment::en(en).into_iter().map(|r| &en[r]).collect();
//! assert_eq!(s, ["Mr. Smith arrived at 9 a.m. on Monday.", "He paid $3.50...", "Then he left."]);
//! ```

use std::ops::Range;

/// Closing quotes and brackets that stay with the sentence they close.
const CLOSERS: &[char] = &[
    '」', '』', '”', '’', '）', '》', ')', ']', '"', '\'', '】', '〕',
];
const OPENERS_ZH: &[char] = &['「', '『', '“', '（', '《', '【', '〔'];

/// Splits Chinese text into sentences.
///
/// A sentence ends at 。！？ (and their ASCII forms), at a run of …… or ……, and takes with it any
/// further end marks and the closing quotes and brackets that follow (」』”’）》). Inside a
/// quotation or parenthesis that continues after an end mark, the text is not split: the whole
/// quotation stays in its sentence. Semicolons are not boundaries; see [`zh_with`].
pub fn zh(text: &str) -> Vec<Range<usize>> {
    zh_with(text, false)
}

/// Splits Chinese text into sentences, also at ； when `semicolons` is true (useful where one
/// language joins with a semicolon what the other writes as two sentences).
pub fn zh_with(text: &str, semicolons: bool) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut k = 0;
    while k < chars.len() {
        let (_, c) = chars[k];
        if OPENERS_ZH.contains(&c) {
            depth += 1;
        } else if matches!(c, '」' | '』' | '”' | '）' | '》' | '】' | '〕') {
            depth = depth.saturating_sub(1);
        }
        let ellipsis = c == '…' && chars.get(k + 1).is_some_and(|&(_, d)| d == '…');
        let end =
            matches!(c, '。' | '！' | '？' | '!' | '?') || ellipsis || (semicolons && c == '；');
        k += 1;
        if !end {
            continue;
        }
        // Take further end marks and the closers that follow.
        while k < chars.len() && matches!(chars[k].1, '。' | '！' | '？' | '!' | '?' | '…') {
            k += 1;
        }
        while k < chars.len() && CLOSERS.contains(&chars[k].1) {
            if matches!(chars[k].1, '」' | '』' | '”' | '）' | '》' | '】' | '〕') {
                depth = depth.saturating_sub(1);
            }
            k += 1;
        }
        if depth > 0 {
            continue; // the quotation goes on
        }
        let end_byte = chars.get(k).map_or(text.len(), |&(b, _)| b);
        push_trimmed(text, start..end_byte, &mut out);
        start = end_byte;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Abbreviations after which a full stop does not end a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "rev", "gen", "col", "lt", "sgt",
    "capt", "gov", "sen", "rep", "pres", "hon", "no", "nos", "vs", "v", "cf", "fig", "figs", "vol",
    "p", "pp", "ch", "art", "approx", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "viz", "al", "ca",
];
/// Abbreviations that may also end a sentence: they end it only before a word that usually
/// starts one.
const MAY_END: &[&str] = &[
    "etc", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "bros", "jr",
];
const STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "So",
    "Yet",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "After",
    "Before",
    "Meanwhile",
    "However",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "What",
    "Why",
    "How",
    "Who",
];

/// Splits English text into sentences.
///
/// A sentence ends at `.`, `!`, `?` or an ellipsis followed by white space and a capital, a digit
/// or an opening quote or bracket, and takes the closing quotes and brackets after it. A full
/// stop does not end a sentence after a title or common abbreviation (Mr., Dr., e.g., No.), an
/// initial (J. R. R. Tolkien) or inside a number (3.5); after U.S., a.m., etc. it does only when
/// the next word usually starts a sentence.
pub fn en(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k < bytes.len() {
        let c = bytes[k];
        let is_end =
            matches!(c, b'.' | b'!' | b'?') || text.get(k..).is_some_and(|s| s.starts_with('…'));
        if !is_end {
            k += 1;
            continue;
        }
        let mark = k;
        // The run of end marks and closers.
        let mut e = k;
        while e < bytes.len() {
            if matches!(bytes[e], b'.' | b'!' | b'?') {
                e += 1;
            } else if text[e..].starts_with('…') {
                e += '…'.len_utf8();
            } else {
                break;
            }
        }
        let marks_end = e;
        while let Some(ch) = text[e..].chars().next() {
            if CLOSERS.contains(&ch) || ch == '’' || ch == '”' {
                e += ch.len_utf8();
            } else {
                break;
            }
        }
        k = e;
        // White space, then something that can start a sentence.
        let rest = &text[e..];
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() && !rest.is_empty() {
            continue; // "3.5", "e.g.," or a URL: no space after the mark
        }
        let next = trimmed.chars().next();
        let starts = next.is_none_or(|ch| {
            ch.is_uppercase() || ch.is_ascii_digit() || "\"“‘'([".contains(ch) || !ch.is_ascii()
        });
        if !starts {
            continue;
        }
        let single_stop = bytes[mark] == b'.' && marks_end == mark + 1;
        if single_stop && next.is_some() {
            let word = word_before(text, mark);
            let lower = word.to_ascii_lowercase();
            let initial = word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase());
            if TITLES.contains(&lower.as_str()) || initial {
                continue;
            }
            if MAY_END.contains(&lower.as_str()) {
                let next_word: &str = trimmed
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                if !STARTERS.contains(&next_word) {
                    continue;
                }
            }
        }
        push_trimmed(text, start..e, &mut out);
        start = e;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// The word (letters and inner full stops, as in `e.g` or `U.S`) just before byte `at`.
fn word_before(text: &str, at: usize) -> &str {
    let head = &text[..at];
    let begin = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    head[begin..].trim_start_matches('.')
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh_s(t: &str) -> Vec<&str> {
        zh(t).into_iter().map(|r| &t[r]).collect()
    }
    fn en_s(t: &str) -> Vec<&str> {
        en(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn chinese_end_marks_and_closers() {
        assert_eq!(
            zh_s("你好。再见！真的吗？"),
            ["你好。", "再见！", "真的吗？"]
        );
        assert_eq!(
            zh_s("真的吗？！不会吧……好吧。"),
            ["真的吗？！", "不会吧……", "好吧。"]
        );
        assert_eq!(zh_s("「走吧。」他说。"), ["「走吧。」", "他说。"]);
        assert_eq!(zh_s("（见上文。）下一句。"), ["（见上文。）", "下一句。"]);
        assert_eq!(
            zh_s("他读了《红楼梦》。很好。"),
            ["他读了《红楼梦》。", "很好。"]
        );
        assert_eq!(zh_s("没有句号的结尾"), ["没有句号的结尾"]);
    }

    #[test]
    fn chinese_quotations_that_continue() {
        assert_eq!(
            zh_s("他说：「我来了。你们呢？」大家都笑了。"),
            ["他说：「我来了。你们呢？」", "大家都笑了。"]
        );
        assert_eq!(
            zh_s("“一。『二。』三。”完。"),
            ["“一。『二。』三。”", "完。"]
        );
    }

    #[test]
    fn chinese_semicolons_are_optional() {
        assert_eq!(zh_s("前半；后半。"), ["前半；后半。"]);
        let t = "前半；后半。";
        let s: Vec<&str> = zh_with(t, true).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, ["前半；", "后半。"]);
    }

    #[test]
    fn english_abbreviations() {
        assert_eq!(
            en_s("Dr. Who met Mr. J. R. Smith. He left."),
            ["Dr. Who met Mr. J. R. Smith.", "He left."]
        );
        assert_eq!(
            en_s("It rose in the U.S. economy. Prices fell, e.g. Oil prices."),
            [
                "It rose in the U.S. economy.",
                "Prices fell, e.g. Oil prices."
            ]
        );
        assert_eq!(
            en_s("They moved to the U.S. The move was hard."),
            ["They moved to the U.S.", "The move was hard."]
        );
        assert_eq!(
            en_s("We met at 9 a.m. Tuesday. It was No. 5 on the list."),
            ["We met at 9 a.m. Tuesday.", "It was No. 5 on the list."]
        );
    }

    #[test]
    fn english_decimals_ellipses_and_quotes() {
        assert_eq!(
            en_s("It cost 3.5 million. Fine."),
            ["It cost 3.5 million.", "Fine."]
        );
        assert_eq!(
            en_s("Wait... what? \"Go home.\" She went (quietly.) Then?"),
            [
                "Wait... what?",
                "\"Go home.\"",
                "She went (quietly.)",
                "Then?"
            ]
        );
        assert_eq!(
            en_s("He said “No!” Then silence…"),
            ["He said “No!”", "Then silence…"]
        );
        assert_eq!(
            en_s("See example.com. Or not"),
            ["See example.com.", "Or not"]
        );
    }
}
