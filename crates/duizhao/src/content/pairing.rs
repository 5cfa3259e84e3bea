//! Pairing the English and Chinese blocks of an article for parallel reading.
//!
//! Editors' markers come first: blocks carrying the same `<!-- pair: NAME -->` name on both
//! sides form one row, however many blocks each side has under that name. Between two such
//! anchors the blocks pair in order; when one side has more blocks there, the surplus joins the
//! last row of the stretch, so that every block is shown exactly once and in order.

use serde::{Deserialize, Serialize};

use super::markdown::Block;

/// One row of the parallel view: block indices on each side (either may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRow {
    /// Indices into the English blocks.
    pub en: Vec<usize>,
    /// Indices into the Chinese blocks.
    pub zh: Vec<usize>,
}

/// Pairs two block lists.
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

    let mut rows = Vec::new();
    let (mut e, mut z) = (0usize, 0usize);
    for (en_idx, zh_idx) in anchors {
        pair_stretch(&mut rows, e..en_idx[0], z..zh_idx[0]);
        e = en_idx.last().map_or(e, |l| l + 1);
        z = zh_idx.last().map_or(z, |l| l + 1);
        // Unmarked blocks inside an anchor's span go with it.
        rows.push(PairRow {
            en: (en_idx[0]..e).collect(),
            zh: (zh_idx[0]..z).collect(),
        });
    }
    pair_stretch(&mut rows, e..en.len(), z..zh.len());
    rows
}

fn pair_stretch(rows: &mut Vec<PairRow>, en: std::ops::Range<usize>, zh: std::ops::Range<usize>) {
    let common = en.len().min(zh.len());
    for k in 0..common {
        rows.push(PairRow {
            en: vec![en.start + k],
            zh: vec![zh.start + k],
        });
    }
    let en_rest: Vec<usize> = (en.start + common..en.end).collect();
    let zh_rest: Vec<usize> = (zh.start + common..zh.end).collect();
    if en_rest.is_empty() && zh_rest.is_empty() {
        return;
    }
    match rows.last_mut() {
        Some(last) if common > 0 => {
            last.en.extend(en_rest);
            last.zh.extend(zh_rest);
        }
        _ => rows.push(PairRow {
            en: en_rest,
            zh: zh_rest,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::BlockKind;

    fn blocks(pairs: &[Option<&str>]) -> Vec<Block> {
        pairs
            .iter()
            .map(|p| Block {
                kind: BlockKind::Paragraph,
                html: String::new(),
                pair: p.map(str::to_owned),
            })
            .collect()
    }

    fn row(en: &[usize], zh: &[usize]) -> PairRow {
        PairRow {
            en: en.to_vec(),
            zh: zh.to_vec(),
        }
    }

    #[test]
    fn equal_counts_pair_in_order() {
        let rows = pair_blocks(&blocks(&[None; 3]), &blocks(&[None; 3]));
        assert_eq!(rows, [row(&[0], &[0]), row(&[1], &[1]), row(&[2], &[2])]);
    }

    #[test]
    fn surplus_joins_the_last_row() {
        let rows = pair_blocks(&blocks(&[None; 4]), &blocks(&[None; 2]));
        assert_eq!(rows, [row(&[0], &[0]), row(&[1, 2, 3], &[1])]);
        let rows = pair_blocks(&blocks(&[]), &blocks(&[None; 2]));
        assert_eq!(rows, [row(&[], &[0, 1])]);
    }

    #[test]
    fn markers_override_the_order() {
        // English paragraphs 1 and 2 are translated by one Chinese paragraph.
        let en = blocks(&[None, Some("m"), Some("m"), None, None]);
        let zh = blocks(&[None, Some("m"), None, None]);
        let rows = pair_blocks(&en, &zh);
        assert_eq!(
            rows,
            [
                row(&[0], &[0]),
                row(&[1, 2], &[1]),
                row(&[3], &[2]),
                row(&[4], &[3])
            ]
        );
    }

    #[test]
    fn one_sided_or_crossing_markers_are_ignored() {
        let en = blocks(&[Some("a"), Some("b"), None]);
        let zh = blocks(&[Some("b"), Some("a"), None]);
        let rows = pair_blocks(&en, &zh);
        // "a" anchors first; "b" would cross it and is ignored.
        let shown_en: Vec<usize> = rows.iter().flat_map(|r| r.en.clone()).collect();
        let shown_zh: Vec<usize> = rows.iter().flat_map(|r| r.zh.clone()).collect();
        assert_eq!(shown_en, [0, 1, 2]);
        assert_eq!(shown_zh, [0, 1, 2]);
        let rows = pair_blocks(&blocks(&[Some("x"), None]), &blocks(&[None, None]));
        assert_eq!(rows, [row(&[0], &[0]), row(&[1], &[1])]);
    }
}
