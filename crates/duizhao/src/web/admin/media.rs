//! `/admin/media`: the media library — upload (JPEG, PNG, WebP, GIF; checked, stripped of
//! metadata and made responsive by [`crate::media::ingest`]), alternative text and captions in
//! both languages, and the paths to use as a hero image or in Markdown.

use askama::Template;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use jiff::Timestamp;

use super::{AdminError, AdminResult, Shell, page, require, see_other};
use crate::accounts::Action;
use crate::media::{IngestSettings, LocalStorage, MediaError, Upload};
use crate::store::media::MediaText;
use crate::web::AppState;
use crate::web::auth::Signed;

#[derive(Template)]
#[template(path = "admin/media.html")]
struct MediaPage {
    shell: Shell,
    items: Vec<Item>,
    error: Option<String>,
    max_mb: u64,
}

struct Item {
    path: String,
    thumb: String,
    alt: String,
    size: String,
}

async fn media_page(
    state: &AppState,
    signed: &Signed,
    error: Option<String>,
    flash: Option<String>,
) -> AdminResult {
    let items = state
        .store()
        .list_media(200, 0)
        .await?
        .into_iter()
        .map(|m| Item {
            thumb: crate::web::paths::media(
                m.variants
                    .last()
                    .map_or(m.path.as_str(), |v| v.path.as_str()),
            ),
            alt: m.alt.en.clone(),
            size: match (m.width, m.height) {
                (Some(w), Some(h)) => format!("{w} × {h}"),
                _ => m.mime.clone(),
            },
            path: m.path,
        })
        .collect();
    page(&MediaPage {
        shell: Shell::new("Media", &signed.user, &signed.csrf, "media").flash(flash),
        items,
        error,
        max_mb: settings(state).limits.max_bytes / (1024 * 1024),
    })
}

/// The processing settings, with the configured upload limit.
pub fn settings(state: &AppState) -> IngestSettings {
    let mut settings = IngestSettings::default();
    settings.limits.max_bytes = state.config().max_upload_bytes as u64;
    settings
}

/// Query of the media page.
#[derive(Debug, serde::Deserialize)]
pub struct ListParams {
    /// The path of a file just uploaded (the upload redirects here, so that reloading the page
    /// does not upload it again).
    uploaded: Option<String>,
}

/// Lists the media.
pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<ListParams>,
) -> AdminResult {
    require(signed.user.may(Action::UploadMedia, None))?;
    // The notice is made from the stored file, never from the query's text.
    let flash = match params.uploaded.as_deref() {
        Some(path) => match state.store().media_id(path).await {
            Ok(id) => state.store().media(id).await?.map(|m| {
                format!(
                    "Uploaded {} ({}, {} smaller sizes). Choose it as an article's hero image or \
                     an author's photo by this path, or put it in the text as ![alt text]({}).",
                    m.path,
                    match (m.width, m.height) {
                        (Some(w), Some(h)) => format!("{w} × {h}"),
                        _ => m.mime.clone(),
                    },
                    m.variants.len(),
                    m.path,
                )
            }),
            Err(crate::store::StoreError::Missing { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    media_page(&state, &signed, None, flash).await
}

/// Receives an upload (multipart; the CSRF token is the form's first field, which the guard
/// checks before the file is read).
pub async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    mut multipart: Multipart,
) -> AdminResult {
    require(signed.user.may(Action::UploadMedia, None))?;
    let settings = settings(&state);
    let (bytes, name, text) = match read_form(&mut multipart).await {
        Ok(form) => form,
        // The route's body limit cut the upload off: as big a file as the library refuses.
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let message = format!(
                "the file is larger than the limit of {:.1} MB: export it smaller or at a \
                 lower quality",
                settings.limits.max_bytes as f64 / 1_000_000.0
            );
            let mut response = media_page(&state, &signed, Some(message), None).await?;
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(response);
        }
        Err(e) => return Err(AdminError::bad_request(e.body_text())),
    };
    for (field, value) in [
        ("alternative text (English)", &text.alt_en),
        ("alternative text (Chinese)", &text.alt_zh),
        ("caption (English)", &text.caption_en),
        ("caption (Chinese)", &text.caption_zh),
    ] {
        if let Err(m) = crate::content::text::check(value) {
            let mut response =
                media_page(&state, &signed, Some(format!("The {field} {m}.")), None).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    }
    let Some(bytes) = bytes else {
        return media_page(
            &state,
            &signed,
            Some("Choose a file to upload.".into()),
            None,
        )
        .await;
    };
    let storage = LocalStorage::new(state.media_dir());
    let upload = Upload {
        bytes,
        original_name: name,
        text,
    };
    let converters = state.converters();
    match crate::media::ingest(
        &storage,
        state.store(),
        &converters,
        upload,
        &settings,
        Timestamp::now(),
    )
    .await
    {
        Ok(stored) => {
            let _logged = state.changes().emit(crate::editorial::Change::Media).await;
            // Post/redirect/get: reloading the page that follows does not upload again.
            Ok(see_other(&format!(
                "/admin/media?uploaded={}",
                percent_encoding::utf8_percent_encode(
                    stored.key.as_str(),
                    percent_encoding::NON_ALPHANUMERIC
                )
            )))
        }
        Err(e) if e.is_editor_error() => {
            let mut response = media_page(&state, &signed, Some(e.to_string()), None).await?;
            *response.status_mut() = status_of(&e);
            Ok(response)
        }
        Err(e) => Err(AdminError::internal(e.into())),
    }
}

/// The upload form's fields: the file's bytes (if one was sent), its name, and the texts.
async fn read_form(
    multipart: &mut Multipart,
) -> Result<(Option<Vec<u8>>, String, MediaText), MultipartError> {
    let mut bytes = None;
    let mut name = String::new();
    let mut text = MediaText::default();
    while let Some(field) = multipart.next_field().await? {
        let field_name = field.name().unwrap_or("").to_owned();
        match field_name.as_str() {
            "file" => {
                name = field.file_name().unwrap_or("upload").to_owned();
                bytes = Some(field.bytes().await?.to_vec());
            }
            "alt_en" | "alt_zh" | "caption_en" | "caption_zh" => {
                let value = field.text().await?;
                let value = value.trim().chars().take(1000).collect::<String>();
                match field_name.as_str() {
                    "alt_en" => text.alt_en = value,
                    "alt_zh" => text.alt_zh = value,
                    "caption_en" => text.caption_en = value,
                    _ => text.caption_zh = value,
                }
            }
            _ => {}
        }
    }
    Ok((bytes, name, text))
}

fn status_of(e: &MediaError) -> StatusCode {
    match e {
        MediaError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        MediaError::UnsupportedType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Query of the picker.
#[derive(Debug, serde::Deserialize)]
pub struct PickParams {
    /// Words to look for in the path, alternative text or caption (any language or script).
    q: Option<String>,
}

/// How many files the picker looks through (the newest) and shows.
const PICK_SCAN: u32 = 2_000;
const PICK_SHOW: usize = 60;

/// `GET /admin/media/pick?q=…`: the media library for the editor's picker (hero and inline
/// images), as JSON: newest first, with thumbnails, sizes, and the alternative texts and
/// captions the editor fills in.
pub async fn pick(
    State(state): State<AppState>,
    signed: Signed,
    Query(params): Query<PickParams>,
) -> AdminResult {
    use axum::response::IntoResponse;
    let user = &signed.user;
    require(
        user.may(Action::UploadMedia, None)
            || user.may(Action::CreateArticle, None)
            || user.role == crate::accounts::Role::Translator,
    )?;
    let words: Vec<String> = params
        .q
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let found: Vec<serde_json::Value> = state
        .store()
        .list_media(PICK_SCAN, 0)
        .await?
        .into_iter()
        .filter(|m| {
            let hay = [
                m.path.as_str(),
                &m.alt.en,
                &m.alt.zh_hans,
                &m.alt.zh_hant,
                &m.caption.en,
                &m.caption.zh_hans,
                &m.caption.zh_hant,
            ]
            .join("\n")
            .to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .take(PICK_SHOW)
        .map(|m| {
            let thumb = m
                .variants
                .last()
                .map_or(m.path.as_str(), |v| v.path.as_str());
            serde_json::json!({
                "path": m.path,
                "url": crate::web::paths::media(&m.path),
                "thumb": crate::web::paths::media(thumb),
                "width": m.width,
                "height": m.height,
                "alt": { "en": m.alt.en, "zh": m.alt.zh_hans },
                "caption": { "en": m.caption.en, "zh": m.caption.zh_hans },
            })
        })
        .collect();
    Ok(axum::Json(found).into_response())
}
