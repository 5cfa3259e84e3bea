//! `srcset` and `sizes` for a media item, so that browsers fetch the smallest variant that
//! fills the slot: a phone showing a card needs the 480-pixel file, not the 4000-pixel one.

use crate::content::Media;

/// `sizes` for an article's hero image: the figure is at most 56rem wide (see `.story .hero`
/// in the stylesheet) and the full width of narrower screens.
pub const HERO_SIZES: &str = "(min-width: 56rem) 56rem, 100vw";

/// `sizes` for a card's thumbnail: 6.5rem beside the text on phones, then a grid column of
/// at least 17rem; a lead card takes three fifths of the 72rem page.
pub const CARD_SIZES: &str = "(max-width: 599px) 6.5rem, (min-width: 72rem) 43rem, 50vw";

/// The `srcset` of a media item: its variants and the full-size file, each with its width,
/// or `None` when there is nothing to choose from (no variants, or an image stored before
/// its dimensions were recorded). URLs are taken only from storage keys, which contain no
/// spaces or commas; any other path makes this `None` rather than a broken list.
pub fn srcset(media: &Media) -> Option<String> {
    let full_width = media.width?;
    if media.variants.is_empty() {
        return None;
    }
    let mut candidates: Vec<(&str, u32)> = media
        .variants
        .iter()
        .map(|v| (v.path.as_str(), v.width))
        .chain([(media.path.as_str(), full_width)])
        .collect();
    candidates.sort_by_key(|&(_, w)| w);
    candidates.dedup_by_key(|(_, w)| *w);
    let mut out = String::new();
    for (path, width) in candidates {
        if path.is_empty() || path.contains(|c: char| c.is_whitespace() || c == ',') {
            return None;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&crate::editorial::media_url(path));
        out.push(' ');
        out.push_str(&width.to_string());
        out.push('w');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Localized, MediaId, MediaVariant};

    fn media(variants: &[(u32, u32)]) -> Media {
        Media {
            id: MediaId(1),
            path: "uploads/a-1.jpg".to_owned(),
            mime: "image/jpeg".to_owned(),
            alt: Localized::default(),
            caption: Localized::default(),
            width: Some(2000),
            height: Some(1000),
            variants: variants
                .iter()
                .map(|&(width, height)| MediaVariant {
                    path: format!("uploads/a-1-{width}w.jpg"),
                    width,
                    height,
                })
                .collect(),
        }
    }

    #[test]
    fn lists_variants_narrowest_first_then_the_full_size() {
        assert_eq!(
            srcset(&media(&[(960, 480), (480, 240)])).as_deref(),
            Some(
                "/media/uploads/a-1-480w.jpg 480w, /media/uploads/a-1-960w.jpg 960w, \
                 /media/uploads/a-1.jpg 2000w"
            )
        );
    }

    #[test]
    fn nothing_to_choose_from_gives_none() {
        assert_eq!(srcset(&media(&[])), None);
        let mut m = media(&[(480, 240)]);
        m.width = None;
        assert_eq!(srcset(&m), None);
        let mut m = media(&[(480, 240)]);
        m.path = "old dir/a,b.jpg".to_owned();
        assert_eq!(srcset(&m), None);
    }
}
