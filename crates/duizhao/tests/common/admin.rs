//! The back office's test harness: the demo site in process, and a browser that keeps its
//! cookies and finds the CSRF token in each page, as a signed-in editor's would.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use duizhao::accounts::Role;
use duizhao::config::SiteConfig;
use duizhao::store::Store;
use duizhao::web::AppState;

use super::fixtures::PASSWORD;

pub struct Admin {
    pub app: axum::Router,
    pub state: AppState,
    pub _dir: tempfile::TempDir,
}

pub async fn site(store: &Store) -> Admin {
    site_with(store, |_| {}).await
}

/// The demo site, with `configure` applied to the test configuration.
pub async fn site_with(store: &Store, configure: impl FnOnce(&mut SiteConfig)) -> Admin {
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

pub async fn add_user(store: &Store, name: &str, role: Role) -> duizhao::accounts::UserId {
    super::fixtures::user(store, name, role).await
}

/// A browser: keeps cookies, sends same-origin requests, finds CSRF tokens in pages.
pub struct Browser<'a> {
    pub site: &'a Admin,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
}

/// One part of a multipart form: a file when `file_name` is set, else a text field.
#[derive(Clone)]
pub struct Part<'a> {
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub bytes: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn text(name: &'a str, value: &'a str) -> Self {
        Part {
            name,
            file_name: None,
            bytes: value.as_bytes(),
        }
    }

    pub fn file(name: &'a str, file_name: &'a str, bytes: &'a [u8]) -> Self {
        Part {
            name,
            file_name: Some(file_name),
            bytes,
        }
    }
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

impl<'a> Browser<'a> {
    pub fn new(site: &'a Admin) -> Self {
        Browser {
            site,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Reply {
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

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let req = Request::get(uri)
            .header("cookie", self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// Posts a form from one of our pages (same origin, with the page's CSRF token).
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf.clone();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(uri, form_body(&all), &[("origin", "https://news.example")])
            .await
    }

    pub async fn post_raw(&mut self, uri: &str, body: String, headers: &[(&str, &str)]) -> Reply {
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
    pub async fn post_multipart(&mut self, uri: &str, parts: &[Part<'_>]) -> Reply {
        let csrf = self.csrf.clone();
        let mut all = vec![Part::text("csrf", &csrf)];
        all.extend(parts.iter().map(|p| Part {
            name: p.name,
            file_name: p.file_name,
            bytes: p.bytes,
        }));
        self.post_multipart_raw(uri, &all).await
    }

    pub async fn post_multipart_raw(&mut self, uri: &str, parts: &[Part<'_>]) -> Reply {
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

    pub async fn login(&mut self, name: &str, pw: &str) -> Reply {
        self.get("/admin/login").await;
        self.post("/admin/login", &[("username", name), ("password", pw)])
            .await
    }

    pub async fn signed_in(site: &'a Admin, name: &str) -> Browser<'a> {
        let mut b = Browser::new(site);
        let r = b.login(name, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location, "/admin/");
        b.get("/admin/").await;
        b
    }
}

pub fn article_fields<'b>(
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
