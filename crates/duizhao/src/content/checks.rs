//! Translation checks for the pairing view: what a translation editor must look at before an
//! article goes out in parallel mode.
//!
//! The view pairs the blocks as the parallel mode will, then flags:
//! - different paragraph counts on the two sides;
//! - pairs whose length ratio (Chinese characters per English letter) is far from the
//!   article's own median — a paragraph left out, doubled or pasted in the wrong place;
//! - numbers and years that appear on one side only, read as values by the aligner's number
//!   reader ([`duizhao_align::numbers`]): digits, Chinese numerals (二〇二四, 十二, 五百万) and
//!   English number words compare by value; numbers under ten are left out (they are often
//!   written as words or dropped in translation);
//! - Latin-script names in the English that appear in the Chinese neither in Latin letters
//!   nor in a known Chinese form (the Chinese names of the site's authors, topics and
//!   sections, and any extra pairs the caller knows).
//!
//! These are prompts for a person, not verdicts; each says what it saw.

use duizhao_align::numbers;

use super::markdown::{Block, BlockKind};
use super::pairing::PairRow;
use super::sentences::text_content;

/// A row of the pairing view with what was noticed about it.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRow {
    /// The English blocks' HTML.
    pub en_html: String,
    /// The Chinese blocks' HTML.
    pub zh_html: String,
    /// Chinese characters per English letter in this row, when both sides have text.
    pub ratio: Option<f64>,
    /// What to look at.
    pub flags: Vec<String>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq)]
pub struct PairingReport {
    /// Paragraphs in the English.
    pub en_paragraphs: usize,
    /// Paragraphs in the Chinese.
    pub zh_paragraphs: usize,
    /// The article's median ratio.
    pub median_ratio: Option<f64>,
    /// Article-level flags.
    pub flags: Vec<String>,
    /// Rows, in reading order.
    pub rows: Vec<CheckedRow>,
}

impl PairingReport {
    /// How many things were flagged in all.
    pub fn flag_count(&self) -> usize {
        self.flags.len() + self.rows.iter().map(|r| r.flags.len()).sum::<usize>()
    }
}

/// A ratio further than this factor from the median is flagged.
const RATIO_FACTOR: f64 = 1.8;

/// Checks an article's pairing. `known` lists English names with their Chinese forms.
pub fn check(
    en: &[Block],
    zh: &[Block],
    pairing: &[PairRow],
    known: &[(String, Vec<String>)],
) -> PairingReport {
    let paragraphs = |blocks: &[Block]| {
        blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .count()
    };
    let (en_paragraphs, zh_paragraphs) = (paragraphs(en), paragraphs(zh));
    let mut flags = Vec::new();
    if en_paragraphs != zh_paragraphs {
        flags.push(format!(
            "The English has {en_paragraphs} paragraphs and the Chinese {zh_paragraphs}."
        ));
    }
    let join = |blocks: &[Block], idx: &[usize]| -> (String, String) {
        let picked: Vec<&Block> = idx.iter().filter_map(|&i| blocks.get(i)).collect();
        (
            picked.iter().map(|b| b.html.as_str()).collect(),
            picked
                .iter()
                .map(|b| text_content(&b.html))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    let mut rows: Vec<CheckedRow> = Vec::new();
    let mut texts = Vec::new();
    for row in pairing {
        let (en_html, en_text) = join(en, &row.en);
        let (zh_html, zh_text) = join(zh, &row.zh);
        let en_len = en_text.chars().filter(|c| c.is_alphanumeric()).count();
        let zh_len = zh_text.chars().filter(|c| c.is_alphanumeric()).count();
        let ratio = (en_len > 0 && zh_len > 0).then(|| zh_len as f64 / en_len as f64);
        let mut row_flags = Vec::new();
        match (en_len, zh_len) {
            (0, 0) => {}
            (_, 0) => row_flags.push("No Chinese for this English.".to_owned()),
            (0, _) => row_flags.push("No English for this Chinese.".to_owned()),
            _ => {}
        }
        rows.push(CheckedRow {
            en_html,
            zh_html,
            ratio,
            flags: row_flags,
        });
        texts.push((en_text, zh_text));
    }
    let mut ratios: Vec<f64> = rows.iter().filter_map(|r| r.ratio).collect();
    ratios.sort_by(f64::total_cmp);
    let median_ratio = (!ratios.is_empty()).then(|| ratios[ratios.len() / 2]);
    for (row, (en_text, zh_text)) in rows.iter_mut().zip(&texts) {
        if let (Some(r), Some(m)) = (row.ratio, median_ratio)
            && ratios.len() >= 3
            && (r > m * RATIO_FACTOR || r < m / RATIO_FACTOR)
        {
            row.flags.push(format!(
                "Length ratio {r:.2} is far from this article's usual {m:.2}: is something \
                 missing or added?"
            ));
        }
        let en_numbers = significant(numbers::en_numbers(en_text));
        let zh_numbers = significant(numbers::zh_numbers(zh_text));
        let only = |a: &[numbers::Value], b: &[numbers::Value]| -> Vec<String> {
            a.iter()
                .filter(|n| !b.contains(n))
                .map(|&n| show(n))
                .collect()
        };
        if !en_text.is_empty() && !zh_text.is_empty() {
            let only_en = only(&en_numbers, &zh_numbers);
            if !only_en.is_empty() {
                row.flags
                    .push(format!("Only in the English: {}.", only_en.join(", ")));
            }
            let only_zh = only(&zh_numbers, &en_numbers);
            if !only_zh.is_empty() {
                row.flags
                    .push(format!("Only in the Chinese: {}.", only_zh.join(", ")));
            }
            let missing: Vec<String> = names(en_text)
                .into_iter()
                .filter(|name| !name_present(name, zh_text, known))
                .collect();
            if !missing.is_empty() {
                let refs: Vec<&String> = missing.iter().collect();
                row.flags.push(format!(
                    "Names not found in the Chinese (in Latin or a known form): {}.",
                    list(&refs)
                ));
            }
        }
    }
    PairingReport {
        en_paragraphs,
        zh_paragraphs,
        median_ratio,
        flags,
        rows,
    }
}

fn list(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The numbers worth comparing (ten or more, or with a fraction), each once.
fn significant(values: Vec<numbers::Value>) -> Vec<numbers::Value> {
    let mut out: Vec<numbers::Value> = Vec::new();
    for v in values {
        if (v.abs() >= 10_000 || v % 1000 != 0) && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A value as a reader writes it.
fn show(v: numbers::Value) -> String {
    if v % 1000 == 0 {
        (v / 1000).to_string()
    } else {
        format!("{}", v as f64 / 1000.0)
    }
}

/// Words that start English sentences or are capitalised for other reasons than being names.
const NOT_NAMES: &[&str] = &[
    "A",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "How",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "No",
    "Not",
    "Of",
    "On",
    "Or",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "We",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
    "After",
    "Before",
    "Since",
    "Some",
    "Many",
    "Most",
    "One",
    "Two",
    "Three",
    "Still",
    "Even",
    "Such",
    "Each",
    "Both",
    "All",
    "Our",
    "Its",
    "Then",
    "Now",
    "Last",
    "Next",
    "Over",
    "Under",
    "About",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Capitalised names in English text: runs of capitalised words (and all-caps acronyms),
/// without the function words that start sentences.
pub fn names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    // A lone capitalised word that starts a sentence is no evidence of a name.
    let mut run_starts_sentence = false;
    let mut sentence_start = true;
    let flush = |run: &mut Vec<&str>, starts: bool, out: &mut Vec<String>| {
        while run.first().is_some_and(|w| NOT_NAMES.contains(w)) {
            run.remove(0);
        }
        let lone_opener = starts && run.len() == 1;
        if !run.is_empty() && !lone_opener {
            let name = run.join(" ");
            if !out.contains(&name) {
                out.push(name);
            }
        }
        run.clear();
    };
    for raw in text.split(|c: char| c.is_whitespace() || c == '—' || c == '/') {
        if raw.is_empty() {
            continue;
        }
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let word = word.strip_suffix("'s").unwrap_or(word);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            && word.len() > 1;
        if capitalised {
            if run.is_empty() {
                run_starts_sentence = sentence_start;
            }
            run.push(word);
        } else {
            flush(&mut run, run_starts_sentence, &mut out);
        }
        // Punctuation after a word ends the name.
        if raw.ends_with([',', '.', ';', ':', '?', '!', ')', '"', '”']) {
            flush(&mut run, run_starts_sentence, &mut out);
        }
        sentence_start = raw.ends_with(['.', '?', '!', '"', '”']);
    }
    flush(&mut run, run_starts_sentence, &mut out);
    out
}

fn name_present(name: &str, zh: &str, known: &[(String, Vec<String>)]) -> bool {
    let zh_lower = zh.to_lowercase();
    if zh_lower.contains(&name.to_lowercase()) {
        return true;
    }
    // Any word of the name in Latin (a surname alone is usual in Chinese text).
    if name
        .split(' ')
        .any(|w| w.len() > 2 && zh_lower.contains(&w.to_lowercase()))
    {
        return true;
    }
    known.iter().any(|(en, forms)| {
        (en.eq_ignore_ascii_case(name)
            || name.split(' ').any(|w| {
                en.split(' ')
                    .any(|e| e.eq_ignore_ascii_case(w) && w.len() > 2)
            }))
            && forms
                .iter()
                .any(|f| !f.is_empty() && zh.contains(f.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            html: format!("<p>{text}</p>"),
            pair: None,
            marked: None,
        }
    }

    fn rows(n: usize) -> Vec<PairRow> {
        (0..n)
            .map(|i| PairRow {
                en: vec![i],
                zh: vec![i],
                sentences: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn numbers_compare_by_value_across_scripts() {
        let en = [p(
            "In 2024, 1,250 firms grew 3.5 per cent; twelve did not; 500 jobs went.",
        )];
        let zh = [p(
            "二〇二四年，一千二百五十家企业增长3.5%；十二家没有；五百个岗位消失。",
        )];
        let report = check(&en, &zh, &rows(1), &[]);
        assert!(
            report.rows[0].flags.is_empty(),
            "{:?}",
            report.rows[0].flags
        );
        let zh = [p("2023年，1250家企业增长3.6%。")];
        let report = check(&en, &zh, &rows(1), &[]);
        let text = format!("{:?}", report.rows[0].flags);
        assert!(
            text.contains("Only in the English: 2024, 3.5, 12, 500"),
            "{text}"
        );
        assert!(text.contains("Only in the Chinese: 2023, 3.6"), "{text}");
    }

    #[test]
    fn names_skip_sentence_starters() {
        assert_eq!(
            names(
                "The Federal Reserve met Janet Yellen in Washington. But nobody spoke. Growth slowed."
            ),
            ["Federal Reserve", "Janet Yellen", "Washington"]
        );
    }

    #[test]
    fn a_clean_translation_has_no_flags() {
        let en = [
            p("In 2024 Beijing said so."),
            p("Growth was 5.2 per cent."),
            p("Then it slowed."),
        ];
        let zh = [
            p("2024年，北京这样说。"),
            p("增长为5.2%。"),
            p("随后放缓。"),
        ];
        let known = [("Beijing".to_owned(), vec!["北京".to_owned()])];
        let report = check(&en, &zh, &rows(3), &known);
        assert_eq!(report.flag_count(), 0, "{report:#?}");
    }

    #[test]
    fn what_an_editor_must_see_is_flagged() {
        let en = [
            p("In 2024 Janet Yellen visited Beijing."),
            p("Exports rose 12 per cent in March."),
            p("Officials said little."),
            p(
                "A long paragraph that the translator has, it seems, cut down to almost nothing at all, leaving out most of what it says about the markets and the banks.",
            ),
        ];
        let zh = [
            p("2023年，耶伦访问北京。"),
            p("三月出口增长。"),
            p("官员们没有多说。"),
            p("很短。"),
        ];
        let known = [("Beijing".to_owned(), vec!["北京".to_owned()])];
        let report = check(&en, &zh, &rows(4), &known);
        let all: Vec<&String> = report.rows.iter().flat_map(|r| &r.flags).collect();
        let text = format!("{all:?}");
        assert!(text.contains("Only in the English: 2024"), "{text}");
        assert!(text.contains("Only in the Chinese: 2023"), "{text}");
        assert!(text.contains("Only in the English: 12"), "{text}");
        assert!(text.contains("Janet Yellen"), "{text}");
        assert!(!text.contains("Beijing"), "a known form is found: {text}");
        assert!(
            report.rows[3]
                .flags
                .iter()
                .any(|f| f.contains("Length ratio")),
            "{report:#?}"
        );
    }

    #[test]
    fn different_paragraph_counts_are_flagged() {
        let en = [p("One."), p("Two.")];
        let zh = [p("一。")];
        let pairing = vec![
            PairRow {
                en: vec![0],
                zh: vec![0],
                sentences: Vec::new(),
            },
            PairRow {
                en: vec![1],
                zh: vec![],
                sentences: Vec::new(),
            },
        ];
        let report = check(&en, &zh, &pairing, &[]);
        assert!(
            report.flags[0].contains("2 paragraphs"),
            "{:?}",
            report.flags
        );
        assert!(report.rows[1].flags[0].contains("No Chinese"));
    }
}
