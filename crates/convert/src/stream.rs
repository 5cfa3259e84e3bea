//! Streaming conversion in bounded memory.
//!
//! Input is read in chunks and converted up to the last *safe cut*: a line break, space or
//! Chinese punctuation mark, which no dictionary key, glossary-free word or inline marker
//! spans, so a phrase split across two reads is still converted whole. A stretch of more than
//! [`MAX_PENDING`] bytes with no such character is cut at a character boundary.

use std::io::{Read, Write};

use crate::{Converter, Error};

const CHUNK: usize = 64 * 1024;
/// The most input held back waiting for a safe cut.
pub(crate) const MAX_PENDING: usize = 1024 * 1024;

/// Characters that no dictionary key or lexicon word contains.
fn is_cut(c: char) -> bool {
    matches!(
        c,
        '\n' | ' '
            | '\t'
            | '\r'
            | '。'
            | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '（'
            | '）'
            | '「'
            | '」'
            | '《'
            | '》'
    )
}

pub(crate) fn convert(
    conv: &Converter,
    mut input: impl Read,
    mut output: impl Write,
) -> Result<u64, Error> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    let mut scratch = vec![0u8; CHUNK];
    let mut out = String::with_capacity(CHUNK * 2);
    let mut consumed: u64 = 0;
    let mut eof = false;
    while !eof || !buf.is_empty() {
        // Fill a whole chunk (readers may return a few bytes at a time) before converting.
        let target = buf.len() + CHUNK;
        while !eof && buf.len() < target {
            match input.read(&mut scratch[..target - buf.len()]) {
                Ok(0) => eof = true,
                Ok(n) => buf.extend_from_slice(&scratch[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        let valid = match std::str::from_utf8(&buf) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() && !eof => e.valid_up_to(), // a character cut by the read
            Err(e) => {
                return Err(Error::InvalidUtf8 {
                    offset: consumed + e.valid_up_to() as u64,
                });
            }
        };
        let text = std::str::from_utf8(&buf[..valid]).expect("validated above");
        let cut = if eof {
            valid
        } else {
            match safe_cut(text, conv.inline_rules) {
                Some(cut) => cut,
                None if valid < MAX_PENDING => continue,
                None => text.char_indices().last().map_or(valid, |(i, _)| i),
            }
        };
        out.clear();
        conv.convert_into(&text[..cut], &mut out);
        output.write_all(out.as_bytes())?;
        buf.drain(..cut);
        consumed += cut as u64;
    }
    output.flush()?;
    Ok(consumed)
}

/// The end of the last safe cut in `text`, outside any open inline marker.
fn safe_cut(text: &str, inline: bool) -> Option<usize> {
    let (i, c) = text.char_indices().rev().find(|&(_, c)| is_cut(c))?;
    let mut cut = i + c.len_utf8();
    let head = &text[..cut];
    let unclosed = head
        .rfind("-{")
        .filter(|&open| inline && head.rfind("}-").is_none_or(|close| close < open));
    if let Some(open) = unclosed {
        cut = open;
    }
    (cut > 0).then_some(cut)
}
