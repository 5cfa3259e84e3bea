//! `duizhao align`: sentence alignment of two files from the command line.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use duizhao_align::{Aligner, Bead};
use serde_json::json;

use crate::cli::AlignArgs;

pub fn run(args: &AlignArgs) -> Result<()> {
    let en_lines = read_lines(&args.en)?;
    let zh_lines = read_lines(&args.zh)?;
    let aligner = Aligner::with_method(args.method);
    let started = Instant::now();
    // Sentences as text, the beads over them, and (with --paragraphs) each sentence's paragraph.
    let (en, zh, beads, paragraphs) = if args.paragraphs {
        let article = aligner.align_article(&en_lines, &zh_lines);
        let (mut en, mut zh, mut beads, mut paras) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for p in &article {
            for s in &p.sentences {
                let (i, j) = (en.len(), zh.len());
                en.extend(
                    s.en.iter()
                        .map(|r| en_lines[r.paragraph][r.bytes.clone()].to_owned()),
                );
                zh.extend(
                    s.zh.iter()
                        .map(|r| zh_lines[r.paragraph][r.bytes.clone()].to_owned()),
                );
                beads.push(Bead::new(i..en.len(), j..zh.len()));
                paras.push(p.bead());
            }
        }
        (en, zh, beads, Some(paras))
    } else {
        let beads = aligner.align_sentences(&en_lines, &zh_lines);
        (en_lines, zh_lines, beads, None)
    };
    let elapsed = started.elapsed();
    let mut out = BufWriter::new(io::stdout().lock());
    for (k, b) in beads.iter().enumerate() {
        match args.format.as_str() {
            "beads" => writeln!(out, "{b}")?,
            "json" => {
                let mut v = json!({
                    "en": b.en.clone().collect::<Vec<_>>(),
                    "zh": b.zh.clone().collect::<Vec<_>>(),
                    "en_text": en[b.en.clone()].join(" "),
                    "zh_text": zh[b.zh.clone()].concat(),
                });
                if let Some(p) = &paragraphs {
                    v["en_paragraphs"] = json!(p[k].en.clone().collect::<Vec<_>>());
                    v["zh_paragraphs"] = json!(p[k].zh.clone().collect::<Vec<_>>());
                }
                writeln!(out, "{v}")?;
            }
            _ => writeln!(
                out,
                "{}\t{}",
                en[b.en.clone()].join(" ").replace('\t', " "),
                zh[b.zh.clone()].concat().replace('\t', " ")
            )?,
        }
    }
    out.flush()?;
    let mut shapes = std::collections::BTreeMap::<(usize, usize), usize>::new();
    for b in &beads {
        *shapes.entry(b.shape()).or_default() += 1;
    }
    let shapes: Vec<String> = shapes
        .iter()
        .map(|((a, b), n)| format!("{a}-{b}: {n}"))
        .collect();
    eprintln!(
        "aligned {} English and {} Chinese sentences into {} beads ({}) in {:.2} s",
        en.len(),
        zh.len(),
        beads.len(),
        shapes.join(", "),
        elapsed.as_secs_f64()
    );
    Ok(())
}

/// The file's lines; an error names the file and the line that is not UTF-8.
fn read_lines(path: &Path) -> Result<Vec<String>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    duizhao_align::lines_from_bytes(&bytes).with_context(|| format!("in {}", path.display()))
}
