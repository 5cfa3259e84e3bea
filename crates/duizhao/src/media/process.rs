//! Image processing, all in memory and synchronous (the caller runs it on a blocking thread):
//! sniff the format from the bytes, decode under limits, apply the EXIF orientation, and
//! re-encode the pixels at full size and at each smaller variant width.
//!
//! Re-encoding is what strips metadata: only pixels (and the ICC colour profile, which says
//! how to show them and identifies nobody) reach the output, so EXIF, GPS, XMP, PNG text
//! chunks and GIF comments are all dropped.
//!
//! Each format stays in its family: JPEG → JPEG, PNG → PNG, GIF → GIF, WebP → WebP. The
//! `image` crate encodes WebP losslessly only, so a lossy WebP upload is stored losslessly:
//! bigger than the upload, but never worse. A still GIF is treated like any other image; an
//! animated GIF keeps all its frames (re-encoded, so its comments go too) at full size only,
//! since resizing every frame costs a lot for little gain, and it is set to loop forever
//! (the `image` crate does not report the original loop count). Animated WebP is refused
//! with a message: the decoder would show only its first frame.

use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::codecs::png::{CompressionType, PngDecoder, PngEncoder};
use image::codecs::webp::{WebPDecoder, WebPEncoder};
use image::error::LimitErrorKind;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{AnimationDecoder, DynamicImage, Frame, ImageDecoder, ImageEncoder, ImageError};

use super::{IngestSettings, MediaError, MediaLimits};

/// The image formats we accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    WebP,
    /// GIF.
    Gif,
}

impl Format {
    /// Recognises an accepted format by its signature, whatever the file is called.
    pub fn sniff(bytes: &[u8]) -> Result<Format, MediaError> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok(Format::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok(Format::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Ok(Format::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Ok(Format::WebP)
        } else {
            Err(MediaError::UnsupportedType {
                found: looks_like(bytes),
            })
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    /// The file extension files of this format are stored with.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
        }
    }

    /// The name an editor knows.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
            Format::Gif => "GIF",
        }
    }
}

/// Names a few formats editors commonly try, for a more useful refusal.
fn looks_like(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(64)];
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return match &head[8..12] {
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc" => Some("a HEIC/HEIF photo"),
            b"avif" | b"avis" => Some("an AVIF image"),
            _ => Some("a video or ISO media file"),
        };
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some("a TIFF image");
    }
    if head.starts_with(b"BM") {
        return Some("a BMP image");
    }
    if head.starts_with(b"%PDF") {
        return Some("a PDF document");
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if text.trim_start().starts_with("<svg") || text.contains("<svg") {
        return Some("an SVG drawing");
    }
    if text.trim_start().starts_with('<') {
        return Some("an HTML or XML document");
    }
    None
}

/// One encoded file.
#[derive(Clone, Debug)]
pub struct Encoded {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// An upload, processed.
#[derive(Clone, Debug)]
pub struct Processed {
    /// Its format, which every output shares.
    pub format: Format,
    /// The full-size image, stripped of metadata.
    pub full: Encoded,
    /// Smaller versions, widest first; empty when the image is no wider than the smallest
    /// variant width, and for animations.
    pub variants: Vec<Encoded>,
    /// Whether the image is an animation (GIF with more than one frame).
    pub animated: bool,
}

/// Processes an upload whose format [`Format::sniff`] found.
pub fn process(
    bytes: &[u8],
    format: Format,
    settings: &IngestSettings,
) -> Result<Processed, MediaError> {
    let limits = &settings.limits;
    let cursor = || Cursor::new(bytes);
    let err = |e| from_image(format, limits, e);
    let (image, icc) = match format {
        Format::Jpeg => decode_still(JpegDecoder::new(cursor()).map_err(err)?, format, limits)?,
        Format::Png => decode_still(
            PngDecoder::with_limits(cursor(), image_limits(limits)).map_err(err)?,
            format,
            limits,
        )?,
        Format::WebP => {
            let decoder = WebPDecoder::new(cursor()).map_err(err)?;
            if decoder.has_animation() {
                return Err(MediaError::AnimatedWebp);
            }
            decode_still(decoder, format, limits)?
        }
        Format::Gif => match decode_gif(bytes, limits)? {
            Gif::Still(image) => (image, None),
            Gif::Animated {
                width,
                height,
                frames,
            } => {
                let mut out = Vec::new();
                let mut encoder = GifEncoder::new_with_speed(&mut out, GIF_SPEED);
                encoder.set_repeat(Repeat::Infinite).map_err(internal)?;
                encoder.encode_frames(frames).map_err(internal)?;
                drop(encoder);
                return Ok(Processed {
                    format,
                    full: Encoded {
                        width,
                        height,
                        bytes: out,
                    },
                    variants: Vec::new(),
                    animated: true,
                });
            }
        },
    };

    let full = encode(&image, format, icc.as_deref(), settings)?;
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < image.width())
        .collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    widths.dedup();
    // Each variant is resized from the previous, larger one: much cheaper than starting from
    // a 40-megapixel original every time, and indistinguishable at these ratios.
    let mut source = image;
    let mut variants = Vec::with_capacity(widths.len());
    for width in widths {
        let height = scaled_height(source.width(), source.height(), width);
        let smaller = source.resize_exact(width, height, FilterType::Lanczos3);
        variants.push(encode(&smaller, format, icc.as_deref(), settings)?);
        source = smaller;
    }
    Ok(Processed {
        format,
        full,
        variants,
        animated: false,
    })
}

/// The GIF encoder's quantisation speed (1 best … 30 fastest); 10 is the `gif` crate's own
/// recommendation for a good balance.
const GIF_SPEED: i32 = 10;

/// The height that keeps the aspect ratio at `width`, at least one pixel.
fn scaled_height(src_width: u32, src_height: u32, width: u32) -> u32 {
    let h = (u64::from(src_height) * u64::from(width) + u64::from(src_width) / 2)
        / u64::from(src_width);
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// The `image` crate's limits for ours: its strict width and height limits refuse a
/// decompression bomb from the header alone, before any pixel buffer is allocated.
fn image_limits(limits: &MediaLimits) -> image::Limits {
    let mut out = image::Limits::default();
    out.max_image_width = Some(limits.max_width);
    out.max_image_height = Some(limits.max_height);
    out.max_alloc = Some(limits.max_alloc);
    out
}

/// Our own check of the header's dimensions, for a limit the `image` crate has no notion
/// of: total pixels (a 16000 × 16000 image fits the width and height limits but not memory).
fn check_dimensions(width: u32, height: u32, limits: &MediaLimits) -> Result<(), MediaError> {
    if width == 0 || height == 0 {
        return Err(MediaError::Corrupt {
            format: "image",
            detail: format!("it claims to be {width} × {height} pixels"),
        });
    }
    if width > limits.max_width
        || height > limits.max_height
        || u64::from(width) * u64::from(height) > limits.max_pixels
    {
        return Err(MediaError::DimensionsTooLarge {
            found: Some((width, height)),
            max_width: limits.max_width,
            max_height: limits.max_height,
            max_pixels: limits.max_pixels,
        });
    }
    Ok(())
}

/// Decodes a still image, applying its EXIF orientation; returns the pixels and the ICC
/// profile.
fn decode_still(
    mut decoder: impl ImageDecoder,
    format: Format,
    limits: &MediaLimits,
) -> Result<(DynamicImage, Option<Vec<u8>>), MediaError> {
    let err = |e| from_image(format, limits, e);
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    decoder.set_limits(image_limits(limits)).map_err(err)?;
    if decoder.total_bytes() > limits.max_alloc {
        return Err(MediaError::NeedsTooMuchMemory {
            max_bytes: limits.max_alloc,
        });
    }
    // Colour profile and orientation are read from metadata that may itself be malformed;
    // a bad one is ignored rather than refusing pixels that decode fine.
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(err)?;
    image.apply_orientation(orientation);
    Ok((image, icc))
}

enum Gif {
    Still(DynamicImage),
    Animated {
        width: u32,
        height: u32,
        frames: Vec<Frame>,
    },
}

/// Decodes a GIF's frames (composited to full canvases by the decoder) within the
/// animation budget: frames × canvas pixels.
fn decode_gif(bytes: &[u8], limits: &MediaLimits) -> Result<Gif, MediaError> {
    let err = |e| from_image(Format::Gif, limits, e);
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(err)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    decoder.set_limits(image_limits(limits)).map_err(err)?;
    let canvas = u64::from(width) * u64::from(height);
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        let frame = frame.map_err(err)?;
        if (frames.len() as u64 + 1) * canvas > limits.max_animation_pixels {
            return Err(MediaError::AnimationTooLarge {
                frames: frames.len() + 1,
                max_pixels: limits.max_animation_pixels,
            });
        }
        frames.push(frame);
    }
    match frames.len() {
        0 => Err(MediaError::Corrupt {
            format: "GIF",
            detail: "it has no frames".to_owned(),
        }),
        1 => {
            let frame = frames.pop().expect("one frame").into_buffer();
            Ok(Gif::Still(DynamicImage::ImageRgba8(frame)))
        }
        _ => Ok(Gif::Animated {
            width,
            height,
            frames,
        }),
    }
}

/// Encodes pixels in `format`, carrying the ICC profile where the encoder takes one.
fn encode(
    image: &DynamicImage,
    format: Format,
    icc: Option<&[u8]>,
    settings: &IngestSettings,
) -> Result<Encoded, MediaError> {
    fn with_icc<E: ImageEncoder>(mut encoder: E, icc: Option<&[u8]>) -> E {
        if let Some(icc) = icc {
            // An encoder that cannot carry a profile just goes without.
            let _ = encoder.set_icc_profile(icc.to_vec());
        }
        encoder
    }
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha and no 16-bit samples; a JPEG decodes to grey or RGB anyway.
            let image = match image {
                DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => image.clone(),
                other => DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            let encoder = JpegEncoder::new_with_quality(&mut out, settings.jpeg_quality);
            image.write_with_encoder(with_icc(encoder, icc))
        }
        Format::Png => {
            let encoder = PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            image.write_with_encoder(with_icc(encoder, icc))
        }
        Format::WebP => {
            let image = match image {
                DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image.clone(),
                other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
                other => DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            let encoder = WebPEncoder::new_lossless(&mut out);
            image.write_with_encoder(with_icc(encoder, icc))
        }
        Format::Gif => {
            let mut encoder = GifEncoder::new_with_speed(&mut out, GIF_SPEED);
            encoder.encode_frame(Frame::new(image.to_rgba8()))
        }
    }
    .map_err(internal)?;
    Ok(Encoded {
        width: image.width(),
        height: image.height(),
        bytes: out,
    })
}

fn internal(e: ImageError) -> MediaError {
    MediaError::Internal(format!("re-encoding failed: {e}"))
}

/// Explains a decoding error to an editor.
fn from_image(format: Format, limits: &MediaLimits, e: ImageError) -> MediaError {
    match e {
        ImageError::Limits(l) => match l.kind() {
            LimitErrorKind::DimensionError => MediaError::DimensionsTooLarge {
                found: None,
                max_width: limits.max_width,
                max_height: limits.max_height,
                max_pixels: limits.max_pixels,
            },
            LimitErrorKind::InsufficientMemory => MediaError::NeedsTooMuchMemory {
                max_bytes: limits.max_alloc,
            },
            _ => MediaError::Internal(format!("decoder limits: {l}")),
        },
        ImageError::Unsupported(u) => MediaError::UnsupportedVariant {
            format: format.name(),
            detail: u.to_string(),
        },
        ImageError::Decoding(d) => MediaError::Corrupt {
            format: format.name(),
            detail: d.to_string(),
        },
        ImageError::IoError(io) => MediaError::Corrupt {
            format: format.name(),
            detail: if io.kind() == std::io::ErrorKind::UnexpectedEof {
                "the file ends too early".to_owned()
            } else {
                io.to_string()
            },
        },
        ImageError::Parameter(p) => MediaError::Corrupt {
            format: format.name(),
            detail: p.to_string(),
        },
        ImageError::Encoding(e) => MediaError::Internal(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_goes_by_content() {
        assert_eq!(
            Format::sniff(b"\xFF\xD8\xFF\xE0rest").unwrap(),
            Format::Jpeg
        );
        assert_eq!(Format::sniff(b"GIF89a....").unwrap(), Format::Gif);
        assert_eq!(
            Format::sniff(b"RIFF\0\0\0\0WEBPVP8L").unwrap(),
            Format::WebP
        );
        let refused = |b: &[u8]| match Format::sniff(b) {
            Err(MediaError::UnsupportedType { found }) => found,
            other => panic!("{other:?}"),
        };
        assert_eq!(refused(b"<svg xmlns=..."), Some("an SVG drawing"));
        assert_eq!(
            refused(b"\0\0\0\x18ftypheic\0\0\0\0"),
            Some("a HEIC/HEIF photo")
        );
        assert_eq!(refused(b"hello"), None);
    }

    #[test]
    fn scaled_heights_keep_the_ratio() {
        assert_eq!(scaled_height(1600, 900, 480), 270);
        assert_eq!(scaled_height(10000, 1, 480), 1);
        assert_eq!(scaled_height(3, 2, 2), 1);
    }
}
