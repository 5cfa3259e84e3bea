//! The media library: uploads checked by content, decompression bombs refused before any
//! pixel is decoded, metadata stripped, responsive variants made without upscaling, files
//! and rows kept consistent. Every image is generated here, some with metadata spliced in by
//! hand so that we know exactly which bytes must not survive.

mod common;

use common::images::{crc32, files_under};

use std::io::Cursor;
use std::path::Path;

use duizhao::content::Edition;
use duizhao::media::{
    self, Format, IngestSettings, LocalStorage, MediaError, MediaLimits, StoredMedia, Upload,
};
use duizhao::store::Store;
use duizhao::store::media::MediaText;
use image::{AnimationDecoder, DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use common::fixtures::{converters, now};

// ---- image fixtures ----------------------------------------------------------------------

/// A gradient, so that every pixel differs and encoders cannot cheat.
fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    })
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::Jpeg,
    )
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::Png,
    )
}

const GPS_MARKER: &[u8] = b"SECRET-CAMERA-DESCRIPTION";

/// An EXIF block (little-endian TIFF) with an image description, an orientation and a GPS
/// IFD holding latitude 22° 17' 30" N.
fn exif_block(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II\x2a\x00\x08\x00\x00\x00");
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0 at 8: three entries, 42 bytes; GPS IFD at 50: two entries, 30 bytes; the
    // latitude's three rationals at 80; the description at 104.
    t.extend_from_slice(&3u16.to_le_bytes());
    let description_len = GPS_MARKER.len() as u32 + 1;
    entry(&mut t, 0x010E, 2, description_len, 104u32.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 50u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 50);
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 80u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 80);
    for (num, den) in [(22u32, 1u32), (17, 1), (3000, 100)] {
        t.extend_from_slice(&num.to_le_bytes());
        t.extend_from_slice(&den.to_le_bytes());
    }
    assert_eq!(t.len(), 104);
    t.extend_from_slice(GPS_MARKER);
    t.push(0);
    let mut block = b"Exif\0\0".to_vec();
    block.extend_from_slice(&t);
    block
}

/// A JPEG with an APP1 EXIF segment (orientation and GPS) right after the SOI marker.
fn jpeg_with_exif(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let plain = jpeg(width, height);
    let exif = exif_block(orientation);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&(exif.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    out
}

const PNG_MARKER: &[u8] = b"SECRET-PNG-COMMENT";

/// A PNG with a tEXt chunk right after IHDR (signature 8 bytes + IHDR chunk 25 bytes).
fn png_with_text(width: u32, height: u32) -> Vec<u8> {
    let plain = png(width, height);
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(PNG_MARKER);
    let mut out = plain[..33].to_vec();
    out.extend_from_slice(&png_chunk(b"tEXt", &text));
    out.extend_from_slice(&plain[33..]);
    out
}

/// A 200-byte PNG whose header claims 100000 × 100000 pixels (30 GB of RGB).
fn png_bomb_header() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&png_chunk(b"IHDR", &ihdr));
    out.extend_from_slice(&png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend_from_slice(&png_chunk(b"IEND", &[]));
    out
}

fn gif_frames(frames: &[[u8; 4]], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        for &colour in frames {
            let buffer = RgbaImage::from_pixel(width, height, Rgba(colour));
            encoder.encode_frame(image::Frame::new(buffer)).unwrap();
        }
    }
    out
}

// ---- helpers -----------------------------------------------------------------------------

fn upload(bytes: Vec<u8>, name: &str) -> Upload {
    Upload {
        bytes,
        original_name: name.to_owned(),
        text: MediaText {
            alt_en: "A harbour at dawn".into(),
            alt_zh: "黎明时的港口".into(),
            caption_en: "Ferries leave the pier".into(),
            caption_zh: "渡轮驶离码头".into(),
        },
    }
}

async fn ingest_with(
    store: &Store,
    storage: &LocalStorage,
    bytes: Vec<u8>,
    name: &str,
    settings: &IngestSettings,
) -> Result<StoredMedia, MediaError> {
    media::ingest(
        storage,
        store,
        &converters(),
        upload(bytes, name),
        settings,
        now(),
    )
    .await
}

async fn ingest(
    store: &Store,
    storage: &LocalStorage,
    bytes: Vec<u8>,
    name: &str,
) -> Result<StoredMedia, MediaError> {
    ingest_with(store, storage, bytes, name, &IngestSettings::default()).await
}

fn read(storage: &LocalStorage, path: &str) -> Vec<u8> {
    std::fs::read(storage.path_of(&media::MediaKey::parse(path).unwrap())).unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Asserts a refused upload left no file and no row behind.
async fn assert_nothing_stored(store: &Store, root: &Path) {
    assert_eq!(files_under(root), Vec::<String>::new());
    assert!(store.list_media(10, 0).await.unwrap().is_empty());
}

// ---- tests on both backends ---------------------------------------------------------------

on_both_backends!(
    jpeg_loses_exif_and_gps_and_is_turned_upright,
    png_loses_text_chunks,
    variants_are_made_smaller_never_larger,
    decompression_bombs_are_refused_from_the_header,
    content_decides_the_type_not_the_name,
    webp_stays_webp,
    corrupt_and_unsupported_files_are_refused,
    names_cannot_climb_out_of_the_media_directory,
    gifs_are_accepted_still_and_animated,
    the_row_keeps_text_dimensions_and_variants,
    a_failed_database_write_leaves_no_files,
);

async fn jpeg_loses_exif_and_gps_and_is_turned_upright(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    // Orientation 6: the camera was held rotated; the pixels must be turned 90° clockwise.
    let bytes = jpeg_with_exif(1200, 800, 6);
    assert!(contains(&bytes, GPS_MARKER) && contains(&bytes, b"Exif\0\0"));
    let stored = ingest(store, &storage, bytes, "dawn.jpg").await.unwrap();
    assert_eq!(stored.mime, "image/jpeg");
    assert_eq!((stored.width, stored.height), (800, 1200));
    let widths: Vec<u32> = stored.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [480]);
    assert_eq!(stored.variants[0].height, 720);
    for path in
        std::iter::once(stored.key.as_str()).chain(stored.variants.iter().map(|v| v.path.as_str()))
    {
        let out = read(&storage, path);
        assert!(out.starts_with(&[0xFF, 0xD8, 0xFF]), "{path} is not a JPEG");
        assert!(!contains(&out, b"Exif"), "{path} kept an EXIF block");
        assert!(
            !contains(&out, GPS_MARKER),
            "{path} kept the EXIF description"
        );
        assert!(
            !contains(&out, &[0xFF, 0xE1]),
            "{path} kept an APP1 segment"
        );
        let decoded = image::load_from_memory(&out).unwrap();
        assert!(decoded.height() > decoded.width(), "{path} is not upright");
    }
}

async fn png_loses_text_chunks(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let bytes = png_with_text(300, 200);
    // The fixture really is a valid PNG with the chunk in it.
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 300);
    assert!(contains(&bytes, PNG_MARKER));
    let stored = ingest(store, &storage, bytes, "chart.png").await.unwrap();
    let out = read(&storage, stored.key.as_str());
    assert!(out.starts_with(b"\x89PNG"));
    assert!(!contains(&out, b"tEXt") && !contains(&out, PNG_MARKER));
    // Same pixels: PNG is lossless.
    let decoded = image::load_from_memory(&out).unwrap().to_rgb8();
    assert_eq!(decoded, gradient(300, 200));
}

async fn variants_are_made_smaller_never_larger(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let big = ingest(store, &storage, jpeg(2000, 1000), "wide.jpg")
        .await
        .unwrap();
    let sizes: Vec<(u32, u32)> = big.variants.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(sizes, [(1600, 800), (960, 480), (480, 240)]);
    for v in &big.variants {
        let decoded = image::load_from_memory(&read(&storage, &v.path)).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (v.width, v.height));
        assert!(v.path.ends_with(&format!("-{}w.jpg", v.width)));
    }
    let middle = ingest(store, &storage, png(1000, 500), "mid.png")
        .await
        .unwrap();
    let widths: Vec<u32> = middle.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [960, 480]);
    // Narrower than the smallest variant: kept as it is, nothing blown up.
    let small = ingest(store, &storage, png(400, 300), "small.png")
        .await
        .unwrap();
    assert!(small.variants.is_empty());
    assert_eq!((small.width, small.height), (400, 300));
    let small_media = store.media(small.id).await.unwrap().unwrap();
    assert_eq!(media::srcset::srcset(&small_media), None);
    let big_media = store.media(big.id).await.unwrap().unwrap();
    let srcset = media::srcset::srcset(&big_media).unwrap();
    assert!(srcset.starts_with("/media/uploads/wide-") && srcset.ends_with(".jpg 2000w"));
    assert_eq!(srcset.matches(", ").count(), 3);
}

async fn decompression_bombs_are_refused_from_the_header(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let err = ingest(store, &storage, png_bomb_header(), "bomb.png")
        .await
        .unwrap_err();
    assert!(
        matches!(err, MediaError::DimensionsTooLarge { .. }),
        "{err:?}"
    );
    assert!(err.is_editor_error());
    assert!(err.to_string().contains("too large"), "{err}");
    // Within the width and height limits but over the pixel budget: a highly compressible
    // image (one colour compresses to almost nothing).
    let settings = IngestSettings {
        limits: MediaLimits {
            max_pixels: 1_000_000,
            ..MediaLimits::default()
        },
        ..IngestSettings::default()
    };
    let flat = encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(2000, 1000, Rgb([9, 9, 9]))),
        ImageFormat::Png,
    );
    assert!(
        flat.len() < 100_000,
        "{} bytes for 6 MB of pixels",
        flat.len()
    );
    let err = ingest_with(store, &storage, flat, "flat.png", &settings)
        .await
        .unwrap_err();
    match &err {
        MediaError::DimensionsTooLarge { found, .. } => assert_eq!(*found, Some((2000, 1000))),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("2000 × 1000"), "{err}");
    // An animation over its budget.
    let settings = IngestSettings {
        limits: MediaLimits {
            max_animation_pixels: 50_000,
            ..MediaLimits::default()
        },
        ..IngestSettings::default()
    };
    let long = gif_frames(
        &[[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]],
        200,
        100,
    );
    let err = ingest_with(store, &storage, long, "long.gif", &settings)
        .await
        .unwrap_err();
    assert!(
        matches!(err, MediaError::AnimationTooLarge { frames: 3, .. }),
        "{err:?}"
    );
    // And over the byte limit.
    let settings = IngestSettings {
        limits: MediaLimits {
            max_bytes: 1000,
            ..MediaLimits::default()
        },
        ..IngestSettings::default()
    };
    let err = ingest_with(store, &storage, jpeg(300, 300), "big.jpg", &settings)
        .await
        .unwrap_err();
    assert!(
        matches!(err, MediaError::TooLarge { max: 1000, .. }),
        "{err:?}"
    );
    assert_nothing_stored(store, dir.path()).await;
}

async fn content_decides_the_type_not_the_name(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let stored = ingest(store, &storage, png(100, 80), "holiday.jpg")
        .await
        .unwrap();
    assert_eq!(stored.mime, "image/png");
    assert!(stored.key.as_str().ends_with(".png"), "{}", stored.key);
    assert!(stored.key.as_str().starts_with("uploads/holiday-"));
    assert!(read(&storage, stored.key.as_str()).starts_with(b"\x89PNG"));
    let row = store.media(stored.id).await.unwrap().unwrap();
    assert_eq!(row.mime, "image/png");
}

async fn webp_stays_webp(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let bytes = encode(
        DynamicImage::ImageRgb8(gradient(1000, 400)),
        ImageFormat::WebP,
    );
    let stored = ingest(store, &storage, bytes, "map.webp").await.unwrap();
    assert_eq!(stored.mime, "image/webp");
    assert!(stored.key.as_str().ends_with(".webp"));
    for path in
        std::iter::once(stored.key.as_str()).chain(stored.variants.iter().map(|v| v.path.as_str()))
    {
        let out = read(&storage, path);
        assert_eq!(image::guess_format(&out).unwrap(), ImageFormat::WebP);
    }
    // Lossless both ways: the full-size pixels are the generated ones.
    let full = image::load_from_memory(&read(&storage, stored.key.as_str())).unwrap();
    assert_eq!(full.to_rgb8(), gradient(1000, 400));
    let widths: Vec<u32> = stored.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [960, 480]);
}

async fn corrupt_and_unsupported_files_are_refused(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let whole = png(300, 200);
    let cut = whole[..whole.len() / 2].to_vec();
    let err = ingest(store, &storage, cut, "cut.png").await.unwrap_err();
    assert!(
        matches!(err, MediaError::Corrupt { format: "PNG", .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("damaged or incomplete"), "{err}");

    let whole = jpeg(300, 200);
    let err = ingest(store, &storage, whole[..40].to_vec(), "cut.jpg")
        .await
        .unwrap_err();
    assert!(
        matches!(err, MediaError::Corrupt { format: "JPEG", .. }),
        "{err:?}"
    );
    let mut garbage = b"\xFF\xD8\xFF\xE0".to_vec();
    garbage.extend(std::iter::repeat_n(0x5A, 500));
    let err = ingest(store, &storage, garbage, "noise.jpg")
        .await
        .unwrap_err();
    assert!(matches!(err, MediaError::Corrupt { .. }), "{err:?}");

    let err = ingest(
        store,
        &storage,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        "x.png",
    )
    .await
    .unwrap_err();
    assert!(matches!(err, MediaError::UnsupportedType { .. }), "{err:?}");
    assert!(err.to_string().contains("SVG"), "{err}");
    let err = ingest(store, &storage, Vec::new(), "empty.png")
        .await
        .unwrap_err();
    assert!(matches!(err, MediaError::Empty), "{err:?}");
    assert_nothing_stored(store, dir.path()).await;
}

async fn names_cannot_climb_out_of_the_media_directory(store: &Store) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("media");
    let storage = LocalStorage::new(&root);
    for name in [
        "../../outside.png",
        "..\\..\\outside.png",
        "/etc/passwd",
        "a/../../b.png",
        "..",
        "con\0trol.png",
        "港口.png",
    ] {
        let stored = ingest(store, &storage, png(50, 40), name).await.unwrap();
        let key = stored.key.as_str();
        assert!(
            key.starts_with("uploads/") && !key.contains(".."),
            "{name:?} → {key}"
        );
        assert!(storage.path_of(&stored.key).starts_with(&root));
    }
    // Everything written is inside the media directory.
    let outside: Vec<_> = std::fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["media"]);
    let names = files_under(&root);
    assert!(
        names.iter().any(|n| n.starts_with("uploads/outside-")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("uploads/image-")),
        "{names:?}"
    );
    assert!(media::MediaKey::parse("../x.png").is_err());
}

async fn gifs_are_accepted_still_and_animated(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let still = ingest(
        store,
        &storage,
        gif_frames(&[[10, 200, 30, 255]], 1000, 20),
        "bar.gif",
    )
    .await
    .unwrap();
    assert_eq!(still.mime, "image/gif");
    assert!(!still.animated);
    let widths: Vec<u32> = still.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [960, 480]);
    let v = image::load_from_memory(&read(&storage, &still.variants[1].path)).unwrap();
    assert_eq!(
        image::guess_format(&read(&storage, &still.variants[1].path)).unwrap(),
        ImageFormat::Gif
    );
    assert_eq!((v.width(), v.height()), (480, 10));

    let frames = [[255, 0, 0, 255], [0, 0, 255, 255], [0, 255, 0, 255]];
    let animated = ingest(store, &storage, gif_frames(&frames, 64, 48), "blink.gif")
        .await
        .unwrap();
    assert!(animated.animated && animated.variants.is_empty());
    let out = read(&storage, animated.key.as_str());
    let decoded = image::codecs::gif::GifDecoder::new(Cursor::new(out))
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    assert_eq!(decoded.len(), 3);
    // Palette quantisation may nudge colours, not swap them.
    let first = decoded[1].buffer().get_pixel(10, 10);
    assert!(first[2] > 200 && first[0] < 50, "{first:?}");
}

async fn the_row_keeps_text_dimensions_and_variants(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    let stored = ingest(store, &storage, jpeg(1200, 675), "Harbour at Dawn.JPG")
        .await
        .unwrap();
    let row = store.media(stored.id).await.unwrap().unwrap();
    assert_eq!(row.path, stored.key.as_str());
    assert_eq!((row.width, row.height), (Some(1200), Some(675)));
    assert_eq!(row.variants, stored.variants);
    assert_eq!(row.alt.get(Edition::En), "A harbour at dawn");
    assert_eq!(row.alt.get(Edition::ZhHans), "黎明时的港口");
    assert_eq!(row.caption.get(Edition::En), "Ferries leave the pier");
    assert_eq!(row.caption.get(Edition::ZhHant), "渡輪駛離碼頭");

    // The same upload again updates the row instead of duplicating it.
    let mut again = upload(jpeg(1200, 675), "Harbour at Dawn.JPG");
    again.text.alt_en = "Dawn over the harbour".into();
    let second = media::ingest(
        &storage,
        store,
        &converters(),
        again,
        &IngestSettings::default(),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(second.id, stored.id);
    assert_eq!(store.list_media(10, 0).await.unwrap().len(), 1);

    let text = MediaText {
        alt_en: "Boats".into(),
        caption_zh: "船".into(),
        ..MediaText::default()
    };
    assert!(
        store
            .update_media_text(stored.id, &text, &converters())
            .await
            .unwrap()
    );
    let row = store.media(stored.id).await.unwrap().unwrap();
    assert_eq!(row.alt.get(Edition::En), "Boats");
    assert_eq!(row.caption.get(Edition::ZhHans), "船");

    // A row written the old way (no dimensions, no variants) still reads.
    let old = store
        .upsert_media(
            &duizhao::store::media::MediaInput {
                path: "images/old.svg".into(),
                mime: "image/svg+xml".into(),
                alt_en: "Old".into(),
                alt_zh: String::new(),
            },
            &converters(),
            now(),
        )
        .await
        .unwrap();
    let old = store.media(old).await.unwrap().unwrap();
    assert_eq!((old.width, old.variants.len()), (None, 0));
    assert_eq!(old.caption.get(Edition::En), "");

    // Removing deletes the row, then every file.
    assert_eq!(files_under(dir.path()).len(), 3);
    assert!(media::remove(&storage, store, stored.id).await.unwrap());
    assert!(store.media(stored.id).await.unwrap().is_none());
    assert_eq!(files_under(dir.path()), Vec::<String>::new());
    assert!(!media::remove(&storage, store, stored.id).await.unwrap());
}

async fn a_failed_database_write_leaves_no_files(store: &Store) {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    store.close().await;
    let err = ingest(store, &storage, jpeg(1000, 500), "late.jpg")
        .await
        .unwrap_err();
    assert!(matches!(err, MediaError::Store(_)), "{err:?}");
    assert!(!err.is_editor_error());
    assert_eq!(files_under(dir.path()), Vec::<String>::new());
}

/// Not a test of behaviour: prints how long one camera-sized upload takes (run with
/// `--ignored --nocapture`; build with `--release` for production figures).
#[tokio::test]
#[ignore]
async fn measure_a_camera_sized_upload() {
    let t = common::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalStorage::new(dir.path());
    for (format, bytes) in [("JPEG", jpeg(4000, 3000)), ("PNG", png(4000, 3000))] {
        let size = bytes.len();
        let start = std::time::Instant::now();
        let stored = ingest(&t.store, &storage, bytes, "camera").await.unwrap();
        println!(
            "{format} 4000 × 3000 ({:.1} MB): {:?} for the full size and {} variants",
            size as f64 / 1e6,
            start.elapsed(),
            stored.variants.len()
        );
    }
    t.cleanup().await;
}

// ---- the site shows uploads responsively --------------------------------------------------

#[tokio::test]
async fn uploaded_hero_images_are_served_with_srcset_and_dimensions() {
    let site = common::demo_site(|_| {}).await;
    let state = &site.state;
    let storage = LocalStorage::new(state.media_dir());
    let stored = media::ingest(
        &storage,
        state.store(),
        &state.converters(),
        upload(jpeg_with_exif(2000, 1000, 1), "pier.jpg"),
        &IngestSettings::default(),
        now(),
    )
    .await
    .unwrap();
    let mut article =
        common::fixtures::article("pier-at-dawn").en("Pier at dawn", "The ferries leave early.");
    article.0.hero = Some(stored.key.as_str().to_owned());
    article.create(state.store()).await;
    state.article_changed("pier-at-dawn").await.unwrap();

    let page = site.get("/en/articles/pier-at-dawn").await;
    assert_eq!(page.status, 200);
    let small = format!("/media/{} 480w", stored.variants[2].path);
    assert!(page.body.contains(&small), "{}", page.body);
    assert!(
        page.body
            .contains("sizes=\"(min-width: 56rem) 56rem, 100vw\"")
    );
    assert!(page.body.contains("width=\"2000\" height=\"1000\""));
    assert!(page.body.contains("alt=\"A harbour at dawn\""));

    let file = site
        .get(&format!("/media/{}", stored.variants[0].path))
        .await;
    assert_eq!(file.status, 200);
    assert!(!file.body.contains("Exif"));
    assert_eq!(
        Format::sniff(&read(&storage, stored.key.as_str())).unwrap(),
        Format::Jpeg
    );
}
