//! The back office through HTTP, in process, by area (a module under `tests/admin/` each, on
//! the harness in `tests/common/admin.rs`): sign-in, permissions, CSRF, throttling, the
//! editor's save/preview/publish/schedule cycle, conflicts, revisions, the glossary, API
//! tokens, media, taxonomy, the trash, autosave and the live preview. Each test runs on
//! SQLite and (when `DUIZHAO_TEST_POSTGRES_URL` is set) PostgreSQL, over the demo publication.

mod common;

#[path = "admin/auth.rs"]
mod auth;
#[path = "admin/drafts.rs"]
mod drafts;
#[path = "admin/editor.rs"]
mod editor;
#[path = "admin/media.rs"]
mod media;
#[path = "admin/taxonomy.rs"]
mod taxonomy;
