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

use crate::dict::{COMPLEX, Dict, FOLLOW, Lexicon, MULTI, Match, STARTS_NEXT};
use crate::lattice::{Scratch, doubt};

#[derive(Debug)]
pub(crate) struct Pipeline {
    pub steps: Vec<Dict>,
    /// OpenCC's segmentation dictionary (exact mode), if the configuration has one and its first
    /// step does not segment as well (`follows`).
    pub segmentation: Option<Dict>,
    /// A chain of two steps whose first holds OpenCC's segmentation phrases (the segmentation
    /// dictionary is exactly its first level, and its other levels have single-character keys
    /// only: build.rs checks), so that the first step's own phrases cut the text as OpenCC
    /// does. The first step's characters are marked by [`Dict::follow`], and the second step
    /// converts each piece as soon as the first has written it, in the same pass (`Follow`;
    /// both modes).
    pub follows: bool,
    /// Word-aware mode: the lexicon, and for chains of several steps that do not `follow`, the
    /// folded keys of all steps used to cut segments.
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
            (None, [first, next]) if self.follows => {
                // Characters that the second step would leave as they are (most of them) are
                // written once; a piece containing others is converted again by the second step
                // when it ends (`Follow`).
                let mut follow = Follow::new(first, next, text, None, out);
                convert_loop::<false, true>(first, text, None, out, &[], &mut follow);
                follow.finish(out);
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
            (Some((lex, _)), [first, next]) if self.follows => {
                // As in exact mode, with the first step's phrases checked as in a one-step
                // configuration, and the runs and regions in which a key of the second step
                // matches converted again by it as a one-step configuration would be.
                let mut follow = Follow::new(first, next, text, Some(lex), out);
                convert_loop::<false, true>(first, text, Some(lex), out, &[], &mut follow);
                follow.finish(out);
            }
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

/// Word-aware conversion by one step, as a one-step configuration converts: greedy, with each
/// phrase checked against the words crossing it.
fn words_step(dict: &Dict, text: &str, lex: &Lexicon, out: &mut String) {
    convert_step(dict, text, Some(lex), out, &[], &mut ());
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
        true => convert_loop::<true, false>(dict, text, lex, out, barriers, cuts),
        false => convert_loop::<false, false>(dict, text, lex, out, barriers, cuts),
    }
}

/// `convert_step`'s loop. `SPARSE` (a dictionary with few entries, like the regional steps of
/// the chains): most characters neither change nor start a key, so unchanged stretches are
/// copied whole instead of character by character; the branch on whether a character changes
/// is then predictable, as it is not for the large dictionaries. `FOLLOWS`: `dict` was marked
/// by [`Dict::follow`] for the chain's next step, and `cuts` applies that step (see `Follow`);
/// the loop sends it the characters the next step may change.
fn convert_loop<const SPARSE: bool, const FOLLOWS: bool>(
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
        let phrase = (f & (MULTI | STARTS_NEXT) != 0) & (j < limit) & dict.pair(c, next);
        // FOLLOWS: the next step may change what this character converts to. Where a key of
        // it may start, that depends on what the next character converts to: `Dict::follow`
        // added those pairs to the pair set, so `phrase` lets them through (and `slow_step`
        // tells `Follow`), unless the next character's output is unusual.
        let follow = FOLLOWS
            & ((f & FOLLOW != 0) | ((f & STARTS_NEXT != 0) & (g & COMPLEX != 0) & (j < limit)));
        if !phrase & !follow & (f & (COMPLEX | FOLLOW) == 0) {
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
            }
            (i, c, n, f) = (j, next, next_len, g);
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
            Here {
                i,
                j,
                c,
                f,
                next: (j < limit).then_some((next, next_len)),
            },
            &mut committed,
            &mut committed_out,
            cuts,
            &mut scratch,
            // Whether the next step may change what the character converts to on its own:
            // where a key of it may begin, that depends on the next character's output too.
            FOLLOWS
                && (f & FOLLOW != 0
                    || f & STARTS_NEXT != 0
                        && (g & COMPLEX != 0
                            || dict.next_pair(
                                Dict::fast_output(f) as u32,
                                Dict::fast_output(g) as u32,
                            ))),
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
        f = dict.fast(c);
    }
}

/// Whether a longer key of `next_step` may start with `out`, the output of a character,
/// followed by the output of the next character, whose table word is `g` (no false negatives).
#[inline(always)]
fn starts_next(next_step: &Dict, out: u32, g: u32) -> bool {
    (g & COMPLEX != 0) | next_step.pair(out, Dict::fast_output(g) as u32)
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
    /// The phrase `text` (two or more characters, matched as `m`) was converted to
    /// `out[start..]`.
    fn phrase(&mut self, _out: &mut String, _start: usize, _text: Range<usize>, _m: &Match) {}
    /// A barrier fell at `at`.
    fn barrier(&mut self, _at: usize) {}
    /// The character at `text_at`, marked by [`Dict::follow`], was converted on its own to
    /// `out[at..]`.
    fn single(&mut self, _out: &mut String, _at: usize, _text_at: usize) {}
    /// A lattice region re-read the text `text` (from the end of the last phrase), now
    /// converted to `out[start..]`.
    fn region(&mut self, _out: &mut String, _start: usize, _text: Range<usize>) {}
}

impl Cuts for () {}

/// Collects the barriers' places.
struct Barriers(Vec<usize>);

impl Cuts for Barriers {
    fn barrier(&mut self, at: usize) {
        self.0.push(at);
    }
}

/// The second step of a chain, applied to each piece of the first step's output as it is
/// written: OpenCC converts each segment through every step, and a segment here is a phrase
/// of the first step or the run of characters between two phrases. Characters that
/// [`Dict::follow`] did not mark are final as the first step writes them, and so are most
/// marked ones (the next step converts them alone, or no key of it starts there). A run in
/// which a key of the next step may start is converted again when it ends: in exact mode, from
/// that character on, the first step's output by the next step; in the word-aware mode, the
/// first step's output of the whole run by the next step as a one-step configuration converts,
/// so that a key of the next step is weighed against the words crossing it like any other
/// (的士|兵 is not a taxi), the words before it included.
struct Follow<'a> {
    first: &'a Dict,
    next: &'a Dict,
    text: &'a str,
    /// Word-aware mode: the lexicon.
    words: Option<&'a Lexicon>,
    /// Where the current run began: in `out`, and in the text.
    run: (usize, usize),
    /// Where the current run must be converted again from, if it must.
    pending: Option<(usize, usize)>,
    tmp: String,
    phrase: String,
    /// For [`Follow::next_key_ahead`].
    ahead: String,
}

impl<'a> Follow<'a> {
    fn new(
        first: &'a Dict,
        next: &'a Dict,
        text: &'a str,
        words: Option<&'a Lexicon>,
        out: &str,
    ) -> Self {
        Follow {
            first,
            next,
            text,
            words,
            run: (out.len(), 0),
            pending: None,
            tmp: String::new(),
            phrase: String::new(),
            ahead: String::new(),
        }
    }

    /// Converts the current run, which ends at `end` in the text, again if it must.
    fn redo_run(&mut self, out: &mut String, end: usize) {
        let Some((at, text_at)) = self.pending.take() else {
            return;
        };
        self.tmp.clear();
        singles(self.first, &self.text[text_at..end], &mut self.tmp);
        match self.words {
            // Word-aware mode, where a key of the next step does match: the whole run, so that
            // the words before that key are seen too. Otherwise its single characters are all
            // there is to it.
            Some(lex) if self.next.has_phrase(&self.tmp) => {
                let (run_out, run_text) = self.run;
                out.truncate(run_out);
                self.tmp.clear();
                singles(self.first, &self.text[run_text..end], &mut self.tmp);
                words_step(self.next, &self.tmp, lex, out);
            }
            _ => {
                out.truncate(at);
                greedy(self.next, &self.tmp, out);
            }
        }
    }

    /// Whether a key of two or more characters of the next step matches `o`, the output of the
    /// character at `text_at` converted on its own, followed by the first step's outputs of the
    /// characters after it converted one by one. Converted as OpenCC's model does, the run from
    /// this character is such outputs up to the phrase that ends it, which no key of the next
    /// step crosses: where no key matches here, none matches there. Most characters whose output
    /// may begin a key (the pair sets say) turn out not to, and the run need not be redone.
    fn next_key_ahead(&mut self, o: u32, text_at: usize) -> bool {
        let ahead = &mut self.ahead;
        ahead.clear();
        ahead.push(char::from_u32(o).unwrap_or(char::REPLACEMENT_CHARACTER));
        let rest = self.text[text_at..].chars().skip(1);
        for c in rest.take(self.next.longest_key().saturating_sub(1)) {
            self.first.push_single(c, ahead);
        }
        let mut longer = false;
        self.next.each_prefix(ahead.chars(), |n| longer |= n > 1);
        longer
    }

    /// Converts the last run, if it needs it.
    fn finish(&mut self, out: &mut String) {
        self.redo_run(out, self.text.len());
    }
}

impl Cuts for Follow<'_> {
    fn single(&mut self, out: &mut String, at: usize, text_at: usize) {
        if self.pending.is_some() {
            return;
        }
        let mut output = out[at..].chars().map(u32::from);
        let (Some(o), None) = (output.next(), output.next()) else {
            self.pending = Some((at, text_at));
            return;
        };
        let g = self.next.fast(o);
        // A key of the next step may begin here if the next character's output allows it, and
        // then if one matches what follows.
        let starts = g & MULTI != 0
            && self.text[text_at..]
                .chars()
                .nth(1)
                .is_some_and(|d| starts_next(self.next, o, self.first.fast(d as u32)))
            && self.next_key_ahead(o, text_at);
        if g & COMPLEX != 0 || starts {
            self.pending = Some((at, text_at));
        } else if Dict::fast_changes(g, o) {
            out.truncate(at);
            Dict::push_output(out, g);
        }
    }

    fn region(&mut self, out: &mut String, start: usize, text: Range<usize>) {
        // What the run had marked was taken back with it.
        self.pending = None;
        if let Some(lex) = self.words
            && self.next.may_change(&out[start..])
        {
            self.tmp.clear();
            self.tmp.push_str(&out[start..]);
            out.truncate(start);
            match self.next.has_phrase(&self.tmp) {
                true => words_step(self.next, &self.tmp, lex, out),
                false => greedy(self.next, &self.tmp, out),
            }
        }
        self.run = (out.len(), text.end);
    }

    fn phrase(&mut self, out: &mut String, start: usize, text: Range<usize>, m: &Match) {
        // `Dict::follow` checked the entry's output, unless the key is its own output.
        let touched = m.follows() && (!m.keeps() || self.next.may_change(&out[start..]));
        if self.pending.is_some() || touched {
            self.phrase.clear();
            self.phrase.push_str(&out[start..]);
            out.truncate(start);
            self.redo_run(out, text.start);
            greedy(self.next, &self.phrase, out);
        }
        self.run = (out.len(), text.end);
    }
}

/// `convert_step` at a character that may start a longer key or has an unusual entry: the
/// trie walk, and in word-aware mode the check of the phrase found. `follow`: the character is
/// marked for the next step of a chain, which `cuts` is told about if it is converted on its
/// own. Returns where to go on.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn slow_step(
    dict: &Dict,
    text: &str,
    lex: Option<&Lexicon>,
    out: &mut String,
    Here {
        i,
        j,
        c: a,
        f,
        next,
    }: Here,
    committed: &mut usize,
    committed_out: &mut usize,
    cuts: &mut impl Cuts,
    scratch: &mut Scratch,
    follow: bool,
) -> usize {
    let rest = &text[i..];
    let at = out.len();
    // The pair passed (or the character has an unusual entry, or is marked for the next step).
    // The trie is walked only where the first three characters may begin a key of three or
    // more (one position in ten of those whose pair passes, in running text). Else a key of
    // two may: look it up. Else only the character's own entry can match.
    let pair = match next {
        Some((b, n)) => {
            let k = j + n;
            let c = if k < text.len() {
                decode(text.as_bytes(), k).0
            } else {
                0
            };
            if dict.may_start_longer(a, b, c) {
                None
            } else if dict.may_be_pair(a, b) {
                dict.two(a, b)
            } else {
                Some(None)
            }
        }
        None => Some(None),
    };
    let m = match pair {
        None => dict.best(rest),
        Some(Some(m)) => Some(m),
        Some(None) if f & COMPLEX == 0 => {
            Dict::push_output(out, f);
            None
        }
        Some(None) => dict.best(&text[i..j]),
    };
    match m {
        Some(m) if m.chars > 1 => {}
        // Written above.
        _ if out.len() > at => {}
        // No entry, or the character's own: the table's output, unless it is unusual (the
        // table of the first step of a chain may hold the next step's output too).
        _ if f & COMPLEX == 0 => Dict::push_output(out, f),
        Some(m) if !dict.is_identity(m.entry) => out.push_str(dict.output(m.entry)),
        _ => out.push_str(&text[i..j]),
    }
    let Some(m) = m.filter(|m| m.chars > 1) else {
        if follow {
            cuts.single(out, at, i);
        }
        return j;
    };
    let end = i + byte_len(rest, m.chars);
    if let Some((region, segments)) =
        lex.and_then(|lex| doubt(dict, None, lex, text, *committed, i, end, &m, scratch))
    {
        // The characters since the last phrase were converted one by one; the region may
        // begin among them.
        out.truncate(*committed_out);
        singles(dict, &text[*committed..region.start], out);
        for seg in segments {
            greedy(dict, &text[seg], out);
        }
        cuts.region(out, *committed_out, *committed..region.end);
        *committed = region.end;
        *committed_out = out.len();
        return region.end;
    }
    let start_out = out.len();
    dict.push_match(out, &m, &text[i..end]);
    cuts.phrase(out, start_out, i..end, &m);
    *committed = end;
    *committed_out = out.len();
    end
}

/// Where `slow_step` is: the character at bytes `i..j` of the text, its code point `c` and
/// table word `f`, and the next character (code point and length) unless a barrier or the end
/// of the text comes first. The hot loop decoded them already.
struct Here {
    i: usize,
    j: usize,
    c: u32,
    f: u32,
    next: Option<(u32, usize)>,
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
                Some(lex) => matcher.best_with(rest.chars().map(|c| lex.fold(c))),
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
                        &m,
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

    /// The exact-mode pipeline of a configuration: in one pass (`Follow`) or OpenCC's way
    /// (segmentation first, then each step over the pieces).
    fn exact(name: &str, one_pass: bool) -> Pipeline {
        let table = tables::CONFIGS.iter().find(|t| t.name == name).unwrap();
        let mut steps: Vec<Dict> = table
            .steps
            .iter()
            .map(|&i| Dict::load(tables::DICTS[i]))
            .collect();
        if let [first, next] = steps.as_mut_slice()
            && one_pass
        {
            first.follow(next);
        }
        Pipeline {
            steps,
            segmentation: table.segmentation.map(|i| Dict::load(tables::DICTS[i])),
            follows: one_pass,
            words: None,
        }
    }

    fn convert(p: &Pipeline, text: &str) -> String {
        let mut out = String::new();
        p.convert_into(text, &mut out);
        out
    }

    #[test]
    fn one_pass_chains_convert_as_openccs_model() {
        // Keys of the second step that start with ASCII (U盘, B超, SQL注入), lie in a run of
        // characters the first step leaves alone (信息, 打印), follow one it converts alone
        // (为, 着), or end the text; phrases of the first step whose output the second
        // converts.
        let mut texts = vec![
            "U盘和B超，SQL注入攻击的信息安全；打印机里为了着急的信息论。".to_string(),
            "信息".to_string(),
            "为着，鼠标和软件的网络技术。里面的面条。台风后的发展。打印".to_string(),
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
        for name in ["s2tw", "s2twp", "s2hk", "s2hkp"] {
            let (one, model) = (exact(name, true), exact(name, false));
            for text in &texts {
                assert_eq!(convert(&one, text), convert(&model, text), "{name}: {text}");
            }
        }
    }

    #[test]
    fn one_pass_chains_agree_with_the_model_on_random_text() {
        // Strings drawn from the characters of the second step's longer keys, characters the
        // first step converts, ASCII, and characters beyond the BMP: where the two steps'
        // keys meet, overlap and break off.
        for name in ["s2tw", "s2twp", "s2hk", "s2hkp"] {
            let (one, model) = (exact(name, true), exact(name, false));
            let mut pool: Vec<char> = one.steps[1]
                .members()
                .iter()
                .filter_map(|&c| char::from_u32(c))
                .collect();
            pool.extend("为着发干后里面系台只钟准云松斗历复的士兵信息打印机 UPSB,。𠀀😀".chars());
            let mut state = 0x2545_f491_4f6c_dd1d_u64;
            let mut next = |n: usize| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % n as u64) as usize
            };
            for _ in 0..20_000 {
                let len = 1 + next(12);
                let text: String = (0..len).map(|_| pool[next(pool.len())]).collect();
                assert_eq!(
                    convert(&one, &text),
                    convert(&model, &text),
                    "{name}: {text}"
                );
            }
        }
    }
}
