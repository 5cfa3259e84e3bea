//! Compiled dictionaries: the tries that build.rs prepared, and the lookups the engine makes.

use crawdad::Trie;

include!("pairs.rs");

/// Output offset meaning "the output is the key itself".
const IDENTITY: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Priority level: a match from a lower level wins over any match from a higher one.
    level: u8,
    out_start: u32,
    out_len: u32,
}

/// One step's dictionary group (OpenCC's `group` of dictionaries merged into one trie), or
/// a segmentation dictionary (keys only).
pub(crate) struct Dict {
    entries: Vec<Entry>,
    outputs: Box<str>,
    /// `None` for an empty dictionary.
    trie: Option<Trie>,
    /// First-character slots for the Basic Multilingual Plane, indexed by code point: bit 0 says
    /// a key of two or more characters starts with this character, bits 1.. hold the
    /// single-character entry index plus one (0: none).
    first: Box<[u32]>,
    /// The same for characters beyond the BMP, sorted by code point.
    first_astral: Box<[(u32, u32)]>,
    /// Bitset of the first two characters of the longer keys (a slice of the embedded blob).
    first_pairs: &'static [u8],
}

/// A dictionary key matched at some position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub entry: u32,
    /// Length of the matched key in characters.
    pub chars: usize,
}

impl Dict {
    pub(crate) fn load(blob: &'static [u8]) -> Dict {
        let mut r = Reader(blob);
        let n = r.u32() as usize;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let level = r.u8();
            let out_start = r.u32();
            let out_len = r.u32();
            entries.push(Entry {
                level,
                out_start,
                out_len,
            });
        }
        let out_len = r.u32() as usize;
        let outputs: Box<str> = std::str::from_utf8(r.take(out_len))
            .expect("build.rs writes UTF-8")
            .into();
        let mut first = vec![0u32; 0x1_0000].into_boxed_slice();
        let mut first_astral = Vec::new();
        for _ in 0..r.u32() {
            let (cp, slot) = (r.u32(), r.u32());
            match first.get_mut(cp as usize) {
                Some(s) => *s = slot,
                None => first_astral.push((cp, slot)),
            }
        }
        let first_pairs = r.take(KEY_PAIR_BYTES);
        let trie = (n > 0).then(|| Trie::deserialize_from_slice(r.0).0);
        Dict {
            entries,
            outputs,
            trie,
            first,
            first_astral: first_astral.into_boxed_slice(),
            first_pairs,
        }
    }

    #[inline(always)]
    pub(crate) fn slot(&self, c: char) -> u32 {
        let cp = c as u32;
        match self.first.get(cp as usize) {
            Some(&s) => s,
            None => self
                .first_astral
                .binary_search_by_key(&cp, |&(k, _)| k)
                .map_or(0, |i| self.first_astral[i].1),
        }
    }

    /// The best match at the start of `text` (whose first character is `c`), OpenCC's way:
    /// the lowest priority level that matches at all, and within it the longest key.
    #[inline]
    pub(crate) fn best(&self, c: char, text: &str) -> Option<Match> {
        let slot = self.slot(c);
        if slot == 0 {
            return None;
        }
        let single = (slot >> 1)
            .checked_sub(1)
            .map(|entry| Match { entry, chars: 1 });
        if slot & 1 == 0 {
            return single;
        }
        let mut chars = text.chars();
        chars.next();
        match chars.next() {
            Some(next) if has_pair(self.first_pairs, KEY_PAIR_BITS, c, next) => {
                self.best_with(text.chars(), single)
            }
            _ => single,
        }
    }

    /// Whether a key of two or more characters may start with `a`, `b` (no false negatives).
    #[inline(always)]
    pub(crate) fn may_start(&self, a: char, b: char) -> bool {
        self.slot(a) & 1 != 0 && has_pair(self.first_pairs, KEY_PAIR_BITS, a, b)
    }

    /// [`Dict::best`] over an arbitrary character sequence (used with folded text).
    pub(crate) fn best_with(
        &self,
        chars: impl Iterator<Item = char>,
        mut best: Option<Match>,
    ) -> Option<Match> {
        let Some(trie) = &self.trie else { return best };
        for (entry, chars) in trie.common_prefix_search(chars) {
            if chars < 2 {
                continue;
            }
            let level = self.entries[entry as usize].level;
            let better = match best {
                None => true,
                Some(b) => {
                    let bl = self.entries[b.entry as usize].level;
                    level < bl || (level == bl && chars > b.chars)
                }
            };
            if better {
                best = Some(Match { entry, chars });
            }
        }
        best
    }

    /// Calls `f` with the length in characters of every key that starts `chars`.
    pub(crate) fn each_prefix(&self, chars: impl Iterator<Item = char>, mut f: impl FnMut(usize)) {
        if let Some(trie) = &self.trie {
            trie.common_prefix_search(chars).for_each(|(_, n)| f(n));
        }
    }

    /// The single-character entry for `c`, if it converts to something else.
    #[inline(always)]
    pub(crate) fn single(&self, c: char) -> Option<u32> {
        let entry = (self.slot(c) >> 1).checked_sub(1)?;
        (self.entries[entry as usize].out_start != IDENTITY).then_some(entry)
    }

    /// Whether matching `entry` changes the text.
    #[inline(always)]
    pub(crate) fn is_identity(&self, entry: u32) -> bool {
        self.entries[entry as usize].out_start == IDENTITY
    }

    #[inline(always)]
    pub(crate) fn output(&self, entry: u32) -> &str {
        let e = &self.entries[entry as usize];
        &self.outputs[e.out_start as usize..(e.out_start + e.out_len) as usize]
    }
}

/// The word lexicon used to find word boundaries: words of the folded (Simplified) script with
/// their costs (negative log probability).
pub(crate) struct Lexicon {
    costs: Vec<f32>,
    /// Adjacent folded pairs of words and dictionary keys (see `pairs.rs`).
    pairs: &'static [u8],
    trie: Trie,
    fold: Box<[u32]>,
    fold_astral: Box<[(u32, u32)]>,
    /// Cost of a character the lexicon does not know (frequency 1).
    pub unknown_cost: f32,
}

impl Lexicon {
    pub(crate) fn load(words: &[u8], fold: &[u8], pairs: &'static [u8]) -> Lexicon {
        let mut r = Reader(words);
        let n = r.u32() as usize;
        let costs: Vec<f32> = (0..n)
            .map(|_| f32::from_le_bytes(r.take(4).try_into().unwrap()))
            .collect();
        let (trie, _) = Trie::deserialize_from_slice(r.0);
        let mut table: Box<[u32]> = (0..0x1_0000u32).collect();
        let mut astral = Vec::new();
        for pair in fold.chunks_exact(8) {
            let from = u32::from_le_bytes(pair[..4].try_into().unwrap());
            let to = u32::from_le_bytes(pair[4..].try_into().unwrap());
            match table.get_mut(from as usize) {
                Some(t) => *t = to,
                None => astral.push((from, to)),
            }
        }
        let unknown_cost = costs.iter().copied().fold(0.0, f32::max);
        Lexicon {
            costs,
            pairs,
            trie,
            fold: table,
            fold_astral: astral.into_boxed_slice(),
            unknown_cost,
        }
    }

    /// Whether some word or key has `a` (folded) directly followed by `b` (no false negatives).
    #[inline(always)]
    pub(crate) fn may_join(&self, a: char, b: char) -> bool {
        has_pair(self.pairs, WORD_PAIR_BITS, self.fold(a), self.fold(b))
    }

    /// The Simplified form of a character, for looking words up whatever the script.
    #[inline(always)]
    pub(crate) fn fold(&self, c: char) -> char {
        let cp = c as u32;
        let to = match self.fold.get(cp as usize) {
            Some(&t) => t,
            None => self
                .fold_astral
                .binary_search_by_key(&cp, |&(k, _)| k)
                .map_or(cp, |i| self.fold_astral[i].1),
        };
        char::from_u32(to).unwrap_or(c)
    }

    /// Calls `f` with (length in characters, cost) of every word that starts `chars` (folded).
    pub(crate) fn each_word(
        &self,
        chars: impl Iterator<Item = char>,
        mut f: impl FnMut(usize, f32),
    ) {
        self.trie
            .common_prefix_search(chars)
            .for_each(|(i, n)| f(n, self.costs[i as usize]));
    }

    /// The cost of exactly this (folded) word, if it is one.
    pub(crate) fn cost(&self, chars: impl Iterator<Item = char>) -> Option<f32> {
        self.trie.exact_match(chars).map(|i| self.costs[i as usize])
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        head
    }
    fn u8(&mut self) -> u8 {
        self.take(1)[0]
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().unwrap())
    }
}

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dict")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("words", &self.costs.len())
            .finish_non_exhaustive()
    }
}
