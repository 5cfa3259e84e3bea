//! The Bible zh-en evaluation (Bertalign's test set, read from `../shared/bench-data`): our
//! aligner must keep strict F1 at 0.95 or more, and the Gale–Church baseline must stay where the
//! literature puts it. Quality only; `scripts/bench-align.sh` measures time.

mod common;

use duizhao_align::{Aligner, Method, eval, parse_beads};

fn bible_f1(test: &str, method: Method) -> Option<eval::Scores> {
    let dir = common::bench_data(test)?.join("align/bible-zh-en");
    let en = common::lines(&dir.join("en.txt"));
    let zh = common::lines(&dir.join("zh.txt"));
    let en_verse = common::lines(&dir.join("en.verse"));
    let zh_verse = common::lines(&dir.join("zh.verse"));
    let gold = parse_beads(&std::fs::read_to_string(dir.join("gold.align")).unwrap()).unwrap();
    let beads = Aligner::with_method(method).align_sentences(&en, &zh);
    // Every sentence of both sides is in exactly one bead, in order.
    let (mut i, mut j) = (0, 0);
    for b in &beads {
        assert_eq!((b.en.start, b.zh.start), (i, j), "bead {b} leaves a gap");
        (i, j) = (b.en.end, b.zh.end);
    }
    assert_eq!((i, j), (en.len(), zh.len()));
    let scores = eval::score(
        &gold,
        &eval::merge_within_units(&beads, &en_verse, &zh_verse),
    );
    eprintln!("{method:?}: {scores:?}");
    Some(scores)
}

#[test]
fn lexical_aligner_reaches_strict_f1_095() {
    let Some(s) = bible_f1("lexical_aligner_reaches_strict_f1_095", Method::Lexical) else {
        return;
    };
    assert!(s.strict.f1 >= 0.95, "strict F1 {:.3} < 0.95", s.strict.f1);
    assert!(s.lax.f1 >= 0.99, "lax F1 {:.3} < 0.99", s.lax.f1);
}

#[test]
fn gale_church_baseline_stays_in_its_band() {
    let Some(s) = bible_f1("gale_church_baseline_stays_in_its_band", Method::GaleChurch) else {
        return;
    };
    // Bertalign reports 0.821 strict / 0.931 lax for Gale–Church on this set.
    assert!(
        (0.80..=0.85).contains(&s.strict.f1),
        "strict F1 {:.3}",
        s.strict.f1
    );
    assert!((0.91..=0.95).contains(&s.lax.f1), "lax F1 {:.3}", s.lax.f1);
}
