//! The editorial core's one error type: what callers (the back office, the API, the importers)
//! translate into their own answers, by variant, never by message.

use std::fmt;

/// A field the user must fix: its path in the command (`name_en`, `versions.zh.title`) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Where, as a path of field names joined by dots.
    pub field: String,
    /// What is wrong, as a sentence fragment for the user ("is empty").
    pub message: String,
}

impl FieldError {
    /// An error on one field.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a command did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EditorialError {
    /// The command's fields are not valid; nothing was changed.
    #[error("not valid: {}", list(.0))]
    Invalid(Vec<FieldError>),
    /// Someone else changed the thing since the version the command was based on.
    #[error("changed since revision {expected}: it is now at revision {current}")]
    Conflict {
        /// The revision the command was based on.
        expected: i64,
        /// The revision stored now.
        current: i64,
    },
    /// A topic, author or section that articles carry cannot go without somewhere to move
    /// them.
    #[error("the {kind} {key:?} is used by {count} article(s); name another to move them to")]
    InUse {
        /// What kind of thing.
        kind: &'static str,
        /// Its slug.
        key: String,
        /// How many articles carry it.
        count: usize,
    },
    /// Publishing or scheduling would leave readers without something the pre-publish
    /// checklist looks for (each entry says what); the caller shows them and asks again with
    /// the checklist confirmed.
    #[error("the pre-publish checklist found: {}", .0.join(" "))]
    Unconfirmed(Vec<String>),
    /// The acting user may not do this.
    #[error("not permitted")]
    NotPermitted,
    /// No such thing.
    #[error("there is no {kind} {key:?}")]
    NotFound {
        /// What kind of thing (`topic`, `article`, …).
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// The thing is in the trash: it must be restored before anything else is done with it.
    #[error("the {kind} {key:?} is in the trash; restore it first")]
    Gone {
        /// What kind of thing.
        kind: &'static str,
        /// Its key.
        key: String,
    },
    /// Ours, not the caller's: the database, the disk.
    #[error(transparent)]
    Internal(anyhow::Error),
}

fn list(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl EditorialError {
    /// One invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> EditorialError {
        EditorialError::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<crate::store::StoreError> for EditorialError {
    fn from(err: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match err {
            StoreError::Conflict { expected, current } => {
                EditorialError::Conflict { expected, current }
            }
            StoreError::InUse { kind, key, count } => EditorialError::InUse { kind, key, count },
            StoreError::Missing { kind, key } => EditorialError::NotFound { kind, key },
            // Text the database cannot hold (PostgreSQL and NUL) came with the command.
            e if e.is_invalid_text() => {
                EditorialError::invalid("", "holds a character that cannot be stored (such as NUL)")
            }
            e => EditorialError::Internal(e.into()),
        }
    }
}

impl From<anyhow::Error> for EditorialError {
    fn from(err: anyhow::Error) -> Self {
        EditorialError::Internal(err)
    }
}

/// A command's result.
pub type EditorialResult<T> = Result<T, EditorialError>;
