//! The conversion engine: segmentation and the chain of dictionary steps.
//!
//! OpenCC's model, which the exact mode reproduces: the text is cut into segments (greedy
//! longest match over the segmentation dictionary, with runs of unmatched characters kept
//! together), and each step of the chain converts each segment on its own by greedy longest
//! match over its dictionary group. Configurations without a segmentation dictionary treat the
//! whole text as one segment.
//!
//! The word-aware mode keeps that fast greedy scan but checks every phrase it is about to take:
//! if a word of the lexicon crosses either end of the phrase (头发 inside 日头发生: 日头 crosses
//! its start, 发生 its end), the few characters around it are segmented by the most probable path through
//! the lattice of words and dictionary phrases, and the steps then convert within those
//! segments. Everywhere else the result is the greedy one, so the lattice costs time only where
//! a phrase is in doubt.

use std::ops::Range;

use crate::dict::{COMPLEX, Dict, Lexicon, MULTI};
use crate::lattice::{Scratch, doubt};

#[derive(Debug)]
pub(crate) struct Pipeline {
    pub steps: Vec<Dict>,
    /// OpenCC's segmentation dictionary (exact mode), if the configuration has one.
    pub segmentation: Option<Dict>,
    /// `segmentation` is exactly the first level of the first step, whose other levels have
    /// only single-character keys (build.rs checks): the exact mode then need not segment
    /// separately.
    pub fused: bool,
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
            (None, [first, rest @ ..]) if self.fused => {
                // OpenCC's segmentation is the first step's own phrase matching: one pass of
                // the first step over the whole text gives both its output and the pieces,
                // and the later steps convert each piece of that output.
                let mut first_out = String::with_capacity(text.len() + text.len() / 8);
                let mut cuts = PhraseCuts(Vec::new());
                convert_step(first, text, None, &mut first_out, &[], &mut cuts);
                chain(rest, &first_out, cuts.0, out);
            }
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
/// converts on its own; the trie is walked only where a longer key may start, which a bitset of
/// the keys' first two characters decides without leaving the loop.
///
/// No key matches across `barriers` (increasing byte offsets in `text`). `cuts` is told where
/// in the output each barrier and each phrase of two or more characters fell.
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
    // Where the last phrase or segment ended, in the text and in `out`: characters after it
    // were converted one by one, and a lattice region may take them back.
    let mut committed = 0;
    let mut committed_out = out.len();
    let mut scratch = Scratch::default();
    let mut i = 0;
    // The character at `i`, decoded once: the loop decodes the next one anyway to look at
    // the pair, and hands it over.
    let (mut c, mut n) = match len {
        0 => return,
        _ => decode(bytes, 0),
    };
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
            }
            if i >= len {
                break;
            }
            (c, n) = decode(bytes, i);
            continue;
        }
        let j = i + n;
        let (next, next_len) = if j < len { decode(bytes, j) } else { (0, 0) };
        let f = dict.fast(c);
        // Computed whatever the flags say: a predictable branch on the combined result is
        // cheaper than unpredictable ones on each flag (and pushing every character, even
        // an unchanged one, is cheaper than branching on whether it changed).
        let phrase = (f & MULTI != 0) & (j < limit) & dict.pair(c, next);
        if !phrase & (f & COMPLEX == 0) {
            if !SPARSE {
                out.push(Dict::fast_output(f));
            } else if Dict::fast_changes(f, c) {
                out.push_str(&text[run..i]);
                out.push(Dict::fast_output(f));
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
            }
            (i, c, n) = (j, next, next_len);
            continue;
        }
        if SPARSE {
            out.push_str(&text[run..i]);
        }
        i = slow_step(
            dict,
            &text[..limit],
            lex,
            out,
            i,
            j,
            &mut committed,
            &mut committed_out,
            cuts,
            &mut scratch,
        );
        run = i;
        if i >= limit {
            if i >= len {
                break;
            }
            let shift = (out.len() - out_start).wrapping_sub(i);
            limit = cross(barriers, &mut b, i, len, shift, cuts);
        }
        (c, n) = decode(bytes, i);
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

/// What `convert_step` reports: phrases in offsets of `out`, barriers in offsets from where
/// the step began writing.
trait Cuts {
    /// A phrase of two or more characters was converted to `start..end`.
    fn phrase(&mut self, _start: usize, _end: usize) {}
    /// A barrier fell at `at`.
    fn barrier(&mut self, _at: usize) {}
}

impl Cuts for () {}

/// Collects the phrases' edges.
struct PhraseCuts(Vec<usize>);

impl Cuts for PhraseCuts {
    fn phrase(&mut self, start: usize, end: usize) {
        self.0.extend([start, end]);
    }
}

/// Collects the barriers' places.
struct Barriers(Vec<usize>);

impl Cuts for Barriers {
    fn barrier(&mut self, at: usize) {
        self.0.push(at);
    }
}

/// `convert_step` at a character that may start a longer key or has an unusual entry: the
/// trie walk, and in word-aware mode the check of the phrase found. Returns where to go on.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn slow_step(
    dict: &Dict,
    text: &str,
    lex: Option<&Lexicon>,
    out: &mut String,
    i: usize,
    j: usize,
    committed: &mut usize,
    committed_out: &mut usize,
    cuts: &mut impl Cuts,
    scratch: &mut Scratch,
) -> usize {
    let rest = &text[i..];
    // The pair passed; unless the first three characters begin some key too, only the
    // character's own entry can match, and the trie walk (two thirds of those that pass the
    // pair in running text) is skipped.
    let mut chars = rest.chars().map(u32::from);
    let m = match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if dict.may_start(a, b, chars.next().unwrap_or(0)) => dict.best(rest),
        (Some(a), _) if dict.fast(a) & COMPLEX == 0 => {
            out.push(Dict::fast_output(dict.fast(a)));
            return j;
        }
        _ => dict.best(&text[i..j]),
    };
    let Some(m) = m else {
        out.push_str(&text[i..j]);
        return j;
    };
    if m.chars == 1 {
        match dict.is_identity(m.entry) {
            true => out.push_str(&text[i..j]),
            false => out.push_str(dict.output(m.entry)),
        }
        return j;
    }
    let end = i + byte_len(rest, m.chars);
    if let Some((region, segments)) =
        lex.and_then(|lex| doubt(dict, None, lex, text, *committed, i, end, m.entry, scratch))
    {
        // The characters since the last phrase were converted one by one; the region may
        // begin among them.
        out.truncate(*committed_out);
        singles(dict, &text[*committed..region.start], out);
        for seg in segments {
            greedy(dict, &text[seg], out);
        }
        *committed = region.end;
        *committed_out = out.len();
        return region.end;
    }
    let start_out = out.len();
    match dict.is_identity(m.entry) {
        true => out.push_str(&text[i..end]),
        false => out.push_str(dict.output(m.entry)),
    }
    cuts.phrase(start_out, out.len());
    *committed = end;
    *committed_out = out.len();
    end
}

/// The code point at byte `i` of valid UTF-8 and its length in bytes.
#[inline(always)]
fn decode(b: &[u8], i: usize) -> (u32, usize) {
    // Away from the end, one bounds check and one load of four bytes.
    match b.get(i..i + 4) {
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
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        ((b0 & 0x1F) << 6 | c1, 2)
    } else if b0 < 0xF0 {
        ((b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
    } else {
        ((b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
    }
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
            && matcher.may_start(fc, fnext, {
                let k = j + next_len;
                if k < len {
                    fold_cp(decode(bytes, k).0)
                } else {
                    0
                }
            })
        {
            let rest = &text[at..];
            let m = match fold {
                None => matcher.best(rest),
                Some(lex) => matcher.best_with(rest.chars().map(|c| lex.fold(c)), None),
            };
            if let Some(m) = m.filter(|m| m.chars >= 2) {
                let end = at + byte_len(rest, m.chars);
                if let Some((region, segments)) = lex.and_then(|lex| {
                    doubt(
                        matcher,
                        fold,
                        lex,
                        text,
                        committed,
                        at,
                        end,
                        m.entry,
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
