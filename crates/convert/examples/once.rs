//! Converts a file once, for instruction counts under callgrind:
//! `valgrind --tool=callgrind target/release/examples/once s2t words FILE`.
use duizhao_convert::{Config, Converter, Segmentation};

fn main() {
    let mut args = std::env::args().skip(1);
    let config: Config = args.next().expect("config").parse().unwrap();
    let seg = match args.next().expect("words|exact").as_str() {
        "exact" => Segmentation::OpenccExact,
        _ => Segmentation::Words,
    };
    let text = std::fs::read_to_string(args.next().expect("file")).unwrap();
    let conv = Converter::builder(config).segmentation(seg).build();
    let out = std::hint::black_box(conv.convert(std::hint::black_box(&text)));
    eprintln!("{} -> {} bytes", text.len(), out.len());
}
