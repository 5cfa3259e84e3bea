//! A translation lexicon learned from the text pair itself: IBM Model 1 (Brown et al. 1993),
//! trained by expectation–maximisation on the beads that the first, length-and-anchor pass is
//! surest of, in both directions (Chinese given English, English given Chinese).

use rustc_hash::FxHashMap;

/// `p(target token | source token)` for one direction, pruned of negligible entries.
#[derive(Debug)]
pub(crate) struct Ibm1 {
    /// For each source token: (target token, probability).
    pub table: Vec<Vec<(u32, f32)>>,
    /// `p(target | NULL)`: a target token that no source word explains.
    pub null: Vec<f32>,
    /// Unigram probability of each target token over the whole target text.
    pub background: Vec<f32>,
}

/// Entries below this probability are dropped after training.
const PRUNE: f32 = 1e-3;

impl Ibm1 {
    /// Trains on `pairs` of (source tokens, target tokens); `all_targets` gives the background.
    pub fn train(
        pairs: &[(Vec<u32>, Vec<u32>)],
        src_vocab: usize,
        tgt_vocab: usize,
        all_targets: &[Vec<u32>],
        iterations: usize,
    ) -> Ibm1 {
        let null_id = src_vocab as u32;
        // Each (source, target) co-occurrence gets a dense id once; EM then works on arrays.
        let mut ids: FxHashMap<u64, u32> = FxHashMap::default();
        let mut src_of: Vec<u32> = Vec::new();
        let mut tgt_of: Vec<u32> = Vec::new();
        let mut flat: Vec<u32> = Vec::new();
        for (src, tgt) in pairs {
            for &t in tgt {
                for s in src.iter().copied().chain(std::iter::once(null_id)) {
                    let key = (u64::from(s) << 32) | u64::from(t);
                    let id = *ids.entry(key).or_insert_with(|| {
                        src_of.push(s);
                        tgt_of.push(t);
                        (src_of.len() - 1) as u32
                    });
                    flat.push(id);
                }
            }
        }
        drop(ids);
        let mut prob = vec![1.0f32; src_of.len()];
        let mut count = vec![0.0f32; src_of.len()];
        let mut total = vec![0.0f32; src_vocab + 1];
        for _ in 0..iterations {
            count.fill(0.0);
            let mut pos = 0;
            for (src, tgt) in pairs {
                let width = src.len() + 1;
                for _ in tgt {
                    let cell = &flat[pos..pos + width];
                    let denom: f32 = cell.iter().map(|&id| prob[id as usize]).sum();
                    if denom > 0.0 {
                        for &id in cell {
                            count[id as usize] += prob[id as usize] / denom;
                        }
                    }
                    pos += width;
                }
            }
            total.fill(0.0);
            for (id, &c) in count.iter().enumerate() {
                total[src_of[id] as usize] += c;
            }
            for (id, p) in prob.iter_mut().enumerate() {
                let t = total[src_of[id] as usize];
                *p = if t > 0.0 { count[id] / t } else { 0.0 };
            }
        }
        let mut table = vec![Vec::new(); src_vocab];
        let mut null = vec![0.0f32; tgt_vocab];
        for (id, &p) in prob.iter().enumerate() {
            let (s, t) = (src_of[id], tgt_of[id]);
            if s == null_id {
                null[t as usize] = p;
            } else if p >= PRUNE {
                table[s as usize].push((t, p));
            }
        }
        let mut background = vec![0.0f32; tgt_vocab];
        let mut n = 0.0f32;
        for toks in all_targets {
            for &t in toks {
                background[t as usize] += 1.0;
                n += 1.0;
            }
        }
        for b in &mut background {
            *b = (*b + 0.5) / (n + 0.5 * tgt_vocab as f32);
        }
        // An unseen or never-null token still needs a floor so that log-probabilities stay finite.
        for (t, p) in null.iter_mut().enumerate() {
            *p = p.max(0.05 * background[t]);
        }
        Ibm1 {
            table,
            null,
            background,
        }
    }
}
