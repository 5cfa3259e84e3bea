//! Where media files live: a small interface, [`MediaStorage`], and its local-filesystem
//! implementation, [`LocalStorage`].
//!
//! The interface is shaped like an object store (put, get, delete, head by key), so that an
//! S3-compatible backend (the `object_store` crate) can be added later without changing the
//! callers: keys are already flat `/`-separated names, never file-system paths, and a put
//! replaces a whole object at once.
//!
//! Keys are [`MediaKey`]s, checked when they are made: lower-case ASCII letters, digits,
//! `-`, `_` and `.`, segments separated by `/`, no empty, `.` or `..` segment and no segment
//! starting with a dot. An upload's own name never becomes a key directly (see
//! [`super::names`]), and a key can never point outside the storage root.

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;

/// The longest key we accept, in bytes.
const MAX_KEY_LEN: usize = 200;

/// A checked storage key, e.g. `uploads/harbour-at-dawn-3fa2c1d0e9b8-480w.jpg`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MediaKey(String);

impl MediaKey {
    /// Checks a key: refuses anything that could climb out of the storage root or that an
    /// object store and a file system would read differently.
    pub fn parse(key: &str) -> Result<MediaKey, StorageError> {
        let bad = |reason: &'static str| StorageError::BadKey {
            key: key.chars().take(MAX_KEY_LEN).collect(),
            reason,
        };
        if key.is_empty() {
            return Err(bad("it is empty"));
        }
        if key.len() > MAX_KEY_LEN {
            return Err(bad("it is too long"));
        }
        for segment in key.split('/') {
            if segment.is_empty() {
                return Err(bad("it has an empty path segment"));
            }
            if segment.starts_with('.') {
                return Err(bad("a path segment starts with a dot"));
            }
            if !segment.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            }) {
                return Err(bad(
                    "only lower-case letters, digits, '-', '_', '.' and '/' are allowed",
                ));
            }
        }
        Ok(MediaKey(key.to_owned()))
    }

    /// The key as text (also the path under `/media/` that serves it).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MediaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// A key was refused.
    #[error("invalid media key {key:?}: {reason}")]
    BadKey {
        /// The key (cut to a sane length).
        key: String,
        /// Why.
        reason: &'static str,
    },
    /// No object under this key.
    #[error("media file {0} does not exist")]
    NotFound(MediaKey),
    /// The backend failed.
    #[error("media storage failed on {key}: {source}")]
    Io {
        /// The key being read or written.
        key: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A boxed future, so that [`MediaStorage`] can be used as `dyn MediaStorage`.
pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StorageError>> + Send + 'a>>;

/// A place to keep media files by key.
///
/// Every method is async so that a network-backed store fits; a put is atomic (a reader sees
/// the old object or the new one, never half of one) and durable when it returns.
pub trait MediaStorage: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `key`, replacing any object there.
    fn put<'a>(
        &'a self,
        key: &'a MediaKey,
        bytes: &'a [u8],
        content_type: &'a str,
    ) -> StorageFuture<'a, ()>;
    /// Reads the object under `key`.
    fn get<'a>(&'a self, key: &'a MediaKey) -> StorageFuture<'a, Vec<u8>>;
    /// Whether an object exists under `key`.
    fn exists<'a>(&'a self, key: &'a MediaKey) -> StorageFuture<'a, bool>;
    /// Removes the object under `key`; removing a missing object is not an error.
    fn delete<'a>(&'a self, key: &'a MediaKey) -> StorageFuture<'a, ()>;
    /// The URL the site serves the object at (relative to the site for local storage, an
    /// absolute URL for a CDN-fronted bucket).
    fn url(&self, key: &MediaKey) -> String;
}

/// Media files in a directory (the site's `data_dir/media`, served under `/media/`).
#[derive(Clone, Debug)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    /// Storage rooted at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> LocalStorage {
        LocalStorage { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file a key is stored in. Safe by construction: a [`MediaKey`] has no `..`, no
    /// leading `/` and no backslash.
    pub fn path_of(&self, key: &MediaKey) -> PathBuf {
        key.as_str()
            .split('/')
            .fold(self.root.clone(), |path, segment| path.join(segment))
    }

    fn io_error(key: &MediaKey) -> impl FnOnce(std::io::Error) -> StorageError + '_ {
        move |source| StorageError::Io {
            key: key.to_string(),
            source,
        }
    }
}

/// Writes a file atomically and durably: a temporary file in the same directory, flushed to
/// disk, renamed over the target, and the directory flushed so the rename survives a crash.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("a media file needs a parent directory"))?;
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| std::io::Error::other("a media file needs a name"))?;
    // The dot prefix keeps a left-over temporary file from ever matching a valid key.
    let tmp = dir.join(format!(".{name}.{:016x}.tmp", fastrand::u64(..)));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a directory as a file; NTFS renames are journalled.
    Ok(())
}

impl MediaStorage for LocalStorage {
    fn put<'a>(
        &'a self,
        key: &'a MediaKey,
        bytes: &'a [u8],
        _content_type: &'a str,
    ) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path_of(key);
            let bytes = bytes.to_vec();
            tokio::task::spawn_blocking(move || write_atomic(&path, &bytes))
                .await
                .map_err(std::io::Error::other)
                .and_then(|r| r)
                .map_err(Self::io_error(key))
        })
    }

    fn get<'a>(&'a self, key: &'a MediaKey) -> StorageFuture<'a, Vec<u8>> {
        Box::pin(async move {
            match tokio::fs::read(self.path_of(key)).await {
                Ok(bytes) => Ok(bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(StorageError::NotFound(key.clone()))
                }
                Err(e) => Err(Self::io_error(key)(e)),
            }
        })
    }

    fn exists<'a>(&'a self, key: &'a MediaKey) -> StorageFuture<'a, bool> {
        Box::pin(async move {
            tokio::fs::try_exists(self.path_of(key))
                .await
                .map_err(Self::io_error(key))
        })
    }

    fn delete<'a>(&'a self, key: &'a MediaKey) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path_of(key)).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(Self::io_error(key)(e)),
            }
        })
    }

    fn url(&self, key: &MediaKey) -> String {
        crate::editorial::media_url(key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_could_escape_the_root_are_refused() {
        for bad in [
            "",
            "../etc/passwd",
            "a/../../b.jpg",
            "/abs.jpg",
            "a//b.jpg",
            ".hidden.jpg",
            "a/./b.jpg",
            "a\\..\\b.jpg",
            "C:/x.jpg",
            "Upper.jpg",
            "sp ace.jpg",
            "ünï.jpg",
            "a/b.jpg\0",
        ] {
            assert!(MediaKey::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(MediaKey::parse(&"a".repeat(MAX_KEY_LEN + 1)).is_err());
        assert_eq!(
            MediaKey::parse("uploads/x-1a2b-480w.jpg").unwrap().as_str(),
            "uploads/x-1a2b-480w.jpg"
        );
    }

    #[tokio::test]
    async fn put_get_delete_round_trip_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalStorage::new(dir.path().join("media"));
        let key = MediaKey::parse("uploads/a-1.png").unwrap();
        assert!(!storage.exists(&key).await.unwrap());
        storage.put(&key, b"one", "image/png").await.unwrap();
        storage.put(&key, b"two", "image/png").await.unwrap();
        assert_eq!(storage.get(&key).await.unwrap(), b"two");
        assert!(storage.exists(&key).await.unwrap());
        let names: Vec<_> = std::fs::read_dir(dir.path().join("media/uploads"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["a-1.png"]);
        storage.delete(&key).await.unwrap();
        storage.delete(&key).await.unwrap();
        assert!(matches!(
            storage.get(&key).await,
            Err(StorageError::NotFound(_))
        ));
        assert_eq!(storage.url(&key), "/media/uploads/a-1.png");
    }
}
