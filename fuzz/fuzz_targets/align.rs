//! The aligner on any two texts: no panic, and the beads cover every paragraph and every
//! sentence of both sides, in order, as documented.
#![no_main]

use duizhao_align::{Aligner, Method};
use libfuzzer_sys::fuzz_target;

fn covers(ranges: impl Iterator<Item = std::ops::Range<usize>>, len: usize) {
    let mut next = 0;
    for r in ranges {
        assert_eq!(r.start, next, "a gap or an overlap");
        assert!(r.end >= r.start);
        next = r.end;
    }
    assert_eq!(next, len, "not everything covered");
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (en, zh) = text.split_once('\u{0}').unwrap_or((text, ""));
    let en: Vec<&str> = en.lines().collect();
    let zh: Vec<&str> = zh.lines().collect();
    if en.len() > 200 || zh.len() > 200 {
        return;
    }
    let method = [Method::Lexical, Method::LengthAnchors, Method::GaleChurch][which as usize % 3];
    let aligner = Aligner::with_method(method);
    let beads = aligner.align_sentences(&en, &zh);
    covers(beads.iter().map(|b| b.en.clone()), en.len());
    covers(beads.iter().map(|b| b.zh.clone()), zh.len());
    let paragraphs = aligner.align_article(&en, &zh);
    covers(paragraphs.iter().map(|b| b.en.clone()), en.len());
    covers(paragraphs.iter().map(|b| b.zh.clone()), zh.len());
});
