//! The aligner proper: a length-and-anchor pass, a lexicon learned from its surest beads, and a
//! second pass with the lexicon, each a banded dynamic programme. Also the Gale–Church baseline on
//! the same dynamic programme.

use crate::dp::{self, Band};
use crate::features::Side;
use crate::gale_church;
use crate::lexicon::Ibm1;
use crate::lexscore::LexScores;
use crate::{Bead, Method};

/// Bead shapes for sentences (1-1, 1-2, 2-1, 1-0, 0-1, 2-2, 1-3, 3-1).
pub(crate) const SENTENCE_SHAPES: &[(usize, usize)] = &[
    (1, 1),
    (1, 2),
    (2, 1),
    (1, 0),
    (0, 1),
    (2, 2),
    (1, 3),
    (3, 1),
];
/// Bead shapes for paragraphs (1-1, 1-2, 2-1, 1-0, 0-1, 2-2).
pub(crate) const PARAGRAPH_SHAPES: &[(usize, usize)] =
    &[(1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2)];

/// Tunable weights of the cost; the defaults are what the README reports.
#[derive(Clone, Debug)]
pub(crate) struct Weights {
    /// Scale of the lexical log-likelihood ratio against the length model.
    pub lexical: f32,
    /// Reward for each number found on both sides of a bead.
    pub number: f32,
    /// Reward for each Latin-script word of the Chinese found in the English of a bead.
    pub latin: f32,
    /// Cost per question mark, exclamation mark, quotation that one side has and the other lacks.
    pub marks: [f32; 3],
    /// Half-width of the first pass's band around the length diagonal (widened when touched).
    pub first_band: usize,
    /// Half-width of the second pass's band around the first pass's path.
    pub second_band: usize,
    /// EM iterations of the lexicon.
    pub iterations: usize,
    /// Fewest confident beads worth learning a lexicon from.
    pub min_lexicon_beads: usize,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            lexical: 0.5,
            number: 3.0,
            latin: 3.0,
            marks: [1.5, 0.7, 0.5],
            first_band: 40,
            second_band: 8,
            iterations: 5,
            min_lexicon_beads: 60,
        }
    }
}

/// The length model: Chinese length ~ N(c·English length, s2·English length); an unaligned
/// Chinese unit's length is exponential with mean `mean_zh`.
#[derive(Clone, Debug)]
struct Params {
    c: f32,
    s2: f32,
    mean_zh: f32,
    /// `-ln prior` per shape.
    prior: Vec<f32>,
}

/// Confines an alignment to blocks: unit `i` of English and `j` of Chinese may share a bead only
/// when `en[i] == zh[j]`; `corners` is the path of block corners (the paragraph beads).
#[derive(Debug)]
pub(crate) struct Blocks<'a> {
    pub en: &'a [usize],
    pub zh: &'a [usize],
    pub corners: &'a [(usize, usize)],
}

impl Blocks<'_> {
    fn allows(&self, i: usize, a: usize, j: usize, b: usize) -> bool {
        let block = if a > 0 {
            self.en[i - 1]
        } else {
            self.zh[j - 1]
        };
        self.en[i - a..i].iter().all(|&x| x == block)
            && self.zh[j - b..j].iter().all(|&x| x == block)
    }
}

/// Aligns two sides of features; `shapes` lists the allowed beads.
pub(crate) fn align(
    en: &Side,
    zh: &Side,
    shapes: &[(usize, usize)],
    method: Method,
    w: &Weights,
    blocks: Option<&Blocks<'_>>,
) -> Vec<Bead> {
    let (n, m) = (en.len.len(), zh.len.len());
    if n == 0 || m == 0 {
        return trivial(n, m);
    }
    if method == Method::GaleChurch {
        return gale_church(en, zh, w.first_band, blocks);
    }
    let total_e: f32 = en.len.iter().sum::<f32>().max(1.0);
    let total_z: f32 = zh.len.iter().sum::<f32>().max(1.0);
    let c = total_z / total_e;
    let mut params = Params {
        c,
        s2: 6.8 * c,
        mean_zh: total_z / m as f32,
        prior: shapes.iter().map(|&s| -default_prior(s).ln()).collect(),
    };
    // Pass 1, twice: the second, in a narrow band around the first, with the length model and
    // priors re-estimated from the first.
    let allowed =
        |i: usize, a: usize, j: usize, b: usize| blocks.is_none_or(|x| x.allows(i, a, j, b));
    let mut path = match blocks {
        Some(x) => x.corners.to_vec(),
        None => coarse_path(&en.len, &zh.len),
    };
    for width in [w.first_band, w.second_band] {
        let guide = path;
        path = widening(
            n,
            m,
            width,
            blocks,
            |width| Band::around_path(&guide, n, m, width),
            |band| {
                dp::best_path(n, m, band, shapes, |k, i, a, j, b| {
                    if !allowed(i, a, j, b) {
                        return f32::INFINITY;
                    }
                    base_cost(en, zh, &params, w, k, i, a, j, b)
                })
            },
        );
        reestimate(&mut params, en, zh, &path, shapes);
    }
    if method == Method::LengthAnchors {
        return to_beads(&path);
    }
    let Some((ze, ez)) = learn_lexicon(en, zh, &params, &path, w) else {
        return to_beads(&path);
    };
    let max_a = shapes.iter().map(|s| s.0).max().unwrap_or(1);
    let first = path.clone();
    let path = widening(
        n,
        m,
        w.second_band,
        blocks,
        |width| Band::around_path(&first, n, m, width),
        |band| {
            let lex = LexScores::new(en, zh, &ze, &ez, band, max_a);
            dp::best_path(n, m, band, shapes, |k, i, a, j, b| {
                if !allowed(i, a, j, b) {
                    return f32::INFINITY;
                }
                let mut cost = base_cost(en, zh, &params, w, k, i, a, j, b);
                if a > 0 && b > 0 {
                    cost -= w.lexical * lex.llr(en, zh, i - a, i, j - b, j);
                }
                cost
            })
        },
    );
    to_beads(&path)
}

/// Runs `search` in a band of `width`, doubling the width while the best path runs along an
/// edge of the band (a sign that the band cut off a better path), as hunalign does. Within
/// blocks the band is the blocks themselves.
fn widening(
    n: usize,
    m: usize,
    mut width: usize,
    blocks: Option<&Blocks<'_>>,
    make: impl Fn(usize) -> Band,
    mut search: impl FnMut(&Band) -> Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    if let Some(x) = blocks {
        return search(&Band::around_path(x.corners, n, m, 0));
    }
    loop {
        let band = make(width);
        let path = search(&band);
        let full = width >= n.max(m);
        if full || !path.iter().any(|&(i, j)| band.touches_edge(i, j, m)) {
            return path;
        }
        width *= 2;
    }
}

fn default_prior((a, b): (usize, usize)) -> f32 {
    match (a, b) {
        (1, 1) => 0.85,
        (1, 0) | (0, 1) => 0.005,
        (1, 2) | (2, 1) => 0.05,
        (2, 2) => 0.01,
        _ => 0.005,
    }
}

/// A rough path to search around: blocks of about `n / 600` sentences aligned by their lengths
/// over the whole (small) block table, mapped back to sentence indices. It is only a guide: on the
/// Bible set the true path strays over 150 sentences from the length diagonal and tens from this
/// path, and the band widens (see [`widening`]) until the best path no longer touches its edge.
fn coarse_path(en: &[f32], zh: &[f32]) -> Vec<(usize, usize)> {
    const MAX_BLOCKS: usize = 600;
    let (n, m) = (en.len(), zh.len());
    let k = n.max(m).div_ceil(MAX_BLOCKS).max(1);
    // Block sizes proportional to the sentence counts, so both sides have about as many blocks.
    let nb = n.div_ceil(k).max(1);
    let bounds = |len: usize| -> Vec<usize> { (0..=nb).map(|b| b * len / nb).collect() };
    let (be, bz) = (bounds(n), bounds(m));
    let sum = |v: &[f32], b: &[usize]| -> Vec<f32> {
        b.windows(2).map(|w| v[w[0]..w[1]].iter().sum()).collect()
    };
    let (le, lz) = (sum(en, &be), sum(zh, &bz));
    let c = f64::from(lz.iter().sum::<f32>()) / f64::from(le.iter().sum::<f32>()).max(1.0);
    let shapes = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2)];
    let prior = [0.1f64, 3.0, 3.0, 5.0, 5.0, 3.0];
    let center: Vec<f64> = (0..=nb).map(|i| i as f64).collect();
    let band = Band::around(&center, nb, nb);
    let path = dp::best_path(nb, nb, &band, &shapes, |kk, i, a, j, b| {
        let l1: f32 = le[i - a..i].iter().sum();
        let l2: f32 = lz[j - b..j].iter().sum();
        (prior[kk] + gale_church::match_cost(f64::from(l1), f64::from(l2), c, 6.8 * c)) as f32
    });
    path.into_iter().map(|(i, j)| (be[i], bz[j])).collect()
}

#[allow(clippy::too_many_arguments)]
fn base_cost(
    en: &Side,
    zh: &Side,
    p: &Params,
    w: &Weights,
    k: usize,
    i: usize,
    a: usize,
    j: usize,
    b: usize,
) -> f32 {
    let mut cost = p.prior[k];
    let le = en.cum_len[i] - en.cum_len[i - a];
    let lz = zh.cum_len[j] - zh.cum_len[j - b];
    if a == 0 {
        return cost + p.mean_zh.ln() + lz / p.mean_zh;
    }
    if b == 0 {
        return cost;
    }
    let le = le.max(1.0);
    let var = p.s2 * le;
    let d = lz - p.c * le;
    cost += d * d / (2.0 * var) + 0.5 * (std::f32::consts::TAU * var).ln();
    // The density above is of the bead's total Chinese length; how that total splits among `b`
    // sentences is uniform, density (b-1)!/lz^(b-1). Without this term a bead of several long
    // units would look likelier than the same units aligned one to one.
    if b > 1 {
        let lz = lz.max(1.0);
        cost += (b - 1) as f32 * lz.ln() - LN_FACTORIAL[b - 1];
    }
    if en.cum_anchors[i] != en.cum_anchors[i - a] || zh.cum_anchors[j] != zh.cum_anchors[j - b] {
        cost += anchor_cost(en, zh, w, i - a..i, j - b..j);
    }
    cost
}

fn anchor_cost(
    en: &Side,
    zh: &Side,
    w: &Weights,
    ei: std::ops::Range<usize>,
    zj: std::ops::Range<usize>,
) -> f32 {
    let mut cost = 0.0;
    let mut me = [0i32; 3];
    let mut mz = [0i32; 3];
    for i in ei.clone() {
        for (x, &y) in me.iter_mut().zip(&en.marks[i]) {
            *x += i32::from(y);
        }
    }
    for j in zj.clone() {
        for (x, &y) in mz.iter_mut().zip(&zh.marks[j]) {
            *x += i32::from(y);
        }
    }
    for k in 0..3 {
        cost += w.marks[k] * (me[k] - mz[k]).unsigned_abs() as f32;
    }
    let nums_e = ei.clone().map(|i| en.numbers[i].len()).sum::<usize>();
    let nums_z = zj.clone().map(|j| zh.numbers[j].len()).sum::<usize>();
    if nums_e > 0 && nums_z > 0 {
        let mut zs: Vec<_> = zj
            .clone()
            .flat_map(|j| zh.numbers[j].iter().copied())
            .collect();
        let mut found = 0;
        for v in ei.clone().flat_map(|i| en.numbers[i].iter()) {
            if let Some(pos) = zs.iter().position(|x| x == v) {
                zs.swap_remove(pos);
                found += 1;
            }
        }
        cost -= w.number * found as f32;
    }
    let lat_z = zj.clone().map(|j| zh.latin[j].len()).sum::<usize>();
    if lat_z > 0 {
        let found = zj
            .flat_map(|j| zh.latin[j].iter())
            .filter(|id| ei.clone().any(|i| en.latin[i].contains(id)))
            .count();
        cost -= w.latin * found as f32;
    }
    cost
}

/// Re-estimates the length model and the shape priors from a path.
fn reestimate(
    p: &mut Params,
    en: &Side,
    zh: &Side,
    path: &[(usize, usize)],
    shapes: &[(usize, usize)],
) {
    let mut counts = vec![1.0f32; shapes.len()];
    let (mut se, mut sz) = (0.0f32, 0.0f32);
    let mut pairs = Vec::new();
    for w in path.windows(2) {
        let ((i0, j0), (i1, j1)) = (w[0], w[1]);
        if let Some(k) = shapes.iter().position(|&s| s == (i1 - i0, j1 - j0)) {
            counts[k] += 1.0;
        }
        if i1 > i0 && j1 > j0 {
            let le: f32 = en.len[i0..i1].iter().sum();
            let lz: f32 = zh.len[j0..j1].iter().sum();
            se += le;
            sz += lz;
            pairs.push((le.max(1.0), lz));
        }
    }
    if pairs.len() < 10 {
        return;
    }
    p.c = sz / se.max(1.0);
    let mut dev: Vec<f32> = pairs
        .iter()
        .map(|&(le, lz)| (lz - p.c * le).powi(2) / le)
        .collect();
    dev.sort_by(f32::total_cmp);
    // The median of a χ²(1) variable is 0.455: a robust variance against misaligned beads.
    p.s2 = (dev[dev.len() / 2] / 0.455).max(0.05);
    let total: f32 = counts.iter().sum();
    p.prior = counts.iter().map(|&c| -(c / total).ln()).collect();
}

/// ln(k!) for k = 0..=3.
const LN_FACTORIAL: [f32; 4] = [0.0, 0.0, std::f32::consts::LN_2, 1.791_759_5];

/// A corner of the alignment table: (English units, Chinese units) aligned so far.
type Point = (usize, usize);

/// Trains the two lexicon directions on the beads of `path` the length model is surest of.
fn learn_lexicon(
    en: &Side,
    zh: &Side,
    p: &Params,
    path: &[(usize, usize)],
    w: &Weights,
) -> Option<(Ibm1, Ibm1)> {
    let mut pairs_ez = Vec::new();
    let beads: Vec<_> = path.windows(2).map(|w| (w[0], w[1])).collect();
    for (k, &((i0, j0), (i1, j1))) in beads.iter().enumerate() {
        let (a, b) = (i1 - i0, j1 - j0);
        if a == 0 || b == 0 || a > 2 || b > 2 {
            continue;
        }
        let null = |x: Option<&(Point, Point)>| {
            x.is_some_and(|&((i0, j0), (i1, j1))| i0 == i1 || j0 == j1)
        };
        if null(k.checked_sub(1).and_then(|k| beads.get(k))) || null(beads.get(k + 1)) {
            continue;
        }
        let le: f32 = en.len[i0..i1].iter().sum::<f32>().max(1.0);
        let lz: f32 = zh.len[j0..j1].iter().sum();
        if (lz - p.c * le).powi(2) / (p.s2 * le) > 4.0 {
            continue;
        }
        let e: Vec<u32> = (i0..i1)
            .flat_map(|i| en.tokens[i].iter().copied())
            .collect();
        let z: Vec<u32> = (j0..j1)
            .flat_map(|j| zh.tokens[j].iter().copied())
            .collect();
        pairs_ez.push((e, z));
    }
    if pairs_ez.len() < w.min_lexicon_beads {
        return None;
    }
    let ze = Ibm1::train(&pairs_ez, en.vocab, zh.vocab, &zh.tokens, w.iterations);
    let pairs_ze: Vec<_> = pairs_ez.into_iter().map(|(e, z)| (z, e)).collect();
    let ez = Ibm1::train(&pairs_ze, zh.vocab, en.vocab, &en.tokens, w.iterations);
    Some((ze, ez))
}

fn gale_church(en: &Side, zh: &Side, width: usize, blocks: Option<&Blocks<'_>>) -> Vec<Bead> {
    let (n, m) = (en.bytes.len(), zh.bytes.len());
    let c =
        f64::from(zh.bytes.iter().sum::<f32>()) / f64::from(en.bytes.iter().sum::<f32>()).max(1.0);
    let shapes: Vec<(usize, usize)> = gale_church::SHAPES.iter().map(|s| s.0).collect();
    let prior: Vec<f64> = gale_church::SHAPES.iter().map(|s| -s.1.ln()).collect();
    let guide = match blocks {
        Some(x) => x.corners.to_vec(),
        None => coarse_path(&en.bytes, &zh.bytes),
    };
    let path = widening(
        n,
        m,
        width,
        blocks,
        |w| Band::around_path(&guide, n, m, w),
        |band| {
            dp::best_path(n, m, band, &shapes, |k, i, a, j, b| {
                if blocks.is_some_and(|x| !x.allows(i, a, j, b)) {
                    return f32::INFINITY;
                }
                let l1: f32 = en.bytes[i - a..i].iter().sum();
                let l2: f32 = zh.bytes[j - b..j].iter().sum();
                (prior[k]
                    + gale_church::match_cost(f64::from(l1), f64::from(l2), c, gale_church::S2))
                    as f32
            })
        },
    );
    to_beads(&path)
}

fn to_beads(path: &[(usize, usize)]) -> Vec<Bead> {
    path.windows(2)
        .map(|w| Bead::new(w[0].0..w[1].0, w[0].1..w[1].1))
        .collect()
}

fn trivial(n: usize, m: usize) -> Vec<Bead> {
    (0..n)
        .map(|i| Bead::new(i..i + 1, 0..0))
        .chain((0..m).map(|j| Bead::new(0..0, j..j + 1)))
        .collect()
}
