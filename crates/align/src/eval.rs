//! Scoring an alignment against a gold one: strict and lax precision, recall and F1 as defined by
//! Sennrich & Volk (2010) and used by vecalign and Bertalign.
//!
//! A test bead is a *strict* true positive when the gold alignment has exactly that bead. It is a
//! *lax* true positive when it is exact, or when some English unit of it is aligned in the gold
//! to some Chinese unit of it. Beads empty on both sides are ignored. Recall is the same count
//! with the roles of gold and test exchanged.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::Bead;

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    /// Correct beads among those proposed.
    pub precision: f64,
    /// Gold beads found.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Strict and lax scores of a test alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Exact bead matches.
    pub strict: Prf,
    /// Beads that overlap a gold bead on both sides count as correct.
    pub lax: Prf,
}

/// Scores `test` against `gold`.
pub fn score(gold: &[Bead], test: &[Bead]) -> Scores {
    let (ps, pl) = precision(gold, test);
    let (rs, rl) = precision(test, gold);
    Scores {
        strict: Prf::new(ps, rs),
        lax: Prf::new(pl, rl),
    }
}

/// (strict, lax) share of `test` beads that `reference` confirms.
fn precision(reference: &[Bead], test: &[Bead]) -> (f64, f64) {
    let exact: FxHashSet<&Bead> = reference.iter().collect();
    let mut links: FxHashMap<usize, Vec<std::ops::Range<usize>>> = FxHashMap::default();
    for b in reference {
        for e in b.en.clone() {
            links.entry(e).or_default().push(b.zh.clone());
        }
    }
    let test: FxHashSet<&Bead> = test
        .iter()
        .filter(|b| !b.en.is_empty() || !b.zh.is_empty())
        .collect();
    let (mut strict, mut lax) = (0usize, 0usize);
    for b in &test {
        if exact.contains(b) {
            strict += 1;
            lax += 1;
        } else if b.en.clone().any(|e| {
            links
                .get(&e)
                .is_some_and(|zs| zs.iter().any(|z| z.start < b.zh.end && b.zh.start < z.end))
        }) {
            lax += 1;
        }
    }
    let n = test.len().max(1) as f64;
    (strict as f64 / n, lax as f64 / n)
}

/// Merges consecutive beads that fall within one reference unit, as Bertalign's Bible evaluation
/// does with verses: `en_unit[i]` and `zh_unit[j]` name the unit (a verse id) of each sentence.
///
/// A bead belongs to a unit when all its sentences on each side do, and both sides name the same
/// unit (an empty side takes the other side's). Gold built from verses cannot tell a verse split in
/// two sentence beads from the verse as one bead; merging makes the two count alike.
pub fn merge_within_units<S: AsRef<str>>(
    beads: &[Bead],
    en_unit: &[S],
    zh_unit: &[S],
) -> Vec<Bead> {
    let unit_of = |b: &Bead| -> Option<&str> {
        match (
            side_unit(&b.en, en_unit).ok()?,
            side_unit(&b.zh, zh_unit).ok()?,
        ) {
            (Some(e), Some(z)) => (e == z).then_some(e),
            (Some(u), None) | (None, Some(u)) => Some(u),
            (None, None) => None,
        }
    };
    let mut out: Vec<Bead> = Vec::with_capacity(beads.len());
    let mut last: Option<&str> = None;
    for b in beads {
        let unit = unit_of(b);
        match (out.last_mut(), unit) {
            (Some(prev), Some(u)) if last == Some(u) => {
                prev.en = merge_range(&prev.en, &b.en);
                prev.zh = merge_range(&prev.zh, &b.zh);
            }
            _ => out.push(b.clone()),
        }
        last = unit;
    }
    out
}

/// The one unit of all sentences in `r` (`Ok(None)` when `r` is empty, `Err` for several).
fn side_unit<'a, S: AsRef<str>>(
    r: &std::ops::Range<usize>,
    units: &'a [S],
) -> Result<Option<&'a str>, ()> {
    let mut it = r.clone().map(|i| units[i].as_ref());
    let Some(first) = it.next() else {
        return Ok(None);
    };
    if it.all(|u| u == first) {
        Ok(Some(first))
    } else {
        Err(())
    }
}

fn merge_range(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.clone(),
        (_, true) => a.clone(),
        _ => a.start.min(b.start)..a.end.max(b.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(en: std::ops::Range<usize>, zh: std::ops::Range<usize>) -> Bead {
        Bead::new(en, zh)
    }

    #[test]
    fn strict_and_lax() {
        let gold = [b(0..1, 0..1), b(1..3, 1..4), b(3..4, 4..5)];
        let test = [b(0..1, 0..1), b(1..2, 1..3), b(2..3, 3..4), b(3..4, 4..5)];
        let s = score(&gold, &test);
        assert_eq!(s.strict.precision, 0.5);
        assert!((s.strict.recall - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.lax.precision, 1.0);
        assert_eq!(s.lax.recall, 1.0);
        // A bead with nothing in common with the gold is wrong both ways.
        let s = score(&gold, &[b(0..1, 4..5)]);
        assert_eq!((s.strict.precision, s.lax.precision), (0.0, 0.0));
    }

    #[test]
    fn merges_beads_within_a_verse() {
        let en = ["v1", "v2", "v2", "v3"];
        let zh = ["v1", "v2", "v2", "v2", "v3"];
        let test = [
            b(0..1, 0..1),
            b(1..2, 1..3),
            b(2..3, 3..4),
            b(3..3, 4..4),
            b(3..4, 4..5),
        ];
        let merged = merge_within_units(&test, &en, &zh);
        assert_eq!(
            merged,
            [b(0..1, 0..1), b(1..3, 1..4), b(3..3, 4..4), b(3..4, 4..5)]
        );
        // A bead spanning two verses is never merged into its neighbours.
        let merged = merge_within_units(&[b(0..2, 0..2), b(2..3, 2..4)], &en, &zh);
        assert_eq!(merged.len(), 2);
    }
}
