//! What the aligner knows about each unit (sentence or paragraph): its length, its tokens for the
//! lexicon, and its anchors (numbers, Latin-script words, question and exclamation marks, quotes).

use rustc_hash::FxHashMap;

use crate::numbers::{self, Value};

/// One side's units, with token ids into that side's vocabulary.
#[derive(Debug, Default)]
pub(crate) struct Side {
    /// Length in characters (whitespace excluded).
    pub len: Vec<f32>,
    /// Length in UTF-8 bytes (what the Gale–Church baseline counts).
    pub bytes: Vec<f32>,
    /// Lexicon tokens: English word stems, or Chinese characters and Latin words.
    pub tokens: Vec<Vec<u32>>,
    /// Number values.
    pub numbers: Vec<Vec<Value>>,
    /// Latin-script word ids shared between the sides (for names kept in the Chinese).
    pub latin: Vec<Vec<u32>>,
    /// Question marks, exclamation marks, opening quotes.
    pub marks: Vec<[u8; 3]>,
    /// Vocabulary size.
    pub vocab: usize,
    /// Prefix sums of `len` (one more entry than units).
    pub cum_len: Vec<f32>,
    /// Prefix counts of units with any anchor, to skip the anchor check for plain beads.
    pub cum_anchors: Vec<u32>,
}

impl Side {
    fn finish(&mut self) {
        self.cum_len = std::iter::once(0.0)
            .chain(self.len.iter().scan(0.0f32, |acc, &l| {
                *acc += l;
                Some(*acc)
            }))
            .collect();
        let mut acc = 0;
        self.cum_anchors = std::iter::once(0)
            .chain((0..self.len.len()).map(|i| {
                let any = !self.numbers[i].is_empty()
                    || !self.latin[i].is_empty()
                    || self.marks[i] != [0; 3];
                acc += u32::from(any);
                acc
            }))
            .collect();
    }
}

/// Is `c` a Han character (CJK unified ideographs, extension A, compatibility)?
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// English words are compared by their first letters, a stemmer that needs no word list.
const STEM_CHARS: usize = 6;

fn stem(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .take(STEM_CHARS)
        .collect()
}

/// Latin-script words of a text (ASCII letters and digits joined), lower-cased.
fn latin_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
}

fn marks(text: &str) -> [u8; 3] {
    let mut m = [0u8; 3];
    let mut straight = 0u8;
    for c in text.chars() {
        match c {
            '?' | '？' => m[0] = m[0].saturating_add(1),
            '!' | '！' => m[1] = m[1].saturating_add(1),
            '“' | '「' | '『' => m[2] = m[2].saturating_add(1),
            '"' => straight = straight.saturating_add(1),
            _ => {}
        }
    }
    m[2] = m[2].saturating_add(straight.div_ceil(2));
    m
}

/// Builds both sides' features.
pub(crate) fn build<S: AsRef<str>, T: AsRef<str>>(en: &[S], zh: &[T]) -> (Side, Side) {
    let mut zh_vocab: FxHashMap<String, u32> = FxHashMap::default();
    let mut latin_vocab: FxHashMap<String, u32> = FxHashMap::default();
    let mut z = Side::default();
    for text in zh {
        let text = text.as_ref();
        let mut toks = Vec::new();
        let mut lat = Vec::new();
        let mut buf = [0u8; 4];
        for c in text.chars().filter(|&c| is_han(c)) {
            let key: &str = c.encode_utf8(&mut buf);
            toks.push(intern(&mut zh_vocab, key));
        }
        for w in latin_words(text) {
            let s = stem(w);
            toks.push(intern(&mut zh_vocab, &s));
            lat.push(intern(&mut latin_vocab, &w.to_lowercase()));
        }
        z.len
            .push(text.chars().filter(|c| !c.is_whitespace()).count() as f32);
        z.bytes.push(text.len() as f32);
        z.tokens.push(toks);
        z.numbers.push(numbers::zh_numbers(text));
        z.latin.push(lat);
        z.marks.push(marks(text));
    }
    z.vocab = zh_vocab.len();
    z.finish();
    let mut en_vocab: FxHashMap<String, u32> = FxHashMap::default();
    let mut e = Side::default();
    for text in en {
        let text = text.as_ref();
        let mut toks = Vec::new();
        let mut lat = Vec::new();
        for w in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if w.chars().all(|c| c.is_ascii_digit()) {
                continue; // numbers are anchors, not vocabulary
            }
            toks.push(intern(&mut en_vocab, &stem(w)));
            if let Some(&id) = latin_vocab.get(w.to_lowercase().as_str()) {
                lat.push(id);
            }
        }
        e.len
            .push(text.chars().filter(|c| !c.is_whitespace()).count() as f32);
        e.bytes.push(text.len() as f32);
        e.tokens.push(toks);
        e.numbers.push(numbers::en_numbers(text));
        e.latin.push(lat);
        e.marks.push(marks(text));
    }
    e.vocab = en_vocab.len();
    e.finish();
    (e, z)
}

fn intern(vocab: &mut FxHashMap<String, u32>, key: &str) -> u32 {
    if let Some(&id) = vocab.get(key) {
        return id;
    }
    let id = vocab.len() as u32;
    vocab.insert(key.to_owned(), id);
    id
}
