//! The library's error type.

use std::io;

/// What can go wrong when converting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration name that is not one of OpenCC's.
    #[error("unknown conversion {name:?}; valid conversions are: {valid}")]
    UnknownConfig {
        /// The name given.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// A variant tag that is not known.
    #[error(
        "unknown script variant {name:?}; valid variants are zh-Hans, zh-Hant, zh-TW, zh-HK, ja"
    )]
    UnknownVariant {
        /// The tag given.
        name: String,
    },
    /// Input that is not UTF-8.
    #[error("input is not valid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte from the start of the input.
        offset: u64,
    },
    /// A glossary line that cannot be read.
    #[error("glossary line {line}: {message}")]
    Glossary {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a stream failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}
