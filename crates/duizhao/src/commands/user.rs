//! `duizhao user`: create the first admin (and other accounts) from the command line.

use std::io::BufRead;

use anyhow::{Context, bail};
use jiff::Timestamp;

use crate::accounts::{password, token};
use crate::cli::{UserAction, UserArgs};
use crate::commands::serve::site_config;
use crate::store::Store;
use crate::store::accounts::NewUser;

fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        // 20 random bytes: 40 hex characters, printed once.
        return Ok((token::random_hex(20), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

/// Runs `duizhao user …`.
pub fn run(args: &UserArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        crate::store::create_private_dir(&config.data_dir).with_context(|| {
            format!("cannot create data directory {}", config.data_dir.display())
        })?;
        let url = config.database_url();
        let store = Store::open(&url)
            .await
            .with_context(|| format!("cannot open the database at {url}"))?;
        let site = &config.site;
        let result = act(&store, &args.action, (&site.name_en, &site.name_zh)).await;
        store.close().await;
        result
    })
}

/// Hashes a new password: one typed by a person is checked for strength first; one this
/// program generated (160 random bits) needs no check.
fn new_hash(pw: &str, generated: bool, context: &[&str]) -> anyhow::Result<String> {
    let hash = if generated {
        password::hash(pw)
    } else {
        password::hash_new(pw, context)
    };
    hash.context("the password")
}

async fn act(store: &Store, action: &UserAction, site_names: (&str, &str)) -> anyhow::Result<()> {
    match action {
        UserAction::Add {
            username,
            role,
            name,
            password_stdin,
        } => {
            if !crate::web::admin::users::valid_username(username) {
                bail!("username {username:?}: use 2–64 letters, digits, `.`, `-` or `_`");
            }
            let (pw, generated) = read_password(*password_stdin)?;
            let hash = new_hash(
                &pw,
                generated,
                &[username, name, site_names.0, site_names.1],
            )?;
            let new = NewUser {
                username,
                display_name: name,
                role: *role,
                password_hash: &hash,
            };
            store.create_user(&new, Timestamp::now()).await?;
            println!("created {} account {username:?}", role.code());
            if generated {
                println!("password: {pw}");
                println!("(shown once; sign in at /admin/login and change it under Users)");
            }
        }
        UserAction::Passwd {
            username,
            password_stdin,
        } => {
            let account = store
                .users()
                .await?
                .into_iter()
                .find(|a| a.user.username == *username)
                .with_context(|| format!("no account {username:?}"))?;
            let (pw, generated) = read_password(*password_stdin)?;
            let context = [
                username.as_str(),
                account.user.display_name.as_str(),
                site_names.0,
                site_names.1,
            ];
            let hash = new_hash(&pw, generated, &context)?;
            store
                .update_user(
                    account.user.id,
                    None,
                    Some(&hash),
                    Some(false),
                    Timestamp::now(),
                )
                .await?;
            println!(
                "password of {username:?} changed; its sessions were ended and its API tokens \
                 revoked"
            );
            if generated {
                println!("password: {pw}");
            }
        }
        UserAction::List => {
            for a in store.users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    a.user.username,
                    a.user.role.code(),
                    if a.disabled { "disabled" } else { "active" },
                    a.user.display_name
                );
            }
        }
    }
    Ok(())
}
