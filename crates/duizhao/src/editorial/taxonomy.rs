//! Commands on topics, authors and sections: save (create, change, rename) and delete (with
//! reassignment, which is how two are merged).

use super::Core;
use super::error::{EditorialError, EditorialResult, FieldError};
use super::events::Change;
use crate::accounts::Action;
use crate::content::{slug, text};
use crate::store::StoreError;
use crate::store::taxonomy::{TaxonomyInput, TaxonomyKind};

/// The longest name.
pub const MAX_NAME: usize = 200;
/// The longest description or biography.
pub const MAX_TEXT: usize = 5_000;
/// The largest order number (either sign).
pub const MAX_ORDER: i64 = 1_000_000;

/// Creates (`original` is `None`) or changes the topic, author or section whose slug was
/// `original`. An empty slug keeps the original one, or for a new one is made from the English
/// name, else the Chinese. Returns the slug.
pub async fn save(
    core: &Core<'_>,
    original: Option<&str>,
    mut input: TaxonomyInput,
) -> EditorialResult<String> {
    core.require(Action::ManageTaxonomy)?;
    let kind = input.kind();
    normalize(&mut input, original);
    let errors = validate(&input);
    if !errors.is_empty() {
        return Err(EditorialError::Invalid(errors));
    }
    let articles = match core
        .store
        .save_taxonomy(original, &input, core.converters)
        .await
    {
        Ok(articles) => articles,
        Err(StoreError::Taken { key, .. }) => {
            return Err(EditorialError::invalid(
                "slug",
                format!("{key:?} is already the slug of another {}", kind.code()),
            ));
        }
        Err(StoreError::Missing {
            kind: "media file",
            key,
        }) => {
            return Err(EditorialError::invalid(
                "photo",
                format!("there is no image {key:?} in the media library"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let slug = input.slug().to_owned();
    core.emit(Change::Taxonomy {
        kind,
        slug: slug.clone(),
        articles,
    })
    .await?;
    Ok(slug)
}

/// Deletes a topic, author or section; while articles carry it, only with `reassign_to`,
/// another of the same kind that they carry instead (its old slug then redirects there).
/// Returns the slugs of the articles moved.
pub async fn delete(
    core: &Core<'_>,
    kind: TaxonomyKind,
    slug: &str,
    reassign_to: Option<&str>,
) -> EditorialResult<Vec<String>> {
    core.require(Action::ManageTaxonomy)?;
    let reassign_to = reassign_to.map(str::trim).filter(|s| !s.is_empty());
    if reassign_to == Some(slug) {
        return Err(EditorialError::invalid(
            "reassign_to",
            format!("cannot move the articles of {slug:?} to itself"),
        ));
    }
    let articles = match core.store.delete_taxonomy(kind, slug, reassign_to).await {
        Ok(articles) => articles,
        Err(StoreError::Missing { key, .. }) if Some(key.as_str()) == reassign_to => {
            return Err(EditorialError::invalid(
                "reassign_to",
                format!(
                    "there is no {} {key:?} to move the articles to",
                    kind.code()
                ),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    core.emit(Change::Taxonomy {
        kind,
        slug: reassign_to.unwrap_or(slug).to_owned(),
        articles: articles.clone(),
    })
    .await?;
    Ok(articles)
}

/// Trims names and texts, makes a missing slug, and accepts a media path in its public form
/// (`/media/uploads/…`).
fn normalize(input: &mut TaxonomyInput, original: Option<&str>) {
    let trim = |s: &mut String| {
        let t = s.trim();
        if t.len() != s.len() {
            *s = t.to_owned();
        }
    };
    let (slug, names): (&mut String, [&mut String; 2]) = match input {
        TaxonomyInput::Topic(t) => {
            trim(&mut t.description_en);
            trim(&mut t.description_zh);
            (&mut t.slug, [&mut t.name_en, &mut t.name_zh])
        }
        TaxonomyInput::Author(a) => {
            trim(&mut a.bio_en);
            trim(&mut a.bio_zh);
            a.photo = a
                .photo
                .take()
                .map(|p| super::media_key(p.trim()).to_owned())
                .filter(|p| !p.is_empty());
            (&mut a.slug, [&mut a.name_en, &mut a.name_zh])
        }
        TaxonomyInput::Section(s) => (&mut s.slug, [&mut s.name_en, &mut s.name_zh]),
    };
    let [en, zh] = names;
    trim(en);
    trim(zh);
    trim(slug);
    if slug.is_empty() {
        *slug = match original {
            Some(original) => original.to_owned(),
            None => slug::slugify(if en.is_empty() { zh } else { en }),
        };
    }
}

fn validate(input: &TaxonomyInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(m) = slug::check(input.slug()) {
        errors.push(FieldError::new("slug", m));
    }
    let (en, zh) = input.names();
    if en.is_empty() && zh.is_empty() {
        errors.push(FieldError::new(
            "name_en",
            "give a name in English, Chinese or both",
        ));
    }
    let mut texts = vec![("name_en", en, MAX_NAME), ("name_zh", zh, MAX_NAME)];
    let mut order = None;
    match input {
        TaxonomyInput::Topic(t) => {
            texts.push(("description_en", &t.description_en, MAX_TEXT));
            texts.push(("description_zh", &t.description_zh, MAX_TEXT));
            order = Some(("hot_order", t.hot_order));
        }
        TaxonomyInput::Author(a) => {
            texts.push(("bio_en", &a.bio_en, MAX_TEXT));
            texts.push(("bio_zh", &a.bio_zh, MAX_TEXT));
        }
        TaxonomyInput::Section(s) => order = Some(("position", s.position)),
    }
    for (field, value, max) in texts {
        if let Err(m) = text::check(value) {
            errors.push(FieldError::new(field, m));
        } else if value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("is longer than {max} characters"),
            ));
        }
    }
    if let Some((field, n)) = order
        && !(-MAX_ORDER..=MAX_ORDER).contains(&n)
    {
        errors.push(FieldError::new(
            field,
            format!("must be between -{MAX_ORDER} and {MAX_ORDER}"),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::taxonomy::{AuthorInput, TopicInput};

    #[test]
    fn a_missing_slug_is_made_from_the_name() {
        let mut input = TaxonomyInput::Topic(TopicInput {
            name_en: "  Trade Policy ".into(),
            name_zh: "贸易政策".into(),
            ..TopicInput::default()
        });
        let mut renamed = input.clone();
        normalize(&mut input, None);
        assert_eq!(input.slug(), "trade-policy");
        normalize(&mut renamed, Some("trade"));
        assert_eq!(renamed.slug(), "trade", "an empty slug keeps the original");
        assert_eq!(input.names(), ("Trade Policy", "贸易政策"));
        let mut input = TaxonomyInput::Topic(TopicInput {
            name_zh: "养老金".into(),
            ..TopicInput::default()
        });
        normalize(&mut input, None);
        assert_eq!(input.slug(), "养老金");
    }

    #[test]
    fn a_public_media_address_names_the_stored_file() {
        let mut input = TaxonomyInput::Author(AuthorInput {
            slug: "lin-mei".into(),
            name_en: "Lin Mei".into(),
            photo: Some(" /media/uploads/2026/lin.jpg ".into()),
            ..AuthorInput::default()
        });
        normalize(&mut input, None);
        let TaxonomyInput::Author(a) = input else {
            unreachable!()
        };
        assert_eq!(a.photo.as_deref(), Some("uploads/2026/lin.jpg"));
    }

    #[test]
    fn bad_fields_are_named() {
        let input = TaxonomyInput::Topic(TopicInput {
            slug: "trаde".into(), // Cyrillic а
            name_en: "a\u{1}b".into(),
            description_zh: "字".repeat(MAX_TEXT + 1),
            hot_order: MAX_ORDER + 1,
            ..TopicInput::default()
        });
        let fields: Vec<String> = validate(&input).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["slug", "name_en", "description_zh", "hot_order"]);
        let nameless = TaxonomyInput::Topic(TopicInput {
            slug: "x".into(),
            ..TopicInput::default()
        });
        assert_eq!(validate(&nameless)[0].field, "name_en");
    }
}
