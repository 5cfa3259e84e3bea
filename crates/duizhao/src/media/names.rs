//! Storage names for uploads. The name an editor's file had is only a hint for a readable
//! slug: the key is `uploads/<slug>-<hash>.<ext>`, where the hash is of the uploaded bytes
//! and the extension comes from the sniffed content, so no part of the path is trusted input.

use sha2::{Digest, Sha256};

use super::process::Format;
use super::storage::{MediaKey, StorageError};

/// The longest slug taken from an upload's name.
const MAX_SLUG: usize = 48;

/// A readable slug from an upload's file name: the last path component without its
/// extension, lower-cased ASCII letters and digits with runs of anything else turned into one
/// `-`. Names with nothing usable (all Chinese, all punctuation) become `image`.
pub fn slug_from_name(original_name: &str) -> String {
    let base = original_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(original_name);
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let mut slug = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            if slug.len() >= MAX_SLUG {
                break;
            }
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "image".to_owned()
    } else {
        slug.to_owned()
    }
}

/// The first 12 hex digits of the SHA-256 of `bytes`: enough that two different uploads with
/// the same slug do not collide in practice, short enough to read.
pub fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The keys of one upload: the full-size file and one per variant width.
#[derive(Clone, Debug)]
pub struct UploadKeys {
    stem: String,
    ext: &'static str,
}

impl UploadKeys {
    /// Keys for an upload of `bytes` named `original_name`, stored as `format`.
    pub fn new(original_name: &str, bytes: &[u8], format: Format) -> UploadKeys {
        UploadKeys {
            stem: format!(
                "uploads/{}-{}",
                slug_from_name(original_name),
                short_hash(bytes)
            ),
            ext: format.extension(),
        }
    }

    /// The full-size file's key.
    pub fn full(&self) -> Result<MediaKey, StorageError> {
        MediaKey::parse(&format!("{}.{}", self.stem, self.ext))
    }

    /// A variant's key, e.g. `uploads/harbour-3fa2c1d0e9b8-480w.jpg`.
    pub fn variant(&self, width: u32) -> Result<MediaKey, StorageError> {
        MediaKey::parse(&format!("{}-{width}w.{}", self.stem, self.ext))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_never_carry_path_syntax() {
        assert_eq!(slug_from_name("Harbour at Dawn.JPG"), "harbour-at-dawn");
        assert_eq!(slug_from_name("../../etc/passwd"), "passwd");
        assert_eq!(slug_from_name("..\\..\\win.ini"), "win");
        assert_eq!(slug_from_name("..."), "image");
        assert_eq!(slug_from_name(""), "image");
        assert_eq!(slug_from_name("港口.png"), "image");
        assert_eq!(slug_from_name(".bashrc"), "bashrc");
        assert_eq!(slug_from_name("a\0b.png"), "a-b");
        assert_eq!(slug_from_name(&"x".repeat(500)).len(), MAX_SLUG);
    }

    #[test]
    fn keys_are_valid_and_distinct_per_content() {
        let a = UploadKeys::new("../x.jpg", b"one", Format::Jpeg);
        let b = UploadKeys::new("../x.jpg", b"two", Format::Jpeg);
        assert_ne!(a.full().unwrap(), b.full().unwrap());
        assert!(a.full().unwrap().as_str().starts_with("uploads/x-"));
        assert!(a.variant(480).unwrap().as_str().ends_with("-480w.jpg"));
    }
}
