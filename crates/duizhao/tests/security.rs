//! The security suite: attacks a hostile client would try, against a real server on port 0,
//! on SQLite and PostgreSQL (when `DUIZHAO_TEST_POSTGRES_URL` is set) wherever storage is
//! involved. Each area is a module under `tests/security/`; the regression tests for the
//! findings of issue 19 are named after what broke. SECURITY.md describes the threat model these
//! tests hold the server to.

mod common;

#[path = "security/cache.rs"]
mod cache;
#[path = "security/headers.rs"]
mod headers;
#[path = "security/input.rs"]
mod input;
#[path = "security/login.rs"]
mod login;
#[path = "security/malformed.rs"]
mod malformed;
#[path = "security/redirects.rs"]
mod redirects;
#[path = "security/sessions.rs"]
mod sessions;
#[path = "security/storage.rs"]
mod storage;
#[path = "security/uploads.rs"]
mod uploads;
#[path = "security/xss.rs"]
mod xss;
