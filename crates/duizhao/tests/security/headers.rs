//! The security headers, on every kind of response.

use crate::common::live::{Answer, LiveSite};

/// The first `href`/`src` value in a page that starts with `prefix`.
fn first_link(html: &str, prefix: &str) -> String {
    let at = html
        .find(&format!("\"{prefix}"))
        .unwrap_or_else(|| panic!("a link starting with {prefix}"));
    let rest = &html[at + 1..];
    rest[..rest.find('"').unwrap()].to_owned()
}

fn assert_headers(path: &str, r: &Answer) {
    assert_ne!(r.status, 500, "{path}");
    let csp = r.header("content-security-policy");
    let locked = (csp.contains("object-src 'none'") || csp.contains("default-src 'none'"))
        && csp.contains("frame-ancestors 'none'");
    assert!(locked, "{path}: CSP {csp:?}");
    if r.header("content-type").starts_with("text/html") {
        for directive in ["base-uri", "form-action 'self'", "script-src 'self'"] {
            assert!(
                csp.contains(directive),
                "{path}: CSP lacks {directive}: {csp}"
            );
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{path}"
        );
    }
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
    assert_eq!(
        r.header("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{path}"
    );
    assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
    // The test site's base URL is https.
    assert!(
        r.header("strict-transport-security")
            .starts_with("max-age="),
        "{path}"
    );
}

/// Issue 19, finding 6: no CSP but on `/media`, no Referrer-Policy, nosniff only on the API
/// and media, X-Frame-Options only in the back office.
async fn r19_every_kind_of_response_carries_the_security_headers(site: &LiveSite) {
    let home = site.get("/en/").await;
    let article = first_link(&home.text(), "/en/articles/");
    let page = site.get(&article).await.text();
    let media = first_link(&page, "/media/");
    let paths = [
        "/".to_owned(),
        "/en/".to_owned(),
        article.clone(),
        format!("{article}/dual"),
        "/zh-hant/".to_owned(),
        "/en/no-such-page".to_owned(),
        "/en/articles/a%00b".to_owned(),
        "/en/search?q=port".to_owned(),
        "/en/feed.atom".to_owned(),
        "/en/feed.rss".to_owned(),
        "/zh-hans/feed.json".to_owned(),
        "/sitemap.xml".to_owned(),
        "/sitemaps/news.xml".to_owned(),
        "/robots.txt".to_owned(),
        "/healthz".to_owned(),
        "/static/site.css".to_owned(),
        "/static/site.js".to_owned(),
        media,
        "/admin/login".to_owned(),
        "/admin/".to_owned(),
        "/api/v1/articles".to_owned(),
        "/api/v1/no-such-endpoint".to_owned(),
        "/api/v1/openapi.json".to_owned(),
    ];
    for path in &paths {
        assert_headers(path, &site.get(path).await);
    }
    // A refused form post and a method the route lacks.
    let r = site.post_form("/admin/articles/new", &[], "").await;
    assert_headers("POST /admin/articles/new", &r);
    let r = site.request("DELETE", "/en/", &[], b"").await;
    assert_headers("DELETE /en/", &r);
}

/// The pages the policy covers have nothing it would block: scripts only from files (the
/// JSON-LD block is data), no inline event handlers, no inline styles.
async fn pages_hold_no_inline_script_or_style(site: &LiveSite) {
    let home = site.get("/zh-hant/").await.text();
    let article = first_link(&home, "/zh-hant/articles/");
    for path in [
        "/en/".to_owned(),
        "/zh-hant/".to_owned(),
        article.clone(),
        format!("{article}/dual"),
        format!("{article}/en"),
        "/en/search?q=trade".to_owned(),
        "/en/no-such-page".to_owned(),
        "/admin/login".to_owned(),
    ] {
        let html = site.get(&path).await.text();
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                tag.contains(" src=\"/static/") || tag.contains("type=\"application/ld+json\""),
                "{path}: inline script {tag}"
            );
        }
        assert!(!html.contains(" style=\""), "{path}: inline style");
        let lower = html.to_ascii_lowercase();
        for handler in [
            " onclick=",
            " onload=",
            " onerror=",
            " onchange=",
            " onsubmit=",
        ] {
            assert!(!lower.contains(handler), "{path}: {handler}");
        }
    }
}

crate::on_both_live!(
    r19_every_kind_of_response_carries_the_security_headers,
    pages_hold_no_inline_script_or_style,
);
