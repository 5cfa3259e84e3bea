//! Writes every configuration's conversion of each input file, in both modes, for byte-for-byte
//! comparison between builds: `cargo run --release --example dump -- OUTDIR FILE...`.
//! Each file is converted whole and line by line (`OUTDIR/<file>.<config>.<mode>[.lines]`).
use duizhao_convert::{Config, Converter, Segmentation};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("OUTDIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<String> = args.collect();
    for &config in Config::ALL {
        for (mode, seg) in [
            ("words", Segmentation::Words),
            ("exact", Segmentation::OpenccExact),
        ] {
            let conv = Converter::builder(config).segmentation(seg).build();
            for file in &files {
                let text = std::fs::read_to_string(file).unwrap();
                let name = std::path::Path::new(file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy();
                let whole = conv.convert(&text);
                std::fs::write(dir.join(format!("{name}.{config}.{mode}")), whole).unwrap();
                let mut lines = String::new();
                for line in text.lines() {
                    conv.convert_into(line, &mut lines);
                    lines.push('\n');
                }
                std::fs::write(dir.join(format!("{name}.{config}.{mode}.lines")), lines).unwrap();
            }
        }
    }
}
