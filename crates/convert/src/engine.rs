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

/// Longest stretch (in characters) the lattice resolves at once; past that the greedy result
/// stands. Real conflicts span a handful of characters.
const MAX_REGION_CHARS: usize = 32;
/// How far left of a phrase (in characters) to look for a word that crosses its start.
const MAX_WORD_CHARS: usize = 8;
/// How much less probable (in nats) the greedy reading must be than the best one before the
/// lattice overrides it.
const MARGIN: f32 = 0.8;

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
                let mut barriers = Vec::new();
                scan(seg, true, text, Some(lex), &mut |piece| {
                    let (Piece::Run(r) | Piece::Segment(r)) = piece;
                    barriers.push(r.end);
                });
                chain(&self.steps, text, barriers, out);
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
    let bytes = text.as_bytes();
    let len = bytes.len();
    // Where the last phrase or segment ended, in the text and in `out`: characters after it
    // were converted one by one, and a lattice region may take them back.
    let mut committed = 0;
    let mut committed_out = out.len();
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
        if c < 0x80 && ascii_plain {
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
            out.push(Dict::fast_output(f));
            if j >= limit {
                if j >= len {
                    break;
                }
                let shift = (out.len() - out_start).wrapping_sub(j);
                limit = cross(barriers, &mut b, j, len, shift, cuts);
            }
            (i, c, n) = (j, next, next_len);
            continue;
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
        );
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
) -> usize {
    let rest = &text[i..];
    let Some(m) = dict.best(rest) else {
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
        lex.and_then(|lex| doubt(dict, None, lex, text, *committed, i, end, m.entry))
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

/// If the phrase `at..end` just matched (`entry` of `matcher`) is a word that another word
/// crosses, and the lattice reads the stretch around it otherwise, that stretch and its
/// segments.
#[allow(clippy::too_many_arguments)]
fn doubt(
    matcher: &Dict,
    fold: Option<&Lexicon>,
    lex: &Lexicon,
    text: &str,
    committed: usize,
    at: usize,
    end: usize,
    entry: u32,
) -> Option<(Region, Vec<Range<usize>>)> {
    // Only a phrase that is itself a word is weighed against the words crossing it: a
    // dictionary phrase that is not a word (周线, 乙太網, 几周围) is there on purpose,
    // often to block a shorter wrong match, and the unigram lattice cannot judge it.
    // A word crossing an edge of the phrase joins the characters on either side of that
    // edge; the pair bitset rules most phrases out without a trie walk. Whether the phrase is
    // a word was decided by build.rs for each key.
    if !matcher.is_word(entry) {
        return None;
    }
    let joined = |left: &str, right: &str| match (left.chars().next_back(), right.chars().next()) {
        (Some(a), Some(b)) => lex.may_join(a, b),
        _ => false,
    };
    let edges = (
        joined(&text[committed..at], &text[at..end]),
        joined(&text[at..end], &text[end..]),
    );
    if edges == (false, false) {
        return None;
    }
    let region = Region::find(matcher, fold, lex, text, committed, at, end, edges)?;
    let segments = region.segments(matcher, fold, lex, text, at..end)?;
    Some((region, segments))
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
        if matcher.fast(fc) & MULTI != 0 && matcher.pair(fc, fnext) {
            let rest = &text[at..];
            let m = match fold {
                None => matcher.best(rest),
                Some(lex) => matcher.best_with(rest.chars().map(|c| lex.fold(c)), None),
            };
            if let Some(m) = m.filter(|m| m.chars >= 2) {
                let end = at + byte_len(rest, m.chars);
                if let Some((region, segments)) =
                    lex.and_then(|lex| doubt(matcher, fold, lex, text, committed, at, end, m.entry))
                {
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

/// A stretch of text around a doubtful phrase, to be segmented by the lattice.
struct Region {
    start: usize,
    end: usize,
}

impl Region {
    /// If a word crosses either end of the phrase `at..end`, the region to re-segment.
    #[allow(clippy::too_many_arguments)]
    fn find(
        matcher: &Dict,
        fold: Option<&Lexicon>,
        lex: &Lexicon,
        text: &str,
        committed: usize,
        at: usize,
        end: usize,
        (left_joined, right_joined): (bool, bool),
    ) -> Option<Region> {
        let mut start = at;
        let mut stop = end;
        let phrase_chars = text[at..end].chars().count();
        // Words that start left of the phrase and end inside it. Such a word joins the
        // characters on either side of the phrase's start, so when no word or key does
        // (`left_joined` false), there is none.
        if left_joined {
            // `left[k]` is k + 1 characters before the phrase. A word from there that reaches
            // into the phrase joins every pair of characters on its way, so the search stops
            // at the first pair that nothing joins.
            let mut left: Vec<usize> = Vec::with_capacity(MAX_WORD_CHARS);
            let mut right_char = text[at..].chars().next();
            for (i, c) in text[committed..at]
                .char_indices()
                .rev()
                .take(MAX_WORD_CHARS - 1)
            {
                if !right_char.is_some_and(|r| lex.may_join(c, r)) {
                    break;
                }
                left.push(committed + i);
                right_char = Some(c);
            }
            for (k, &p) in left.iter().enumerate().rev() {
                let before = k + 1;
                let mut inside = false;
                lex.each_word(text[p..].chars().map(|c| lex.fold(c)), |n, _| {
                    inside |= n > before && n < before + phrase_chars;
                });
                if inside {
                    start = p;
                    break;
                }
            }
        }
        // Words and phrases that start inside the phrase and end beyond it: likewise, only if
        // something joins the characters on either side of its end, and only from where every
        // pair up to the end is joined.
        if right_joined {
            let inner: Vec<(usize, char)> = text[at..end].char_indices().collect();
            let mut after = text[end..].chars().next();
            let mut from = inner.len();
            while from > 1 && after.is_some_and(|r| lex.may_join(inner[from - 1].1, r)) {
                from -= 1;
                after = Some(inner[from].1);
            }
            for (k, &(p, _)) in inner.iter().enumerate().skip(from) {
                let p = at + p;
                let mut longest = 0;
                each_candidate(matcher, fold, lex, &text[p..], |n| longest = longest.max(n));
                if longest >= 2 && longest > phrase_chars - k {
                    stop = stop.max(advance(text, p, longest));
                }
            }
        }
        if start == at && stop == end {
            return None;
        }
        // Close the region: anything starting inside it that reaches beyond it joins it. A
        // position looked at once need not be looked at again: what reaches from it beyond
        // the region either extended it already or is too long for it.
        let mut scanned = start;
        while scanned < stop && text[start..stop].chars().count() < MAX_REGION_CHARS {
            let until = stop;
            for (p, _) in text[scanned..until].char_indices() {
                let p = scanned + p;
                each_candidate(matcher, fold, lex, &text[p..], |n| {
                    let q = advance(text, p, n);
                    if q > stop && text[start..q].chars().count() <= MAX_REGION_CHARS {
                        stop = q;
                    }
                });
            }
            scanned = until;
        }
        Some(Region { start, end: stop })
    }

    /// The most probable segmentation of the region: a shortest path where each word costs its
    /// negative log probability.
    ///
    /// A dictionary phrase that is not a word of the lexicon (OpenCC lists many such phrases,
    /// like 几周围, precisely to block a wrong shorter match) costs a hair less than the
    /// cheapest way of spelling it with words: it wins against any reading that cuts inside
    /// it at word boundaries, and loses to a reading in which a real word crosses its edge.
    fn segments(
        &self,
        matcher: &Dict,
        fold: Option<&Lexicon>,
        lex: &Lexicon,
        text: &str,
        phrase: Range<usize>,
    ) -> Option<Vec<Range<usize>>> {
        let region = &text[self.start..self.end];
        let starts: Vec<usize> = region
            .char_indices()
            .map(|(i, _)| self.start + i)
            .chain([self.end])
            .collect();
        let folded: Vec<char> = region.chars().map(|c| lex.fold(c)).collect();
        let n = folded.len();
        // words[s]: (length, cost) of lexicon words starting at s, single characters included.
        let words: Vec<Vec<(usize, f32)>> = (0..n)
            .map(|s| {
                let mut v = Vec::new();
                let mut single = lex.unknown_cost;
                lex.each_word(folded[s..].iter().copied(), |len, cost| {
                    if len == 1 {
                        single = cost;
                    } else {
                        v.push((len, cost));
                    }
                });
                v.push((1, single));
                v
            })
            .collect();
        let shortest = |from: usize, to: usize, extra: &Extra| {
            let mut best = vec![(f32::INFINITY, 0usize); to - from + 1];
            best[0] = (0.0, from);
            for s in from..to {
                let base = best[s - from].0;
                let mut relax = |len: usize, cost: f32| {
                    let e = s + len;
                    if e <= to && base + cost < best[e - from].0 {
                        best[e - from] = (base + cost, s);
                    }
                };
                for &(len, cost) in &words[s] {
                    relax(len, cost);
                }
                extra(s, &mut relax);
            }
            best
        };
        let phrase_cost = |s: usize, len: usize| shortest(s, s + len, &|_, _| {})[len].0 - 1e-3;
        // Non-word phrases starting at each position, with their costs (computed once: the
        // lattice is searched three times below).
        let phrases: Vec<Vec<(usize, f32)>> = (0..n)
            .map(|s| {
                let mut v = Vec::new();
                each_prefix(matcher, fold, &text[starts[s]..self.end], |len| {
                    if len >= 2
                        && s + len <= n
                        && lex.cost(folded[s..s + len].iter().copied()).is_none()
                    {
                        v.push((len, phrase_cost(s, len)));
                    }
                });
                v
            })
            .collect();
        let with_phrases = |s: usize, relax: &mut dyn FnMut(usize, f32)| {
            for &(len, cost) in &phrases[s] {
                relax(len, cost);
            }
        };
        let best = shortest(0, n, &with_phrases);
        // The greedy reading: the phrase kept whole, the rest of the region at its best.
        let p0 = starts
            .iter()
            .position(|&b| b == phrase.start)
            .expect("phrase starts on a character");
        let p1 = starts
            .iter()
            .position(|&b| b == phrase.end)
            .expect("phrase ends on a character");
        let own = lex
            .cost(folded[p0..p1].iter().copied())
            .unwrap_or_else(|| phrase_cost(p0, p1 - p0));
        let kept =
            shortest(0, p0, &with_phrases)[p0].0 + own + shortest(p1, n, &with_phrases)[n - p1].0;
        if debug_lattice() {
            eprintln!(
                "lattice {:?} phrase {:?}: best {:.2} kept {:.2}",
                region,
                &text[phrase.clone()],
                best[n].0,
                kept
            );
        }
        if kept - best[n].0 <= MARGIN {
            return None;
        }
        let mut cuts = vec![n];
        let mut k = n;
        while k > 0 {
            k = best[k].1;
            cuts.push(k);
        }
        cuts.reverse();
        Some(
            cuts.windows(2)
                .map(|w| starts[w[0]]..starts[w[1]])
                .collect(),
        )
    }
}

/// Whether `DUIZHAO_DEBUG_LATTICE` is set: the lattice then prints each decision to stderr.
fn debug_lattice() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("DUIZHAO_DEBUG_LATTICE").is_some())
}

/// Extra lattice edges from a position: calls the relaxation with (length, cost).
type Extra<'a> = dyn Fn(usize, &mut dyn FnMut(usize, f32)) + 'a;

/// Calls `f` with the length of every key of `matcher` that starts `rest`.
fn each_prefix(matcher: &Dict, fold: Option<&Lexicon>, rest: &str, f: impl FnMut(usize)) {
    match fold {
        None => matcher.each_prefix(rest.chars(), f),
        Some(lex) => matcher.each_prefix(rest.chars().map(|c| lex.fold(c)), f),
    }
}

/// Calls `f` with the length of every word and every key of `matcher` that starts `rest`.
fn each_candidate(
    matcher: &Dict,
    fold: Option<&Lexicon>,
    lex: &Lexicon,
    rest: &str,
    mut f: impl FnMut(usize),
) {
    lex.each_word(rest.chars().map(|c| lex.fold(c)), |n, _| f(n));
    each_prefix(matcher, fold, rest, f);
}

/// The byte offset `n` characters after `from`.
fn advance(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}
