//! Aligning an article: its English and Chinese paragraphs, then the sentences inside each pair of
//! aligned paragraphs.

use std::ops::Range;

use crate::engine::{self, Blocks};
use crate::{Aligner, Bead, features, segment};

/// A sentence of an article: its paragraph and its byte range in that paragraph's text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SentenceRef {
    /// Index of the paragraph.
    pub paragraph: usize,
    /// Byte range of the sentence within the paragraph (white space trimmed).
    pub bytes: Range<usize>,
}

/// Consecutive English sentences aligned with consecutive Chinese ones (either side may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SentenceBead {
    /// The English sentences, in order.
    pub en: Vec<SentenceRef>,
    /// The Chinese sentences, in order.
    pub zh: Vec<SentenceRef>,
}

/// English paragraphs aligned with Chinese paragraphs, and the sentence beads inside them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ParagraphBead {
    /// English paragraph indices.
    pub en: Range<usize>,
    /// Chinese paragraph indices.
    pub zh: Range<usize>,
    /// The sentence alignment inside these paragraphs; it covers all their sentences.
    pub sentences: Vec<SentenceBead>,
}

impl ParagraphBead {
    /// The paragraph-level bead.
    pub fn bead(&self) -> Bead {
        Bead::new(self.en.clone(), self.zh.clone())
    }
}

fn sentences<S: AsRef<str>>(
    paragraphs: &[S],
    split: impl Fn(&str) -> Vec<Range<usize>>,
) -> Vec<SentenceRef> {
    paragraphs
        .iter()
        .enumerate()
        .flat_map(|(p, text)| {
            split(text.as_ref())
                .into_iter()
                .map(move |bytes| SentenceRef {
                    paragraph: p,
                    bytes,
                })
        })
        .collect()
}

pub(crate) fn align<E: AsRef<str>, Z: AsRef<str>>(
    aligner: &Aligner,
    en: &[E],
    zh: &[Z],
) -> Vec<ParagraphBead> {
    let (pe, pz) = features::build(en, zh);
    let paragraphs = engine::align(
        &pe,
        &pz,
        engine::PARAGRAPH_SHAPES,
        aligner.method,
        &aligner.weights,
        None,
    );
    let en_s = sentences(en, segment::en);
    let zh_s = sentences(zh, |t| segment::zh_with(t, aligner.zh_semicolons));
    // Each sentence belongs to the paragraph bead of its paragraph.
    let mut bead_of_en = vec![0; en.len()];
    let mut bead_of_zh = vec![0; zh.len()];
    for (k, b) in paragraphs.iter().enumerate() {
        b.en.clone().for_each(|p| bead_of_en[p] = k);
        b.zh.clone().for_each(|p| bead_of_zh[p] = k);
    }
    let block_en: Vec<usize> = en_s.iter().map(|s| bead_of_en[s.paragraph]).collect();
    let block_zh: Vec<usize> = zh_s.iter().map(|s| bead_of_zh[s.paragraph]).collect();
    let mut corners = vec![(0, 0)];
    for k in 0..paragraphs.len() {
        let i = block_en.iter().filter(|&&b| b <= k).count();
        let j = block_zh.iter().filter(|&&b| b <= k).count();
        if corners.last() != Some(&(i, j)) {
            corners.push((i, j));
        }
    }
    let text = |refs: &[SentenceRef], paras: &[&str]| -> Vec<String> {
        refs.iter()
            .map(|s| paras[s.paragraph][s.bytes.clone()].to_owned())
            .collect()
    };
    let en_p: Vec<&str> = en.iter().map(AsRef::as_ref).collect();
    let zh_p: Vec<&str> = zh.iter().map(AsRef::as_ref).collect();
    let (se, sz) = features::build(&text(&en_s, &en_p), &text(&zh_s, &zh_p));
    let blocks = Blocks {
        en: &block_en,
        zh: &block_zh,
        corners: &corners,
    };
    let beads = engine::align(
        &se,
        &sz,
        engine::SENTENCE_SHAPES,
        aligner.method,
        &aligner.weights,
        Some(&blocks),
    );
    let mut out: Vec<ParagraphBead> = paragraphs
        .into_iter()
        .map(|b| ParagraphBead {
            en: b.en,
            zh: b.zh,
            sentences: Vec::new(),
        })
        .collect();
    for b in beads {
        let k = match (b.en.start < b.en.end, b.zh.start < b.zh.end) {
            (true, _) => block_en[b.en.start],
            (_, true) => block_zh[b.zh.start],
            _ => continue,
        };
        out[k].sentences.push(SentenceBead {
            en: en_s[b.en].to_vec(),
            zh: zh_s[b.zh].to_vec(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_then_sentences() {
        let en = [
            "The council met on Monday. It approved the 2024 budget of $5 million.",
            "Critics objected. \"Who will pay?\" asked one.",
            "The vote was 7 to 2.",
        ];
        let zh = [
            "市议会周一开会，批准了二〇二四年五百万美元的预算。",
            "批评者表示反对。",
            "一人问道：“谁来付钱？”",
            "表决结果为七比二。",
        ];
        let beads = Aligner::new().align_article(&en, &zh);
        let shape: Vec<_> = beads.iter().map(|b| (b.en.clone(), b.zh.clone())).collect();
        assert_eq!(shape, [(0..1, 0..1), (1..2, 1..3), (2..3, 3..4)]);
        // The first English paragraph's two sentences are one Chinese sentence.
        let s = &beads[0].sentences;
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].en.len(), s[0].zh.len()), (2, 1));
        assert_eq!(
            &en[0][s[0].en[1].bytes.clone()],
            "It approved the 2024 budget of $5 million."
        );
        // Sentence beads cover every sentence, in order.
        let second = &beads[1].sentences;
        assert_eq!(second.len(), 2);
        assert_eq!(second[1].zh[0].paragraph, 2);
    }

    /// Long paragraphs of uneven length align one to one. (Thirty five-verse paragraphs of the
    /// Bible set were once merged two by two, before each bead paid for how its Chinese length
    /// splits among its units; this synthetic text does not reproduce that failure.)
    #[test]
    fn long_paragraphs_stay_one_to_one() {
        let sizes = [40, 25, 60, 35, 50, 30, 45, 55, 20, 40, 65, 30];
        let en: Vec<String> = sizes
            .iter()
            .map(|&n| "The river rose again. ".repeat(n / 4) + &"word ".repeat(n))
            .collect();
        let zh: Vec<String> = sizes
            .iter()
            .map(|&n| "河水又涨了。".repeat(n / 4) + &"字".repeat(n * 6 / 5))
            .collect();
        let beads = Aligner::new().align_article(&en, &zh);
        assert_eq!(beads.len(), sizes.len());
        assert!(beads.iter().all(|b| b.bead().shape() == (1, 1)));
    }

    #[test]
    fn empty_sides() {
        let beads = Aligner::new().align_article(&["Only English."], &[] as &[&str]);
        assert_eq!(beads.len(), 1);
        assert_eq!(beads[0].sentences[0].zh, []);
        assert!(
            Aligner::new()
                .align_article(&[] as &[&str], &[] as &[&str])
                .is_empty()
        );
    }
}
