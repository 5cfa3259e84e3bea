//! What the reader asked for, and turning it into index terms.

use jiff::Timestamp;
use tantivy::Index;
use tantivy::snippet::Snippet;
use tantivy::tokenizer::TokenStream;

use crate::content::markdown::escape;

/// The longest query we read; the rest is ignored (a 10 KB query is not an error).
pub const MAX_QUERY_CHARS: usize = 200;

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// A search request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the reader typed.
    pub q: String,
    /// Only articles with this topic (slug).
    pub topic: Option<String>,
    /// Only articles by this author (slug).
    pub author: Option<String>,
    /// Only articles in this section (slug).
    pub section: Option<String>,
    /// Published at or after.
    pub from: Option<Timestamp>,
    /// Published before.
    pub to: Option<Timestamp>,
    /// Order.
    pub sort: SortBy,
    /// Results to skip.
    pub offset: usize,
    /// Results to return.
    pub limit: usize,
}

impl SearchQuery {
    /// The query text, cut to [`MAX_QUERY_CHARS`].
    pub fn text(&self) -> String {
        self.q.chars().take(MAX_QUERY_CHARS).collect()
    }
}

/// The language of a query word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Searched in the English fields.
    En,
    /// Searched in the Chinese fields.
    Zh,
}

/// A word the results must contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Which fields.
    pub lang: Lang,
    /// The analysed token.
    pub token: String,
}

/// Splits a (folded) query into words: Latin runs go through the English analyser, Han runs
/// through the Chinese one; punctuation and query-language syntax are dropped.
pub fn words(index: &Index, folded: &str, en: &str, zh: &str) -> anyhow::Result<Vec<Word>> {
    let mut en_analyzer = index
        .tokenizers()
        .get(en)
        .ok_or_else(|| anyhow::anyhow!("tokenizer {en} is not registered"))?;
    let mut zh_analyzer = index
        .tokenizers()
        .get(zh)
        .ok_or_else(|| anyhow::anyhow!("tokenizer {zh} is not registered"))?;
    let mut out: Vec<Word> = Vec::new();
    let mut push = |lang: Lang, token: String| {
        if !out.iter().any(|w| w.lang == lang && w.token == token) && out.len() < 32 {
            out.push(Word { lang, token });
        }
    };
    for (is_han, run) in runs(folded) {
        if is_han {
            let mut stream = zh_analyzer.token_stream(run);
            while stream.advance() {
                let t = &stream.token().text;
                if t.chars().any(is_han_char) {
                    push(Lang::Zh, t.clone());
                }
            }
        } else {
            let mut stream = en_analyzer.token_stream(run);
            while stream.advance() {
                let t = stream.token().text.clone();
                if t.chars().any(|c| c.is_alphanumeric()) {
                    push(Lang::En, t);
                }
            }
        }
    }
    Ok(out)
}

fn is_han_char(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Splits text into maximal runs of Han and non-Han characters.
fn runs(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let han = is_han_char(c);
        match current {
            Some(h) if h != han => {
                out.push((h, &text[start..i]));
                start = i;
                current = Some(han);
            }
            None => current = Some(han),
            _ => {}
        }
    }
    if let Some(h) = current {
        out.push((h, &text[start..]));
    }
    out
}

/// A snippet as HTML with the matched terms in `<mark>`, or `None` when nothing matched.
pub fn snippet_html(snippet: &Snippet) -> Option<String> {
    let ranges = snippet.highlighted();
    if ranges.is_empty() {
        return None;
    }
    let text = snippet.fragment();
    let mut html = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        html.push_str(&escape(&text[at..r.start]));
        html.push_str("<mark>");
        html.push_str(&escape(&text[r.start..r.end]));
        html.push_str("</mark>");
        at = r.end;
    }
    html.push_str(&escape(&text[at..]));
    Some(html.trim().to_owned())
}

/// A passage of Chinese text around the first occurrence of any of `words`, at most `chars`
/// characters, with every occurrence inside it marked; `None` when none occurs.
pub fn zh_snippet(text: &str, words: &[&str], chars: usize) -> Option<String> {
    let first = words.iter().filter_map(|w| text.find(w)).min()?;
    // Start a little before the match, on a character boundary.
    let lead = text[..first]
        .chars()
        .rev()
        .take(20)
        .map(char::len_utf8)
        .sum::<usize>();
    let start = first - lead;
    let end = text[start..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| start + i);
    let window = &text[start..end];
    // Longest words first, so that 养老金 is marked whole rather than as 养老.
    let mut sorted: Vec<&str> = words.iter().copied().filter(|w| !w.is_empty()).collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut html = String::with_capacity(window.len() + 32);
    let mut i = 0;
    let mut plain_from = 0;
    while i < window.len() {
        if let Some(w) = sorted.iter().find(|w| window[i..].starts_with(**w)) {
            html.push_str(&escape(&window[plain_from..i]));
            html.push_str("<mark>");
            html.push_str(&escape(w));
            html.push_str("</mark>");
            i += w.len();
            plain_from = i;
        } else {
            i += window[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    html.push_str(&escape(&window[plain_from..]));
    let html = html.replace('\n', " ");
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    Some(format!("{prefix}{}{suffix}", html.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_scripts() {
        assert_eq!(
            runs("trade 美日韩关系 2026"),
            [(false, "trade "), (true, "美日韩关系"), (false, " 2026")]
        );
        assert!(runs("").is_empty());
    }

    #[test]
    fn chinese_snippets_mark_whole_words() {
        let text = "前言。每一次养老金改革都要面对养老问题。结尾";
        let s = zh_snippet(text, &["养老", "养老金"], 20).unwrap();
        assert_eq!(
            s,
            "前言。每一次<mark>养老金</mark>改革都要面对<mark>养老</mark>问题。…"
        );
        assert_eq!(zh_snippet(text, &["缺席"], 20), None);
        assert_eq!(
            zh_snippet("<b>养老</b>", &["养老"], 20).unwrap(),
            "&lt;b&gt;<mark>养老</mark>&lt;/b&gt;"
        );
    }

    #[test]
    fn long_queries_are_cut() {
        let q = SearchQuery {
            q: "字".repeat(10_000),
            ..SearchQuery::default()
        };
        assert_eq!(q.text().chars().count(), MAX_QUERY_CHARS);
    }
}
