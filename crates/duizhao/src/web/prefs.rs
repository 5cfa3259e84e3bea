//! The reader's remembered choices: edition, reading mode and text size, kept in cookies so
//! that they work without JavaScript and without an account.

use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, SET_COOKIE};

use crate::content::{Edition, Mode};

/// Cookie names.
pub const EDITION: &str = "dz_edition";
/// Cookie names.
pub const MODE: &str = "dz_mode";
/// Cookie names.
pub const SIZE: &str = "dz_size";

/// Text sizes the reader can choose.
pub const SIZES: [&str; 3] = ["small", "normal", "large"];

/// What the request's cookies say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    /// Remembered edition.
    pub edition: Option<Edition>,
    /// Remembered reading mode.
    pub mode: Option<Mode>,
    /// Remembered text size (one of [`SIZES`]).
    pub size: Option<&'static str>,
}

impl Prefs {
    /// Reads the cookies; unknown values are ignored.
    pub fn from_headers(headers: &HeaderMap) -> Prefs {
        let mut prefs = Prefs::default();
        for header in headers.get_all(COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            for pair in text.split(';') {
                let Some((name, value)) = pair.trim().split_once('=') else {
                    continue;
                };
                match name {
                    EDITION => prefs.edition = value.parse().ok(),
                    MODE => prefs.mode = Mode::from_code(value),
                    SIZE => prefs.size = SIZES.into_iter().find(|s| *s == value),
                    _ => {}
                }
            }
        }
        prefs
    }
}

/// Adds a year-long preference cookie to a response's headers.
pub fn set(headers: &mut HeaderMap, name: &str, value: &str, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.append(SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_and_junk_ignored() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=b; dz_edition=zh-hant; dz_mode=dual; dz_size=huge"),
        );
        let p = Prefs::from_headers(&h);
        assert_eq!(p.edition, Some(Edition::ZhHant));
        assert_eq!(p.mode, Some(Mode::Parallel));
        assert_eq!(p.size, None);
    }
}
