//! The default theme's static files, compiled into the binary and served with a content hash
//! in their URL so that browsers may keep them forever.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// The versioned URL of a static file (`/static/site.css?v=1a2b3c4d`).
pub fn url(file: &str) -> String {
    static HASHES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let hashes = HASHES.get_or_init(|| {
        Static::iter()
            .filter_map(|name| {
                let f = Static::get(&name)?;
                let hex: String = f.metadata.sha256_hash()[..6]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                Some((name.into_owned(), hex))
            })
            .collect()
    });
    match hashes.iter().find(|(n, _)| n == file) {
        Some((_, hash)) => format!("/static/{file}?v={hash}"),
        None => format!("/static/{file}"),
    }
}

/// `/static/{file}`
pub async fn static_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(content) = Static::get(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!(
        "\"{}\"",
        content.metadata.sha256_hash()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    if headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    let mime = content.metadata.mimetype().to_owned();
    (
        [
            (CONTENT_TYPE, mime),
            (
                CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
            (ETAG, etag),
        ],
        content.data.into_owned(),
    )
        .into_response()
}
