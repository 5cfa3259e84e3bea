//! Redirect targets taken from requests: only paths of this site, never a 500.

use duizhao::accounts::Role;

use crate::common::live::{LiveSite, PASSWORD};

/// Targets a browser would follow off the site, or that cannot be a header.
const HOSTILE: &[&str] = &[
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " //evil.example",
    "/\u{1}",
    "/\u{0}",
    "/\u{7f}x",
    "evil.example",
    "",
];

fn assert_safe_location(location: &str, what: &str) {
    assert!(location.starts_with('/'), "{what}: {location:?}");
    assert!(!location.starts_with("//"), "{what}: {location:?}");
    assert!(
        !location.contains(['\\', '\t', '\r', '\n']) && location.is_ascii(),
        "{what}: {location:?}"
    );
}

/// Issue 19, findings 3 and 7: `next=/%09/evil.example` redirected off-site and `next=/%01`
/// was a 500.
async fn r19_the_preference_form_redirects_only_to_this_site(site: &LiveSite) {
    for next in HOSTILE {
        let r = site
            .post_form("/prefs", &[("size", "large"), ("next", next)], "")
            .await;
        assert_eq!(r.status, 303, "next={next:?}: {}", r.text());
        assert_eq!(r.header("location"), "/", "next={next:?}");
    }
    for (next, expected) in [
        ("/en/articles/x?page=2", "/en/articles/x?page=2"),
        (
            "/zh-hans/search?q=港口",
            "/zh-hans/search?q=%E6%B8%AF%E5%8F%A3",
        ),
        ("/en/%2F%2Fevil.example", "/en/%2F%2Fevil.example"),
    ] {
        let r = site
            .post_form("/prefs", &[("size", "large"), ("next", next)], "")
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location"), expected);
        assert_safe_location(r.header("location"), next);
    }
}

/// Issue 19, finding 7: signing in with `next=/admin/%01` panicked after the session row was
/// written.
async fn r19_sign_in_redirects_only_into_the_back_office(site: &LiveSite) {
    site.add_user("ed", Role::Editor).await;
    let targets: Vec<(String, &str)> = HOSTILE
        .iter()
        .map(|h| (h.to_string(), "/admin/"))
        .chain([
            ("/admin/\u{1}".to_owned(), "/admin/"),
            ("/admin/%01".to_owned(), "/admin/%01"),
            ("/en/articles/x".to_owned(), "/admin/"),
            // A path of this site with an empty segment, not a host.
            ("/admin//evil.example".to_owned(), "/admin//evil.example"),
            ("/admin/glossary".to_owned(), "/admin/glossary"),
        ])
        .collect();
    for (next, expected) in &targets {
        let form_page = site.get("/admin/login").await;
        let csrf = form_page.cookie("dz_login").unwrap();
        let r = site
            .post_form(
                "/admin/login",
                &[
                    ("csrf", &csrf),
                    ("username", "ed"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
                &format!("dz_login={csrf}"),
            )
            .await;
        assert_eq!(r.status, 303, "next={next:?}: {}", r.text());
        assert_eq!(r.header("location"), *expected, "next={next:?}");
        assert_safe_location(r.header("location"), next);
    }
    // The login page's own `next` field is checked the same way.
    let page = site.get("/admin/login?next=%2F%2Fevil.example").await;
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("evil.example"));
}

crate::on_both_live!(
    r19_the_preference_form_redirects_only_to_this_site,
    r19_sign_in_redirects_only_into_the_back_office,
);
