//! Hostile characters and SQL metacharacters at every input, and what they may reach.

use duizhao::accounts::Role;

use crate::common::fixtures::article;
use crate::common::live::LiveSite;

/// Every feed and sitemap of the site, as (path, body).
async fn syndication(site: &LiveSite) -> Vec<(String, String)> {
    let mut paths = vec!["/sitemap.xml".to_owned(), "/sitemaps/news.xml".to_owned()];
    for edition in ["en", "zh-hans", "zh-hant"] {
        paths.push(format!("/sitemaps/{edition}-1.xml"));
        for format in ["atom", "rss", "json"] {
            paths.push(format!("/{edition}/feed.{format}"));
            paths.push(format!("/{edition}/dual/feed.{format}"));
        }
    }
    let mut out = Vec::new();
    for path in paths {
        let r = site.get(&path).await;
        assert_eq!(r.status, 200, "{path}");
        out.push((path, r.text()));
    }
    out
}

/// Issue 19, finding 4: a title with U+0001 made every Atom and RSS feed invalid XML; U+FFFE
/// broke the news sitemap. Text stored before the input checks cannot do it either.
async fn r19_stored_control_characters_break_no_feed_or_sitemap(site: &LiveSite) {
    // (No NUL: PostgreSQL could not have stored one.)
    article("broken-feed")
        .en(
            "Tariffs\u{1} bite \u{fffe}hard\u{b}",
            "Body\u{8} text.\u{1f}",
        )
        .zh("关税\u{1}咬人\u{ffff}", "正文\u{c}。")
        .create_unchecked(site.store())
        .await;
    for (path, body) in syndication(site).await {
        if path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&body)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        } else {
            roxmltree::Document::parse(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    let atom = site.get("/en/feed.atom").await.text();
    assert!(
        atom.contains("Tariffs bite hard"),
        "the text itself survives"
    );
}

/// Issue 19, finding 8: the RSS `<description>` carried the plain-text summary as HTML.
async fn r19_rss_descriptions_are_text(site: &LiveSite) {
    let mut input = article("dek-markup")
        .en("Markup in a summary", "Body.")
        .input();
    input.en.as_mut().unwrap().dek = "<script>alert(1)</script> AT&T <b>bold</b>".to_owned();
    duizhao::editorial::save_article(
        site.store(),
        &crate::common::fixtures::converters(),
        &input,
        crate::common::fixtures::now(),
    )
    .await
    .unwrap();
    let rss = site.get("/en/feed.rss").await.text();
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let item = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .find(|n| {
            n.children()
                .any(|c| c.has_tag_name("title") && c.text() == Some("Markup in a summary"))
        })
        .expect("the article's item");
    let description = item
        .children()
        .find(|c| c.has_tag_name("description"))
        .and_then(|c| c.text())
        .unwrap();
    // What a reader renders as HTML shows the characters, runs nothing.
    assert!(!description.contains('<'), "{description}");
    assert!(description.contains("&lt;script&gt;"), "{description}");
    assert!(description.contains("AT&amp;T"), "{description}");
}

/// Issue 19, findings 4 and 5: the editor and the API stored control characters, and on
/// PostgreSQL a NUL in a write was a 500.
async fn r19_writes_with_control_characters_are_refused_and_lose_nothing(site: &LiveSite) {
    let ed = site.add_user("ed", Role::Editor).await;
    let token = site.api_token(ed).await;
    let auth = format!("Bearer {token}");
    for (field, title, body) in [
        ("en.title", "Tariffs\u{1} bite", "Body."),
        ("en.title", "A NUL\u{0} here", "Body."),
        ("en.body", "A title", "Body with NUL \u{0}."),
        ("en.title", "Non-character \u{fffe}", "Body."),
    ] {
        let json = serde_json::json!({
            "slug": "controlled",
            "en": {"title": title, "body": body},
        })
        .to_string();
        let r = site
            .request(
                "POST",
                "/api/v1/articles",
                &[
                    ("Authorization", &auth),
                    ("Content-Type", "application/json"),
                ],
                json.as_bytes(),
            )
            .await;
        assert_eq!(r.status, 422, "{field}: {}", r.text());
        let errors: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert!(
            errors["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["field"] == field),
            "{field}: {errors}"
        );
    }
    // The editor's form says the same, keeps what was typed, and stores nothing.
    let cookie = site
        .sign_in("ed", crate::common::live::PASSWORD, "")
        .await
        .unwrap();
    let csrf = site.csrf(&cookie).await;
    let r = site
        .post_form(
            "/admin/articles/new",
            &[
                ("csrf", &csrf),
                ("slug", "controlled"),
                ("en_title", "Tariffs\u{1} bite"),
                ("en_body", "Body\u{0}."),
                ("action", "save"),
            ],
            &cookie,
        )
        .await;
    assert_ne!(r.status, 303, "refused");
    assert_ne!(r.status, 500);
    let page = r.text();
    assert!(page.contains("U+0001"), "the form names the character");
    assert!(
        page.contains("Tariffs\u{1} bite")
            || page.contains("Tariffs&#1; bite")
            || page.contains("Tariffs&#x1; bite"),
        "what was typed is shown again"
    );
    assert!(site.store().editable("controlled").await.unwrap().is_none());
}

/// Issue 19, finding 5: NUL in a path or a query parameter gave 500 on PostgreSQL.
async fn r19_nul_and_control_characters_in_urls_are_bad_requests(site: &LiveSite) {
    for path in [
        "/en/articles/a%00b",
        "/en/articles/a%00b/dual",
        "/en/topics/a%00b",
        "/en/authors/a%00b",
        "/en/sections/a%00b",
        "/en/topics/a%00b/feed.atom",
        "/zh-hans/search?q=a%00b",
        "/en/search?topic=a%00b",
        "/en/?page=1%00",
        "/admin/articles/a%00b",
        "/media/a%00b.png",
        "/sitemaps/a%00b.xml",
        "/en/articles/a%01b",
        "/en/articles/a%0d%0aSet-Cookie:x=1",
    ] {
        let r = site.get(path).await;
        assert_eq!(r.status, 400, "{path}: {}", r.status);
    }
    for path in [
        "/api/v1/articles?topic=a%00b",
        "/api/v1/articles/a%00b",
        "/api/v1/articles?author=%00",
    ] {
        let r = site.get(path).await;
        assert_eq!(r.status, 400, "{path}");
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{path}"
        );
    }
}

/// SQL metacharacters are data in every parameter: no 500, nothing changed.
async fn sql_metacharacters_are_data_everywhere(site: &LiveSite) {
    let before = site.store().article_count().await.unwrap();
    let payloads = [
        "'",
        "\"",
        "' OR '1'='1",
        "1; DROP TABLE articles;--",
        "%",
        "_",
        "\\",
        "') --",
        "$1",
        "1 UNION SELECT password_hash FROM users",
        "*",
        "\u{2019}",
    ];
    for p in payloads {
        let e = urlencoding(p);
        for path in [
            format!("/en/articles/{e}"),
            format!("/en/articles/{e}/dual"),
            format!("/en/topics/{e}"),
            format!("/en/authors/{e}"),
            format!("/en/sections/{e}/feed.rss"),
            format!("/en/search?q={e}&topic={e}&author={e}&section={e}&from={e}&to={e}&sort={e}"),
            format!("/en/?page={e}"),
            format!("/en/archive/{e}/{e}"),
            format!("/api/v1/articles?topic={e}&author={e}&section={e}&per_page={e}&page={e}"),
            format!("/api/v1/articles/{e}"),
            format!("/sitemaps/{e}"),
        ] {
            let r = site.get(&path).await;
            assert!(
                matches!(r.status, 200 | 301 | 400 | 404),
                "{path}: {}",
                r.status
            );
        }
        let r = site.sign_in(p, p, "").await.unwrap_err();
        assert!(matches!(r.status, 401 | 429), "login {p:?}: {}", r.status);
    }
    assert_eq!(site.store().article_count().await.unwrap(), before);
    assert_eq!(site.get("/en/").await.status, 200);
}

fn urlencoding(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Role boundaries and mass assignment through the API: a field the body may not set is
/// refused, not quietly applied.
async fn roles_and_mass_assignment(site: &LiveSite) {
    let translator = site.add_user("tr", Role::Translator).await;
    let author = site.add_user("au", Role::Author).await;
    let editor = site.add_user("ed", Role::Editor).await;
    let post = |token: String, path: &'static str, body: serde_json::Value| async move {
        site.request(
            "POST",
            path,
            &[
                ("Authorization", &format!("Bearer {token}")),
                ("Content-Type", "application/json"),
            ],
            body.to_string().as_bytes(),
        )
        .await
    };
    // An author may write a draft, not publish it.
    let au = site.api_token(author).await;
    let r = post(
        au.clone(),
        "/api/v1/articles",
        serde_json::json!({"slug": "by-author", "status": "published", "en": {"title": "T", "body": "B"}}),
    )
    .await;
    assert!(matches!(r.status, 403 | 422), "{}", r.text());
    assert!(site.store().editable("by-author").await.unwrap().is_none());
    // Unknown fields (an owner, a revision counter, a role) are refused.
    let r = post(
        au,
        "/api/v1/articles",
        serde_json::json!({"slug": "sneaky", "created_by": 1, "role": "admin", "en": {"title": "T", "body": "B"}}),
    )
    .await;
    assert!(matches!(r.status, 400 | 422), "{}", r.text());
    assert!(site.store().editable("sneaky").await.unwrap().is_none());
    // A translator publishes nothing, even an article they are assigned to.
    let ed = site.api_token(editor).await;
    let r = post(
        ed,
        "/api/v1/articles",
        serde_json::json!({"slug": "assigned", "en": {"title": "T", "body": "B"}}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let tr = site.api_token(translator).await;
    let r = post(
        tr,
        "/api/v1/articles/assigned/status",
        serde_json::json!({"status": "published"}),
    )
    .await;
    assert!(matches!(r.status, 403 | 404), "{}", r.text());
    // Accounts are the admin's: an editor's session cannot create one.
    let cookie = site
        .sign_in("ed", crate::common::live::PASSWORD, "")
        .await
        .unwrap();
    let csrf = site.csrf(&cookie).await;
    let r = site
        .create_account(
            &cookie,
            &csrf,
            "mallory",
            "admin",
            "tidal mango violin sediment",
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(!site.has_user("mallory").await);
}

crate::on_both_live!(
    r19_stored_control_characters_break_no_feed_or_sitemap,
    r19_rss_descriptions_are_text,
    r19_writes_with_control_characters_are_refused_and_lose_nothing,
    r19_nul_and_control_characters_in_urls_are_bad_requests,
    sql_metacharacters_are_data_everywhere,
    roles_and_mass_assignment,
);
