//! Prints a text converted in both segmentation modes: `cargo run --example lattice -- s2t 头发生`.
use duizhao_convert::{Config, Converter, Segmentation};

fn main() {
    let mut args = std::env::args().skip(1);
    let config: Config = args.next().expect("config").parse().unwrap();
    let words = Converter::new(config);
    let exact = Converter::builder(config)
        .segmentation(Segmentation::OpenccExact)
        .build();
    for text in args {
        println!(
            "{text}\n  words  {}\n  opencc {}",
            words.convert(&text),
            exact.convert(&text)
        );
    }
}
