//! Plumbing for the tests that drive headless Chromium through chromedriver (WebDriver) with
//! `fantoccini`: finding the binaries (or skipping), starting chromedriver and a browser with
//! a fresh profile, serving the demo site on a real port, waiting without hanging, and saving
//! screenshots. Shared by `tests/browser.rs` (the reader site) and `tests/admin_browser.rs`
//! (the back office), so that both skip, time out and report the same way.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`; `DUIZHAO_CHROMIUM` and `DUIZHAO_CHROMEDRIVER` override the paths). Without
//! them a test prints `SKIPPED` and passes, unless `DUIZHAO_REQUIRE_BROWSER=1` (set by
//! `.ci/run`). Screenshots go to `target/browser-screenshots/`.

use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use duizhao::config::SiteConfig;
use duizhao::store::Store;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long any one wait (a navigation, an element, chromedriver starting) may take.
pub const WAIT: Duration = Duration::from_secs(10);

/// How long Chromium may take to start: a wedged browser fails the test, not hangs it.
pub const STARTUP: Duration = Duration::from_secs(30);

/// A browser driven for one test: chromedriver, a Chromium session with a fresh profile
/// (removed afterwards), and where screenshots go.
pub struct Session {
    pub client: Client,
    pub shots: PathBuf,
    driver: ChromeDriver,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Starts chromedriver and Chromium (within [`STARTUP`], or panics).
    pub async fn start(chromium: &Path, chromedriver: &Path) -> Session {
        let driver = ChromeDriver::start(chromedriver).await;
        let profile = tempfile::tempdir().expect("temp dir for the browser profile");
        let client = tokio::time::timeout(STARTUP, connect(&driver, chromium, profile.path()))
            .await
            .unwrap_or_else(|_| panic!("Chromium did not start within {STARTUP:?}"));
        Session {
            client,
            shots: screenshot_dir(),
            driver,
            _profile: profile,
        }
    }

    /// Runs a scenario for at most `limit`; on failure saves what the browser showed as
    /// `failure_shot` (in the screenshot directory).
    pub async fn run(
        &self,
        limit: Duration,
        scenario: impl std::future::Future<Output = anyhow::Result<()>>,
        failure_shot: &str,
    ) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let outcome = match tokio::time::timeout(limit, scenario).await {
            Ok(outcome) => outcome,
            Err(_) => Err(anyhow::anyhow!(
                "the scenario did not finish within {limit:?}"
            )),
        };
        if outcome.is_err() {
            // What the browser showed when it went wrong, for whoever reads the failure.
            let _ = save_screenshot(&self.client, &self.shots.join(failure_shot)).await;
        }
        outcome.map(|()| started.elapsed())
    }

    /// Closes the browser and stops the site, then panics with the scenario's error, if any.
    pub async fn close(self, outcome: anyhow::Result<Duration>, site: Site) {
        let _ = self.client.close().await;
        drop(self.driver);
        site.stop().await;
        match outcome {
            Ok(took) => eprintln!(
                "browser test passed in {:.1} s; screenshots in {}",
                took.as_secs_f64(),
                self.shots.display()
            ),
            Err(err) => panic!(
                "browser test failed: {err:#}\n(screenshots in {})",
                self.shots.display()
            ),
        }
    }
}

/// The site, served in-process on a port of its own with the demo publication loaded.
pub struct Site {
    pub base: String,
    pub store: Store,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Site {
    pub async fn start(dir: &Path) -> Site {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let mut config = SiteConfig::for_test(dir);
        config.base_url = base.clone();
        let state = duizhao::demo::site(config).await.expect("the demo site");
        let store = state.store().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(duizhao::web::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Site {
            base,
            store,
            stop,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        // The browser is gone, so graceful shutdown has nothing to wait for.
        match tokio::time::timeout(WAIT, self.task).await {
            Ok(Ok(Ok(()))) => {}
            other => eprintln!("the site did not stop cleanly: {other:?}"),
        }
        self.store.close().await;
    }
}

/// The browser's paths, or `None` (after saying so) when one is missing and that is allowed.
pub fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
    let path = |var: &str, default: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let chromium = path("DUIZHAO_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = path("DUIZHAO_CHROMEDRIVER", "/usr/bin/chromedriver");
    let missing: Vec<String> = [&chromium, &chromedriver]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some((chromium, chromedriver));
    }
    let what = format!(
        "{} not found (install Debian's chromium and chromium-driver)",
        missing.join(" and ")
    );
    if std::env::var("DUIZHAO_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("DUIZHAO_REQUIRE_BROWSER=1 but {what}");
    }
    println!("SKIPPED browser test: {what}");
    None
}

/// A chromedriver process on a free loopback port, killed when dropped.
pub struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    pub async fn start(binary: &Path) -> ChromeDriver {
        // chromedriver has no "pick a free port and tell me" mode, so take one from the OS.
        let port = StdTcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + WAIT;
        while tokio::net::TcpStream::connect(address).await.is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited before listening on port {port}: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens a WebDriver session: headless Chromium with a fresh profile, asking for English.
pub async fn connect(driver: &ChromeDriver, chromium: &Path, profile: &Path) -> Client {
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--accept-lang=en-US,en".to_owned(),
        "--window-size=1280,900".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let capabilities = json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "timeouts": { "pageLoad": WAIT.as_millis() as u64, "script": WAIT.as_millis() as u64 },
        "goog:chromeOptions": {
            "binary": chromium.display().to_string(),
            "args": args,
        },
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("cannot start Chromium through chromedriver: {e}"))
}

/// A box from `getBoundingClientRect`, in CSS pixels.
#[derive(Clone, Copy, Debug, serde::Deserialize)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub width: f64,
}

/// The boxes of the two `.side` children of the first `count` rows of the parallel view, after
/// checking that each row is a grid with exactly two sides (the stylesheet's contract).
pub async fn pair_boxes(client: &Client, count: usize) -> anyhow::Result<Vec<(Rect, Rect)>> {
    let script = r#"
        const box = (e) => {
            const r = e.getBoundingClientRect();
            return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width };
        };
        return Array.from(document.querySelectorAll('.parallel .pair'))
            .slice(0, arguments[0])
            .map((pair) => ({
                display: getComputedStyle(pair).display,
                sides: Array.from(pair.children).filter((c) => c.matches('.side')).map(box),
            }));
    "#;
    #[derive(serde::Deserialize)]
    struct Row {
        display: String,
        sides: Vec<Rect>,
    }
    let rows: Vec<Row> = serde_json::from_value(client.execute(script, vec![json!(count)]).await?)
        .context("reading the parallel rows' boxes")?;
    ensure!(
        rows.len() == count,
        "expected at least {count} `.parallel .pair` rows, found {}",
        rows.len()
    );
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            ensure!(
                row.display == "grid",
                "row {i}: `.pair` has display {:?}; the stylesheet's contract is a grid \
                 (is site.css still a placeholder?)",
                row.display
            );
            match row.sides[..] {
                [first, second] => Ok((first, second)),
                _ => bail!("row {i} has {} `.side` children, not 2", row.sides.len()),
            }
        })
        .collect()
}

/// The layout viewport's width in CSS pixels.
pub async fn viewport_width(client: &Client) -> anyhow::Result<f64> {
    client
        .execute("return document.documentElement.clientWidth", vec![])
        .await?
        .as_f64()
        .context("clientWidth is not a number")
}

pub async fn js_string(client: &Client, script: &str) -> anyhow::Result<String> {
    match client.execute(script, vec![]).await? {
        Value::String(s) => Ok(s),
        other => bail!("`{script}` returned {other}, not a string"),
    }
}

pub async fn goto(client: &Client, url: &str) -> anyhow::Result<()> {
    client
        .goto(url)
        .await
        .with_context(|| format!("opening {url}"))
}

/// Clicks the element a selector finds, as a reader would (it must be visible).
pub async fn click(client: &Client, selector: &str) -> anyhow::Result<()> {
    let element = match client.find(Locator::Css(selector)).await {
        Ok(element) => element,
        Err(err) => {
            let page = path_of(client).await;
            return Err(err).context(format!("no element matches `{selector}` on {page}"));
        }
    };
    element
        .click()
        .await
        .with_context(|| format!("clicking `{selector}`"))
}

/// Waits until the page at `path` has finished loading (after a click, a redirect).
pub async fn wait_for_path(client: &Client, path: &str) -> anyhow::Result<()> {
    let want = path.to_owned();
    let loaded = wait_until(client, &format!("the browser to load {path}"), move |c| {
        let want = want.clone();
        async move {
            if c.current_url().await?.path() != want {
                return Ok(false);
            }
            let state = c.execute("return document.readyState", vec![]).await?;
            Ok(state == "complete")
        }
    })
    .await;
    match loaded {
        Ok(()) => Ok(()),
        Err(err) => Err(err.context(format!("the browser is on {}", path_of(client).await))),
    }
}

/// Polls `ready` until it says yes, for at most [`WAIT`].
pub async fn wait_until<F, Fut>(client: &Client, what: &str, mut ready: F) -> anyhow::Result<()>
where
    F: FnMut(Client) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        if ready(client.clone()).await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out after {WAIT:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn path_of(client: &Client) -> String {
    match client.current_url().await {
        Ok(url) => url.path().to_owned(),
        Err(e) => format!("(unknown page: {e})"),
    }
}

/// `target/browser-screenshots/` of the workspace (or of `CARGO_TARGET_DIR`).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir.canonicalize().unwrap_or(dir)
}

pub async fn save_screenshot(client: &Client, path: &Path) -> anyhow::Result<()> {
    let png = client.screenshot().await.context("taking a screenshot")?;
    std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
}
