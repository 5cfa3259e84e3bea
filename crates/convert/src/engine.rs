//! The conversion engine: segmentation and the chain of dictionary steps.
//!
//! OpenCC's model, which the exact mode reproduces: the text is cut into segments (greedy
//! longest match over the segmentation dictionary, with runs of unmatched characters kept
//! together), and each step of the chain converts each segment on its own by greedy longest
//! match over its dictionary group. Configurations without a segmentation dictionary treat the
//! whole text as one segment. The chains whose first step's phrases are the segmentation
//! dictionary (s2tw, s2twp, s2hk, s2hkp) convert with one dictionary that build.rs composed of
//! both steps, in one greedy pass, as a one-step configuration does.
//!
//! A greedy pass converts character by character and reads the text as greedy matching does
//! only around the places where a key that changes the text otherwise may be (see
//! `convert_step`): keys that convert as their characters do one by one, most of OpenCC's
//! phrases, matter only for where the matches around them fall.
//!
//! The word-aware mode keeps that fast greedy scan but checks every phrase it is about to take:
//! if a word of the lexicon crosses either end of the phrase (头发 inside 日头发生: 日头 crosses
//! its start, 发生 its end), the few characters around it are segmented by the most probable path through
//! the lattice of words and dictionary phrases, and the steps then convert within those
//! segments. Everywhere else the result is the greedy one, so the lattice costs time only where
//! a phrase is in doubt.

use std::ops::Range;

use crate::dict::{COMPLEX, Dict, Lexicon, MULTI, Match};
use crate::lattice::{MAX_WORD_CHARS, Scratch, doubt, suspect};

#[derive(Debug)]
pub(crate) struct Pipeline {
    pub steps: Vec<Dict>,
    /// OpenCC's segmentation dictionary (exact mode), if the configuration has one and is not
    /// one composed dictionary (whose keys of the first level segment as it does).
    pub segmentation: Option<Dict>,
    /// Word-aware mode: the lexicon, and for chains of several steps, the folded keys of all
    /// steps used to cut segments.
    pub words: Option<(std::sync::Arc<Lexicon>, Option<Dict>)>,
}

/// A piece of a segmentation.
enum Piece {
    /// Characters at which no phrase was taken.
    Run(Range<usize>),
    /// A phrase or a word chosen by the lattice: one segment.
    Segment(Range<usize>),
}

impl Pipeline {
    pub(crate) fn convert_into(&self, text: &str, out: &mut String) {
        out.reserve(text.len());
        match (&self.words, self.steps.as_slice()) {
            (None, [step]) if self.segmentation.is_none() => greedy(step, text, out),
            (None, _) => {
                let mut barriers = Vec::new();
                if let Some(seg) = &self.segmentation {
                    scan(seg, false, text, None, &mut |piece| {
                        let (Piece::Run(r) | Piece::Segment(r)) = piece;
                        barriers.push(r.end);
                    });
                }
                chain(&self.steps, text, barriers, out);
            }
            (Some((lex, _)), [step]) => convert_step(step, text, Some(lex), out, &[], &mut ()),
            (Some((lex, seg)), _) => {
                let seg = seg
                    .as_ref()
                    .expect("multi-step configurations have a word-aware segmentation");
                // The first step converts each piece as the scan finds it: no key of it of
                // two or more characters starts in a run (its keys, folded, are keys of `seg`,
                // which took none there), so a run converts character by character, and a
                // segment by the step's own greedy match within it. The later steps then
                // convert that output, piece by piece.
                let (first, rest) = self.steps.split_first().expect("several steps");
                let mut first_out = String::with_capacity(text.len() + text.len() / 8);
                let mut barriers = Vec::new();
                scan(seg, true, text, Some(lex), &mut |piece| {
                    match piece {
                        Piece::Run(r) => singles(first, &text[r], &mut first_out),
                        Piece::Segment(r) => greedy(first, &text[r], &mut first_out),
                    }
                    barriers.push(first_out.len());
                });
                chain(rest, &first_out, barriers, out);
            }
        }
    }
}

/// Runs every step over `text` cut into pieces at `barriers` (increasing byte offsets): each
/// step converts the whole text in one pass, but no key matches across a barrier, so the
/// result is that of converting each piece on its own through all the steps.
fn chain(steps: &[Dict], text: &str, mut barriers: Vec<usize>, out: &mut String) {
    let (last, init) = steps.split_last().expect("a configuration has steps");
    let mut owned: Option<String> = None;
    for step in init {
        let input = owned.as_deref().unwrap_or(text);
        let mut next = String::with_capacity(input.len() + input.len() / 8);
        let mut mapped = Barriers(Vec::with_capacity(barriers.len()));
        convert_step(step, input, None, &mut next, &barriers, &mut mapped);
        owned = Some(next);
        barriers = mapped.0;
    }
    let input = owned.as_deref().unwrap_or(text);
    convert_step(last, input, None, out, &barriers, &mut ());
}

/// Greedy conversion of one segment: at each position the best key (OpenCC's rule), else the
/// character unchanged.
pub(crate) fn greedy(dict: &Dict, text: &str, out: &mut String) {
    convert_step(dict, text, None, out, &[], &mut ());
}

/// Converts `text` with one dictionary by greedy longest match. With a lexicon (the word-aware
/// mode of a one-step configuration), each phrase taken is first checked against the words
/// crossing it, as `scan` does, and a doubtful stretch is re-segmented.
///
/// This is the hot loop. One table load per character (`Dict::fast`) says whether the character
/// converts on its own, and it is written so. Most phrases convert as their characters do one
/// by one (80% of s2t's: they are there to guide the segmentation), so where one of them is
/// matched or not the output is the same: the loop stops only where a key that does not (an
/// *opaque* one) may be, and `stretch` reads the text around that position as greedy matching
/// would. It looks for each opaque key by its *sign*, the pair of its characters that build.rs
/// estimated the rarest in running text (有联 of 没有联系), in a bitset of those pairs, without
/// leaving the loop; where one is followed by a character that no key and no sign is (the set
/// of triples), it reads on. In s2t on 左传 the loop stops at 6,648 positions of its 1.9 MB (one
/// in 95) and reads on at half of them, where a key of any kind may start at one in ten
/// (62,537); looking for opaque keys by their first pairs, it stopped at 14,902 and read on at
/// 11,374 (没有 not followed by 联系).
///
/// No key matches across `barriers` (increasing byte offsets in `text`). `cuts` is told where
/// in the output each barrier fell.
fn convert_step(
    dict: &Dict,
    text: &str,
    lex: Option<&Lexicon>,
    out: &mut String,
    barriers: &[usize],
    cuts: &mut impl Cuts,
) {
    match dict.sparse() {
        true => convert_loop::<true>(dict, text, lex, out, barriers, cuts),
        false => convert_loop::<false>(dict, text, lex, out, barriers, cuts),
    }
}

/// `convert_step`'s loop. `SPARSE` (a dictionary with few entries, like the regional steps of
/// the chains): most characters neither change nor start a key, so unchanged stretches are
/// copied whole instead of character by character; the branch on whether a character changes
/// is then predictable, as it is not for the large dictionaries.
fn convert_loop<const SPARSE: bool>(
    dict: &Dict,
    text: &str,
    lex: Option<&Lexicon>,
    out: &mut String,
    barriers: &[usize],
    cuts: &mut impl Cuts,
) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // SPARSE: `text[run..i]` is unchanged and not yet in `out`.
    let mut run = 0;
    // What is known of the greedy reading behind `i` (see `Reading`).
    let mut reading = Reading {
        floor: 0,
        committed: 0,
    };
    let mut scratch = Scratch::default();
    let mut i = 0;
    // The character at `i`, decoded once: the loop decodes the next one anyway to look at
    // the pair, and hands it over.
    let (mut c, mut n) = match len {
        0 => return,
        _ => decode(bytes, 0),
    };
    // Its table word, likewise loaded a step ahead.
    let mut f = dict.fast(c);
    let ascii_plain = dict.ascii_plain();
    // Keys end at `limit`: the next barrier, or the end of the text. The output of the text
    // before `i` is all in `out`, so a barrier at `i` lands at `out.len() - out_start`.
    let out_start = out.len();
    let mut b = 0;
    let mut limit = len;
    if !barriers.is_empty() {
        limit = cross(barriers, &mut b, 0, len, 0, cuts);
    }
    loop {
        if !SPARSE && c < 0x80 && ascii_plain {
            let start = i;
            i = bytes[i..]
                .iter()
                .position(|&b| b >= 0x80)
                .map_or(len, |k| i + k);
            out.push_str(&text[start..i]);
            if i >= limit {
                // ASCII is copied as it is: a barrier inside the run lands as far before
                // the end of `out` as it is before `i`.
                let shift = (out.len() - out_start).wrapping_sub(i);
                limit = cross(barriers, &mut b, i, len, shift, cuts);
                reading.floor = i;
            }
            if i >= len {
                break;
            }
            (c, n) = decode(bytes, i);
            f = dict.fast(c);
            continue;
        }
        let j = i + n;
        let (next, next_len) = if j < len { decode(bytes, j) } else { (0, 0) };
        let g = dict.fast(next);
        // Computed whatever the flags say: a predictable branch on the combined result is
        // cheaper than unpredictable ones on each flag (and pushing every character, even
        // an unchanged one, is cheaper than branching on whether it changed).
        let opaque = (f & MULTI != 0) & (j < limit) & dict.opaque_sign(c, next);
        if !opaque & (f & COMPLEX == 0) {
            if !SPARSE {
                Dict::push_output(out, f);
            } else if Dict::fast_changes(f, c) {
                out.push_str(&text[run..i]);
                Dict::push_output(out, f);
                run = j;
            }
            if j >= limit {
                if SPARSE {
                    out.push_str(&text[run..j]);
                    run = j;
                }
                if j >= len {
                    break;
                }
                let shift = (out.len() - out_start).wrapping_sub(j);
                limit = cross(barriers, &mut b, j, len, shift, cuts);
                reading.floor = j;
            }
            (i, c, n, f) = (j, next, next_len, g);
            continue;
        }
        if SPARSE {
            out.push_str(&text[run..i]);
        }
        if opaque {
            i = stretch(
                dict,
                &text[..limit],
                lex,
                out,
                i,
                &mut reading,
                &mut scratch,
            );
        } else {
            // A character with an unusual entry of its own, where no key that changes the
            // text starts: whatever greedy matching takes here converts as the characters do.
            dict.push_single(char_at(text, i), out);
            i = j;
        }
        run = i;
        if i >= limit {
            if i >= len {
                break;
            }
            let shift = (out.len() - out_start).wrapping_sub(i);
            limit = cross(barriers, &mut b, i, len, shift, cuts);
            reading.floor = i;
        }
        (c, n) = decode(bytes, i);
        f = dict.fast(c);
    }
}

/// Passes the barriers at or before `i`, telling `cuts` where each fell in the output
/// (`shift` + its offset in the text), and returns the next limit.
#[inline(never)]
fn cross(
    barriers: &[usize],
    b: &mut usize,
    i: usize,
    len: usize,
    shift: usize,
    cuts: &mut impl Cuts,
) -> usize {
    while let Some(&at) = barriers.get(*b)
        && at <= i
    {
        cuts.barrier(shift.wrapping_add(at));
        *b += 1;
    }
    barriers.get(*b).map_or(len, |&at| at.min(len))
}

/// What `convert_step` reports: where each barrier fell, in offsets from where the step began
/// writing.
trait Cuts {
    /// A barrier fell at `at`.
    fn barrier(&mut self, _at: usize) {}
}

impl Cuts for () {}

/// Collects the barriers' places.
struct Barriers(Vec<usize>);

impl Cuts for Barriers {
    fn barrier(&mut self, at: usize) {
        self.0.push(at);
    }
}

/// What `convert_loop` knows of the greedy reading of the text behind it.
struct Reading {
    /// Where the last stretch ended, or the last barrier: a place where greedy matching
    /// starts a match, whatever the text after it. Between it and the loop's position, every
    /// key that greedy matching would take converts as its characters do, and `out` has those.
    floor: usize,
    /// Where the last phrase or lattice region taken at or before `floor` ended (word-aware
    /// mode: the lattice may re-segment the characters since).
    committed: usize,
}

/// Where the sign of a key that does not convert as its characters do may be (`p`, see
/// `convert_step`): reads the text from the last cut at or before `p` (see [`Dict::is_cut`]) as
/// greedy matching would, until past `p`, and writes that stretch's conversion in place of the
/// characters `out` has for it. A key whose sign is at `p` starts at or before `p` and after that
/// cut, since no cut lies inside a key.
/// In word-aware mode each phrase taken is checked, as `scan` does. Returns where the stretch
/// ends: where greedy matching goes on.
///
/// From a cut, greedy matching reads the text as it would from its beginning: no key spans
/// the cut, so it is reached whatever was taken before.
#[inline(never)]
fn stretch(
    dict: &Dict,
    text: &str,
    lex: Option<&Lexicon>,
    out: &mut String,
    p: usize,
    reading: &mut Reading,
    scratch: &mut Scratch,
) -> usize {
    // Where the pair is followed by a character that no key and no sign is, no opaque key is
    // here: the character is read on its own. A phrase that greedy matching takes across this
    // place converts as its characters do (an opaque one would have been re-read from a cut
    // before its sign), and in word-aware mode needs checking only if a sign may be at another
    // of its places by this same test ([`suspect`]), which is re-read: one before this would
    // have read the phrase and gone past it, one after it is yet to come.
    let bytes = text.as_bytes();
    let (a, n) = decode(bytes, p);
    let (b, m) = decode(bytes, p + n);
    let c = code_at(bytes, p + n + m);
    if !dict.may_start(a, b, c) {
        dict.push_single(char_at(text, p), out);
        return p + n;
    }
    let from = cut_before(dict, text, reading.floor, p);
    if from < p {
        // The characters `from..p` were written one by one.
        unwrite(dict, &text[from..p], out);
    }
    // Whether `reading.committed` is where the last phrase before `at` ended: not yet if
    // greedy matching may have taken one between `floor` and `from`.
    let mut known = from == reading.floor;
    let mut at = from;
    while at <= p {
        let Some(m) = phrase_at(dict, text, at) else {
            let c = char_at(text, at);
            dict.push_single(c, out);
            at += c.len_utf8();
            continue;
        };
        let end = at + byte_len(&text[at..], m.chars);
        if let Some(lex) = lex.filter(|_| suspect(dict, text, at, end, &m)) {
            let committed = || match known {
                true => reading.committed,
                false => last_phrase_end(dict, text, reading, from),
            };
            if let Some((region, segments)) =
                doubt(dict, None, lex, text, committed, at, end, scratch)
            {
                // The characters since the last phrase were written one by one; the region
                // may begin among them.
                unwrite(dict, &text[region.start..at], out);
                for seg in segments {
                    greedy(dict, &text[seg], out);
                }
                reading.committed = region.end;
                known = true;
                at = region.end;
                continue;
            }
        }
        dict.push_match(out, &m, &text[at..end]);
        reading.committed = end;
        known = true;
        at = end;
    }
    reading.floor = at;
    at
}

/// Takes back from `out` what it has for `text`, written one character at a time.
fn unwrite(dict: &Dict, text: &str, out: &mut String) {
    let written: usize = text.chars().map(|c| dict.single_len(c)).sum();
    out.truncate(out.len() - written);
}

/// The last cut at or before `p`, not before `floor`.
fn cut_before(dict: &Dict, text: &str, floor: usize, p: usize) -> usize {
    let bytes = text.as_bytes();
    let mut q = p;
    let mut after = decode(bytes, p).0;
    while q > floor {
        let (before, n) = decode_back(bytes, q);
        if dict.is_cut(before, after) {
            break;
        }
        q -= n;
        after = before;
    }
    q
}

/// Where the last phrase that greedy matching takes before the cut `from` ends, as far as the
/// lattice's check of a phrase starting at or after `from` can tell (it looks back at most
/// `MAX_WORD_CHARS` characters): read from a cut that far back, or from `floor`.
#[cold]
fn last_phrase_end(dict: &Dict, text: &str, reading: &Reading, from: usize) -> usize {
    let mut q = from;
    for _ in 0..MAX_WORD_CHARS {
        if q <= reading.floor {
            break;
        }
        q -= text[..q].chars().next_back().map_or(0, char::len_utf8);
    }
    let q = cut_before(dict, text, reading.floor, q);
    // No phrase known to end after `q`: one that ended before it is as far back as `q` for
    // the check.
    let mut last = if q == reading.floor {
        reading.committed
    } else {
        q
    };
    let mut at = q;
    while at < from {
        match phrase_at(dict, text, at) {
            Some(m) => {
                at += byte_len(&text[at..], m.chars);
                last = at;
            }
            None => at += char_at(text, at).len_utf8(),
        }
    }
    last
}

/// The key of two or more characters that greedy matching takes at byte `i` of `text`, if any
/// (OpenCC's rule: the lowest priority level that matches at all, and within it the longest).
///
/// The trie is walked only where the first three characters may begin a key of three or more
/// (one position in ten of those whose pair passes, in running text). Else a key of two may:
/// it is looked up. Else only the character's own entry can match.
fn phrase_at(dict: &Dict, text: &str, i: usize) -> Option<Match> {
    let bytes = text.as_bytes();
    let (a, n) = decode(bytes, i);
    let j = i + n;
    if j >= text.len() || dict.fast(a) & MULTI == 0 {
        return None;
    }
    let (b, n) = decode(bytes, j);
    if !dict.pair(a, b) {
        return None;
    }
    let c = code_at(bytes, j + n);
    let m = if dict.may_start_longer(a, b, c) {
        None
    } else if dict.may_be_pair(a, b) {
        // `None`: a key of two of a later level, which the trie weighs against the character.
        match dict.two(a, b) {
            Some(m) => Some(m?),
            None => None,
        }
    } else {
        return None;
    };
    let m = match m {
        Some(m) => m,
        None => {
            let rest = &text[i..];
            let m = dict.best(rest)?;
            match m.run_only() {
                true => dict.within_run(rest, m)?,
                false => m,
            }
        }
    };
    (m.chars > 1).then_some(m)
}

/// The character at byte `i` of `text`.
#[inline(always)]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().expect("a character at a boundary")
}

/// The code point at byte `k` of valid UTF-8, or 0 at its end: the third "character" that the
/// triple set ([`Dict::may_start`]) is asked about.
#[inline(always)]
fn code_at(b: &[u8], k: usize) -> u32 {
    if k < b.len() { decode(b, k).0 } else { 0 }
}

/// The code point at byte `i` of valid UTF-8 and its length in bytes.
#[inline(always)]
fn decode(b: &[u8], i: usize) -> (u32, usize) {
    // Away from the end, one bounds check and one load of four bytes.
    match b.get(i..).and_then(<[u8]>::first_chunk) {
        Some(&[b0, b1, b2, b3]) => decode_bytes(b0, b1, b2, b3),
        _ => decode_end(b, i),
    }
}

#[inline(always)]
fn decode_bytes(b0: u8, b1: u8, b2: u8, b3: u8) -> (u32, usize) {
    let (b0, c1, c2, c3) = (
        b0 as u32,
        b1 as u32 & 0x3F,
        b2 as u32 & 0x3F,
        b3 as u32 & 0x3F,
    );
    // Chinese text is nearly all characters of three bytes: they are tested for first.
    if b0 & 0xF0 == 0xE0 {
        ((b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
    } else if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        ((b0 & 0x1F) << 6 | c1, 2)
    } else {
        ((b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
    }
}

/// The code point that ends at byte `i` of valid UTF-8 (`i` > 0) and its length in bytes.
#[inline]
fn decode_back(b: &[u8], i: usize) -> (u32, usize) {
    let mut start = i - 1;
    while b[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    (decode(b, start).0, i - start)
}

#[cold]
fn decode_end(b: &[u8], i: usize) -> (u32, usize) {
    let byte = |k: usize| b.get(i + k).copied().unwrap_or(0);
    decode_bytes(byte(0), byte(1), byte(2), byte(3))
}

/// Converts a run in which no phrase was taken: single-character entries only.
fn singles(dict: &Dict, text: &str, out: &mut String) {
    for c in text.chars() {
        dict.push_single(c, out);
    }
}

#[inline(always)]
fn byte_len(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Cuts `text` into pieces: runs of characters where `matcher` takes no phrase, and segments.
/// With a lexicon, phrases that a word crosses are re-segmented by the lattice.
/// `folded`: the matcher's keys are folded to Simplified (the word-aware multi-step mode).
///
/// Like `convert_step`, each character is decoded (and folded) once, and the trie is walked
/// only where the first two characters may start a key.
fn scan(
    matcher: &Dict,
    folded: bool,
    text: &str,
    lex: Option<&Lexicon>,
    emit: &mut dyn FnMut(Piece),
) {
    let fold = lex.filter(|_| folded);
    let fold_cp = |cp: u32| fold.map_or(cp, |lex| lex.fold_cp(cp));
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut committed = 0;
    let mut at = 0;
    let mut scratch = Scratch::default();
    let (mut c, mut n) = match len {
        0 => return,
        _ => decode(bytes, 0),
    };
    let mut fc = fold_cp(c);
    loop {
        let j = at + n;
        // A phrase has at least two characters.
        if j >= len {
            break;
        }
        let (next, next_len) = decode(bytes, j);
        let fnext = fold_cp(next);
        if matcher.fast(fc) & MULTI != 0
            && matcher.pair(fc, fnext)
            && matcher.may_start(fc, fnext, fold_cp(code_at(bytes, j + next_len)))
        {
            let rest = &text[at..];
            let m = match fold {
                None => matcher.best(rest),
                Some(lex) => matcher.best_with(rest.chars().map(|c| lex.fold(c))),
            };
            if let Some(m) = m.filter(|m| m.chars >= 2) {
                let end = at + byte_len(rest, m.chars);
                let lex = lex.filter(|_| suspect(matcher, text, at, end, &m));
                if let Some((region, segments)) = lex.and_then(|lex| {
                    doubt(
                        matcher,
                        fold,
                        lex,
                        text,
                        || committed,
                        at,
                        end,
                        &mut scratch,
                    )
                }) {
                    if region.start > committed {
                        emit(Piece::Run(committed..region.start));
                    }
                    for seg in segments {
                        emit(Piece::Segment(seg));
                    }
                    committed = region.end;
                    at = region.end;
                } else {
                    if at > committed {
                        emit(Piece::Run(committed..at));
                    }
                    emit(Piece::Segment(at..end));
                    committed = end;
                    at = end;
                }
                if at >= len {
                    break;
                }
                (c, n) = decode(bytes, at);
                fc = fold_cp(c);
                continue;
            }
        }
        (at, n, fc) = (j, next_len, fnext);
    }
    if committed < len {
        emit(Piece::Run(committed..len));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables;

    /// The exact-mode pipeline of a chain: with its composed dictionary, or OpenCC's way
    /// (segmentation first, then each step over the pieces).
    fn exact(name: &str, composed: bool) -> Pipeline {
        let table = tables::CONFIGS.iter().find(|t| t.name == name).unwrap();
        let (steps, segmentation) = match composed {
            true => {
                let i = table.composed.expect("a composed chain");
                (vec![Dict::load(tables::COMPOSED[i])], None)
            }
            false => (
                table
                    .steps
                    .iter()
                    .map(|&i| Dict::load(tables::DICTS[i]))
                    .collect(),
                table.segmentation.map(|i| Dict::load(tables::DICTS[i])),
            ),
        };
        Pipeline {
            steps,
            segmentation,
            words: None,
        }
    }

    fn convert(p: &Pipeline, text: &str) -> String {
        let mut out = String::new();
        p.convert_into(text, &mut out);
        out
    }

    const CHAINS: [&str; 4] = ["s2tw", "s2twp", "s2hk", "s2hkp"];

    /// A reproducible stream of numbers below the bound asked for (xorshift).
    fn random(mut state: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        }
    }

    /// Greedy matching the plain way, position by position from the start (OpenCC's rule and,
    /// with a lexicon, each phrase checked as `stretch` checks it): what `convert_step`'s loop
    /// and its stretches between cuts must reproduce.
    fn plain(dict: &Dict, lex: Option<&Lexicon>, text: &str) -> String {
        let (mut out, mut scratch) = (String::new(), Scratch::default());
        let (mut at, mut committed, mut committed_out) = (0, 0, 0);
        while at < text.len() {
            let rest = &text[at..];
            let m = dict
                .best(rest)
                .and_then(|m| match m.run_only() {
                    true => dict.within_run(rest, m),
                    false => Some(m),
                })
                .filter(|m| m.chars > 1);
            let Some(m) = m else {
                let c = rest.chars().next().unwrap();
                dict.push_single(c, &mut out);
                at += c.len_utf8();
                continue;
            };
            let end = at + byte_len(rest, m.chars);
            let region = lex
                .filter(|_| suspect(dict, text, at, end, &m))
                .and_then(|lex| doubt(dict, None, lex, text, || committed, at, end, &mut scratch));
            match region {
                Some((region, segments)) => {
                    out.truncate(committed_out);
                    singles(dict, &text[committed..region.start], &mut out);
                    for seg in segments {
                        out.push_str(&plain(dict, None, &text[seg]));
                    }
                    at = region.end;
                }
                None => {
                    dict.push_match(&mut out, &m, &text[at..end]);
                    at = end;
                }
            }
            (committed, committed_out) = (at, out.len());
        }
        out
    }

    #[test]
    fn the_loop_reads_as_plain_greedy_matching_does() {
        // Strings of the dictionaries' own keys and their characters run together, where keys
        // overlap, cross each other's ends and start inside one another: the stretches the
        // loop re-reads from a cut must come out as reading from the start does, and in the
        // word-aware mode each phrase must be checked against the same stretch of text.
        let lex = crate::lexicon();
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/opencc");
        let words: Vec<String> = include_str!("../data/words.txt")
            .lines()
            .filter_map(|l| Some(l.split_once('\t')?.0.to_owned()))
            .collect();
        for (name, file) in [
            ("s2t", "STPhrases"),
            ("t2s", "TSPhrases"),
            ("s2twp", "TWPhrases"),
        ] {
            let table = tables::CONFIGS.iter().find(|t| t.name == name).unwrap();
            let dict = match table.composed {
                Some(i) => Dict::load(tables::COMPOSED[i]),
                None => Dict::load(tables::DICTS[table.steps[0]]),
            };
            let keys: Vec<String> = std::fs::read_to_string(format!("{data}/{file}.txt"))
                .unwrap()
                .lines()
                .map(|l| l.split_once('\t').unwrap().0.to_owned())
                .collect();
            let chars: Vec<char> = keys.iter().flat_map(|k| k.chars()).collect();
            let mut next = random(0x9e37_79b9_7f4a_7c15);
            // Found by this generator in a longer run: a phrase that the converter would not
            // re-read if `suspect` did not ask what `stretch` asks (s2twp, word-aware).
            let found = ["利調色板状态副词沃恩·威廉斯L司法程序咖羅伯特·雷瞄出"];
            let random_text = || {
                let mut text = String::new();
                for _ in 0..1 + next(10) {
                    match next(4) {
                        0 => text.push(chars[next(chars.len())]),
                        // A word of the lexicon, which may cross a phrase.
                        1 => text.push_str(&words[next(words.len())]),
                        _ => {
                            // A key, or the start or end of one.
                            let key: Vec<char> = keys[next(keys.len())].chars().collect();
                            let (a, b) = match next(3) {
                                0 => (0, key.len()),
                                1 => (0, 1 + next(key.len())),
                                _ => (next(key.len()), key.len()),
                            };
                            text.extend(&key[a..b]);
                        }
                    }
                }
                text
            };
            let fixed = found.iter().map(|s| s.to_string());
            for text in fixed.chain(std::iter::repeat_with(random_text).take(20_000)) {
                for lex in [None, Some(&*lex)] {
                    let mut out = String::new();
                    convert_step(&dict, &text, lex, &mut out, &[], &mut ());
                    assert_eq!(
                        out,
                        plain(&dict, lex, &text),
                        "{name} {}: {text}",
                        lex.is_some()
                    );
                }
            }
        }
    }

    #[test]
    fn composed_chains_convert_as_openccs_model() {
        // Keys of the second step that start with ASCII (U盘, B超, SQL注入), lie in a run of
        // characters the first step leaves alone (信息, 打印), follow one it converts alone
        // (为, 着), are spelt in both scripts at once (数據库), or end the text; phrases of the
        // first step whose output the second converts, or which start inside a key of the
        // second (最高级别: 级别 ends the run inside 高級).
        let mut texts = vec![
            "U盘和B超，SQL注入攻击的信息安全；打印机里为了着急的信息论。".to_string(),
            "信息".to_string(),
            "为着，鼠标和软件的网络技术。里面的面条。台风后的发展。打印".to_string(),
            "数据库、數據库、数據庫和數據庫。大臣中的最高级别。冼靖峰、溫兆倫".to_string(),
            "A".to_string(),
            String::new(),
        ];
        // ../shared/bench-data beside the workspace (as the integration tests find it).
        let corpus = std::env::var("DUIZHAO_BENCH_DATA").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench-data").to_owned()
        });
        for file in ["opencc-golden/us_constitution_zhs.txt", "zuozhuan.txt"] {
            match std::fs::read_to_string(format!("{corpus}/{file}")) {
                Ok(text) => texts.extend(text.lines().take(2000).map(str::to_owned)),
                Err(_) => eprintln!("SKIPPED corpus {file}: not found under {corpus}"),
            }
        }
        for name in CHAINS {
            let (one, model) = (exact(name, true), exact(name, false));
            for text in &texts {
                assert_eq!(convert(&one, text), convert(&model, text), "{name}: {text}");
            }
        }
    }

    /// The pieces random texts are made of for a chain: the characters of its second step's
    /// longer keys and every character that the first step converts to one of them (their
    /// Simplified spellings), and the first step's phrases with such a character.
    fn pieces(name: &str) -> (Vec<char>, Vec<String>) {
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
        let read = |file: &str| std::fs::read_to_string(format!("{data}/{file}")).unwrap();
        let keys = |file: &str| -> Vec<String> {
            read(&format!("opencc/{file}.txt"))
                .lines()
                .map(|line| line.split_once('\t').unwrap().0.to_owned())
                .collect()
        };
        let configs = read("configs.txt");
        let spec = configs
            .lines()
            .filter_map(|l| l.strip_prefix(name)?.strip_prefix(" step "))
            .nth(1)
            .expect("a chain's second step");
        let mut chars = std::collections::BTreeSet::new();
        for file in spec.split(" > ").flat_map(|level| level.split(" | ")) {
            for key in keys(file).iter().filter(|k| k.chars().count() > 1) {
                chars.extend(key.chars());
            }
        }
        for line in read("opencc/STCharacters.txt").lines() {
            let (key, value) = line.split_once('\t').unwrap();
            if value.chars().any(|c| chars.contains(&c)) {
                chars.extend(key.chars());
            }
        }
        let phrases = keys("STPhrases")
            .into_iter()
            .filter(|k| k.chars().any(|c| chars.contains(&c)))
            .collect();
        (chars.into_iter().collect(), phrases)
    }

    #[test]
    fn composed_chains_agree_with_the_model_on_random_text() {
        // Strings drawn from the characters of the second step's longer keys in both scripts,
        // the first step's phrases with one of them, characters the first step converts, ASCII,
        // and characters beyond the BMP: where the two steps' keys meet, overlap and break off.
        for name in CHAINS {
            let (one, model) = (exact(name, true), exact(name, false));
            let (mut pool, phrases) = pieces(name);
            assert!(phrases.len() > 100, "{name}: {} phrases", phrases.len());
            pool.extend("为着发干后里面系台只钟准云松斗历复的士兵信息打印机 UPSB,。𠀀😀".chars());
            let mut next = random(0x2545_f491_4f6c_dd1d);
            for _ in 0..20_000 {
                let mut text = String::new();
                for _ in 0..1 + next(8) {
                    match next(4) {
                        0 => text.push_str(&phrases[next(phrases.len())]),
                        _ => text.push(pool[next(pool.len())]),
                    }
                }
                assert_eq!(
                    convert(&one, &text),
                    convert(&model, &text),
                    "{name}: {text}"
                );
            }
        }
    }
}
