//! Request handlers, one module per area of the site; each page's template is named after it
//! under `templates/`.

pub mod archive;
pub mod article;
pub mod assets;
pub mod errors;
pub mod feeds;
pub mod home;
pub mod lists;
pub mod root;
pub mod search;
pub mod sitemaps;

use super::AppState;
use super::error::WebError;
use crate::content::Edition;

/// The edition named in a path, if it is one we serve; 404 (in the default edition's language)
/// otherwise.
pub fn edition(state: &AppState, code: &str) -> Result<Edition, WebError> {
    let default = state.config().editions.default;
    match code.parse::<Edition>() {
        // Codes are lowercase in our URLs; `/EN/` is not a second address for `/en/`.
        Ok(e) if e.code() == code && state.config().edition_enabled(e) => Ok(e),
        _ => Err(WebError::page_not_found(default)),
    }
}

/// The `page` query parameter: absent means 1; anything but a number from 1 to 10,000 is a
/// bad request. Other parameters (tracking tags and the like) are ignored.
pub fn page_number(query: Option<&str>, edition: Edition) -> Result<u32, WebError> {
    let Some(query) = query else { return Ok(1) };
    let mut page = 1;
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("page=") {
            page = value
                .parse::<u32>()
                .ok()
                .filter(|p| (1..=10_000).contains(p))
                .ok_or(WebError::page_bad_request(edition))?;
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        let e = Edition::En;
        assert_eq!(page_number(None, e).unwrap(), 1);
        assert_eq!(page_number(Some("page=3&utm_source=x"), e).unwrap(), 3);
        assert_eq!(page_number(Some("utm_source=x"), e).unwrap(), 1);
        for bad in ["page=0", "page=-1", "page=abc", "page=99999999999", "page="] {
            assert!(page_number(Some(bad), e).is_err(), "{bad}");
        }
    }
}
