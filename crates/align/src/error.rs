//! The library's error type.

/// What can go wrong reading alignment input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bead line (`[0,1]:[0,1,2]`) that cannot be read.
    #[error("line {line}: {message}")]
    BeadSyntax {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// Text that is not UTF-8.
    #[error("line {line}: not valid UTF-8 (byte offset {offset})")]
    InvalidUtf8 {
        /// 1-based line number of the first invalid byte.
        line: usize,
        /// Offset of the first invalid byte from the start of the input.
        offset: usize,
    },
}

/// Splits `bytes` into lines (without their `\n` or `\r\n`), checking that they are UTF-8 and
/// naming the line of the first invalid byte when they are not.
pub fn lines_from_bytes(bytes: &[u8]) -> Result<Vec<String>, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        Error::InvalidUtf8 { line, offset }
    })?;
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r').to_owned())
        .collect())
}
