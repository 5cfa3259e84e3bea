//! Quick throughput check:
//! `cargo run --release --example throughput -- CONFIG FILE [REPEAT [words|exact]]`.
//! The benchmark proper, against the other converters, is scripts/bench-convert.sh.
use duizhao_convert::{Config, Converter, Segmentation};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let config: Config = args.next().expect("config").parse().unwrap();
    let text = std::fs::read_to_string(args.next().expect("file")).unwrap();
    let text = text.repeat(args.next().map_or(8, |n| n.parse().unwrap()));
    let modes = match args.next().as_deref() {
        Some("words") => vec![Segmentation::Words],
        Some("exact") => vec![Segmentation::OpenccExact],
        _ => vec![Segmentation::Words, Segmentation::OpenccExact],
    };
    for seg in modes {
        let t = Instant::now();
        let conv = Converter::builder(config).segmentation(seg).build();
        let built = t.elapsed();
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(conv.convert(&text));
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{config} {seg:?}: built in {built:?}, {:.1} MB/s (median of 5)",
            text.len() as f64 / 1e6 / times[2]
        );
    }
}
