//! Converts a file in both modes and prints the lines where they differ:
//! `cargo run --release --example compare -- s2t FILE`.
use duizhao_convert::{Config, Converter, Segmentation};

fn main() {
    let mut args = std::env::args().skip(1);
    let config: Config = args.next().expect("config").parse().unwrap();
    let text = std::fs::read_to_string(args.next().expect("file")).unwrap();
    let words = Converter::new(config);
    let exact = Converter::builder(config)
        .segmentation(Segmentation::OpenccExact)
        .build();
    let mut n = 0;
    for line in text.lines() {
        let (a, b) = (words.convert(line), exact.convert(line));
        if a != b {
            n += 1;
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let i = ca.iter().zip(&cb).position(|(x, y)| x != y).unwrap_or(0);
            let lo = i.saturating_sub(6);
            let src: Vec<char> = line.chars().collect();
            println!(
                "{} | words {} | opencc {}",
                src[lo..(i + 6).min(src.len())].iter().collect::<String>(),
                ca[lo..(i + 6).min(ca.len())].iter().collect::<String>(),
                cb[lo..(i + 6).min(cb.len())].iter().collect::<String>()
            );
        }
    }
    eprintln!("{n} of {} lines differ", text.lines().count());
}
