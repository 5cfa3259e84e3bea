//! `/admin/users` (admins: create accounts, change roles, disable, reset passwords) and
//! `/admin/tokens` (everyone: API tokens, shown once when created, stored hashed).

use askama::Template;
use axum::extract::{Path, State};
use jiff::Timestamp;
use serde::Deserialize;

use super::{AdminError, AdminResult, Shell, page, require, see_other};
use crate::accounts::{Action, Role, UserId, password, token};
use crate::store::StoreError;
use crate::store::accounts::NewUser;
use crate::web::AppState;
use crate::web::auth::Signed;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    shell: Shell,
    users: Vec<(i64, String, String, &'static str, bool)>,
    roles: Vec<&'static str>,
    error: Option<String>,
}

async fn users_page(
    state: &AppState,
    signed: &Signed,
    error: Option<String>,
    flash: Option<String>,
) -> AdminResult {
    let users = state
        .store()
        .users()
        .await?
        .into_iter()
        .map(|a| {
            (
                a.user.id.0,
                a.user.username,
                a.user.display_name,
                a.user.role.code(),
                a.disabled,
            )
        })
        .collect();
    page(&UsersPage {
        shell: Shell::new("Users", &signed.user, &signed.csrf, "users").flash(flash),
        users,
        roles: Role::ALL.iter().map(|r| r.code()).collect(),
        error,
    })
}

/// Lists accounts.
pub async fn list(State(state): State<AppState>, signed: Signed) -> AdminResult {
    require(signed.user.may(Action::ManageUsers, None))?;
    users_page(&state, &signed, None, None).await
}

/// The new-account form.
#[derive(Debug, Deserialize)]
pub struct NewUserForm {
    username: String,
    #[serde(default)]
    display_name: String,
    role: String,
    password: String,
}

/// Whether a username is acceptable.
pub fn valid_username(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The words a new password must not be made of: the account's names and the site's.
fn password_context(state: &AppState, username: &str, display_name: &str) -> Vec<String> {
    let site = &state.config().site;
    vec![
        username.to_owned(),
        display_name.to_owned(),
        site.name_en.clone(),
        site.name_zh.clone(),
    ]
}

/// Checks and hashes a new password through the server's [`PasswordGate`]: the outer error
/// is the server's (busy), the inner one the password's.
///
/// [`PasswordGate`]: crate::web::auth::PasswordGate
async fn hash_new(
    state: &AppState,
    password: String,
    context: Vec<String>,
) -> AdminResult<Result<String, password::PasswordError>> {
    state
        .password_gate()
        .run(move || {
            let context: Vec<&str> = context.iter().map(String::as_str).collect();
            password::hash_new(&password, &context)
        })
        .await
        .map_err(|_| AdminError::busy())
}

/// Creates an account.
pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    axum::Form(form): axum::Form<NewUserForm>,
) -> AdminResult {
    require(signed.user.may(Action::ManageUsers, None))?;
    let username = form.username.trim();
    let refuse = |m: String| users_page(&state, &signed, Some(m), None);
    if !valid_username(username) {
        return refuse("A username has 2–64 letters, digits, dots, hyphens or underscores.".into())
            .await;
    }
    if let Err(m) = crate::content::text::check(&form.display_name) {
        return refuse(format!("The display name {m}.")).await;
    }
    if form.display_name.trim().chars().count() > 100 {
        return refuse("A display name has at most 100 characters.".into()).await;
    }
    let Ok(role) = form.role.parse::<Role>() else {
        return refuse(format!("Unknown role {:?}.", form.role)).await;
    };
    let pw = form.password.clone();
    let context = password_context(&state, username, form.display_name.trim());
    let hash = match hash_new(&state, pw, context).await? {
        Ok(h) => h,
        Err(e) => return refuse(e.to_string()).await,
    };
    let new = NewUser {
        username,
        display_name: form.display_name.trim(),
        role,
        password_hash: &hash,
    };
    match state.store().create_user(&new, Timestamp::now()).await {
        Ok(_) => {}
        Err(StoreError::Taken { .. }) => {
            return refuse(format!("The username {username:?} is taken.")).await;
        }
        Err(e) => return Err(e.into()),
    }
    users_page(
        &state,
        &signed,
        None,
        Some(format!("Created {username} ({}).", role.code())),
    )
    .await
}

/// The account-change form.
#[derive(Debug, Deserialize)]
pub struct UpdateUserForm {
    role: Option<String>,
    password: Option<String>,
    /// `enable` or `disable`.
    access: Option<String>,
}

/// Changes an account.
pub async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<UpdateUserForm>,
) -> AdminResult {
    require(signed.user.may(Action::ManageUsers, None))?;
    let role = match form.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(r.parse::<Role>().map_err(AdminError::bad_request)?),
        None => None,
    };
    let disabled = match form.access.as_deref() {
        Some("disable") => Some(true),
        Some("enable") => Some(false),
        _ => None,
    };
    if UserId(id) == signed.user.id
        && (disabled == Some(true) || role.is_some_and(|r| r != Role::Admin))
    {
        return users_page(
            &state,
            &signed,
            Some("You cannot disable or demote your own account.".into()),
            None,
        )
        .await;
    }
    let hash = match form.password.filter(|p| !p.is_empty()) {
        Some(pw) => {
            let account = state
                .store()
                .users()
                .await?
                .into_iter()
                .find(|a| a.user.id == UserId(id))
                .ok_or(AdminError::not_found("Not found."))?;
            let context =
                password_context(&state, &account.user.username, &account.user.display_name);
            match hash_new(&state, pw, context).await? {
                Ok(h) => Some(h),
                Err(e) => return users_page(&state, &signed, Some(e.to_string()), None).await,
            }
        }
        None => None,
    };
    match state
        .store()
        .update_user(
            UserId(id),
            role,
            hash.as_deref(),
            disabled,
            Timestamp::now(),
        )
        .await
    {
        Ok(()) => Ok(see_other("/admin/users")),
        Err(StoreError::Missing { .. }) => Err(AdminError::not_found("Not found.")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    shell: Shell,
    tokens: Vec<(i64, String, String, String, bool)>,
    created: Option<String>,
}

async fn tokens_page(state: &AppState, signed: &Signed, created: Option<String>) -> AdminResult {
    let owner = (!signed.user.may(Action::ManageUsers, None)).then_some(signed.user.id);
    let tz = state.time_zone();
    let when = |t: Option<Timestamp>| {
        t.map(|t| super::form::shown_time(t, tz))
            .unwrap_or_else(|| "never".to_owned())
    };
    let tokens = state
        .store()
        .api_tokens(owner)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                t.name,
                when(Some(t.created_at)),
                when(t.last_used),
                t.revoked_at.is_some(),
            )
        })
        .collect();
    page(&TokensPage {
        shell: Shell::new("API tokens", &signed.user, &signed.csrf, "tokens"),
        tokens,
        created,
    })
}

/// Lists API tokens.
pub async fn tokens(State(state): State<AppState>, signed: Signed) -> AdminResult {
    tokens_page(&state, &signed, None).await
}

/// The new-token form.
#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    name: String,
}

/// Creates an API token for the signed-in user and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    signed: Signed,
    axum::Form(form): axum::Form<NewTokenForm>,
) -> AdminResult {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 || crate::content::text::check(name).is_err() {
        return Err(AdminError::bad_request(
            "give the token a name (up to 100 visible characters)",
        ));
    }
    let secret = token::new_api_token();
    state
        .store()
        .create_api_token(
            signed.user.id,
            name,
            &token::digest(&secret),
            Timestamp::now(),
        )
        .await?;
    tokens_page(&state, &signed, Some(secret)).await
}

/// Revokes a token (one's own; admins any).
pub async fn revoke_token(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<i64>,
) -> AdminResult {
    let owner = (!signed.user.may(Action::ManageUsers, None)).then_some(signed.user.id);
    if state
        .store()
        .revoke_api_token(id, owner, Timestamp::now())
        .await?
    {
        Ok(see_other("/admin/tokens"))
    } else {
        Err(AdminError::not_found("Not found."))
    }
}
