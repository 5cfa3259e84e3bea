//! Banded dynamic programming over bead shapes.
//!
//! Cell `(i, j)` holds the cheapest alignment of the first `i` English and the first `j` Chinese
//! units. Only cells inside a band are computed: for row `i`, columns `lo[i]..=hi[i]`, with both
//! bounds non-decreasing in `i`. The work is linear in the document length times the band width.

/// The columns computed for each row.
#[derive(Clone, Debug)]
pub(crate) struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
}

impl Band {
    /// A band of half-width `width` around `center[i]` (one entry per row, `0..=n`), made
    /// monotone and anchored at `(0, 0)` and `(n, m)`.
    pub fn around(center: &[f64], m: usize, width: usize) -> Band {
        let n = center.len() - 1;
        let mut lo: Vec<usize> = center
            .iter()
            .map(|&c| (c.floor() as isize - width as isize).clamp(0, m as isize) as usize)
            .collect();
        let mut hi: Vec<usize> = center
            .iter()
            .map(|&c| ((c.ceil() as usize).saturating_add(width)).min(m))
            .collect();
        lo[0] = 0;
        hi[n] = m;
        Band::monotone(&mut lo, &mut hi);
        Band { lo, hi }
    }

    /// A band covering every cell a path passes through (rows and columns of each bead),
    /// widened by `width` on each side.
    pub fn around_path(path: &[(usize, usize)], n: usize, m: usize, width: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        for w in path.windows(2) {
            let ((i0, j0), (i1, j1)) = (w[0], w[1]);
            for i in i0..=i1 {
                lo[i] = lo[i].min(j0.saturating_sub(width));
                hi[i] = hi[i].max((j1 + width).min(m));
            }
        }
        if path.len() < 2 {
            lo.fill(0);
            hi.fill(m);
        }
        lo[0] = 0;
        hi[n] = m;
        Band::monotone(&mut lo, &mut hi);
        Band { lo, hi }
    }

    fn monotone(lo: &mut [usize], hi: &mut [usize]) {
        for i in (0..lo.len().saturating_sub(1)).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..hi.len() {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        // Consecutive rows must overlap so that a path can always continue.
        for i in 1..lo.len() {
            if lo[i] > hi[i - 1] {
                lo[i] = hi[i - 1];
            }
        }
    }

    /// Whether `(i, j)` lies on an edge of the band that is not an edge of the table.
    pub fn touches_edge(&self, i: usize, j: usize, m: usize) -> bool {
        (j == self.lo[i] && j > 0) || (j == self.hi[i] && j < m)
    }
}

/// The cheapest path through the band; `cost(k, i, a, j, b)` prices the bead of shape
/// `shapes[k] == (a, b)` covering English units `i-a..i` and Chinese units `j-b..j` (`f32::INFINITY` forbids it). Returns the bead end points
/// from `(0, 0)` to `(n, m)`.
pub(crate) fn best_path(
    n: usize,
    m: usize,
    band: &Band,
    shapes: &[(usize, usize)],
    mut cost: impl FnMut(usize, usize, usize, usize, usize) -> f32,
) -> Vec<(usize, usize)> {
    let mut offset = Vec::with_capacity(n + 2);
    let mut total = 0usize;
    for i in 0..=n {
        offset.push(total);
        total += band.hi[i] - band.lo[i] + 1;
    }
    let mut best = vec![f32::INFINITY; total];
    let mut back = vec![u8::MAX; total];
    best[0] = 0.0;
    let at = |i: usize, j: usize| -> Option<usize> {
        (j >= band.lo[i] && j <= band.hi[i]).then(|| offset[i] + j - band.lo[i])
    };
    for (i, &row) in offset.iter().enumerate() {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            let here = row + j - band.lo[i];
            let mut b = f32::INFINITY;
            let mut k_best = u8::MAX;
            for (k, &(a, bz)) in shapes.iter().enumerate() {
                if a > i || bz > j {
                    continue;
                }
                let Some(prev) = at(i - a, j - bz) else {
                    continue;
                };
                let p = best[prev];
                if !p.is_finite() {
                    continue;
                }
                let c = p + cost(k, i, a, j, bz);
                if c < b {
                    b = c;
                    k_best = k as u8;
                }
            }
            best[here] = b;
            back[here] = k_best;
        }
    }
    let mut path = vec![(n, m)];
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let k = back[at(i, j).expect("the end point is in the band")];
        assert!(k != u8::MAX, "no path through the band");
        let (a, b) = shapes[k as usize];
        i -= a;
        j -= b;
        path.push((i, j));
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_diagonal_and_a_split() {
        // English 3 units, Chinese 4: unit 1 is translated by two Chinese units.
        let en = [10.0f32, 20.0, 10.0];
        let zh = [10.0f32, 10.0, 10.0, 10.0];
        let shapes = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)];
        let band = Band::around(&[0.0, 1.0, 2.0, 4.0], 4, 2);
        let path = best_path(3, 4, &band, &shapes, |_, i, a, j, b| {
            let e: f32 = en[i - a..i].iter().sum();
            let z: f32 = zh[j - b..j].iter().sum();
            (e - z).abs() + if a == 1 && b == 1 { 0.0 } else { 1.0 }
        });
        assert_eq!(path, [(0, 0), (1, 1), (2, 3), (3, 4)]);
    }
}
