//! The content domain: articles and their editions, Markdown bodies, parallel pairing.
//!
//! Nothing here touches the database or the web; [`crate::store`] persists these types and
//! [`crate::web`] shows them.

pub mod checks;
pub mod derive;
pub mod edition;
pub mod markdown;
pub mod model;
pub mod pairing;
pub mod sentences;
pub mod slug;
pub mod text;

pub use derive::{Converters, derive_article};
pub use edition::{Edition, Language, Mode, Script};
pub use model::*;
