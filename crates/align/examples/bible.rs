//! The evaluation on the Bible zh-en set (Bertalign's): ours against the Gale–Church baseline,
//! strict and lax precision, recall and F1 after merging beads within a verse, and the time taken
//! (median of `BENCH_RUNS` runs, default 5).
//!
//! `cargo run --release -p duizhao-align --example bible [-- BENCH_DATA_DIR]`
//! (default: `DUIZHAO_BENCH_DATA`, else `../shared/bench-data` beside the workspace).

use std::path::PathBuf;
use std::time::Instant;

use duizhao_align::{Aligner, Method, eval, parse_beads};

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("DUIZHAO_BENCH_DATA").map(PathBuf::from))
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench-data")
        })
        .join("align/bible-zh-en");
    let read = |name: &str| -> Vec<String> {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            eprintln!("error: {}: {e}", path.display());
            std::process::exit(2)
        });
        duizhao_align::lines_from_bytes(&bytes).unwrap_or_else(|e| {
            eprintln!("error: {}: {e}", path.display());
            std::process::exit(2)
        })
    };
    let (en, zh) = (read("en.txt"), read("zh.txt"));
    let (en_verse, zh_verse) = (read("en.verse"), read("zh.verse"));
    let gold = parse_beads(&read("gold.align").join("\n")).unwrap_or_else(|e| {
        eprintln!("error: {}: {e}", dir.join("gold.align").display());
        std::process::exit(2)
    });
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    println!(
        "Bible zh-en ({} English, {} Chinese sentences, {} gold beads); median of {runs} runs",
        en.len(),
        zh.len(),
        gold.len()
    );
    println!(
        "{:<28} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9}",
        "method", "P", "R", "F1", "lax P", "lax R", "lax F1", "seconds"
    );
    for (name, method) in [
        ("duizhao (lexical)", Method::Lexical),
        ("duizhao (length+anchors)", Method::LengthAnchors),
        ("Gale-Church (bytes)", Method::GaleChurch),
    ] {
        let aligner = Aligner::with_method(method);
        let mut times = Vec::new();
        let mut beads = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            beads = aligner.align_sentences(&en, &zh);
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let merged = eval::merge_within_units(&beads, &en_verse, &zh_verse);
        let s = eval::score(&gold, &merged);
        println!(
            "{:<28} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9.3}",
            name,
            s.strict.precision,
            s.strict.recall,
            s.strict.f1,
            s.lax.precision,
            s.lax.recall,
            s.lax.f1,
            times[times.len() / 2]
        );
    }
}
