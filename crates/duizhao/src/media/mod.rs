//! The media library: what turns an editor's upload into stored, responsive, metadata-free
//! images and a database row, and what the site needs to show them with `srcset`.
//!
//! [`ingest`] is the one entry point for uploads. It refuses, with an [`MediaError`] an
//! editor can act on, anything too big, of the wrong type, corrupt, or whose header promises
//! more pixels than we are willing to allocate (a decompression bomb is refused from its
//! header, before decoding). It then re-encodes the pixels (see [`process`] for what that
//! strips and how each format is treated), writes the full-size file and its variants to a
//! [`MediaStorage`], and only then writes the database row. So a crash leaves, at worst,
//! files that no row points at, never a row pointing at missing files; a failed database
//! write removes the files this upload created.
//!
//! The HTTP route that accepts uploads lives with the back office; it calls [`ingest`] and
//! maps [`MediaError::is_editor_error`] to a 4xx answer.

pub mod names;
pub mod process;
pub mod srcset;
pub mod storage;

use jiff::Timestamp;

use crate::content::{Converters, MediaId, MediaVariant};
use crate::store::media::{MediaRecord, MediaText};
use crate::store::{Store, StoreError};
pub use process::Format;
pub use storage::{LocalStorage, MediaKey, MediaStorage, StorageError};

/// Limits on what an upload may cost us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaLimits {
    /// Largest upload, in bytes.
    pub max_bytes: u64,
    /// Widest image, in pixels.
    pub max_width: u32,
    /// Tallest image, in pixels.
    pub max_height: u32,
    /// Most pixels in one image (width × height).
    pub max_pixels: u64,
    /// Most memory a decoder may allocate, in bytes.
    pub max_alloc: u64,
    /// Most pixels over all frames of an animation (each frame is a full canvas in memory).
    pub max_animation_pixels: u64,
}

impl Default for MediaLimits {
    /// 20 MB uploads; 50 megapixels, neither side over 16384 (every current camera fits);
    /// 512 MiB for the decoder; 30 megapixels of animation (e.g. 120 frames of 500 × 500).
    fn default() -> MediaLimits {
        MediaLimits {
            max_bytes: 20 * 1024 * 1024,
            max_width: 16_384,
            max_height: 16_384,
            max_pixels: 50_000_000,
            max_alloc: 512 * 1024 * 1024,
            max_animation_pixels: 30_000_000,
        }
    }
}

/// How uploads are processed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestSettings {
    /// The limits.
    pub limits: MediaLimits,
    /// Widths of the responsive variants; only those narrower than the image are made.
    pub widths: Vec<u32>,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
}

impl Default for IngestSettings {
    /// Variants for phones (480), tablets and the card grid (960) and the article hero on
    /// wide and high-density screens (1600); JPEG quality 85.
    fn default() -> IngestSettings {
        IngestSettings {
            limits: MediaLimits::default(),
            widths: vec![480, 960, 1600],
            jpeg_quality: 85,
        }
    }
}

/// An upload as the back office receives it.
#[derive(Clone, Debug)]
pub struct Upload {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The name the file had on the editor's machine: only a hint for a readable file name.
    pub original_name: String,
    /// Alternative text and caption.
    pub text: MediaText,
}

/// What [`ingest`] stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMedia {
    /// The database row.
    pub id: MediaId,
    /// The full-size file's key (the row's `path`).
    pub key: MediaKey,
    /// Its MIME type.
    pub mime: &'static str,
    /// Width of the full-size image.
    pub width: u32,
    /// Height of the full-size image.
    pub height: u32,
    /// The smaller variants, widest first.
    pub variants: Vec<MediaVariant>,
    /// Whether it is an animation.
    pub animated: bool,
}

/// Why an upload was refused or failed. The messages are written for the editor who
/// uploaded the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// Nothing was uploaded.
    #[error("the file is empty")]
    Empty,
    /// Over the size limit.
    #[error("the file is {} and the limit is {}: export it smaller or at a lower quality", megabytes(*.size), megabytes(*.max))]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Not one of the accepted formats.
    #[error("{}", unsupported_type(*.found))]
    UnsupportedType {
        /// What it seems to be, when we can tell.
        found: Option<&'static str>,
    },
    /// An accepted format using a feature the decoder does not have.
    #[error(
        "this {format} uses a feature we cannot read ({detail}): export it again as an ordinary {format}"
    )]
    UnsupportedVariant {
        /// The format.
        format: &'static str,
        /// The decoder's word.
        detail: String,
    },
    /// Animated WebP, which we cannot keep animated.
    #[error(
        "animated WebP images are not supported: upload the animation as a GIF, or a still image"
    )]
    AnimatedWebp,
    /// Too many pixels, or a header claiming so (a decompression bomb).
    #[error("{}", too_large(*.found, *.max_width, *.max_height, *.max_pixels))]
    DimensionsTooLarge {
        /// The image's width and height, when the header could be read.
        found: Option<(u32, u32)>,
        /// Widest accepted.
        max_width: u32,
        /// Tallest accepted.
        max_height: u32,
        /// Most pixels accepted.
        max_pixels: u64,
    },
    /// Decoding would need more memory than allowed.
    #[error("the image would need more than {} of memory to open: export it smaller", megabytes(*.max_bytes))]
    NeedsTooMuchMemory {
        /// The limit.
        max_bytes: u64,
    },
    /// An animation with too many frames for its size.
    #[error("the animation is too long for its size ({frames} frames or more): at most {:.0} megapixels over all frames are accepted; make it shorter or smaller", *.max_pixels as f64 / 1e6)]
    AnimationTooLarge {
        /// Frames counted when the limit was passed.
        frames: usize,
        /// The limit.
        max_pixels: u64,
    },
    /// The file is damaged or cut short.
    #[error("the {format} file is damaged or incomplete ({detail}): export it again")]
    Corrupt {
        /// The format it claimed.
        format: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// Storing the files failed.
    #[error("the image could not be stored: {0}")]
    Storage(#[from] StorageError),
    /// Writing the database row failed.
    #[error("the image record could not be saved: {0}")]
    Store(#[from] StoreError),
    /// Something went wrong on our side.
    #[error("image processing failed: {0}")]
    Internal(String),
}

impl MediaError {
    /// Whether the upload itself is at fault (answer 4xx with the message), rather than the
    /// server (answer 5xx and log).
    pub fn is_editor_error(&self) -> bool {
        !matches!(
            self,
            MediaError::Storage(_) | MediaError::Store(_) | MediaError::Internal(_)
        )
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn unsupported_type(found: Option<&str>) -> String {
    let base = "only JPEG, PNG, WebP and GIF images can be uploaded";
    match found {
        Some(what) => format!("{base}, and this file is {what}"),
        None => format!("{base}, and this file is not one of them"),
    }
}

fn too_large(found: Option<(u32, u32)>, max_w: u32, max_h: u32, max_pixels: u64) -> String {
    let size = match found {
        Some((w, h)) => format!(" ({w} × {h} pixels)"),
        None => String::new(),
    };
    format!(
        "the image is too large{size}: at most {max_w} × {max_h} pixels and {:.0} megapixels \
         are accepted; export it smaller",
        max_pixels as f64 / 1e6
    )
}

/// Checks, processes and stores an upload, then records it in the database (see the module
/// docs for the order and what a crash leaves behind). The same bytes under the same name
/// map to the same files and row, so a repeated upload updates the text instead of
/// duplicating the image.
pub async fn ingest(
    storage: &dyn MediaStorage,
    store: &Store,
    converters: &Converters,
    upload: Upload,
    settings: &IngestSettings,
    now: Timestamp,
) -> Result<StoredMedia, MediaError> {
    let size = upload.bytes.len() as u64;
    if size == 0 {
        return Err(MediaError::Empty);
    }
    if size > settings.limits.max_bytes {
        return Err(MediaError::TooLarge {
            size,
            max: settings.limits.max_bytes,
        });
    }
    let format = Format::sniff(&upload.bytes)?;
    let keys = names::UploadKeys::new(&upload.original_name, &upload.bytes, format);
    let processed = {
        let settings = settings.clone();
        let bytes = upload.bytes;
        tokio::task::spawn_blocking(move || process::process(&bytes, format, &settings))
            .await
            .map_err(|e| MediaError::Internal(format!("the image worker stopped: {e}")))??
    };

    let full_key = keys.full()?;
    let mut files = Vec::with_capacity(processed.variants.len() + 1);
    let mut variants = Vec::with_capacity(processed.variants.len());
    for v in &processed.variants {
        let key = keys.variant(v.width)?;
        variants.push(MediaVariant {
            path: key.as_str().to_owned(),
            width: v.width,
            height: v.height,
        });
        files.push((key, &v.bytes));
    }
    files.push((full_key.clone(), &processed.full.bytes));

    let record = MediaRecord {
        path: full_key.as_str().to_owned(),
        mime: format.mime().to_owned(),
        text: upload.text,
        width: processed.full.width,
        height: processed.full.height,
        variants: variants.clone(),
    };
    let mut created = Vec::new();
    let outcome: Result<MediaId, MediaError> = async {
        for (key, bytes) in &files {
            let existed = storage.exists(key).await?;
            storage.put(key, bytes, format.mime()).await?;
            if !existed {
                created.push(key.clone());
            }
        }
        Ok(store.save_media(&record, converters, now).await?)
    }
    .await;
    match outcome {
        Ok(id) => Ok(StoredMedia {
            id,
            key: full_key,
            mime: format.mime(),
            width: processed.full.width,
            height: processed.full.height,
            variants,
            animated: processed.animated,
        }),
        Err(e) => {
            // Files that were there before belong to an earlier upload of the same bytes,
            // whose row still points at them; only this upload's new files go.
            for key in &created {
                if let Err(cleanup) = storage.delete(key).await {
                    tracing::warn!(%key, error = %cleanup, "could not remove a file of a failed upload");
                }
            }
            Err(e)
        }
    }
}

/// Deletes a media item: the row first (articles that used it lose their image), then its
/// files, so a crash between the two leaves unreferenced files, not a dangling row. Returns
/// whether the item existed.
pub async fn remove(
    storage: &dyn MediaStorage,
    store: &Store,
    id: MediaId,
) -> Result<bool, MediaError> {
    let Some(media) = store.delete_media(id).await? else {
        return Ok(false);
    };
    let paths = media
        .variants
        .iter()
        .map(|v| v.path.as_str())
        .chain([media.path.as_str()]);
    for path in paths {
        // A path that is not a valid key (written by hand before uploads existed) cannot be
        // addressed safely; its file is left.
        if let Ok(key) = MediaKey::parse(path) {
            storage.delete(&key).await?;
        }
    }
    Ok(true)
}
