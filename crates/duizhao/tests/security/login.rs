//! Login throttling under concurrency, and what a login burst may cost.

use duizhao::accounts::Role;
use duizhao::web::auth::{
    MAX_ATTEMPTS_PER_DEVICE, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_CLIENT,
};
use futures_util::future::join_all;

use crate::common::live::{LiveSite, PASSWORD};

/// The status of one sign-in attempt (303 on success).
async fn attempt(site: &LiveSite, name: &str, pw: &str, cookie: &str) -> u16 {
    match site.sign_in(name, pw, cookie).await {
        Ok(_) => 303,
        Err(answer) => answer.status,
    }
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// Issue 19, finding 1: 30 concurrent wrong passwords for one account were all checked.
async fn r19_concurrent_guesses_at_one_account_stop_at_the_limit(site: &LiveSite) {
    site.add_user("ed", Role::Editor).await;
    let statuses =
        join_all((0..30).map(|_| attempt(site, "ed", "not the password at all", ""))).await;
    let checked = count(&statuses, 401);
    assert!(
        checked <= MAX_FAILURES_PER_ACCOUNT as usize,
        "{checked} passwords were checked: {statuses:?}"
    );
    assert_eq!(
        checked + count(&statuses, 429) + count(&statuses, 503),
        30,
        "{statuses:?}"
    );
    // And the account is throttled for whoever comes next, right password or not.
    assert_eq!(attempt(site, "ed", PASSWORD, "").await, 429);
}

/// Issue 19, finding 1: from one client, 53 of 60 guesses across usernames were checked.
async fn r19_concurrent_guesses_across_accounts_stop_at_the_client_limit(site: &LiveSite) {
    let names: Vec<String> = (0..60).map(|i| format!("user{i}")).collect();
    let statuses = join_all(
        names
            .iter()
            .map(|n| attempt(site, n, "a wrong password", "")),
    )
    .await;
    let checked = count(&statuses, 401);
    assert!(
        checked <= MAX_FAILURES_PER_CLIENT as usize,
        "{checked} passwords were checked: {statuses:?}"
    );
    // The rest were throttled; a few may have found every hashing thread busy (503, their
    // reservation given back), but not so many that the limit was never reached.
    let busy = count(&statuses, 503);
    assert_eq!(checked + busy + count(&statuses, 429), 60, "{statuses:?}");
    assert!(
        count(&statuses, 429) >= 60 - MAX_FAILURES_PER_CLIENT as usize - busy && busy <= 15,
        "{statuses:?}"
    );
    assert!(!statuses.contains(&500), "{statuses:?}");
}

/// Issue 19, finding 10: strangers' failures locked any account, even against its owner.
async fn r19_strangers_cannot_lock_out_the_owners_browser(site: &LiveSite) {
    site.add_user("chief", Role::Admin).await;
    let owner = site
        .sign_in("chief", PASSWORD, "")
        .await
        .expect("the owner signs in");
    let device = owner
        .split("; ")
        .find(|c| c.starts_with("dz_device="))
        .expect("a first sign-in marks the browser")
        .to_owned();
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        assert_eq!(attempt(site, "chief", "guess guess guess", "").await, 401);
    }
    // A stranger is locked out, even with the password...
    assert_eq!(attempt(site, "chief", PASSWORD, "").await, 429);
    // ...but the owner's browser is not.
    assert_eq!(attempt(site, "chief", PASSWORD, &device).await, 303);
    // A stolen trusted-browser cookie is throttled on its own.
    for _ in 0..MAX_ATTEMPTS_PER_DEVICE {
        assert_eq!(
            attempt(site, "chief", "guess guess guess", &device).await,
            401
        );
    }
    assert_eq!(attempt(site, "chief", PASSWORD, &device).await, 429);
    // A trusted browser of another account is a stranger here.
    site.add_user("other", Role::Editor).await;
    assert_eq!(attempt(site, "other", PASSWORD, &device).await, 303);
}

/// Issue 19, findings 5 and 10: a NUL in the username gave 500 on PostgreSQL; a 1.5 MB
/// username was stored as a throttle key.
async fn r19_hostile_usernames_fail_like_unknown_ones(site: &LiveSite) {
    site.add_user("ed", Role::Editor).await;
    for name in [
        "ed\u{0}",
        "\u{0}",
        "ed\u{1}x",
        "ed'--",
        "ｅｄ",
        &"x".repeat(300),
    ] {
        assert_eq!(attempt(site, name, PASSWORD, "").await, 401, "{name:?}");
    }
    let huge = "x".repeat(1_500_000);
    let status = attempt(site, &huge, PASSWORD, "").await;
    assert!(
        status == 413 || status == 400,
        "a 1.5 MB username: {status}"
    );
    assert_eq!(attempt(site, "ed", PASSWORD, "").await, 303);
}

crate::on_both_live!(
    r19_concurrent_guesses_at_one_account_stop_at_the_limit,
    r19_concurrent_guesses_across_accounts_stop_at_the_client_limit,
    r19_strangers_cannot_lock_out_the_owners_browser,
    r19_hostile_usernames_fail_like_unknown_ones,
);

/// Issue 19, finding 1: each Argon2 check holds 19 MiB, and a burst of 60 logins ran them all
/// at once (1.1 GB). The gate lets one check per core run, and answers the rest "busy".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r19_password_checks_run_at_most_one_per_core() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let gate = Arc::new(duizhao::web::auth::PasswordGate::new(2, 4));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            })
        })
        .collect();
    let outcomes = join_all(tasks).await;
    let done = outcomes.iter().filter(|o| matches!(o, Ok(Ok(())))).count();
    let busy = outcomes.iter().filter(|o| matches!(o, Ok(Err(_)))).count();
    assert!(
        most.load(Ordering::SeqCst) <= 2,
        "{} at once",
        most.load(Ordering::SeqCst)
    );
    assert!(done >= 2, "{done} ran");
    assert!(
        busy > 0,
        "a burst of 40 with room for 2 + 4 must turn some away"
    );
    assert_eq!(done + busy, 40);
}
