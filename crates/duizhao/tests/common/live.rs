//! A real server for black-box tests: the demo publication served on port 0 over either
//! backend, and a raw HTTP/1.1 client that sends exactly the bytes a test gives it (invalid
//! UTF-8, huge headers, hostile bodies) and reads the answer back.

use std::net::SocketAddr;

use duizhao::accounts::Role;
use duizhao::config::SiteConfig;
use duizhao::store::Store;
use duizhao::web::AppState;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::TestStore;

/// Which database a live site runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[allow(unused_imports)] // not every test binary signs in
pub use super::fixtures::PASSWORD;

/// The demo site, served on a port of its own.
pub struct LiveSite {
    pub addr: SocketAddr,
    pub state: AppState,
    pub backend: Backend,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    test_store: Option<TestStore>,
    _dir: tempfile::TempDir,
}

impl LiveSite {
    /// Starts the site on `backend`, or says SKIPPED and returns `None` when PostgreSQL is
    /// asked for and not configured. `configure` adjusts the configuration first (the base URL
    /// is `https://news.example`, as behind a TLS-terminating balancer).
    pub async fn start(
        backend: Backend,
        test: &str,
        configure: impl FnOnce(&mut SiteConfig),
    ) -> Option<LiveSite> {
        let test_store = match backend {
            Backend::Sqlite => super::sqlite().await,
            Backend::Postgres => super::postgres(test).await?,
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = SiteConfig::for_test(dir.path());
        config.base_url = "https://news.example".to_owned();
        configure(&mut config);
        config.validate().expect("a valid test configuration");
        let store = test_store.store.clone();
        let converters = duizhao::content::Converters::new(&config.editions, Default::default());
        duizhao::demo::load(
            &store,
            &converters,
            &config.data_dir.join("media"),
            jiff::Timestamp::now(),
        )
        .await
        .expect("the demo publication");
        let state = AppState::new(config, store, converters).expect("the site's state");
        state.reindex_if_empty().await.expect("the search index");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(duizhao::web::serve(listener, state.clone(), async move {
            let _ = stopped.await;
        }));
        Some(LiveSite {
            addr,
            state,
            backend,
            stop: Some(stop),
            task: Some(task),
            test_store: Some(test_store),
            _dir: dir,
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// Stops the server and drops the test's database.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        }
        if let Some(t) = self.test_store.take() {
            t.cleanup().await;
        }
    }

    /// Creates an account with [`PASSWORD`].
    pub async fn add_user(&self, name: &str, role: Role) -> duizhao::accounts::UserId {
        super::fixtures::user(self.store(), name, role).await
    }

    /// Creates an API token for an account.
    pub async fn api_token(&self, user: duizhao::accounts::UserId) -> String {
        super::fixtures::api_token(self.store(), user).await
    }

    /// Sends raw bytes and reads the answer (the request should say `Connection: close`).
    pub async fn raw(&self, request: &[u8]) -> Answer {
        send_raw(self.addr, request).await
    }

    /// Creates an account through the back office's form, as the signed-in `cookie`.
    pub async fn create_account(
        &self,
        cookie: &str,
        csrf: &str,
        name: &str,
        role: &str,
        password: &str,
    ) -> Answer {
        self.post_form(
            "/admin/users",
            &[
                ("csrf", csrf),
                ("username", name),
                ("role", role),
                ("password", password),
            ],
            cookie,
        )
        .await
    }

    /// Whether an account of this name exists.
    pub async fn has_user(&self, name: &str) -> bool {
        self.store()
            .users()
            .await
            .expect("list users")
            .iter()
            .any(|a| a.user.username == name)
    }

    /// A request with a method, a path, extra headers and a body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut out = format!(
            "{method} {path} HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n\
             Content-Length: {}\r\n",
            body.len()
        )
        .into_bytes();
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(body);
        self.raw(&out).await
    }

    /// A GET.
    pub async fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"").await
    }

    /// A GET with headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        self.request("GET", path, headers, b"").await
    }

    /// A same-origin URL-encoded form post, with cookies.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)], cookie: &str) -> Answer {
        let body = form(fields);
        let mut headers = vec![
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://news.example"),
        ];
        if !cookie.is_empty() {
            headers.push(("Cookie", cookie));
        }
        self.request("POST", path, &headers, body.as_bytes()).await
    }

    /// Signs in through the login form; the `Cookie` header of the new session (with the
    /// trusted-browser cookie, if one was set), or the refusal.
    pub async fn sign_in(
        &self,
        name: &str,
        pw: &str,
        extra_cookie: &str,
    ) -> Result<String, Answer> {
        let form_page = self.get("/admin/login").await;
        let login_cookie = form_page
            .cookie("dz_login")
            .expect("the login form sets its CSRF cookie");
        let mut cookie = format!("dz_login={login_cookie}");
        if !extra_cookie.is_empty() {
            cookie.push_str("; ");
            cookie.push_str(extra_cookie);
        }
        let r = self
            .post_form(
                "/admin/login",
                &[
                    ("csrf", &login_cookie),
                    ("username", name),
                    ("password", pw),
                ],
                &cookie,
            )
            .await;
        match r.cookie("dz_session") {
            Some(session) if r.status == 303 => {
                let mut out = format!("dz_session={session}");
                if let Some(device) = r.cookie("dz_device") {
                    out.push_str(&format!("; dz_device={device}"));
                }
                Ok(out)
            }
            _ => Err(r),
        }
    }

    /// The CSRF token of a signed-in session, read from a back-office page.
    pub async fn csrf(&self, cookie: &str) -> String {
        let page = self.get_with("/admin/", &[("Cookie", cookie)]).await;
        let text = page.text();
        let at = text
            .find("name=\"csrf\" value=\"")
            .expect("a form with the CSRF token");
        text[at + 19..at + 19 + 64].to_owned()
    }
}

impl Drop for LiveSite {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Sends raw bytes to `addr` and reads the answer whole; status 0 when the server closed the
/// connection without one (or did not answer within a minute).
pub async fn send_raw(addr: SocketAddr, request: &[u8]) -> Answer {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return Answer::none();
    };
    // A server may answer and close before reading a huge request whole.
    let _ = stream.write_all(request).await;
    let mut bytes = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        stream.read_to_end(&mut bytes),
    )
    .await;
    if !matches!(read, Ok(Ok(_))) && bytes.is_empty() {
        return Answer::none();
    }
    Answer::parse(&bytes)
}

/// URL-encodes form fields.
pub fn form(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Answer {
    /// 0 when the server closed the connection without answering.
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    fn none() -> Answer {
        Answer {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn parse(bytes: &[u8]) -> Answer {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(bytes.len());
        let head = String::from_utf8_lossy(&bytes[..split]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let raw = bytes.get(split + 4..).unwrap_or_default();
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked { dechunk(raw) } else { raw.to_vec() };
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A header's value ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A cookie the answer sets (not one it deletes).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
            .find(|(n, v)| *n == name && !v.is_empty())
            .map(|(_, v)| v.to_owned())
    }

    /// The whole `Set-Cookie` header of a cookie.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .map(|(_, v)| v.as_str())
            .find(|v| v.starts_with(&format!("{name}=")))
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_line = String::from_utf8_lossy(&raw[..end]);
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = end + 2;
        let Some(chunk) = raw.get(start..start + size) else {
            out.extend_from_slice(&raw[start.min(raw.len())..]);
            return out;
        };
        out.extend_from_slice(chunk);
        raw = raw.get(start + size + 2..).unwrap_or_default();
    }
}

/// Runs each listed `async fn name(site: &LiveSite)` against a live site on SQLite and on
/// PostgreSQL (when configured).
#[macro_export]
macro_rules! on_both_live {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    use $crate::common::live::{Backend, LiveSite};
                    let site = LiveSite::start(Backend::Sqlite, stringify!($name), |_| {})
                        .await
                        .expect("SQLite is always there");
                    super::$name(&site).await;
                    site.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    use $crate::common::live::{Backend, LiveSite};
                    let Some(site) =
                        LiveSite::start(Backend::Postgres, stringify!($name), |_| {}).await
                    else {
                        return;
                    };
                    super::$name(&site).await;
                    site.stop().await;
                }
            )*
        }
    };
}
