//! CSRF, cookies, session lifetime, passwords.

use duizhao::accounts::Role;

use crate::common::live::{LiveSite, PASSWORD};

fn article_form<'a>(csrf: &'a str, slug: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("slug", slug),
        ("en_title", "Forged"),
        ("en_body", "Text."),
        ("action", "save"),
    ]
}

/// A state change needs a same-origin request and the session's token, in the body or a
/// header, never the URL.
async fn state_changes_need_same_origin_and_the_token(site: &LiveSite) {
    site.add_user("ed", Role::Editor).await;
    let cookie = site.sign_in("ed", PASSWORD, "").await.unwrap();
    let csrf = site.csrf(&cookie).await;
    let body = crate::common::live::form(&article_form(&csrf, "forged"));
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let cookie_header = ("Cookie", cookie.as_str());
    for (what, headers) in [
        (
            "another origin",
            vec![form, cookie_header, ("Origin", "https://evil.example")],
        ),
        (
            "a cross-site fetch",
            vec![form, cookie_header, ("Sec-Fetch-Site", "cross-site")],
        ),
        (
            "a look-alike origin",
            vec![
                form,
                cookie_header,
                ("Origin", "https://news.example.evil.example"),
            ],
        ),
    ] {
        let r = site
            .request("POST", "/admin/articles/new", &headers, body.as_bytes())
            .await;
        assert_eq!(r.status, 403, "{what}");
    }
    let without = crate::common::live::form(&article_form("", "forged")[1..]);
    for (what, path, body) in [
        (
            "no token",
            "/admin/articles/new".to_owned(),
            without.clone(),
        ),
        (
            "the token in the URL",
            format!("/admin/articles/new?csrf={csrf}"),
            without.clone(),
        ),
        (
            "a wrong token",
            "/admin/articles/new".to_owned(),
            crate::common::live::form(&article_form(&"0".repeat(64), "forged")),
        ),
    ] {
        let r = site.post_form(&path, &[], "").await;
        assert_ne!(r.status, 500);
        let r = site
            .request(
                "POST",
                &path,
                &[form, cookie_header, ("Origin", "https://news.example")],
                body.as_bytes(),
            )
            .await;
        assert_eq!(r.status, 403, "{what}");
    }
    assert!(site.store().editable("forged").await.unwrap().is_none());
    // The real form works.
    let r = site
        .post_form("/admin/articles/new", &article_form(&csrf, "real"), &cookie)
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
}

/// Cookies: the session's cannot be read by script, sent cross-site or over http; the
/// trusted-browser cookie goes only to the login form.
async fn cookies_are_locked_down(site: &LiveSite) {
    site.add_user("ed", Role::Editor).await;
    let page = site.get("/admin/login").await;
    let csrf = page.cookie("dz_login").unwrap();
    let r = site
        .post_form(
            "/admin/login",
            &[("csrf", &csrf), ("username", "ed"), ("password", PASSWORD)],
            &format!("dz_login={csrf}"),
        )
        .await;
    assert_eq!(r.status, 303);
    let session = r.set_cookie("dz_session").unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/;"] {
        assert!(session.contains(attribute), "{session}");
    }
    let token = r.cookie("dz_session").unwrap();
    assert_eq!(token.len(), 64, "256 bits, hex");
    let device = r.set_cookie("dz_device").unwrap();
    for attribute in ["HttpOnly", "Secure", "Path=/admin/login"] {
        assert!(device.contains(attribute), "{device}");
    }
    // A session token that was never issued signs nobody in.
    let r = site
        .get_with(
            "/admin/",
            &[("Cookie", &format!("dz_session={}", "a".repeat(64)))],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/admin/login"));
}

/// Signing out ends the session on the server; a password change ends every session and
/// revokes the account's API tokens.
async fn sign_out_and_password_changes_end_access(site: &LiveSite) {
    site.add_user("chief", Role::Admin).await;
    let ed = site.add_user("ed", Role::Editor).await;
    let ed_cookie = site.sign_in("ed", PASSWORD, "").await.unwrap();
    let token = site.api_token(ed).await;
    let auth = format!("Bearer {token}");
    assert_eq!(
        site.get_with("/api/v1/articles", &[("Authorization", &auth)])
            .await
            .status,
        200
    );
    // Sign out: the old cookie is worthless, even if kept.
    let csrf = site.csrf(&ed_cookie).await;
    let r = site
        .post_form("/admin/logout", &[("csrf", &csrf)], &ed_cookie)
        .await;
    assert_eq!(r.status, 303);
    let r = site.get_with("/admin/", &[("Cookie", &ed_cookie)]).await;
    assert_eq!(r.status, 303, "signed out");
    // A new session, then the admin resets the password.
    let ed_cookie = site.sign_in("ed", PASSWORD, "").await.unwrap();
    let chief = site.sign_in("chief", PASSWORD, "").await.unwrap();
    let csrf = site.csrf(&chief).await;
    let r = site
        .post_form(
            &format!("/admin/users/{}", ed.0),
            &[("csrf", &csrf), ("password", "tidal mango violin sediment")],
            &chief,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        site.get_with("/admin/", &[("Cookie", &ed_cookie)])
            .await
            .status,
        303
    );
    assert_eq!(
        site.get_with("/api/v1/articles", &[("Authorization", &auth)])
            .await
            .status,
        401,
        "a password change revokes the account's API tokens"
    );
}

/// Issue 19, finding 9: `aaaaaaaaaa`, `1234567890` and the username repeated were accepted.
async fn r19_weak_passwords_are_refused(site: &LiveSite) {
    site.add_user("chief", Role::Admin).await;
    let chief = site.sign_in("chief", PASSWORD, "").await.unwrap();
    let csrf = site.csrf(&chief).await;
    for (name, pw) in [
        ("weak1", "aaaaaaaaaa"),
        ("weak2", "1234567890"),
        ("linmei", "linmeilinmei"),
        ("weak3", "password123"),
        ("weak4", "DuizhaoReview1"),
        ("weak5", "short"),
    ] {
        let r = site.create_account(&chief, &csrf, name, "editor", pw).await;
        assert_ne!(r.status, 500);
        assert!(
            r.text().contains("the password"),
            "{pw}: the page says why: {}",
            r.text()
        );
        assert!(!site.has_user(name).await, "{pw} was accepted");
    }
    // A long passphrase, and no composition rules.
    let passphrase = "the tide turns slowly over harbour stones";
    let r = site
        .create_account(&chief, &csrf, "strong", "editor", passphrase)
        .await;
    assert_eq!(r.status, 200);
    assert!(site.has_user("strong").await);
}

crate::on_both_live!(
    state_changes_need_same_origin_and_the_token,
    cookies_are_locked_down,
    sign_out_and_password_changes_end_access,
    r19_weak_passwords_are_refused,
);
