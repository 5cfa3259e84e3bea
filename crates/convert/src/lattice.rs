//! The word-aware mode's check of a phrase: whether a word crosses it, the stretch of text
//! around it to re-segment, and the most probable segmentation of that stretch.
//!
//! Most of the time goes into walking the word lexicon's trie (348k words, larger than the
//! processor's caches) from each position near the phrase. The region search, its closing and
//! the lattice all need what starts at the same positions, so each position is walked once
//! (lexicon and dictionary) into a [`Scratch`] that the conversion reuses from one doubtful
//! phrase to the next, without allocating.

use std::ops::Range;

use crate::dict::{Dict, Lexicon, Match};

/// Longest stretch (in characters) the lattice resolves at once; past that the greedy result
/// stands. Real conflicts span a handful of characters.
const MAX_REGION_CHARS: usize = 32;
/// How far left of a phrase (in characters) to look for a word that crosses its start.
pub(crate) const MAX_WORD_CHARS: usize = 8;
/// How much less probable (in nats) the greedy reading must be than the best one before the
/// lattice overrides it.
const MARGIN: f32 = 0.8;

/// A stretch of text (byte offsets) around a doubtful phrase, re-segmented by the lattice.
pub(crate) struct Region {
    pub start: usize,
    pub end: usize,
}

/// Buffers for checking phrases, reused from one to the next. Positions are counted in
/// characters from the window's first character (`offs[0]`).
#[derive(Default)]
pub(crate) struct Scratch {
    /// Byte offset of each character of the window met so far.
    offs: Vec<usize>,
    /// Per position: where its lexicon words are in `words`, once walked.
    words_at: Vec<Option<(u32, u32)>>,
    /// Per position: where the lengths of the matcher's keys are in `keys`, once walked.
    keys_at: Vec<Option<(u32, u32)>>,
    /// (length in characters, cost) of words, in the trie's order (shortest first).
    words: Vec<(u32, f32)>,
    keys: Vec<u32>,
    /// The lattice: per position, non-word phrases (length, cost) are `phrases[phrase_at[s]..]`.
    phrases: Vec<(u32, f32)>,
    phrase_at: Vec<(u32, u32)>,
    best: Vec<(f32, usize)>,
    path: Vec<(f32, usize)>,
}

/// What the check needs to look things up.
struct Window<'a> {
    matcher: &'a Dict,
    fold: Option<&'a Lexicon>,
    lex: &'a Lexicon,
    text: &'a str,
    s: &'a mut Scratch,
}

impl Window<'_> {
    fn reset(&mut self, base: usize) {
        let s = &mut *self.s;
        s.offs.clear();
        s.offs.push(base);
        s.words_at.clear();
        s.keys_at.clear();
        s.words.clear();
        s.keys.clear();
    }

    /// The byte offset of position `k` (the end of the text if it lies beyond).
    fn off(&mut self, k: usize) -> usize {
        let offs = &mut self.s.offs;
        while offs.len() <= k {
            let last = *offs.last().expect("the window has a first character");
            let Some(c) = self.text[last..].chars().next() else {
                return self.text.len();
            };
            offs.push(last + c.len_utf8());
        }
        offs[k]
    }

    /// The lexicon words starting at position `k`, walked once.
    fn words(&mut self, k: usize) -> Range<usize> {
        if self.s.words_at.len() <= k {
            self.s.words_at.resize(k + 1, None);
        }
        if let Some((a, b)) = self.s.words_at[k] {
            return a as usize..b as usize;
        }
        let p = self.off(k);
        let start = self.s.words.len();
        let (lex, words) = (self.lex, &mut self.s.words);
        lex.each_word(self.text[p..].chars().map(|c| lex.fold(c)), |n, cost| {
            words.push((n as u32, cost))
        });
        self.s.words_at[k] = Some((start as u32, words.len() as u32));
        start..words.len()
    }

    /// The lengths of the matcher's keys starting at position `k`, walked once.
    fn keys(&mut self, k: usize) -> Range<usize> {
        if self.s.keys_at.len() <= k {
            self.s.keys_at.resize(k + 1, None);
        }
        if let Some((a, b)) = self.s.keys_at[k] {
            return a as usize..b as usize;
        }
        let p = self.off(k);
        let start = self.s.keys.len();
        let keys = &mut self.s.keys;
        let rest = &self.text[p..];
        match self.fold {
            None => self
                .matcher
                .each_prefix(rest.chars(), |n| keys.push(n as u32)),
            Some(lex) => self
                .matcher
                .each_prefix(rest.chars().map(|c| lex.fold(c)), |n| keys.push(n as u32)),
        }
        self.s.keys_at[k] = Some((start as u32, keys.len() as u32));
        start..keys.len()
    }

    /// The longest word or key starting at position `k`.
    fn longest(&mut self, k: usize) -> usize {
        let w = self.words(k);
        let keys = self.keys(k);
        let s = &self.s;
        let words = s.words[w].iter().map(|&(n, _)| n);
        words.chain(s.keys[keys].iter().copied()).max().unwrap_or(0) as usize
    }

    /// The cost of the word of `len` characters at position `k`, if it is one.
    fn word_cost(&mut self, k: usize, len: usize) -> Option<f32> {
        let w = self.words(k);
        let words = &self.s.words[w];
        words
            .iter()
            .find(|&&(n, _)| n as usize == len)
            .map(|&(_, c)| c)
    }
}

/// Whether the phrase `at..end` just matched (`m`, of `matcher`) is worth checking with
/// [`doubt`]: whether re-segmenting around it could change the output at all.
pub(crate) fn suspect(matcher: &Dict, text: &str, at: usize, end: usize, m: &Match) -> bool {
    // Only a phrase that is itself a word is weighed against the words crossing it: a
    // dictionary phrase that is not a word (周线, 乙太網, 几周围) is there on purpose,
    // often to block a shorter wrong match, and the unigram lattice cannot judge it.
    // Whether the phrase is a word was decided by build.rs for each key.
    //
    // Most of OpenCC's phrases convert as their characters do one by one (they are there to
    // guide its segmentation). Re-segmenting around such a phrase changes the output where it
    // gives a phrase that does not (an opaque one) characters the greedy reading did not, or
    // takes them from one: mostly one inside the phrase or right after it, which is what is
    // looked for, by its sign (the pair of its characters that the converter looks for, see
    // `engine::convert_step`; an opaque phrase further on, cut differently, is not). Inside
    // the phrase, build.rs looked at each key's pairs, so only the pair across its end is left
    // to look up before the places those tests pass are looked at with the characters that
    // follow.
    m.is_word()
        && (!m.is_transparent()
            || (m.opaque_inside() || opaque_after(matcher, text, end))
                && opaque_sign_at(matcher, text, at, end))
}

/// Whether the sign of an opaque key may be at a character of `at..end`: where the pair there
/// passes [`Dict::opaque_pair`] and [`Dict::may_start`] passes with the character after it.
/// This is the converter's test for re-reading the text at a place (`engine::stretch`), so a
/// phrase it finds suspect covers a place that the converter re-reads.
fn opaque_sign_at(matcher: &Dict, text: &str, at: usize, end: usize) -> bool {
    let mut rest = text[at..].chars();
    let (mut a, mut b, mut c) = (rest.next(), rest.next(), rest.next());
    let mut place = at;
    while place < end {
        let (Some(x), Some(y)) = (a, b) else {
            return false;
        };
        if matcher.opaque_pair(x, y)
            && matcher.may_start(x.into(), y.into(), c.map_or(0, u32::from))
        {
            return true;
        }
        place += x.len_utf8();
        (a, b, c) = (b, c, rest.next());
    }
    false
}

/// If the phrase `at..end` just matched (by `matcher`), which is [`suspect`], is a word
/// that another word crosses, and the lattice reads the stretch around it otherwise, that
/// stretch and its segments. `committed` says where the last phrase or region before it ended
/// (the characters since were converted one by one); it is asked only if a word may cross the
/// phrase's start. `fold`: the matcher's keys are folded to Simplified.
#[allow(clippy::too_many_arguments)]
pub(crate) fn doubt(
    matcher: &Dict,
    fold: Option<&Lexicon>,
    lex: &Lexicon,
    text: &str,
    committed: impl FnOnce() -> usize,
    at: usize,
    end: usize,
    scratch: &mut Scratch,
) -> Option<(Region, Vec<Range<usize>>)> {
    // A word crossing the start of a two-character phrase ends on its first character, and a
    // word or key crossing its end starts on its second: the sets of words' last pairs and of
    // words' and keys' first pairs are far more selective than that of all adjacent pairs.
    let phrase = &text[at..end];
    let (Some(first), Some(last)) = (phrase.chars().next(), phrase.chars().next_back()) else {
        return None;
    };
    let two = first.len_utf8() + last.len_utf8() == phrase.len();
    // A word may cross the start if one joins the character before it, unless that character
    // ends a phrase (or there is none).
    let joined = text[..at]
        .chars()
        .next_back()
        .is_some_and(|prev| match two {
            true => lex.may_end(prev, first),
            false => lex.may_join(prev, first),
        });
    let committed = if joined { committed() } else { at };
    let left = joined && committed < at;
    let right = text[end..].chars().next().is_some_and(|next| match two {
        true => lex.may_start(last, next),
        false => lex.may_join(last, next),
    });
    let edges = (left, right);
    if edges == (false, false) {
        return None;
    }
    let mut w = Window {
        matcher,
        fold,
        lex,
        text,
        s: scratch,
    };
    let (start, stop, k_at, k_end) = find(&mut w, committed, at, end, edges)?;
    let segments = segments(&mut w, start, stop, k_at, k_end)?;
    let region = Region {
        start: w.off(start),
        end: w.off(stop),
    };
    Some((region, segments))
}

/// Whether the sign of an opaque key (see [`Dict::opaque_pair`]) may be at the last character
/// of the phrase ending at `end` (whether one may be at an earlier one is a property of its
/// key, [`Match::opaque_inside`]).
fn opaque_after(matcher: &Dict, text: &str, end: usize) -> bool {
    let last = text[..end].chars().next_back();
    let next = text[end..].chars().next();
    last.zip(next)
        .is_some_and(|(a, b)| matcher.opaque_pair(a, b))
}

/// If a word crosses either end of the phrase `at..end`, the region to re-segment, in
/// positions of the window, and the phrase's positions.
fn find(
    w: &mut Window,
    committed: usize,
    at: usize,
    end: usize,
    (left_joined, right_joined): (bool, bool),
) -> Option<(usize, usize, usize, usize)> {
    let text = w.text;
    let lex = w.lex;
    // Positions left of the phrase from which a word may reach into it. Such a word joins the
    // characters on either side of the phrase's start, so when no word or key does
    // (`left_joined` false), there is none; and it joins every pair of characters on its way,
    // so the search stops at the first pair that nothing joins.
    let mut base = at;
    let mut n_left = 0;
    if left_joined {
        let mut right_char = text[at..].chars().next();
        for (i, c) in text[committed..at]
            .char_indices()
            .rev()
            .take(MAX_WORD_CHARS - 1)
        {
            if !right_char.is_some_and(|r| lex.may_join(c, r)) {
                break;
            }
            base = committed + i;
            n_left += 1;
            right_char = Some(c);
        }
    }
    w.reset(base);
    let phrase_chars = text[at..end].chars().count();
    let (k_at, k_end) = (n_left, n_left + phrase_chars);
    let mut start = k_at;
    let mut stop = k_end;
    // Words that start left of the phrase and end inside it, the farthest first.
    for k in 0..n_left {
        let before = k_at - k;
        let range = w.words(k);
        let inside = w.s.words[range]
            .iter()
            .any(|&(n, _)| n as usize > before && (n as usize) < before + phrase_chars);
        if inside {
            start = k;
            break;
        }
    }
    // Words and phrases that start inside the phrase and end beyond it: likewise, only if
    // something joins the characters on either side of its end, and only from where every
    // pair up to the end is joined.
    if right_joined {
        let inner: Vec<char> = text[at..end].chars().collect();
        let mut after = text[end..].chars().next();
        let mut from = inner.len();
        while from > 1 && after.is_some_and(|r| lex.may_join(inner[from - 1], r)) {
            from -= 1;
            after = Some(inner[from]);
        }
        for k in from..phrase_chars {
            let longest = w.longest(k_at + k);
            if longest >= 2 && longest > phrase_chars - k {
                stop = stop.max(k_at + k + longest);
            }
        }
    }
    if start == k_at && stop == k_end {
        return None;
    }
    // Close the region: anything starting inside it that reaches beyond it joins it. A
    // position looked at once need not be looked at again: what reaches from it beyond
    // the region either extended it already or is too long for it.
    let mut scanned = start;
    while scanned < stop && stop - start < MAX_REGION_CHARS {
        let until = stop;
        for p in scanned..until {
            let (words, keys) = (w.words(p), w.keys(p));
            let s = &w.s;
            let lengths = s.words[words].iter().map(|&(n, _)| n);
            for n in lengths.chain(s.keys[keys].iter().copied()) {
                let q = p + n as usize;
                if q > stop && q - start <= MAX_REGION_CHARS {
                    stop = q;
                }
            }
        }
        scanned = until;
    }
    Some((start, stop, k_at, k_end))
}

/// Fills `best` with the cheapest paths from `from` to each position up to `to` (relative to
/// `from`; each entry: cost, previous position). With `phrases`, the non-word phrases count
/// as edges too.
fn shortest(
    w: &Window,
    r0: usize,
    from: usize,
    to: usize,
    phrases: bool,
    best: &mut Vec<(f32, usize)>,
) {
    best.clear();
    best.resize(to - from + 1, (f32::INFINITY, 0));
    best[0] = (0.0, from);
    let s = &*w.s;
    for p in from..to {
        let base = best[p - from].0;
        let mut relax = |len: usize, cost: f32| {
            let e = p + len;
            if e <= to && base + cost < best[e - from].0 {
                best[e - from] = (base + cost, p);
            }
        };
        // Lexicon words, single characters last (as the unknown character's cost if the
        // lexicon has none).
        let (a, b) = s.words_at[r0 + p].expect("region positions are walked");
        let mut single = w.lex.unknown_cost;
        for &(len, cost) in &s.words[a as usize..b as usize] {
            match len {
                1 => single = cost,
                _ => relax(len as usize, cost),
            }
        }
        relax(1, single);
        if phrases {
            let (a, b) = s.phrase_at[p];
            for &(len, cost) in &s.phrases[a as usize..b as usize] {
                relax(len as usize, cost);
            }
        }
    }
}

/// The most probable segmentation of the region `start..stop` (positions of the window), if
/// it is clearly better than keeping the phrase `k_at..k_end` whole: a shortest path where
/// each word costs its negative log probability.
///
/// A dictionary phrase that is not a word of the lexicon (OpenCC lists many such phrases,
/// like 几周围, precisely to block a wrong shorter match) costs a hair less than the
/// cheapest way of spelling it with words: it wins against any reading that cuts inside
/// it at word boundaries, and loses to a reading in which a real word crosses its edge.
fn segments(
    w: &mut Window,
    start: usize,
    stop: usize,
    k_at: usize,
    k_end: usize,
) -> Option<Vec<Range<usize>>> {
    let n = stop - start;
    for k in start..stop {
        w.words(k);
        w.keys(k);
    }
    let mut best = std::mem::take(&mut w.s.best);
    let phrase_cost = |w: &Window, best: &mut Vec<(f32, usize)>, s: usize, len: usize| {
        shortest(w, start, s, s + len, false, best);
        best[len].0 - 1e-3
    };
    // Non-word phrases starting at each position, with their costs (computed once: the
    // lattice is searched three times below).
    w.s.phrases.clear();
    w.s.phrase_at.clear();
    for s in 0..n {
        let from = w.s.phrases.len() as u32;
        let (a, b) = w.s.keys_at[start + s].expect("walked above");
        for i in a..b {
            let len = w.s.keys[i as usize] as usize;
            if len >= 2 && s + len <= n && w.word_cost(start + s, len).is_none() {
                let cost = phrase_cost(w, &mut best, s, len);
                w.s.phrases.push((len as u32, cost));
            }
        }
        w.s.phrase_at.push((from, w.s.phrases.len() as u32));
    }
    let mut path = std::mem::take(&mut w.s.path);
    shortest(w, start, 0, n, true, &mut path);
    let total = path[n].0;
    // The greedy reading: the phrase kept whole, the rest of the region at its best.
    let (p0, p1) = (k_at - start, k_end - start);
    let own = match w.word_cost(k_at, p1 - p0) {
        Some(cost) => cost,
        None => phrase_cost(w, &mut best, p0, p1 - p0),
    };
    shortest(w, start, 0, p0, true, &mut best);
    let left = best[p0].0;
    shortest(w, start, p1, n, true, &mut best);
    let kept = left + own + best[n - p1].0;
    w.s.best = best;
    if debug_lattice() {
        let (a, b, c, d) = (w.off(start), w.off(stop), w.off(k_at), w.off(k_end));
        eprintln!(
            "lattice {:?} phrase {:?}: best {:.2} kept {:.2}",
            &w.text[a..b],
            &w.text[c..d],
            total,
            kept
        );
    }
    let result = if kept - total <= MARGIN {
        None
    } else {
        let mut cuts = vec![n];
        let mut k = n;
        while k > 0 {
            k = path[k].1;
            cuts.push(k);
        }
        cuts.reverse();
        Some(
            cuts.windows(2)
                .map(|c| w.off(start + c[0])..w.off(start + c[1]))
                .collect(),
        )
    };
    w.s.path = path;
    result
}

/// Whether `DUIZHAO_DEBUG_LATTICE` is set: the lattice then prints each decision to stderr.
fn debug_lattice() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("DUIZHAO_DEBUG_LATTICE").is_some())
}
