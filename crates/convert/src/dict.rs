//! Compiled dictionaries: the tries that build.rs prepared, and the lookups the engine makes.

use crawdad::Trie;

include!("pairs.rs");

/// Output offset meaning "the output is the key itself".
const IDENTITY: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// `WORD`, `TRANSPARENT`, `OPAQUE_INSIDE`, `KEEPS`, `RUN_ONLY`. (The priority level, by
    /// which a match from a lower level wins over any match from a higher one, is in the trie's
    /// value: see `LEVEL_SHIFT`.)
    flags: u8,
    out_start: u32,
    out_len: u32,
}

/// [`Entry`] flag: the key (folded to Simplified, unless the dictionary's keys already are) is
/// a word of the lexicon.
const WORD: u8 = 1 << 7;
/// [`Entry`] flag: a longer key that converts as its characters do one by one.
const TRANSPARENT: u8 = 1 << 6;
/// [`Entry`] flag: [`Dict::opaque_pair`] holds at a pair of the key's own characters (the sign
/// of an opaque key may be there).
const OPAQUE_INSIDE: u8 = 1 << 5;

/// One step's dictionary group (OpenCC's `group` of dictionaries merged into one trie), or
/// a segmentation dictionary (keys only).
pub(crate) struct Dict {
    entries: Vec<Entry>,
    outputs: &'static str,
    /// `None` for an empty dictionary.
    trie: Option<Trie>,
    /// What the converter needs to know about a character of the Basic Multilingual Plane, in
    /// one word so that the hot loop makes one load per character (see [`Dict::fast`]).
    fast: Box<[u32]>,
    /// First-character slots beyond the BMP, sorted by code point: bit 0 says a key of two or
    /// more characters starts with this character, bits 1.. hold the single-character entry
    /// index plus one (0: none).
    first_astral: Box<[(u32, u32)]>,
    /// No key starts with an ASCII character: ASCII runs are copied without lookups.
    ascii_plain: bool,
    /// Few entries (the regional steps of the chains): see [`Dict::sparse`].
    sparse: bool,
    /// Bitset of the signs of the longer keys that are not transparent (the pair of each that
    /// the hot loop looks for, see `convert_step`).
    opaque_pairs: Bits<KEY_PAIR_WORDS>,
    /// Bitset of the pairs of adjacent characters inside the longer keys (see [`Dict::is_cut`]).
    inner_pairs: Bits<KEY_PAIR_WORDS>,
    /// The two-character keys, hashed, with their flags and outputs (see `pairs.rs`).
    twos: Box<[[u64; 2]]>,
    /// Bitset of the first two characters of the longer keys.
    first_pairs: Bits<KEY_PAIR_WORDS>,
    /// Bitset of the first three characters of the longer keys (see `pairs.rs`).
    first_triples: Bits<KEY_TRIPLE_WORDS>,
}

/// [`Dict::fast`] flag: a key of two or more characters starts with the character.
pub(crate) const MULTI: u32 = 1;
/// [`Dict::fast`] flag: the character's own entry does not convert it to exactly one character
/// (or it lies beyond the BMP): look it up with [`Dict::best`].
pub(crate) const COMPLEX: u32 = 2;
/// [`Dict::fast`]: the output character is stored above these bits.
const OUT_SHIFT: u32 = 8;

/// A dictionary key matched at some position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub entry: u32,
    /// Length of the matched key in characters.
    pub chars: usize,
    /// The entry's flags (`WORD`, ...), so that checking the match needs no other load.
    flags: u8,
    /// A two-character key's output from the table of such keys (two BMP characters, the first
    /// in the low 16 bits), or 0: [`Dict::output`] has it.
    inline: u32,
}

impl Match {
    /// Whether the key (folded to Simplified, unless the dictionary's keys already are) is a
    /// word of the lexicon (what `Lexicon::cost` of the folded text it matched would say).
    #[inline(always)]
    pub(crate) fn is_word(&self) -> bool {
        self.flags & WORD != 0
    }

    /// Whether the key has two or more characters and converts as they do one by one.
    #[inline(always)]
    pub(crate) fn is_transparent(&self) -> bool {
        self.flags & TRANSPARENT != 0
    }

    /// Whether [`Dict::opaque_pair`] holds at a pair of the key's own characters (build.rs
    /// made the same test).
    #[inline(always)]
    pub(crate) fn opaque_inside(&self) -> bool {
        self.flags & OPAQUE_INSIDE != 0
    }

    /// Whether the key is a composed dictionary's key of the chain's second step, which
    /// matches only within a run (see [`Dict::within_run`]).
    #[inline(always)]
    pub(crate) fn run_only(&self) -> bool {
        self.flags & RUN_ONLY != 0
    }

    /// Whether the key converts to itself.
    #[inline(always)]
    pub(crate) fn keeps(&self) -> bool {
        self.flags & KEEPS != 0
    }
}

impl Dict {
    pub(crate) fn load((blob, outputs): (&'static [u8], &'static str)) -> Dict {
        let mut r = Reader(blob);
        let n = r.u32() as usize;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            // build.rs: the level in the low four bits (the trie has it too), the flags above.
            let byte = r.u8();
            let out_start = r.u32();
            let out_len = r.u32();
            let keeps = if out_start == IDENTITY { KEEPS } else { 0 };
            entries.push(Entry {
                flags: byte & (WORD | TRANSPARENT | OPAQUE_INSIDE | RUN_ONLY) | keeps,
                out_start,
                out_len,
            });
        }
        let mut fast: Box<[u32]> = (0..0x1_0000u32).map(|cp| cp << OUT_SHIFT).collect();
        let mut first_astral = Vec::new();
        for _ in 0..r.u32() {
            let (cp, slot) = (r.u32(), r.u32());
            let Some(f) = fast.get_mut(cp as usize) else {
                first_astral.push((cp, slot));
                continue;
            };
            let mut flags = slot & 1;
            let mut out = cp;
            if let Some(entry) = (slot >> 1).checked_sub(1) {
                let e = &entries[entry as usize];
                if e.out_start != IDENTITY {
                    let value = &outputs[e.out_start as usize..(e.out_start + e.out_len) as usize];
                    let mut chars = value.chars();
                    match (chars.next(), chars.next()) {
                        (Some(one), None) => out = one as u32,
                        _ => flags |= COMPLEX,
                    }
                }
            }
            *f = out << OUT_SHIFT | flags;
        }
        let ascii_plain = (0..0x80).all(|cp| fast[cp as usize] == cp << OUT_SHIFT);
        let first_pairs = Bits::copy(r.take(KEY_PAIR_BYTES));
        let first_triples = Bits::copy(r.take(KEY_TRIPLE_BYTES));
        let opaque_pairs = Bits::copy(r.take(KEY_PAIR_BYTES));
        let inner_pairs = Bits::copy(r.take(KEY_PAIR_BYTES));
        let slots = r.u32() as usize;
        let twos: Box<[[u64; 2]]> = r
            .take(slots * 16)
            .chunks_exact(16)
            .map(|b| {
                let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
                [word(0), word(8)]
            })
            .collect();
        let trie = (n > 0).then(|| Trie::deserialize_from_slice(r.0).0);
        Dict {
            entries,
            outputs,
            trie,
            fast,
            first_astral: first_astral.into_boxed_slice(),
            ascii_plain,
            sparse: n <= SPARSE_ENTRIES,
            opaque_pairs,
            inner_pairs,
            twos,
            first_pairs,
            first_triples,
        }
    }

    /// For a code point: `MULTI` and `COMPLEX` flags, and above `OUT_SHIFT` the character it
    /// converts to on its own (itself when it has no entry). Without flags the character is
    /// converted by that table entry alone.
    #[inline(always)]
    pub(crate) fn fast(&self, cp: u32) -> u32 {
        match self.fast.get(cp as usize) {
            Some(&f) => f,
            None => self.astral(cp),
        }
    }

    #[cold]
    fn astral(&self, cp: u32) -> u32 {
        match self.first_astral.binary_search_by_key(&cp, |&(k, _)| k) {
            Ok(i) => cp << OUT_SHIFT | (self.first_astral[i].1 & MULTI) | COMPLEX,
            Err(_) => cp << OUT_SHIFT,
        }
    }

    /// The character a `fast` word without flags converts to.
    #[inline(always)]
    pub(crate) fn fast_output(f: u32) -> char {
        char::from_u32(f >> OUT_SHIFT).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// Appends the output character of a `fast` word without flags to `out`. Nearly every
    /// output is a character of three bytes in UTF-8 (CJK, full-width punctuation): told so,
    /// the compiler writes its three bytes without `String::push`'s branches on the length
    /// (t2s 15% faster, s2t 5%).
    #[inline(always)]
    pub(crate) fn push_output(out: &mut String, f: u32) {
        let o = f >> OUT_SHIFT;
        match char::from_u32(o) {
            Some(c) if (0x800..0x1_0000).contains(&o) => out.push_str(c.encode_utf8(&mut [0; 4])),
            _ => out.push(Dict::fast_output(f)),
        }
    }

    /// Whether a `fast` word without flags changes the character `cp`.
    #[inline(always)]
    pub(crate) fn fast_changes(f: u32, cp: u32) -> bool {
        f >> OUT_SHIFT != cp
    }

    /// Whether the dictionary has so few entries that in running text most characters neither
    /// change nor start a key: the regional steps (at most 1,978 entries, tw2sp's first step;
    /// s2twp's second has 871), not the character conversions (t2s has 4,625 entries and changes
    /// a quarter of the characters of a Traditional text, s2t 53,804).
    #[inline(always)]
    pub(crate) fn sparse(&self) -> bool {
        self.sparse
    }

    /// Whether no key starts with an ASCII character.
    #[inline(always)]
    pub(crate) fn ascii_plain(&self) -> bool {
        self.ascii_plain
    }

    /// Whether a key of two or more characters may start with code points `a`, `b`, given that
    /// `a` has the `MULTI` flag (no false negatives).
    #[inline(always)]
    pub(crate) fn pair(&self, a: u32, b: u32) -> bool {
        self.first_pairs.has(key_pair_bit(a, b))
    }

    /// Whether a key of two or more characters may start with `a`, `b` followed by `c` (0 at
    /// the end of the text), given that the pair passed [`Dict::pair`]; or whether `a`, `b` may
    /// be the sign of an opaque key followed by the key's next character `c` (no false
    /// negatives).
    #[inline(always)]
    pub(crate) fn may_start(&self, a: u32, b: u32, c: u32) -> bool {
        self.first_triples.has(triple_bits(a, b, 0)) | self.first_triples.has(triple_bits(a, b, c))
    }

    /// The best match at the start of `text`, OpenCC's way: the lowest priority level that
    /// matches at all, and within it the longest key.
    #[inline]
    pub(crate) fn best(&self, text: &str) -> Option<Match> {
        self.best_with(text.chars())
    }

    /// Whether a key of three or more characters may start with `a`, `b`, `c` (`c` 0: the
    /// text ends), given that the pair passed [`Dict::pair`] (no false negatives).
    #[inline(always)]
    pub(crate) fn may_start_longer(&self, a: u32, b: u32, c: u32) -> bool {
        c != 0 && self.first_triples.has(triple_bits(a, b, c))
    }

    /// Whether a two-character key may be `a`, `b` (no false negatives).
    #[inline(always)]
    pub(crate) fn may_be_pair(&self, a: u32, b: u32) -> bool {
        self.first_triples.has(triple_bits(a, b, 0))
    }

    /// Where no key of three or more characters starts with `a`, `b` (see
    /// [`Dict::may_start_longer`]): the match if the two-character key `a`, `b` is one of the
    /// first priority level (which wins over any single character), `Some(None)` if there is no
    /// such key, `None` if the trie must decide. A lookup in the table of two-character keys
    /// instead of a walk of the trie; the match carries what checking and converting it needs.
    #[inline(always)]
    pub(crate) fn two(&self, a: u32, b: u32) -> Option<Option<Match>> {
        let n = self.twos.len();
        if n == 0 {
            return None;
        }
        let want = u64::from(a) << 43 | u64::from(b) << 22;
        let mut i = pair_slot(n.trailing_zeros(), a, b);
        loop {
            let [key, value] = self.twos[i];
            if key == 0 {
                return Some(None);
            }
            if key & TWO_KEY_MASK == want {
                let flags = (value >> TWO_FLAGS_SHIFT) as u8;
                if flags & TWO_LEVEL0 == 0 {
                    return None;
                }
                return Some(Some(Match {
                    entry: (key & !TWO_KEY_MASK) as u32 - 1,
                    chars: 2,
                    flags,
                    inline: match flags & TWO_INLINE {
                        0 => 0,
                        _ => value as u32,
                    },
                }));
            }
            i = (i + 1) & (n - 1);
        }
    }

    /// [`Dict::best`] over an arbitrary character sequence (used with folded text).
    pub(crate) fn best_with(&self, chars: impl Iterator<Item = char>) -> Option<Match> {
        let trie = self.trie.as_ref()?;
        // (trie value, length) of the best key so far: the keys come shortest first.
        let mut best: Option<(u32, usize)> = None;
        for (value, chars) in trie.common_prefix_search(chars) {
            if best.is_none_or(|(b, _)| value >> LEVEL_SHIFT <= b >> LEVEL_SHIFT) {
                best = Some((value, chars));
            }
        }
        best.map(|(value, chars)| {
            let entry = trie_entry(value);
            Match {
                entry,
                chars,
                flags: self.entries[entry as usize].flags,
                inline: 0,
            }
        })
    }

    /// A composed dictionary's match `m` of a `RUN_ONLY` key at the start of `rest`, as OpenCC's
    /// chain would find it: the run of characters between two segments ends where a key of the
    /// first level (a segment) starts, and the chain's second step matches within the run. So
    /// if one starts inside the key, the best match before it instead (a shorter key of the
    /// second step, or the character's own entry).
    pub(crate) fn within_run(&self, rest: &str, m: Match) -> Option<Match> {
        for (at, _) in rest.char_indices().skip(1).take(m.chars - 1) {
            if self.segment_starts(&rest[at..]) {
                return self.best(&rest[..at]);
            }
        }
        Some(m)
    }

    /// Whether a key of the first level, of two or more characters, starts `text`.
    fn segment_starts(&self, text: &str) -> bool {
        let mut chars = text.chars().map(u32::from);
        let (Some(a), Some(b)) = (chars.next(), chars.next()) else {
            return false;
        };
        self.fast(a) & MULTI != 0
            && self.pair(a, b)
            && self.trie.as_ref().is_some_and(|trie| {
                trie.common_prefix_search(text.chars())
                    .any(|(value, n)| n > 1 && value >> LEVEL_SHIFT == 0)
            })
    }

    /// Calls `f` with the length in characters of every key that starts `chars`.
    pub(crate) fn each_prefix(&self, chars: impl Iterator<Item = char>, mut f: impl FnMut(usize)) {
        if let Some(trie) = &self.trie {
            trie.common_prefix_search(chars).for_each(|(_, n)| f(n));
        }
    }

    /// Appends what `c` converts to on its own, as a character outside any phrase.
    #[inline(always)]
    pub(crate) fn push_single(&self, c: char, out: &mut String) {
        let f = self.fast(c as u32);
        if f & COMPLEX == 0 {
            Dict::push_output(out, f);
        } else {
            self.push_single_slow(c, out);
        }
    }

    #[cold]
    fn push_single_slow(&self, c: char, out: &mut String) {
        match self.single_entry(c) {
            Some(e) if !self.is_identity(e) => out.push_str(self.output(e)),
            _ => out.push(c),
        }
    }

    /// Whether `a`, `b` may be the sign of a longer key that is not transparent (the pair of
    /// its characters that the converter looks for; build.rs chooses it among those whose first
    /// character starts a longer key) (no false negatives).
    #[inline(always)]
    pub(crate) fn opaque_pair(&self, a: char, b: char) -> bool {
        self.fast(a as u32) & MULTI != 0 && self.opaque_sign(a as u32, b as u32)
    }

    /// [`Dict::opaque_pair`] for code points `a`, `b`, given that `a` has the `MULTI` flag.
    #[inline(always)]
    pub(crate) fn opaque_sign(&self, a: u32, b: u32) -> bool {
        self.opaque_pairs.has(key_pair_bit(a, b))
    }

    /// Whether no key spans the place between the adjacent characters `a` and `b`: then greedy
    /// matching reaches it whatever it matched before (no false positives).
    #[inline(always)]
    pub(crate) fn is_cut(&self, a: u32, b: u32) -> bool {
        !self.inner_pairs.has(key_pair_bit(a, b))
    }

    /// The length in bytes of what `c` converts to on its own (see [`Dict::push_single`]).
    #[inline(always)]
    pub(crate) fn single_len(&self, c: char) -> usize {
        let f = self.fast(c as u32);
        if f & COMPLEX == 0 {
            Dict::fast_output(f).len_utf8()
        } else {
            self.single_entry(c)
                .filter(|&e| !self.is_identity(e))
                .map_or(c.len_utf8(), |e| self.output(e).len())
        }
    }

    /// The entry of the single character `c`, if it has one.
    fn single_entry(&self, c: char) -> Option<u32> {
        let trie = self.trie.as_ref()?;
        trie.exact_match([c]).map(trie_entry)
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

    /// Appends what the match `m` of the key `key` converts to.
    #[inline(always)]
    pub(crate) fn push_match(&self, out: &mut String, m: &Match, key: &str) {
        if m.inline != 0 {
            Dict::push_output(out, (m.inline & 0xFFFF) << OUT_SHIFT);
            Dict::push_output(out, (m.inline >> 16) << OUT_SHIFT);
        } else if m.keeps() {
            out.push_str(key);
        } else {
            out.push_str(self.output(m.entry));
        }
    }
}

/// The entry index in a dictionary trie's value (see `LEVEL_SHIFT`).
#[inline(always)]
fn trie_entry(value: u32) -> u32 {
    value & ((1 << LEVEL_SHIFT) - 1)
}

/// The word lexicon used to find word boundaries: words of the folded (Simplified) script with
/// their costs (negative log probability).
pub(crate) struct Lexicon {
    /// Number of words.
    len: u32,
    /// Adjacent folded pairs of words and dictionary keys (see `pairs.rs`).
    pairs: Bits<WORD_PAIR_WORDS>,
    /// First pairs of words and keys, last pairs of words (folded; see `pairs.rs`).
    first_pairs: Bits<EDGE_PAIR_WORDS>,
    last_pairs: Bits<EDGE_PAIR_WORDS>,
    /// Each word's value is the bit pattern of its cost (a positive `f32`, which fits
    /// crawdad's 31-bit values): the walk yields the cost without a further load from a table
    /// as large as the processor's caches.
    trie: Trie,
    fold: Box<[u32]>,
    fold_astral: Box<[(u32, u32)]>,
    /// Cost of a character the lexicon does not know (frequency 1).
    pub unknown_cost: f32,
}

impl Lexicon {
    pub(crate) fn load(
        words: &[u8],
        fold: &[u8],
        pairs: &[u8],
        (first_pairs, last_pairs): (&[u8], &[u8]),
    ) -> Lexicon {
        let mut r = Reader(words);
        let len = r.u32();
        let unknown_cost = f32::from_le_bytes(r.take(4).try_into().unwrap());
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
        Lexicon {
            len,
            pairs: Bits::copy(pairs),
            first_pairs: Bits::copy(first_pairs),
            last_pairs: Bits::copy(last_pairs),
            trie,
            fold: table,
            fold_astral: astral.into_boxed_slice(),
            unknown_cost,
        }
    }

    /// Whether some word or key has `a` (folded) directly followed by `b` (no false negatives).
    #[inline(always)]
    pub(crate) fn may_join(&self, a: char, b: char) -> bool {
        let (a, b) = (self.fold(a), self.fold(b));
        self.pairs.has(pair_bits(WORD_PAIR_BITS, a, b))
    }

    /// Whether some word or key starts with `a` (folded) followed by `b` (no false negatives).
    #[inline(always)]
    pub(crate) fn may_start(&self, a: char, b: char) -> bool {
        let (a, b) = (self.fold(a), self.fold(b));
        self.first_pairs.has(pair_bits(EDGE_PAIR_BITS, a, b))
    }

    /// Whether some word ends with `a` (folded) followed by `b` (no false negatives).
    #[inline(always)]
    pub(crate) fn may_end(&self, a: char, b: char) -> bool {
        let (a, b) = (self.fold(a), self.fold(b));
        self.last_pairs.has(pair_bits(EDGE_PAIR_BITS, a, b))
    }

    /// The Simplified form of a character, for looking words up whatever the script.
    #[inline(always)]
    pub(crate) fn fold(&self, c: char) -> char {
        char::from_u32(self.fold_cp(c as u32)).unwrap_or(c)
    }

    /// [`Lexicon::fold`] on a code point (build.rs writes only valid characters).
    #[inline(always)]
    pub(crate) fn fold_cp(&self, cp: u32) -> u32 {
        match self.fold.get(cp as usize) {
            Some(&t) => t,
            None => self
                .fold_astral
                .binary_search_by_key(&cp, |&(k, _)| k)
                .map_or(cp, |i| self.fold_astral[i].1),
        }
    }

    /// Calls `f` with (length in characters, cost) of every word that starts `chars` (folded).
    pub(crate) fn each_word(
        &self,
        chars: impl Iterator<Item = char>,
        mut f: impl FnMut(usize, f32),
    ) {
        self.trie
            .common_prefix_search(chars)
            .for_each(|(cost, n)| f(n, f32::from_bits(cost)));
    }
}

/// A bitset of `WORDS` 64-bit words (the sets of `pairs.rs`), copied out of the binary, where
/// build.rs wrote it as little-endian bytes, into memory of its own. Read in place, the same
/// sets made the conversion 11-15% slower in some builds and not in others, with the code of
/// the conversion the same (an unrelated change to the lexicon moved them: s2t exact 650
/// against 736 MB/s, default 562 against 631, t2s 755 against 877, by alternating processes);
/// copied, every build measured runs at the faster speed (0-2% faster than the lucky builds).
/// The cause was not found: where the copy starts within a cache line made no difference. The
/// copy costs 0.2 ms of construction per dictionary and 0.8 ms for the lexicon's sets, once per
/// process. The fixed size lets the compiler see that a hashed index is in bounds.
struct Bits<const WORDS: usize>(Box<[u64; WORDS]>);

impl<const WORDS: usize> Bits<WORDS> {
    fn copy(bytes: &[u8]) -> Bits<WORDS> {
        let words: Box<[u64]> = bytes
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")))
            .collect();
        Bits(words.try_into().expect("a set of the size pairs.rs gives"))
    }

    /// Whether every bit of `mask` is set in word `word`.
    #[inline(always)]
    fn has(&self, (word, mask): (usize, u64)) -> bool {
        self.0[word] & mask == mask
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
            .field("words", &self.len)
            .finish_non_exhaustive()
    }
}
