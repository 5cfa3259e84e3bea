//! `duizhao bench-search`: search latency over a built index. `scripts/bench-search.sh`
//! generates a publication with `duizhao bench-gen`, indexes it with `duizhao reindex`, then
//! runs this on its data directory (part of the binary, so that the benchmark measures the
//! same release build that serves).
//!
//! 200 fixed queries (seeded): a third English words and pairs, a third Simplified Chinese, a
//! third Traditional Chinese (the Simplified ones converted), each a full search as the search
//! page runs it (ranking, the first page of ten, snippets in both languages). One warm-up pass,
//! then five timed passes; the median and p99 are over all timed queries.

use std::time::Instant;

use anyhow::Context;

use crate::cli::BenchSearchArgs;
use crate::search::{SearchIndex, SearchQuery};

/// Runs `duizhao bench-search`.
pub fn run(args: &BenchSearchArgs) -> anyhow::Result<()> {
    let dir = args.data_dir.join("search");
    let index = SearchIndex::open(&dir)
        .with_context(|| format!("opening the search index in {}", dir.display()))?;
    if index.is_empty() {
        anyhow::bail!(
            "the index in {} is empty: run `duizhao reindex` first",
            dir.display()
        );
    }
    let articles = index.len();
    let queries = queries()?;
    let run = |q: &str| {
        index.search(&SearchQuery {
            q: q.to_owned(),
            limit: 10,
            ..SearchQuery::default()
        })
    };
    let mut hits = 0usize;
    for q in &queries {
        hits += usize::from(run(q)?.total > 0);
    }
    let mut times = Vec::with_capacity(queries.len() * 5);
    for _ in 0..5 {
        for q in &queries {
            let t = Instant::now();
            std::hint::black_box(run(q)?);
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    let (median, p99) = (pct(0.5), pct(0.99));
    println!(
        "search over {articles} indexed articles, {} queries ({hits} with results), 5 timed passes",
        queries.len()
    );
    println!(
        "median {median:.2} ms   p90 {:.2} ms   p99 {p99:.2} ms   max {:.2} ms",
        pct(0.9),
        times[times.len() - 1]
    );
    println!(
        "targets: median < 10 ms {}, p99 < 50 ms {}",
        if median < 10.0 { "MET" } else { "MISSED" },
        if p99 < 50.0 { "MET" } else { "MISSED" }
    );
    Ok(())
}

/// The fixed query set: words and pairs drawn (seeded) from the demo publication's own text.
fn queries() -> anyhow::Result<Vec<String>> {
    let (en, zh) = crate::demo::sentences()?;
    let to_hant = duizhao_convert::Converter::new(duizhao_convert::Config::S2tw);
    let mut rng = fastrand::Rng::with_seed(7);
    let en_words: Vec<String> = en
        .iter()
        .flat_map(|s| s.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.len() >= 5)
        .collect();
    let zh_chars: Vec<Vec<char>> = zh
        .iter()
        .map(|s| {
            s.chars()
                .filter(|c| !c.is_ascii() && !"，。、：；！？“”（）《》「」".contains(*c))
                .collect()
        })
        .filter(|c: &Vec<char>| c.len() > 6)
        .collect();
    let mut out = Vec::new();
    for i in 0..67 {
        let a = &en_words[rng.usize(..en_words.len())];
        if i % 3 == 0 {
            out.push(format!("{a} {}", en_words[rng.usize(..en_words.len())]));
        } else {
            out.push(a.clone());
        }
    }
    let mut simplified = Vec::new();
    for _ in 0..67 {
        let chars = &zh_chars[rng.usize(..zh_chars.len())];
        let len = rng.usize(2..=4);
        let start = rng.usize(..chars.len() - len);
        simplified.push(chars[start..start + len].iter().collect::<String>());
    }
    out.extend(simplified.iter().cloned());
    out.extend(simplified.iter().take(66).map(|s| to_hant.convert(s)));
    Ok(out)
}
