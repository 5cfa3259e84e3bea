//! Signing in and out, CSRF, throttling, accounts and API tokens.

use axum::http::StatusCode;

use duizhao::accounts::Role;
use duizhao::store::Store;

use crate::common::admin::*;
use crate::common::fixtures::PASSWORD;

async fn anonymous_users_are_sent_to_login(store: &Store) {
    let site = site(store).await;
    let mut b = Browser::new(&site);
    for path in [
        "/admin/",
        "/admin/articles/new",
        "/admin/users",
        "/admin/glossary",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.location.starts_with("/admin/login?next="),
            "{path}: {}",
            r.location
        );
    }
    // A post without any session or login cookie is refused outright.
    let r = b
        .post_raw(
            "/admin/articles/new",
            form_body(&article_fields("x", "X", "叉")),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(store.editable("x").await.unwrap().is_none());
    // The open-redirect guard: `next` must stay in the back office.
    let r = b.get("/admin/login?next=https://evil.example/").await;
    assert!(
        r.body.contains("name=\"next\" value=\"/admin/\""),
        "{}",
        r.body
    );
}

async fn sign_in_out_and_wrong_passwords(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::new(&site);
    let r = b.login("ed", "wrong password!").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Wrong username or password"));
    let r = b.login("nobody", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = b.login("ed", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(b.cookies.contains_key("dz_session"));
    let r = b.get("/admin/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("pension-reform-levers"),
        "the demo articles are listed"
    );
    assert!(
        !r.body.contains("/admin/users"),
        "editors do not manage users"
    );
    let old = b.cookies.clone();
    let r = b.post("/admin/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The old session cookie no longer works: logout ended it on the server.
    b.cookies = old;
    let r = b.get("/admin/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

async fn forged_cross_site_posts_are_refused(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let csrf = b.csrf.clone();
    let mut fields = article_fields("forged", "Forged", "伪造");
    fields.push(("csrf", &csrf));
    fields.push(("action", "publish"));
    // A page on another site posting to us: the browser sends our cookie (if SameSite
    // allowed it) and its own Origin.
    let r = b
        .post_raw(
            "/admin/articles/new",
            form_body(&fields),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .post_raw(
            "/admin/articles/new",
            form_body(&fields),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Same origin but no token, or a wrong one.
    let r = b
        .post_raw(
            "/admin/articles/new",
            form_body(&article_fields("forged", "Forged", "伪造")),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut wrong = article_fields("forged", "Forged", "伪造");
    wrong.push(("csrf", "0000"));
    let r = b
        .post_raw("/admin/articles/new", form_body(&wrong), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        store.editable("forged").await.unwrap().is_none(),
        "nothing was saved"
    );
    // The real form works.
    let r = b
        .post(
            "/admin/articles/new",
            &article_fields("forged", "Real", "真"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn logins_are_throttled(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::new(&site);
    for _ in 0..duizhao::web::auth::MAX_FAILURES_PER_ACCOUNT {
        assert_eq!(
            b.login("ed", "not the password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password is refused now, and the page says when to retry.
    let r = b.login("ed", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Try again in 15 minutes"), "{}", r.body);
    assert!(!b.cookies.contains_key("dz_session"));
}

async fn users_are_managed_by_admins(store: &Store) {
    let site = site(store).await;
    add_user(store, "admin", Role::Admin).await;
    let mut b = Browser::signed_in(&site, "admin").await;
    b.get("/admin/users").await;
    let r = b
        .post(
            "/admin/users",
            &[
                ("username", "newbie"),
                ("display_name", "New"),
                ("role", "translator"),
                ("password", "short"),
            ],
        )
        .await;
    assert!(r.body.contains("at least 10 characters"), "{}", r.body);
    let r = b
        .post(
            "/admin/users",
            &[
                ("username", "newbie"),
                ("display_name", "New"),
                ("role", "translator"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(r.body.contains("Created newbie"), "{}", r.body);
    let mut nb = Browser::signed_in(&site, "newbie").await;
    let id = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.user.username == "newbie")
        .unwrap()
        .user
        .id
        .0;
    b.get("/admin/users").await;
    b.post(&format!("/admin/users/{id}"), &[("access", "disable")])
        .await;
    // Disabling ends the user's sessions at once.
    assert_eq!(nb.get("/admin/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        nb.login("newbie", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn api_tokens_are_shown_once_and_stored_hashed(store: &Store) {
    let site = site(store).await;
    add_user(store, "admin", Role::Admin).await;
    let mut b = Browser::signed_in(&site, "admin").await;
    b.get("/admin/tokens").await;
    let r = b.post("/admin/tokens", &[("name", "importer")]).await;
    let token = r
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the new token is shown")
        .to_owned();
    assert!(token.starts_with("dz_"));
    assert!(b.get("/admin/tokens").await.body.contains("importer"));
    assert!(
        !b.get("/admin/tokens").await.body.contains(&token),
        "shown only once"
    );
    let user = store
        .api_token_user(
            &duizhao::accounts::token::digest(&token),
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    assert_eq!(user.unwrap().username, "admin");
    let id = store.api_tokens(None).await.unwrap()[0].id.to_string();
    b.post(&format!("/admin/tokens/{id}/revoke"), &[]).await;
    assert!(
        store
            .api_token_user(
                &duizhao::accounts::token::digest(&token),
                jiff::Timestamp::now()
            )
            .await
            .unwrap()
            .is_none()
    );
}

crate::on_both_backends!(
    anonymous_users_are_sent_to_login,
    sign_in_out_and_wrong_passwords,
    forged_cross_site_posts_are_refused,
    logins_are_throttled,
    users_are_managed_by_admins,
    api_tokens_are_shown_once_and_stored_hashed,
);
