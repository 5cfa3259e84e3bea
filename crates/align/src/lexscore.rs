//! Lexical scores of candidate beads under the two IBM Model 1 directions.
//!
//! A bead's score is a log-likelihood ratio: how much better its Chinese tokens are explained by
//! its English words (and a NULL word) than by their overall frequency, plus the same with the
//! languages exchanged. A correct bead scores well above zero, a wrong one below, and merging
//! unrelated sentences into a bead dilutes every token's explanation, so it does not pay.
//!
//! For speed, the per-token sums `Σ_e p(z|e)` are computed once for every (English sentence,
//! Chinese sentence) pair that some bead of the band can contain; a bead then adds up to three of
//! them per token and takes one logarithm.

use crate::dp::Band;
use crate::features::Side;
use crate::lexicon::Ibm1;

#[derive(Debug)]
pub(crate) struct LexScores {
    /// Chinese window of each English unit: `wlo[i]..whi[i]`.
    wlo: Vec<usize>,
    whi: Vec<usize>,
    row_start: Vec<usize>,
    /// Per pair: start of its Chinese-token sums in `sz` and of its English-token sums in `se`.
    pz: Vec<usize>,
    pe: Vec<usize>,
    sz: Vec<f32>,
    se: Vec<f32>,
    /// Per unit: tokens' NULL probabilities and the sum of their negative log background.
    null_z: Vec<Vec<f32>>,
    null_e: Vec<Vec<f32>>,
    bg_z: Vec<f32>,
    bg_e: Vec<f32>,
}

impl LexScores {
    /// Pair sums for every pair a bead of at most `max_a` English units in `band` can hold.
    pub fn new(en: &Side, zh: &Side, ze: &Ibm1, ez: &Ibm1, band: &Band, max_a: usize) -> Self {
        let n = en.tokens.len();
        let m = zh.tokens.len();
        let mut wlo = Vec::with_capacity(n);
        let mut whi = Vec::with_capacity(n);
        for i in 0..n {
            wlo.push(band.lo[i.saturating_sub(max_a - 1)].min(m));
            whi.push(band.hi[(i + max_a).min(n)].min(m));
        }
        let mut row_start = Vec::with_capacity(n + 1);
        let mut pairs = 0;
        for i in 0..n {
            row_start.push(pairs);
            pairs += whi[i] - wlo[i];
        }
        row_start.push(pairs);
        let mut pz = Vec::with_capacity(pairs);
        let mut pe = Vec::with_capacity(pairs);
        let (mut nz, mut ne) = (0, 0);
        for i in 0..n {
            for j in wlo[i]..whi[i] {
                pz.push(nz);
                pe.push(ne);
                nz += zh.tokens[j].len();
                ne += en.tokens[i].len();
            }
        }
        let mut sz = vec![0.0f32; nz];
        let mut se = vec![0.0f32; ne];
        // Chinese-token sums: a dense accumulator over the Chinese vocabulary per English unit.
        let mut acc = vec![0.0f32; zh.vocab];
        for i in 0..n {
            for &e in &en.tokens[i] {
                for &(z, p) in ze.table.get(e as usize).map_or(&[][..], |v| v) {
                    acc[z as usize] += p;
                }
            }
            for j in wlo[i]..whi[i] {
                let base = pz[row_start[i] + j - wlo[i]];
                for (k, &z) in zh.tokens[j].iter().enumerate() {
                    sz[base + k] = acc[z as usize];
                }
            }
            for &e in &en.tokens[i] {
                for &(z, _) in ze.table.get(e as usize).map_or(&[][..], |v| v) {
                    acc[z as usize] = 0.0;
                }
            }
        }
        // English-token sums: per Chinese unit, over the English units whose window holds it.
        let mut acc = vec![0.0f32; en.vocab];
        let mut first = 0;
        for j in 0..m {
            for &z in &zh.tokens[j] {
                for &(e, p) in ez.table.get(z as usize).map_or(&[][..], |v| v) {
                    acc[e as usize] += p;
                }
            }
            while first < n && whi[first] <= j {
                first += 1;
            }
            let mut i = first;
            while i < n && wlo[i] <= j {
                if j < whi[i] {
                    let base = pe[row_start[i] + j - wlo[i]];
                    for (k, &e) in en.tokens[i].iter().enumerate() {
                        se[base + k] = acc[e as usize];
                    }
                }
                i += 1;
            }
            for &z in &zh.tokens[j] {
                for &(e, _) in ez.table.get(z as usize).map_or(&[][..], |v| v) {
                    acc[e as usize] = 0.0;
                }
            }
        }
        let null_of = |side: &Side, model: &Ibm1| -> (Vec<Vec<f32>>, Vec<f32>) {
            let nulls = side
                .tokens
                .iter()
                .map(|t| t.iter().map(|&x| model.null[x as usize]).collect())
                .collect();
            let bg = side
                .tokens
                .iter()
                .map(|t| t.iter().map(|&x| -model.background[x as usize].ln()).sum())
                .collect();
            (nulls, bg)
        };
        let (null_z, bg_z) = null_of(zh, ze);
        let (null_e, bg_e) = null_of(en, ez);
        LexScores {
            wlo,
            whi,
            row_start,
            pz,
            pe,
            sz,
            se,
            null_z,
            null_e,
            bg_z,
            bg_e,
        }
    }

    fn pair(&self, i: usize, j: usize) -> Option<usize> {
        (j >= self.wlo[i] && j < self.whi[i]).then(|| self.row_start[i] + j - self.wlo[i])
    }

    /// Log-likelihood ratio of the bead English `i0..i1`, Chinese `j0..j1` (both non-empty).
    pub fn llr(&self, en: &Side, zh: &Side, i0: usize, i1: usize, j0: usize, j1: usize) -> f32 {
        let mut total = 0.0f32;
        // Chinese given English.
        let len_e: usize = (i0..i1).map(|i| en.tokens[i].len()).sum();
        let norm = ((len_e + 1) as f32).ln();
        for j in j0..j1 {
            let nulls = &self.null_z[j];
            let mut sums = [None; 4];
            for (s, i) in sums.iter_mut().zip(i0..i1) {
                *s = self
                    .pair(i, j)
                    .map(|p| &self.sz[self.pz[p]..self.pz[p] + nulls.len()]);
            }
            for (k, &nl) in nulls.iter().enumerate() {
                let mut p = nl;
                for s in sums.iter().flatten() {
                    p += s[k];
                }
                total += p.ln() - norm;
            }
            total += self.bg_z[j];
        }
        // English given Chinese.
        let len_z: usize = (j0..j1).map(|j| zh.tokens[j].len()).sum();
        let norm = ((len_z + 1) as f32).ln();
        for i in i0..i1 {
            let nulls = &self.null_e[i];
            let mut sums = [None; 4];
            for (s, j) in sums.iter_mut().zip(j0..j1) {
                *s = self
                    .pair(i, j)
                    .map(|p| &self.se[self.pe[p]..self.pe[p] + nulls.len()]);
            }
            for (k, &nl) in nulls.iter().enumerate() {
                let mut p = nl;
                for s in sums.iter().flatten() {
                    p += s[k];
                }
                total += p.ln() - norm;
            }
            total += self.bg_e[i];
        }
        total
    }
}
