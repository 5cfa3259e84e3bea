// Bitsets of character pairs and triples (cheap, exact-negative filters in front of lookups and
// trie walks) and the layout of the table of two-character keys.
// Shared by build.rs (which fills them) and the library (which reads them) via `include!`.

/// Pairs of a dictionary's longer keys (their first two characters, the signs of its opaque
/// keys, and the adjacent characters inside its keys): 2^20 bits, 128 KiB each.
const KEY_PAIR_BITS: u32 = 20;
const KEY_PAIR_BYTES: usize = 1 << (KEY_PAIR_BITS - 3);
#[allow(dead_code)] // the library's
const KEY_PAIR_WORDS: usize = KEY_PAIR_BYTES / 8;
/// Adjacent pairs in lexicon words and dictionary keys: 2^23 bits, 1 MiB.
const WORD_PAIR_BITS: u32 = 23;
#[allow(dead_code)] // build.rs's: the library reads the set as words
const WORD_PAIR_BYTES: usize = 1 << (WORD_PAIR_BITS - 3);
#[allow(dead_code)] // the library's
const WORD_PAIR_WORDS: usize = 1 << (WORD_PAIR_BITS - 6);

/// First pairs of words and keys, and last pairs of words: 2^22 bits, 512 KiB each. A word that
/// crosses an edge of a two-character phrase must start or end with the pair across that edge.
const EDGE_PAIR_BITS: u32 = 22;
#[allow(dead_code)] // build.rs's: the library reads the sets as words
const EDGE_PAIR_BYTES: usize = 1 << (EDGE_PAIR_BITS - 3);
#[allow(dead_code)] // the library's
const EDGE_PAIR_WORDS: usize = 1 << (EDGE_PAIR_BITS - 6);

/// Beginnings of a dictionary's longer keys: the first three characters of each key of three or
/// more, and each two-character key with a third "character" 0; and the same from the sign of
/// each opaque key on (see `Dict::opaque_pair`): 2^20 bits, 128 KiB. A position whose pair
/// passed the pair set needs no trie walk unless one of these is there.
const KEY_TRIPLE_BITS: u32 = 20;
const KEY_TRIPLE_BYTES: usize = 1 << (KEY_TRIPLE_BITS - 3);
#[allow(dead_code)] // the library's
const KEY_TRIPLE_WORDS: usize = KEY_TRIPLE_BYTES / 8;

/// The table of two-character keys (`Dict::two`): open addressing with linear probing from
/// `pair_slot`, at most five eighths full, one slot of two words per key. The first word is the
/// key (first character << 43 | second << 22) and its entry index plus one; 0 for an empty
/// slot. The second holds what converting it needs, in the same cache line: its flags in the top
/// byte (the entry's, and `TWO_*`) and, when it converts to two characters of the Basic
/// Multilingual Plane, those in bits 0..16 and 16..32.
#[allow(dead_code)] // the library's
const TWO_KEY_MASK: u64 = !0x3F_FFFF;
/// Two-character key flag: the key is of the first priority level (it wins over any single
/// character; a key of a later level leaves the choice to the trie).
const TWO_LEVEL0: u8 = 1 << 2;
/// Two-character key flag: the output is in the slot.
const TWO_INLINE: u8 = 1 << 3;
const TWO_FLAGS_SHIFT: u32 = 56;
/// Two-character key flag, and `Dict` entry flag: the key's output is the key itself.
const KEEPS: u8 = 1 << 1;

/// An entry's priority level, in the low bits of the byte that build.rs writes per entry.
#[allow(dead_code)] // build.rs's
const LEVEL_MASK: u8 = 0x0F;
/// Entry flag, in the same byte: a composed dictionary's key of the chain's second step, which
/// matches only where no key of the first level starts inside it (`Dict::within_run`).
const RUN_ONLY: u8 = 1 << 4;

/// A dictionary trie's value: the entry index, and above `LEVEL_SHIFT` its priority level, so
/// that choosing among the keys found by one walk needs no load of their entries.
const LEVEL_SHIFT: u32 = 26;

/// A dictionary with at most this many entries is small (`Dict::sparse`: the regional steps of
/// the chains).
#[allow(dead_code)] // the library's
const SPARSE_ENTRIES: usize = 3000;

// Each set is a Bloom filter. The sets of triples and of the lexicon's pairs set two bits per
// key, both in one 64-bit word (a blocked Bloom filter): at their fill that gives a fraction of
// the false positives of one bit, for one load all the same. Their keys are numbers made of the
// code points (21 bits each, so without collisions), hashed by one multiplication (Fibonacci
// hashing: the bits used are the product's top ones).
//
// The sets of a dictionary's pairs (the first pairs of its longer keys, the signs of its opaque
// ones, and the pairs inside its keys) set one bit, from one 32-bit product of the two code
// points: the hot loop reads the opaque set at nearly every character, where a second bit, or
// the 64-bit product of the other sets, measured 3-7% slower (t2s, s2t) than their fewer false
// positives save, and the three products used before cost 1-1.5% more instructions. (A 32 KiB
// set with two bits, for fewer misses of the first-level cache, cost 6-8% more instructions and
// was no faster; a 64 KiB one with one bit, folded from the set, was no faster either once the
// sets were copied out of the binary, see `Bits` in dict.rs.)

#[inline(always)]
fn pair_key(a: u32, b: u32) -> u64 {
    u64::from(a) << 21 | u64::from(b)
}

/// The word of a set of `1 << bits` bits that holds `key` and the mask of its two bits in it.
#[inline(always)]
fn two_bits(bits: u32, key: u64) -> (usize, u64) {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let rest = h << (bits - 6);
    ((h >> (64 - (bits - 6))) as usize, 1 << (rest >> 58) | 1 << ((rest >> 52) & 63))
}

#[inline(always)]
fn has_mask(set: &[u8], (word, mask): (usize, u64)) -> bool {
    let at = word * 8;
    u64::from_le_bytes(set[at..at + 8].try_into().expect("eight bytes")) & mask == mask
}

#[allow(dead_code)]
fn set_mask(set: &mut [u8], (word, mask): (usize, u64)) {
    let at = word * 8;
    let value = u64::from_le_bytes(set[at..at + 8].try_into().expect("eight bytes")) | mask;
    set[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

/// Adds a pair of a longer key to a key pair set (`KEY_PAIR_BITS`).
#[allow(dead_code)]
fn set_key_pair(set: &mut [u8], a: u32, b: u32) {
    set_mask(set, key_pair_bit(a, b));
}

#[allow(dead_code)]
#[inline(always)]
fn has_key_pair(set: &[u8], a: u32, b: u32) -> bool {
    has_mask(set, key_pair_bit(a, b))
}

/// The word of a key pair set that holds the pair `a`, `b`, and the mask of its bit (Fibonacci
/// hashing of the two code points, which overlap only beyond the BMP).
#[inline(always)]
fn key_pair_bit(a: u32, b: u32) -> (usize, u64) {
    let h = (a << 16 ^ b).wrapping_mul(0x9E37_79B1);
    let top = 32 - (KEY_PAIR_BITS - 6);
    ((h >> top) as usize, 1 << ((h >> (top - 6)) & 63))
}

#[allow(dead_code)]
fn set_triple(set: &mut [u8], a: u32, b: u32, c: u32) {
    set_mask(set, triple_bits(a, b, c));
}

/// The word of a triple set that holds `a`, `b`, `c` and the mask of its two bits.
#[inline(always)]
fn triple_bits(a: u32, b: u32, c: u32) -> (usize, u64) {
    two_bits(KEY_TRIPLE_BITS, pair_key(a, b) << 21 | u64::from(c))
}

/// Adds a pair to one of the other pair sets (opaque pairs, the lexicon's sets).
#[allow(dead_code)]
fn set_pair(set: &mut [u8], bits: u32, a: char, b: char) {
    set_mask(set, pair_bits(bits, a, b));
}

/// The word of one of those sets (of `1 << bits` bits) that holds `a`, `b` and the mask of its
/// two bits.
#[inline(always)]
fn pair_bits(bits: u32, a: char, b: char) -> (usize, u64) {
    two_bits(bits, pair_key(a as u32, b as u32))
}

/// The first slot to probe for a pair in an open-addressing table of `1 << bits` slots.
#[inline(always)]
fn pair_slot(bits: u32, a: u32, b: u32) -> usize {
    (pair_key(a, b).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}
