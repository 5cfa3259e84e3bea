// Bitsets of character pairs: a cheap, exact-negative filter in front of trie walks.
// Shared by build.rs (which fills them) and the library (which reads them) via `include!`.

/// Pairs (first two characters) of a dictionary's longer keys: 2^20 bits, 128 KiB.
const KEY_PAIR_BITS: u32 = 20;
const KEY_PAIR_BYTES: usize = 1 << (KEY_PAIR_BITS - 3);
/// Adjacent pairs in lexicon words and dictionary keys: 2^23 bits, 1 MiB.
const WORD_PAIR_BITS: u32 = 23;
#[allow(dead_code)] // only build.rs allocates the word set; the library reads it in place
const WORD_PAIR_BYTES: usize = 1 << (WORD_PAIR_BITS - 3);

/// First pairs of words and keys, and last pairs of words: 2^22 bits, 512 KiB each. A word that
/// crosses an edge of a two-character phrase must start or end with the pair across that edge.
const EDGE_PAIR_BITS: u32 = 22;
#[allow(dead_code)] // only build.rs allocates the edge sets; the library reads them in place
const EDGE_PAIR_BYTES: usize = 1 << (EDGE_PAIR_BITS - 3);

/// Beginnings of a dictionary's longer keys: the first three characters of each key of three or
/// more, and each two-character key with a third "character" 0: 2^20 bits, 128 KiB. A position
/// whose pair passed the pair set needs no trie walk unless one of these is there.
const KEY_TRIPLE_BITS: u32 = 20;
const KEY_TRIPLE_BYTES: usize = 1 << (KEY_TRIPLE_BITS - 3);

/// A dictionary with at most this many entries is small (`Dict::sparse`: the regional steps of
/// the chains), and lists its longer keys' first pairs and characters in its blob for the step
/// before it in a chain (`Dict::follow`).
const SPARSE_ENTRIES: usize = 3000;

#[inline(always)]
fn triple_bit(a: u32, b: u32, c: u32) -> usize {
    let h = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77) ^ c.wrapping_mul(0x27D4_EB2F);
    (h.wrapping_mul(0x1656_67B1) >> (32 - KEY_TRIPLE_BITS)) as usize
}

#[allow(dead_code)]
fn set_triple(set: &mut [u8], a: u32, b: u32, c: u32) {
    let i = triple_bit(a, b, c);
    set[i >> 3] |= 1 << (i & 7);
}

#[allow(dead_code)]
#[inline(always)]
fn has_triple(set: &[u8], a: u32, b: u32, c: u32) -> bool {
    let i = triple_bit(a, b, c);
    set[i >> 3] & (1 << (i & 7)) != 0
}

#[inline(always)]
fn pair_bit(bits: u32, a: char, b: char) -> usize {
    pair_bit_cp(bits, a as u32, b as u32)
}

#[inline(always)]
fn pair_bit_cp(bits: u32, a: u32, b: u32) -> usize {
    let h = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77);
    (h.wrapping_mul(0xC2B2_AE3D) >> (32 - bits)) as usize
}

#[allow(dead_code)]
fn set_pair(set: &mut [u8], bits: u32, a: char, b: char) {
    set_pair_cp(set, bits, a as u32, b as u32);
}

#[allow(dead_code)]
fn set_pair_cp(set: &mut [u8], bits: u32, a: u32, b: u32) {
    let i = pair_bit_cp(bits, a, b);
    set[i >> 3] |= 1 << (i & 7);
}

#[allow(dead_code)]
#[inline(always)]
fn has_pair(set: &[u8], bits: u32, a: char, b: char) -> bool {
    let i = pair_bit(bits, a, b);
    set[i >> 3] & (1 << (i & 7)) != 0
}

#[allow(dead_code)]
#[inline(always)]
fn has_pair_cp(set: &[u8], bits: u32, a: u32, b: u32) -> bool {
    let i = pair_bit_cp(bits, a, b);
    set[i >> 3] & (1 << (i & 7)) != 0
}
