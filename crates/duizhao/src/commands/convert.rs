//! `duizhao convert`: script conversion from the command line.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use duizhao_convert::{Converter, Glossary, Segmentation};

use crate::cli::ConvertArgs;

pub fn run(args: &ConvertArgs) -> Result<()> {
    let mut builder = Converter::builder(args.config).inline_rules(!args.no_inline);
    if args.opencc_exact {
        builder = builder.segmentation(Segmentation::OpenccExact);
    }
    if let Some(path) = &args.glossary {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading glossary {}", path.display()))?;
        let glossary =
            Glossary::parse(&text).with_context(|| format!("in glossary {}", path.display()))?;
        builder = builder.glossary(glossary);
    }
    let converter = builder.build();
    let input_name = args
        .input
        .as_deref()
        .map_or("standard input".into(), |p| p.display().to_string());
    let input: Box<dyn Read> = match &args.input {
        Some(path) => {
            Box::new(File::open(path).with_context(|| format!("opening {}", path.display()))?)
        }
        None => Box::new(io::stdin().lock()),
    };
    match &args.output {
        Some(path) => write_atomically(path, |out| {
            convert(&converter, args.html, input, out, &input_name)
        }),
        None => {
            let stdout = io::stdout().lock();
            convert(
                &converter,
                args.html,
                input,
                BufWriter::new(stdout),
                &input_name,
            )
        }
    }
}

fn convert(
    conv: &Converter,
    html: bool,
    mut input: impl Read,
    mut out: impl Write,
    name: &str,
) -> Result<()> {
    if html {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading {name}"))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| duizhao_convert::Error::InvalidUtf8 {
                offset: e.valid_up_to() as u64,
            })
            .with_context(|| format!("in {name}"))?;
        out.write_all(conv.convert_html(text).as_bytes())?;
        out.flush()?;
    } else {
        conv.convert_stream(input, out)
            .with_context(|| format!("converting {name}"))?;
    }
    Ok(())
}

/// Writes to a temporary file beside `path` and renames it into place, so that a failure (or
/// converting a file onto itself) never leaves a half-written or emptied output.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .context("the output path names no file")?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.duizhao-{}.tmp", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
