//! The back office through HTTP, in process: sign-in, permissions, CSRF, throttling, the
//! editor's save/preview/publish/schedule cycle, conflicts, revisions, the glossary and API
//! tokens. Each test runs on SQLite and (when `DUIZHAO_TEST_POSTGRES_URL` is set) PostgreSQL,
//! over the demo publication.

mod common;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use duizhao::accounts::Role;
use duizhao::config::SiteConfig;
use duizhao::content::{Language, Status};
use duizhao::store::Store;
use duizhao::web::AppState;

use common::fixtures::PASSWORD;

struct Admin {
    app: axum::Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

async fn site(store: &Store) -> Admin {
    site_with(store, |_| {}).await
}

/// The demo site, with `configure` applied to the test configuration.
async fn site_with(store: &Store, configure: impl FnOnce(&mut SiteConfig)) -> Admin {
    let dir = tempfile::tempdir().unwrap();
    let mut config = SiteConfig::for_test(dir.path());
    config.base_url = "https://news.example".to_owned();
    config.page_cache_seconds = 0;
    configure(&mut config);
    let converters = duizhao::content::Converters::new(&config.editions, Default::default());
    duizhao::demo::load(
        store,
        &converters,
        &config.data_dir.join("media"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let state = AppState::new(config, store.clone(), converters).unwrap();
    state.reindex_if_empty().await.unwrap();
    Admin {
        app: duizhao::web::build_app(state.clone()),
        state,
        _dir: dir,
    }
}

async fn add_user(store: &Store, name: &str, role: Role) -> duizhao::accounts::UserId {
    common::fixtures::user(store, name, role).await
}

/// A browser: keeps cookies, sends same-origin requests, finds CSRF tokens in pages.
struct Browser<'a> {
    site: &'a Admin,
    cookies: BTreeMap<String, String>,
    csrf: String,
}

struct Reply {
    status: StatusCode,
    location: String,
    body: String,
}

/// One part of a multipart form: a file when `file_name` is set, else a text field.
#[derive(Clone)]
struct Part<'a> {
    name: &'a str,
    file_name: Option<&'a str>,
    bytes: &'a [u8],
}

impl<'a> Part<'a> {
    fn text(name: &'a str, value: &'a str) -> Self {
        Part {
            name,
            file_name: None,
            bytes: value.as_bytes(),
        }
    }

    fn file(name: &'a str, file_name: &'a str, bytes: &'a [u8]) -> Self {
        Part {
            name,
            file_name: Some(file_name),
            bytes,
        }
    }
}

fn form_body(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

impl<'a> Browser<'a> {
    fn new(site: &'a Admin) -> Self {
        Browser {
            site,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    async fn send(&mut self, req: Request<Body>) -> Reply {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.site.app.clone().oneshot(req).await.unwrap();
        for c in res.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=').unwrap();
            assert!(attrs.contains("HttpOnly"), "{c}");
            assert!(attrs.contains("SameSite=Lax"), "{c}");
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = res.status();
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        {
            self.csrf = token.to_owned();
        }
        Reply {
            status,
            location,
            body,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, uri: &str) -> Reply {
        let req = Request::get(uri)
            .header("cookie", self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// Posts a form from one of our pages (same origin, with the page's CSRF token).
    async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(uri, form_body(&all), &[("origin", "https://news.example")])
            .await
    }

    async fn post_raw(&mut self, uri: &str, body: String, headers: &[(&str, &str)]) -> Reply {
        let mut req = Request::post(uri)
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "news.example");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Posts a `multipart/form-data` body (an upload form: the CSRF token goes in `uri`).
    /// Posts a multipart form that opens with the session's CSRF token, as the page's does.
    async fn post_multipart(&mut self, uri: &str, parts: &[Part<'_>]) -> Reply {
        let csrf = self.csrf.clone();
        let mut all = vec![Part::text("csrf", &csrf)];
        all.extend(parts.iter().map(|p| Part {
            name: p.name,
            file_name: p.file_name,
            bytes: p.bytes,
        }));
        self.post_multipart_raw(uri, &all).await
    }

    async fn post_multipart_raw(&mut self, uri: &str, parts: &[Part<'_>]) -> Reply {
        const BOUNDARY: &str = "----duizhao-test-boundary-7d1f0c";
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part.file_name {
                Some(file) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"; filename=\"{file}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n",
                        part.name
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                        part.name
                    )
                    .as_bytes(),
                ),
            }
            body.extend_from_slice(part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let req = Request::post(uri)
            .header("cookie", self.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("host", "news.example")
            .header("origin", "https://news.example")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    async fn login(&mut self, name: &str, pw: &str) -> Reply {
        self.get("/admin/login").await;
        self.post("/admin/login", &[("username", name), ("password", pw)])
            .await
    }

    async fn signed_in(site: &'a Admin, name: &str) -> Browser<'a> {
        let mut b = Browser::new(site);
        let r = b.login(name, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location, "/admin/");
        b.get("/admin/").await;
        b
    }
}

fn article_fields<'b>(
    slug: &'b str,
    en_title: &'b str,
    zh_title: &'b str,
) -> Vec<(&'b str, &'b str)> {
    vec![
        ("slug", slug),
        ("section", "world"),
        ("topics", "trade"),
        ("authors", "lin-mei"),
        ("zh_script", "hans"),
        ("en_title", en_title),
        ("en_dek", "A summary."),
        (
            "en_body",
            "In 2026 the harbour reopened.\n\nShips came back slowly.",
        ),
        ("zh_title", zh_title),
        ("zh_dek", "摘要。"),
        ("zh_body", "2026年，港口重新开放。\n\n船只慢慢回来了。"),
    ]
}

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

async fn editor_writes_previews_publishes_and_schedules(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let r = b.get("/admin/articles/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = b
        .post(
            "/admin/articles/new",
            &article_fields("harbour", "Harbour reopens", "港口重开"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/articles/harbour?saved=1");
    // A draft: not public, but previewed in every edition and mode.
    assert_eq!(
        b.get("/en/articles/harbour").await.status,
        StatusCode::NOT_FOUND
    );
    for (edition, mode, expect) in [
        ("en", "dual", "Harbour reopens"),
        ("zh-hans", "dual", "港口重开"),
        ("zh-hant", "dual", "港口重開"),
        ("zh-hant", "zh", "船隻慢慢回來了"),
        ("en", "en", "Ships came back slowly"),
    ] {
        let r = b
            .get(&format!("/admin/articles/harbour/preview/{edition}/{mode}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{edition} {mode}");
        assert!(r.body.contains(expect), "{edition} {mode}: {expect}");
        assert!(r.body.contains("preview-banner"));
    }
    // The pairing view flags nothing in a faithful translation.
    let r = b.get("/admin/articles/harbour/pairing").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("0 things to check"), "{}", r.body);
    // Publish: now public in every edition.
    let editable = store.editable("harbour").await.unwrap().unwrap();
    let rev = editable.revision.to_string();
    let mut fields = article_fields("harbour", "Harbour reopens", "港口重开");
    fields.push(("revision", &rev));
    fields.push(("action", "publish"));
    let r = b.post("/admin/articles/harbour", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for (path, expect) in [
        ("/en/articles/harbour", "Harbour reopens"),
        ("/zh-hans/articles/harbour", "港口重开"),
        ("/zh-hant/articles/harbour", "港口重開"),
        ("/zh-hant/articles/harbour/dual", "Harbour reopens"),
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains(expect), "{path}");
    }
    let r = b.get("/zh-hant/search?q=%E6%B8%AF%E5%8F%A3").await;
    assert!(
        r.body.contains("/zh-hant/articles/harbour"),
        "indexed for search"
    );
    // Schedule another for the future: not public until the scheduler's pass after its time.
    let r = b
        .post(
            "/admin/articles/new",
            &[
                article_fields("later", "Later", "稍后"),
                vec![("published_at", "2999-01-01T08:00"), ("action", "schedule")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        store.editable("later").await.unwrap().unwrap().input.status,
        Status::Scheduled
    );
    let published = duizhao::web::jobs::publish_due(&site.state, jiff::Timestamp::now())
        .await
        .unwrap();
    assert!(published.is_empty());
    assert_eq!(
        b.get("/en/articles/later").await.status,
        StatusCode::NOT_FOUND
    );
    let then: jiff::Timestamp = "2999-01-02T00:00:00Z".parse().unwrap();
    let published = duizhao::web::jobs::publish_due(&site.state, then)
        .await
        .unwrap();
    assert_eq!(published, ["later"]);
    assert_eq!(
        store.editable("later").await.unwrap().unwrap().input.status,
        Status::Published
    );
}

async fn translators_and_authors_are_kept_to_their_work(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let translator = add_user(store, "tr", Role::Translator).await;
    add_user(store, "au", Role::Author).await;
    add_user(store, "au2", Role::Author).await;
    let mut ed = Browser::signed_in(&site, "ed").await;
    ed.post(
        "/admin/articles/new",
        &article_fields("assigned", "Assigned", "指派"),
    )
    .await;
    // The editor assigns the translator in the editor's form.
    ed.get("/admin/articles/assigned").await;
    let rev = store
        .editable("assigned")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    let mut fields = article_fields("assigned", "Assigned", "指派");
    fields.push(("revision", &rev));
    fields.push(("assign_zh", "tr"));
    let r = ed.post("/admin/articles/assigned", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let access = store.editable("assigned").await.unwrap().unwrap().access;
    assert_eq!(access.assignments, [(translator, Language::Zh)]);
    let mut fields = article_fields("assigned", "Assigned", "指派");
    let rev = store
        .editable("assigned")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    fields.push(("revision", &rev));
    fields.push(("assign_en", "ed"));
    let r = ed.post("/admin/articles/assigned", &fields).await;
    assert!(r.body.contains("ed is not a translator"), "{}", r.body);

    let mut tr = Browser::signed_in(&site, "tr").await;
    let r = tr.get("/admin/").await;
    assert!(r.body.contains("assigned") && !r.body.contains("pension-reform-levers"));
    assert_eq!(
        tr.get("/admin/articles/pension-reform-levers").await.status,
        StatusCode::FORBIDDEN
    );
    tr.get("/admin/articles/assigned").await;
    let rev = store
        .editable("assigned")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    // Publishing is refused and nothing is saved.
    let r = tr
        .post(
            "/admin/articles/assigned",
            &[
                ("revision", rev.as_str()),
                ("zh_title", "新标题"),
                ("zh_body", "新的正文。"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the form comes back with the error"
    );
    assert!(r.body.contains("you may not publish"), "{}", r.body);
    let stored = store.editable("assigned").await.unwrap().unwrap();
    assert_eq!(stored.input.status, Status::Draft);
    assert_eq!(stored.input.zh.as_ref().unwrap().title, "指派");
    // Their own language is saved; the English they sent is ignored.
    let r = tr
        .post(
            "/admin/articles/assigned",
            &[
                ("revision", rev.as_str()),
                ("zh_title", "新标题"),
                ("zh_body", "新的正文。"),
                ("en_title", "Hijacked"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.editable("assigned").await.unwrap().unwrap();
    assert_eq!(stored.input.zh.as_ref().unwrap().title, "新标题");
    assert_eq!(stored.input.en.as_ref().unwrap().title, "Assigned");
    assert_eq!(
        tr.get("/admin/glossary").await.status,
        StatusCode::FORBIDDEN
    );

    // Authors: their own drafts only.
    let mut au = Browser::signed_in(&site, "au").await;
    let r = au
        .post(
            "/admin/articles/new",
            &article_fields("mine", "Mine", "我的"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut au2 = Browser::signed_in(&site, "au2").await;
    assert_eq!(
        au2.get("/admin/articles/mine").await.status,
        StatusCode::FORBIDDEN
    );
    let r = au2
        .post(
            "/admin/articles/mine",
            &[
                ("revision", "1"),
                ("en_title", "Taken over"),
                ("en_body", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        store
            .editable("mine")
            .await
            .unwrap()
            .unwrap()
            .input
            .en
            .unwrap()
            .title,
        "Mine"
    );
    let r = au2.get("/admin/users").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn concurrent_saves_are_not_lost(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    add_user(store, "ed2", Role::Editor).await;
    let mut a = Browser::signed_in(&site, "ed").await;
    a.post(
        "/admin/articles/new",
        &article_fields("shared", "Shared", "共享"),
    )
    .await;
    let mut b = Browser::signed_in(&site, "ed2").await;
    let rev = store
        .editable("shared")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    // Both opened revision `rev`; A saves first.
    let mut first = article_fields("shared", "Shared — A's headline", "共享");
    first.push(("revision", &rev));
    assert_eq!(
        a.post("/admin/articles/shared", &first).await.status,
        StatusCode::SEE_OTHER
    );
    b.get("/admin/articles/shared").await;
    let mut second = article_fields("shared", "Shared — B's headline", "共享");
    second.push(("revision", &rev));
    let r = b.post("/admin/articles/shared", &second).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("A&#39;s headline") || r.body.contains("A's headline"),
        "theirs is shown"
    );
    assert!(
        r.body.contains("B&#39;s headline") || r.body.contains("B's headline"),
        "mine is kept"
    );
    let stored = store.editable("shared").await.unwrap().unwrap();
    assert_eq!(
        stored.input.en.as_ref().unwrap().title,
        "Shared — A's headline"
    );
    // Saving again from the conflict page (it names the new revision) is a deliberate choice.
    let newer = stored.revision.to_string();
    let mut again = article_fields("shared", "Shared — B's headline", "共享");
    again.push(("revision", &newer));
    assert_eq!(
        b.post("/admin/articles/shared", &again).await.status,
        StatusCode::SEE_OTHER
    );
}

async fn revisions_diff_and_restore(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    b.post(
        "/admin/articles/new",
        &article_fields("rev", "First headline", "第一"),
    )
    .await;
    let rev = store.editable("rev").await.unwrap().unwrap().revision;
    let mut second = article_fields("rev", "Second headline", "第一");
    let rev_s = rev.to_string();
    second.push(("revision", &rev_s));
    b.post("/admin/articles/rev", &second).await;
    let r = b.get("/admin/articles/rev/revisions?part=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<mark>Second</mark>"), "{}", r.body);
    assert!(r.body.contains("<mark>First</mark>"));
    let current = store
        .editable("rev")
        .await
        .unwrap()
        .unwrap()
        .revision
        .to_string();
    let r = b
        .post(
            "/admin/articles/rev/revisions/restore",
            &[("part", "en"), ("rev", &rev_s), ("current", &current)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.editable("rev").await.unwrap().unwrap();
    assert_eq!(stored.input.en.unwrap().title, "First headline");
    assert_eq!(
        stored.input.zh.unwrap().title,
        "第一",
        "the other version is untouched"
    );
}

async fn the_glossary_rederives_affected_articles(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let mut fields = article_fields("names", "Names", "特朗普访华");
    fields.push(("action", "publish"));
    b.post("/admin/articles/new", &fields).await;
    assert!(
        b.get("/zh-hant/articles/names")
            .await
            .body
            .contains("特朗普訪華")
    );
    b.get("/admin/glossary").await;
    let r = b
        .post(
            "/admin/glossary",
            &[
                ("text", "特朗普 -> 川普 @zh-Hant"),
                ("sample", "特朗普说"),
                ("action", "preview"),
            ],
        )
        .await;
    assert!(
        r.body.contains("川普說"),
        "the preview converts: {}",
        r.body
    );
    let r = b
        .post(
            "/admin/glossary",
            &[("text", "not a rule"), ("action", "save")],
        )
        .await;
    assert!(r.body.contains("role=\"alert\""), "a bad rule is refused");
    let r = b
        .post(
            "/admin/glossary",
            &[("text", "特朗普 -> 川普 @zh-Hant"), ("action", "save")],
        )
        .await;
    assert!(r.body.contains("1 article re-derived"), "{}", r.body);
    assert!(
        b.get("/zh-hant/articles/names")
            .await
            .body
            .contains("川普訪華")
    );
    assert!(
        b.get("/zh-hans/articles/names")
            .await
            .body
            .contains("特朗普访华")
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

async fn hostile_input_is_stored_safely_and_rendered_inert(store: &Store) {
    let site = site(store).await;
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let fields = vec![
        ("slug", "hostile"),
        ("en_title", "<script>alert('t')</script> headline"),
        ("en_dek", "\"><img src=x onerror=alert(1)>"),
        (
            "en_body",
            "[click](javascript:alert(1)) <script>alert(2)</script>\n\n<iframe src=//evil></iframe>\n\n**unclosed *emphasis [link(\n\n```\nunterminated fence",
        ),
        ("zh_title", "<b onmouseover=alert(3)>标题</b>"),
        ("zh_body", "正文<script>alert(4)</script>"),
        ("en_hero_caption", "<svg onload=alert(5)>"),
        // No author or section: past the pre-publish checklist.
        ("action", "publish-anyway"),
    ];
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store.editable("hostile").await.unwrap().unwrap();
    assert_eq!(
        stored.input.en.as_ref().unwrap().title,
        "<script>alert('t')</script> headline",
        "stored as written"
    );
    for path in [
        "/en/articles/hostile",
        "/zh-hans/articles/hostile",
        "/zh-hant/articles/hostile/dual",
        "/admin/articles/hostile",
        "/admin/articles/hostile/pairing",
        "/admin/articles/hostile/revisions",
        "/admin/articles/hostile/preview/en/dual",
        "/admin/",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        // Editor pages show the source as text (escaped), so look for markup, not words.
        for bad in [
            "<script>alert",
            "=\"javascript:",
            "<img src=x",
            "<iframe",
            "<svg onload",
            "<b onmouseover",
        ] {
            assert!(!r.body.contains(bad), "{path} contains {bad}");
        }
    }
    // Oversized, malformed and invalid-UTF-8 bodies get 4xx, never a 500.
    let huge = "x".repeat(3 * 1024 * 1024);
    let r = b
        .post(
            "/admin/articles/new",
            &[("slug", "huge"), ("en_title", "Huge"), ("en_body", &huge)],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let csrf = b.csrf.clone();
    let r = b
        .post_raw(
            "/admin/articles/new",
            format!("csrf={csrf}&slug=bad&en_title=%FF%FE&en_body=x"),
            &[],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = b
        .post_raw(
            "/admin/articles/new",
            format!("csrf={csrf}&revision=notanumber"),
            &[],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = b
        .post(
            "/admin/articles/new",
            &[("slug", "../../etc"), ("en_title", "x")],
        )
        .await;
    assert!(
        r.body.contains("lower-case letters"),
        "a bad slug is explained"
    );
    assert_eq!(
        b.get("/admin/articles/nope/preview/xx/dual").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/admin/?status=weird").await.status,
        StatusCode::BAD_REQUEST
    );
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

/// A PNG with a smooth gradient (small once compressed) and a tEXt chunk carrying `marker`.
fn gradient_png_with_text(width: u32, height: u32, marker: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 96])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // A tEXt chunk right after IHDR (8-byte signature + 25-byte IHDR chunk).
    let mut data = b"Comment\0".to_vec();
    data.extend_from_slice(marker.as_bytes());
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"tEXt".to_vec();
    typed.extend_from_slice(&data);
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    png.splice(33..33, chunk);
    png
}

/// A PNG of noise, which does not compress: about 3 bytes a pixel.
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(width, height, |_, _| {
        // xorshift32: enough to defeat deflate.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

async fn media_upload_makes_a_responsive_hero(store: &Store) {
    const MARKER: &str = "SECRET-LOCATION-47.6N";
    let hero = gradient_png_with_text(2000, 1200, MARKER);
    // Two uploads over the limit: one within the slack the route's body limit allows for the
    // form around the file (refused by the media library), one far beyond it (cut off while
    // the body is read). The limit sits just under the first, well above the real image.
    let over = noise_png(300, 300);
    let far_over = noise_png(500, 500);
    let max = over.len() - 1000;
    assert!(hero.len() < max, "the hero PNG is {} bytes", hero.len());
    assert!(far_over.len() > max + 128 * 1024);
    let site = site_with(store, |c| c.max_upload_bytes = max).await;
    let media_dir = site.state.media_dir().to_path_buf();
    add_user(store, "ed", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "ed").await;
    let r = b.get("/admin/media").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("enctype=\"multipart/form-data\""));
    let upload_uri = "/admin/media";
    assert!(
        !r.body.contains("?csrf="),
        "the token travels in the form, not the URL"
    );
    let before = files_under(&media_dir);
    let rows_before = store.list_media(1000, 0).await.unwrap().len();

    // Refusals first, so that "nothing stored" is measured against the demo's media alone.
    let text = b"Meeting notes: bring the harbour photos on Tuesday.\n";
    let r = b
        .post_multipart(
            upload_uri,
            &[
                Part::file("file", "harbour.png", text),
                Part::text("alt_en", "Notes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    assert!(
        r.body.contains("role=\"alert\"")
            && r.body
                .contains("only JPEG, PNG, WebP and GIF images can be uploaded"),
        "the editor is told what to upload instead: {}",
        r.body
    );
    let token = b.csrf.clone();
    let in_url = format!("/admin/media?csrf={token}");
    let file = Part::file("file", "harbour.png", &hero);
    for (what, uri, parts) in [
        ("no CSRF token", "/admin/media", vec![file.clone()]),
        (
            "a wrong CSRF token",
            "/admin/media",
            vec![Part::text("csrf", "0000"), file.clone()],
        ),
        ("the token in the URL", in_url.as_str(), vec![file.clone()]),
        (
            "the token after the file",
            "/admin/media",
            vec![file.clone(), Part::text("csrf", &token)],
        ),
    ] {
        let r = b.post_multipart_raw(uri, &parts).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
    }
    for (what, bytes) in [("just over", &over), ("far over", &far_over)] {
        let r = b
            .post_multipart(upload_uri, &[Part::file("file", "big.png", bytes)])
            .await;
        assert_eq!(
            r.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{what} the limit ({} bytes, limit {max}): {}",
            bytes.len(),
            r.body
        );
        assert!(
            r.body.contains("role=\"alert\"") && r.body.contains("export it smaller"),
            "{what}: the editor is told what to do: {}",
            r.body
        );
    }
    assert_eq!(
        files_under(&media_dir),
        before,
        "a refused upload stored files"
    );
    assert_eq!(store.list_media(1000, 0).await.unwrap().len(), rows_before);

    // The real upload.
    let r = b
        .post_multipart(
            upload_uri,
            &[
                Part::file("file", "Harbour at dawn.png", &hero),
                Part::text("alt_en", "Cranes over the harbour at dawn"),
                Part::text("alt_zh", "黎明时分港口上空的吊车"),
                Part::text("caption_en", "The harbour reopened in spring."),
            ],
        )
        .await;
    // Post/redirect/get: reloading the page that follows cannot upload again.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location.clone();
    assert!(
        location.starts_with("/admin/media?uploaded="),
        "{location:?}"
    );
    let r = b.get(&location).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let path = r
        .body
        .split("Uploaded ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no upload flash: {}", r.body))
        .to_owned();
    assert!(
        path.starts_with("uploads/harbour-at-dawn-") && path.ends_with(".png"),
        "{path}"
    );
    assert!(
        r.body
            .contains(&format!("or put it in the text as ![alt text]({path})")),
        "{}",
        r.body
    );
    let stored = std::fs::read(media_dir.join(&path)).expect("the stored file");
    assert!(
        !stored.windows(MARKER.len()).any(|w| w == MARKER.as_bytes())
            && !stored.windows(4).any(|w| w == b"tEXt"),
        "the stored PNG kept the text chunk"
    );
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (2000, 1200));

    // An article with it as the hero: the public page offers every size.
    let mut fields = article_fields("harbour-dawn", "Harbour at dawn", "黎明的港口");
    fields.push(("hero", &path));
    fields.push(("action", "publish"));
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stem = path.trim_end_matches(".png");
    for (page, alt) in [
        (
            "/en/articles/harbour-dawn",
            "Cranes over the harbour at dawn",
        ),
        ("/zh-hans/articles/harbour-dawn", "黎明时分港口上空的吊车"),
    ] {
        let r = b.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let img = r
            .body
            .split("<figure class=\"hero\">")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_else(|| panic!("{page} has no hero figure"));
        assert!(
            img.contains("width=\"2000\" height=\"1200\""),
            "{page}: {img}"
        );
        assert!(img.contains(&format!("alt=\"{alt}\"")), "{page}: {img}");
        let srcset = img
            .split("srcset=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{page}: no srcset in {img}"));
        let expected: Vec<String> = [480, 960, 1600]
            .iter()
            .map(|w| format!("/media/{stem}-{w}w.png {w}w"))
            .chain([format!("/media/{path} 2000w")])
            .collect();
        assert_eq!(srcset, expected.join(", "), "{page}");
        if page.starts_with("/en/") {
            // The article wrote no caption: the library's is shown.
            assert!(
                r.body.contains("The harbour reopened in spring."),
                "{page}: the upload's caption"
            );
        }
    }
    // Each candidate is served, at the width it claims.
    for w in [480u32, 960, 1600] {
        let r = b.get(&format!("/media/{stem}-{w}w.png")).await;
        assert_eq!(r.status, StatusCode::OK, "{w}w");
        let bytes = std::fs::read(media_dir.join(format!("{stem}-{w}w.png"))).unwrap();
        let variant = image::load_from_memory(&bytes).unwrap();
        assert_eq!(variant.width(), w);
        assert_eq!(variant.height(), w * 1200 / 2000);
    }
}

async fn taxonomy_is_managed_in_the_back_office(store: &Store) {
    let site = site(store).await;
    add_user(store, "editor", Role::Editor).await;
    add_user(store, "translator", Role::Translator).await;
    let mut b = Browser::signed_in(&site, "editor").await;
    let r = b.get("/admin/topics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("href=\"/admin/topics\" aria-current=\"page\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("/admin/topics/trade"),
        "the demo's topics are listed"
    );

    // A new topic from the list page's form; the slug is made from the name.
    let r = b
        .post(
            "/admin/topics",
            &[
                ("name_en", "Energy Transition"),
                ("name_zh", "能源转型"),
                ("description_en", "Coal, gas and what replaces them."),
                ("hot", "on"),
                ("order", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/topics/energy-transition?saved=created");
    let r = b.get(&r.location).await;
    assert!(r.body.contains("Created."), "{}", r.body);
    let topic = store.topic("energy-transition").await.unwrap().unwrap();
    assert_eq!(topic.name.zh_hant, "能源轉型");
    assert!(topic.hot);

    // Mistakes come back in the form, marked, with what was typed kept.
    let r = b
        .post(
            "/admin/topics",
            &[
                ("slug", "trade"),
                ("name_en", "Another trade"),
                ("order", "soon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("is not a whole number"), "{}", r.body);
    let r = b
        .post(
            "/admin/topics",
            &[("slug", "trade"), ("name_en", "Another\u{1} trade")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("U+0001"), "{}", r.body);
    let r = b
        .post(
            "/admin/topics",
            &[("slug", "trade"), ("name_en", "Another trade")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("already the slug of another topic"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Another trade\""), "{}", r.body);

    // Renaming: the old public address answers 301, and the old back-office one leads on.
    let r = b
        .post(
            "/admin/topics/trade",
            &[
                ("slug", "world-trade"),
                ("name_en", "World trade"),
                ("name_zh", "世界贸易"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/topics/world-trade?saved=renamed");
    let public = b.get("/zh-hant/topics/trade").await;
    assert_eq!(public.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(public.location, "/zh-hant/topics/world-trade");
    assert_eq!(
        b.get("/admin/topics/trade").await.location,
        "/admin/topics/world-trade"
    );

    // Deleting a used topic needs somewhere for its articles; with one, it is a merge.
    let r = b
        .post("/admin/topics/world-trade/delete", &[("reassign_to", "")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("name another to move them to"),
        "{}",
        r.body
    );
    let r = b
        .post(
            "/admin/topics/world-trade/delete",
            &[("reassign_to", "no-such")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("to move the articles to"), "{}", r.body);
    let r = b
        .post(
            "/admin/topics/world-trade/delete",
            &[("reassign_to", "energy-transition")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.topic("world-trade").await.unwrap().is_none());
    assert_eq!(
        b.get("/en/topics/trade").await.location,
        "/en/topics/energy-transition"
    );

    // Authors get a photo from the media library, picked on the form.
    let photo = store.list_media(1, 0).await.unwrap().remove(0).path;
    let r = b.get("/admin/authors/lin-mei").await;
    assert!(
        r.body.contains(&format!("value=\"{photo}\"")),
        "the picker offers the library"
    );
    let r = b
        .post(
            "/admin/authors",
            &[
                ("name_en", "Ana Flores"),
                ("description_en", "Ports."),
                ("photo", &photo),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let author = store.author("ana-flores").await.unwrap().unwrap();
    assert_eq!(author.photo.map(|m| m.path), Some(photo));
    assert_eq!(author.bio.en, "Ports.");

    // Sections, and the phone-friendly navigation carries all three.
    let r = b
        .post(
            "/admin/sections",
            &[("name_en", "Science"), ("order", "-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sections().await.unwrap()[0].slug, "science");
    assert_eq!(b.get("/admin/nonsense").await.status, StatusCode::NOT_FOUND);

    // Translators may not.
    let mut t = Browser::signed_in(&site, "translator").await;
    assert_eq!(t.get("/admin/topics").await.status, StatusCode::FORBIDDEN);
    let r = t.post("/admin/topics", &[("name_en", "Mine")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(store.topic("mine").await.unwrap().is_none());
}

async fn publishing_meets_the_checklist_first(store: &Store) {
    let site = site(store).await;
    add_user(store, "editor", Role::Editor).await;
    let mut b = Browser::signed_in(&site, "editor").await;
    b.get("/admin/articles/new").await;
    // No slug (made from the headline), no author, no section, one paragraph against two,
    // an image without alternative text.
    let fields = [
        ("en_title", "Harbour cranes return"),
        ("en_body", "One paragraph with ![](images/hero-ladder.svg)."),
        ("zh_title", "港口起重机回来了"),
        ("zh_body", "第一段。\n\n第二段。"),
        ("action", "publish"),
    ];
    let r = b.post("/admin/articles/new", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for expected in [
        "nothing was saved yet",
        "No author",
        "No section",
        "has no alternative text",
        "The English has 1 paragraphs and the Chinese 2",
        "value=\"publish-anyway\"",
        "value=\"Harbour cranes return\"",
    ] {
        assert!(r.body.contains(expected), "{expected}: {}", r.body);
    }
    assert!(
        !r.body.contains("There is no English version"),
        "{}",
        r.body
    );
    assert!(
        store
            .editable("harbour-cranes-return")
            .await
            .unwrap()
            .is_none()
    );
    // Saving a draft is never held.
    let mut draft = fields.to_vec();
    draft[4] = ("action", "save");
    let r = b.post("/admin/articles/new", &draft).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/admin/articles/harbour-cranes-return?saved=1");
    // Going ahead anyway publishes; the slug was taken by the draft, so it is numbered.
    let mut anyway = fields.to_vec();
    anyway[4] = ("action", "publish-anyway");
    let r = b.post("/admin/articles/new", &anyway).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location,
        "/admin/articles/harbour-cranes-return-2?saved=published"
    );
    let r = b.get(&r.location).await;
    assert!(r.body.contains("View on site"), "{}", r.body);
    assert!(
        r.body.contains("<title>Harbour cranes return"),
        "the headline is the title"
    );
    assert!(r.body.contains("value=\"unpublish\""), "{}", r.body);
    let r = b.get("/admin/articles/harbour-cranes-return").await;
    assert!(
        !r.body.contains("value=\"unpublish\""),
        "a draft has nothing to unpublish"
    );
    assert!(!r.body.contains("View on site"), "nor a page on the site");
    assert_eq!(
        b.get("/en/articles/harbour-cranes-return-2").await.status,
        StatusCode::OK
    );
}

on_both_backends!(
    publishing_meets_the_checklist_first,
    taxonomy_is_managed_in_the_back_office,
    anonymous_users_are_sent_to_login,
    sign_in_out_and_wrong_passwords,
    forged_cross_site_posts_are_refused,
    logins_are_throttled,
    editor_writes_previews_publishes_and_schedules,
    translators_and_authors_are_kept_to_their_work,
    concurrent_saves_are_not_lost,
    revisions_diff_and_restore,
    the_glossary_rederives_affected_articles,
    api_tokens_are_shown_once_and_stored_hashed,
    hostile_input_is_stored_safely_and_rendered_inert,
    users_are_managed_by_admins,
    media_upload_makes_a_responsive_hero,
);
