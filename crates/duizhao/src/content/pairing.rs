//! Pairing the English and Chinese blocks of an article for parallel reading, and the
//! sentences inside them.
//!
//! Editors' markers come first: blocks carrying the same `<!-- pair: NAME -->` name on both
//! sides form one row, however many blocks each side has under that name. A marker is how a
//! hand correction is kept: it travels with its block, so editing other paragraphs never
//! undoes it. Between two such anchors the aligner ([`duizhao_align`]) pairs the blocks by
//! length and anchors (1-1, 1-2, 2-1, 2-2, 1-0, 0-1), and inside every row it pairs the
//! sentences. Every block is shown exactly once and in order.

use std::ops::Range;

use duizhao_align::Aligner;
use serde::{Deserialize, Serialize};

use super::markdown::Block;
use super::sentences::text_content;

/// One row of the parallel view: block indices on each side (either may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRow {
    /// Indices into the English blocks.
    pub en: Vec<usize>,
    /// Indices into the Chinese blocks.
    pub zh: Vec<usize>,
    /// The sentence pairs inside the row, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<SentencePair>,
}

/// Sentences that translate each other (either side may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentencePair {
    /// English sentences.
    pub en: Vec<SentenceAt>,
    /// Chinese sentences (in the master script).
    pub zh: Vec<SentenceAt>,
}

/// Where a sentence is: a block and a byte range of its text content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceAt {
    /// Block index.
    pub block: usize,
    /// Byte range in the block's text content ([`text_content`]).
    pub bytes: Range<usize>,
}

/// Pairs two block lists, and their sentences.
pub fn pair_blocks(en: &[Block], zh: &[Block]) -> Vec<PairRow> {
    // Anchors: names present on both sides, in the order they occur in English; a name is an
    // anchor only if it also occurs in the same relative order in Chinese (crossing markers
    // would make the view go backwards, so the later one is ignored).
    let mut anchors: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut last_zh: Option<usize> = None;
    let mut seen: Vec<&str> = Vec::new();
    for (i, block) in en.iter().enumerate() {
        let Some(name) = block.pair.as_deref() else {
            continue;
        };
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let en_idx: Vec<usize> = (i..en.len())
            .filter(|&j| en[j].pair.as_deref() == Some(name))
            .collect();
        let zh_idx: Vec<usize> = zh
            .iter()
            .enumerate()
            .filter(|(_, b)| b.pair.as_deref() == Some(name))
            .map(|(j, _)| j)
            .collect();
        let Some(&first_zh) = zh_idx.first() else {
            continue;
        };
        let after_previous = last_zh.is_none_or(|l| first_zh > l);
        let previous_en_end = anchors.last().and_then(|a| a.0.last().copied());
        if after_previous && previous_en_end.is_none_or(|l| i > l) {
            last_zh = zh_idx.last().copied();
            anchors.push((en_idx, zh_idx));
        }
    }

    let en_text: Vec<String> = en.iter().map(|b| text_content(&b.html)).collect();
    let zh_text: Vec<String> = zh.iter().map(|b| text_content(&b.html)).collect();
    let aligner = Aligner::new();
    let mut rows = Vec::new();
    let (mut e, mut z) = (0usize, 0usize);
    for (en_idx, zh_idx) in anchors {
        align_stretch(
            &aligner,
            &en_text,
            &zh_text,
            e..en_idx[0],
            z..zh_idx[0],
            &mut rows,
        );
        e = en_idx.last().map_or(e, |l| l + 1);
        z = zh_idx.last().map_or(z, |l| l + 1);
        // Unmarked blocks inside an anchor's span go with it; one row, sentences aligned within.
        let mut row = PairRow {
            en: (en_idx[0]..e).collect(),
            zh: (zh_idx[0]..z).collect(),
            sentences: Vec::new(),
        };
        let mut inner = Vec::new();
        align_stretch(
            &aligner,
            &en_text,
            &zh_text,
            en_idx[0]..e,
            zh_idx[0]..z,
            &mut inner,
        );
        row.sentences = inner.into_iter().flat_map(|r| r.sentences).collect();
        rows.push(row);
    }
    align_stretch(
        &aligner,
        &en_text,
        &zh_text,
        e..en.len(),
        z..zh.len(),
        &mut rows,
    );
    rows
}

/// Aligns the blocks `en` × `zh` (ranges of block indices) into rows.
fn align_stretch(
    aligner: &Aligner,
    en_text: &[String],
    zh_text: &[String],
    en: Range<usize>,
    zh: Range<usize>,
    rows: &mut Vec<PairRow>,
) {
    if en.is_empty() && zh.is_empty() {
        return;
    }
    let beads = aligner.align_article(&en_text[en.clone()], &zh_text[zh.clone()]);
    let at = |base: usize, s: &duizhao_align::SentenceRef| SentenceAt {
        block: base + s.paragraph,
        bytes: s.bytes.clone(),
    };
    for bead in beads {
        rows.push(PairRow {
            en: (en.start + bead.en.start..en.start + bead.en.end).collect(),
            zh: (zh.start + bead.zh.start..zh.start + bead.zh.end).collect(),
            sentences: bead
                .sentences
                .iter()
                .map(|s| SentencePair {
                    en: s.en.iter().map(|x| at(en.start, x)).collect(),
                    zh: s.zh.iter().map(|x| at(zh.start, x)).collect(),
                })
                .collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::BlockKind;

    fn blocks(texts: &[(&str, Option<&str>)]) -> Vec<Block> {
        texts
            .iter()
            .map(|(t, p)| Block {
                kind: BlockKind::Paragraph,
                html: format!("<p>{t}</p>\n"),
                pair: p.map(str::to_owned),
                marked: None,
            })
            .collect()
    }

    fn shape(rows: &[PairRow]) -> Vec<(Vec<usize>, Vec<usize>)> {
        rows.iter().map(|r| (r.en.clone(), r.zh.clone())).collect()
    }

    #[test]
    fn translated_paragraphs_pair_one_to_one_with_their_sentences() {
        let en = blocks(&[
            (
                "The committee met in May 2023. It approved the budget.",
                None,
            ),
            ("Who pays? Nobody knows.", None),
        ]);
        let zh = blocks(&[
            ("委员会于2023年5月开会。会议批准了预算。", None),
            ("谁来付钱？没人知道。", None),
        ]);
        let rows = pair_blocks(&en, &zh);
        assert_eq!(shape(&rows), [(vec![0], vec![0]), (vec![1], vec![1])]);
        assert_eq!(rows[0].sentences.len(), 2);
        let first = &rows[0].sentences[0];
        let text = text_content(&en[0].html);
        assert_eq!(
            &text[first.en[0].bytes.clone()],
            "The committee met in May 2023."
        );
        let ztext = text_content(&zh[0].html);
        assert_eq!(&ztext[first.zh[0].bytes.clone()], "委员会于2023年5月开会。");
    }

    #[test]
    fn a_merged_paragraph_is_found_without_markers() {
        let en = blocks(&[
            ("Prices rose 5% in 2024.", None),
            ("Wages rose by less than half of that.", None),
            ("The central bank held rates at 3.5% in March.", None),
        ]);
        let zh = blocks(&[
            ("2024年物价上涨了5%，工资涨幅却不到其一半。", None),
            ("央行在三月把利率维持在3.5%。", None),
        ]);
        let rows = pair_blocks(&en, &zh);
        assert_eq!(shape(&rows), [(vec![0, 1], vec![0]), (vec![2], vec![1])]);
    }

    #[test]
    fn markers_override_the_aligner() {
        // The editor says English 0 goes with Chinese 1; the rest is aligned around it.
        let en = blocks(&[("One.", Some("m")), ("Two.", None)]);
        let zh = blocks(&[("前言。", None), ("一。", Some("m")), ("二。", None)]);
        let rows = pair_blocks(&en, &zh);
        let shown_en: Vec<usize> = rows.iter().flat_map(|r| r.en.clone()).collect();
        let shown_zh: Vec<usize> = rows.iter().flat_map(|r| r.zh.clone()).collect();
        assert_eq!(shown_en, [0, 1]);
        assert_eq!(shown_zh, [0, 1, 2]);
        assert!(rows.iter().any(|r| r.en == [0] && r.zh == [1]), "{rows:?}");
    }

    #[test]
    fn one_sided_or_crossing_markers_are_ignored_and_nothing_is_lost() {
        let en = blocks(&[("A.", Some("a")), ("B.", Some("b")), ("C.", None)]);
        let zh = blocks(&[("乙。", Some("b")), ("甲。", Some("a")), ("丙。", None)]);
        let rows = pair_blocks(&en, &zh);
        let shown_en: Vec<usize> = rows.iter().flat_map(|r| r.en.clone()).collect();
        let shown_zh: Vec<usize> = rows.iter().flat_map(|r| r.zh.clone()).collect();
        assert_eq!(shown_en, [0, 1, 2]);
        assert_eq!(shown_zh, [0, 1, 2]);
        let rows = pair_blocks(&blocks(&[]), &blocks(&[("只有中文。", None)]));
        assert_eq!(shape(&rows), [(vec![], vec![0])]);
    }
}
