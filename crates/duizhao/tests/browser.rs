//! The reader site in a real browser: headless Chromium, driven through chromedriver
//! (WebDriver) with `fantoccini`, against the site served in-process with the demo loaded.
//!
//! What only a browser can tell: that the parallel view's two columns really sit side by side
//! on a wide screen and stack on a phone (the stylesheet's contract: `.pair` is a grid whose two
//! `.side` children are side by side at ≥ 900 px and stacked below), and that the edition and
//! reading-mode switchers, clicked like a reader would, lead where they should and are
//! remembered in cookies.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`; `DUIZHAO_CHROMIUM` and `DUIZHAO_CHROMEDRIVER` override the paths). Without
//! them the test prints `SKIPPED` and passes, unless `DUIZHAO_REQUIRE_BROWSER=1` (set by
//! `.ci/run`). Screenshots go to `target/browser-screenshots/`.

use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use duizhao::config::SiteConfig;
use duizhao::content::{Edition, Language};
use duizhao::store::Store;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long any one wait (a navigation, an element, chromedriver starting) may take.
const WAIT: Duration = Duration::from_secs(10);

/// How long Chromium may take to start: a wedged browser fails the test, not hangs it.
const STARTUP: Duration = Duration::from_secs(30);

/// How long the whole scenario may take (it takes a few seconds).
const SCENARIO: Duration = Duration::from_secs(60);

/// The bilingual demo article the test reads.
const SLUG: &str = "youth-first-jobs";

/// Rows of the parallel view whose layout is checked.
const ROWS_CHECKED: usize = 3;

/// Pixels of slack in "roughly equal" and "not overlapping" (sub-pixel layout, borders).
const SLACK: f64 = 2.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_view_and_switchers_in_chromium() {
    let Some((chromium, chromedriver)) = browser_binaries() else {
        return;
    };
    let started = Instant::now();

    let data = tempfile::tempdir().expect("temp dir");
    let site = Site::start(data.path()).await;
    let driver = ChromeDriver::start(&chromedriver).await;
    let profile = tempfile::tempdir().expect("temp dir for the browser profile");
    let client = tokio::time::timeout(STARTUP, connect(&driver, &chromium, profile.path()))
        .await
        .unwrap_or_else(|_| panic!("Chromium did not start within {STARTUP:?}"));

    let shots = screenshot_dir();
    let outcome = match tokio::time::timeout(SCENARIO, scenario(&client, &site, &shots)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(anyhow::anyhow!(
            "the scenario did not finish within {SCENARIO:?}"
        )),
    };
    if outcome.is_err() {
        // What the browser showed when it went wrong, for whoever reads the failure.
        let _ = save_screenshot(&client, &shots.join("failure.png")).await;
    }
    let _ = client.close().await;
    drop(driver);
    site.stop().await;
    if let Err(err) = outcome {
        panic!(
            "browser test failed: {err:#}\n(screenshots in {})",
            shots.display()
        );
    }
    eprintln!(
        "browser test passed in {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        shots.display()
    );
}

/// Everything the reader does, in order.
async fn scenario(client: &Client, site: &Site, shots: &Path) -> anyhow::Result<()> {
    // Before any page has set a cookie, `/` goes by Accept-Language (the browser asks for
    // English), so that the end of the test shows the remembered edition winning over it.
    goto(client, &site.url("/")).await?;
    wait_for_path(client, "/en/").await?;

    // 1. The parallel view, wide: two columns.
    let dual_hant = format!("/zh-hant/articles/{SLUG}/dual");
    client.set_window_size(1280, 900).await?;
    goto(client, &site.url(&dual_hant)).await?;
    wait_for_path(client, &dual_hant).await?;
    let width = viewport_width(client).await?;
    ensure!(
        width >= 900.0,
        "the window is 1280 px wide but the page is laid out {width} px wide"
    );
    let rows = pair_boxes(client).await?;
    show_rows(client).await?;
    save_screenshot(client, &shots.join("parallel-1280.png")).await?;
    for (i, (first, second)) in rows.iter().enumerate() {
        ensure!(
            first.width > 100.0 && second.width > 100.0,
            "at {width} px, row {i}: a column is too narrow to read: {first:?} {second:?}"
        );
        ensure!(
            second.left >= first.right - SLACK,
            "at {width} px, row {i}: the columns overlap or are stacked, not side by side: \
             first {first:?}, second {second:?}"
        );
        ensure!(
            (second.top - first.top).abs() <= SLACK,
            "at {width} px, row {i}: the columns do not start level: first {first:?}, second {second:?}"
        );
    }

    // 1b. Sentence pairs: hovering a sentence highlights its translation, and so does moving
    // through the text with the keyboard.
    sentence_pairs(client).await?;
    save_screenshot(client, &shots.join("sentence-hover.png")).await?;

    // 2. The same page on a phone: stacked.
    client.set_window_size(375, 812).await?;
    wait_until(
        client,
        "the page to be laid out at phone width",
        |c| async move { Ok(viewport_width(&c).await? < 900.0) },
    )
    .await?;
    let width = viewport_width(client).await?;
    ensure!(
        width <= 400.0,
        "the window is 375 px wide but the page is laid out {width} px wide"
    );
    let rows = pair_boxes(client).await?;
    show_rows(client).await?;
    save_screenshot(client, &shots.join("parallel-375.png")).await?;
    for (i, (first, second)) in rows.iter().enumerate() {
        ensure!(
            second.top >= first.bottom - SLACK,
            "at {width} px, row {i}: the columns are not stacked: first {first:?}, second {second:?}"
        );
        ensure!(
            (second.left - first.left).abs() <= SLACK,
            "at {width} px, row {i}: the stacked columns are not aligned: \
             first {first:?}, second {second:?}"
        );
    }
    client.set_window_size(1280, 900).await?;

    // 3. The edition switcher: 繁體 → 简体, same article, same mode.
    let dual_hans = format!("/zh-hans/articles/{SLUG}/dual");
    click(client, r#"nav.editions a[hreflang="zh-Hans"]"#).await?;
    wait_for_path(client, &dual_hans).await?;
    let lang = js_string(client, "return document.documentElement.lang").await?;
    ensure!(
        lang == "zh-Hans",
        "after switching to 简体, <html lang> is {lang:?}"
    );
    ensure!(
        !client
            .find_all(Locator::Css(".parallel .pair"))
            .await?
            .is_empty(),
        "the 简体 edition did not keep the parallel view"
    );

    // 4. The reading-mode switch: English only.
    let en_path = format!("/zh-hans/articles/{SLUG}/en");
    click(client, r#"nav.modes a[href$="/en"]"#).await?;
    wait_for_path(client, &en_path).await?;
    let body_lang = client
        .find(Locator::Css("article .body"))
        .await
        .context("the English reading mode has no .body")?
        .attr("lang")
        .await?;
    ensure!(
        body_lang.as_deref() == Some("en"),
        "in the English reading mode, .body has lang {body_lang:?}"
    );
    ensure!(
        client.find_all(Locator::Css(".parallel")).await?.is_empty(),
        "the English reading mode still shows the parallel view"
    );

    // 5. Back to parallel; the choice is remembered for the next article.
    click(client, r#"nav.modes a[href$="/dual"]"#).await?;
    wait_for_path(client, &dual_hans).await?;
    for (name, want) in [("dz_mode", "dual"), ("dz_edition", "zh-hans")] {
        let cookie = client
            .get_named_cookie(name)
            .await
            .with_context(|| format!("no {name} cookie after choosing the parallel view"))?;
        ensure!(
            cookie.value() == want,
            "cookie {name} is {:?}, expected {want:?}",
            cookie.value()
        );
    }
    click(client, "p.brand a").await?;
    wait_for_path(client, "/zh-hans/").await?;
    let (card, slug) = other_bilingual_card(client, &site.store).await?;
    card.click().await?;
    let other_dual = format!("/zh-hans/articles/{slug}/dual");
    wait_for_path(client, &other_dual)
        .await
        .context("a bilingual article's card did not open in the remembered parallel view")?;
    ensure!(
        !client
            .find_all(Locator::Css(".parallel .pair"))
            .await?
            .is_empty(),
        "{other_dual} shows no parallel rows"
    );
    save_screenshot(client, &shots.join("remembered-mode.png")).await?;

    // 6. The remembered edition: `/` now goes to 简体, whatever Accept-Language says.
    goto(client, &site.url("/")).await?;
    wait_for_path(client, "/zh-hans/").await?;
    Ok(())
}

/// Which sentences are highlighted: `(side, data-s)` of every `.paired` element.
async fn highlighted(client: &Client) -> anyhow::Result<Vec<(String, String)>> {
    let value = client
        .execute(
            "return Array.from(document.querySelectorAll('.parallel .paired')).map(e => \
             [e.closest('.side').classList.contains('first') ? 'first' : 'second', \
              e.getAttribute('data-s')])",
            vec![],
        )
        .await?;
    let list: Vec<(String, String)> = serde_json::from_value(value)?;
    Ok(list)
}

/// Checks that a sentence and its counterpart light up together, by pointer and by keyboard.
async fn sentence_pairs(client: &Client) -> anyhow::Result<()> {
    let sentences = client
        .find_all(Locator::Css(".parallel .side.first [data-s]"))
        .await?;
    ensure!(
        sentences.len() >= 3,
        "the parallel view marks only {} sentences on its first side",
        sentences.len()
    );
    let target = sentences[1].clone();
    let id = target
        .attr("data-s")
        .await?
        .context("a sentence without its pair id")?;
    client
        .perform_actions(
            MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                element: target,
                duration: None,
                x: 0.0,
                y: 0.0,
            }),
        )
        .await?;
    let lit = wait_for_highlight(client, &id).await?;
    ensure!(
        lit.iter().all(|(_, s)| *s == id),
        "hovering sentence {id} also lit others: {lit:?}"
    );

    // Keyboard: the first sentence is the text's tab stop; the arrow keys move on.
    let first = client
        .find(Locator::Css(
            ".parallel .side.first [data-s][tabindex=\"0\"]",
        ))
        .await
        .context("the first sentence is not a tab stop")?;
    let first_id = first.attr("data-s").await?.unwrap_or_default();
    client
        .execute("arguments[0].focus()", vec![serde_json::to_value(&first)?])
        .await?;
    wait_for_highlight(client, &first_id).await?;
    client.active_element().await?.send_keys("\u{E015}").await?; // ArrowDown
    let focused = client.active_element().await?;
    let next_id = focused.attr("data-s").await?.unwrap_or_default();
    ensure!(
        focused.attr("data-n").await? != first.attr("data-n").await?,
        "ArrowDown did not move to the next sentence"
    );
    wait_for_highlight(client, &next_id).await?;
    Ok(())
}

/// Waits until sentence `id` is highlighted on both sides; returns what is highlighted.
async fn wait_for_highlight(client: &Client, id: &str) -> anyhow::Result<Vec<(String, String)>> {
    let started = Instant::now();
    loop {
        let lit = highlighted(client).await?;
        let sides = |side: &str| lit.iter().any(|(s, i)| s == side && i == id);
        if sides("first") && sides("second") {
            return Ok(lit);
        }
        if started.elapsed() > WAIT {
            bail!("sentence {id} and its translation are not both highlighted: {lit:?}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The site, served in-process on a port of its own with the demo publication loaded.
struct Site {
    base: String,
    store: Store,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Site {
    async fn start(dir: &Path) -> Site {
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

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn stop(self) {
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
fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
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
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    async fn start(binary: &Path) -> ChromeDriver {
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
async fn connect(driver: &ChromeDriver, chromium: &Path, profile: &Path) -> Client {
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
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
    width: f64,
}

/// The boxes of the two `.side` children of the first rows of the parallel view, after
/// checking that each row is a grid with exactly two sides (the stylesheet's contract).
async fn pair_boxes(client: &Client) -> anyhow::Result<Vec<(Rect, Rect)>> {
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
    let rows: Vec<Row> =
        serde_json::from_value(client.execute(script, vec![json!(ROWS_CHECKED)]).await?)
            .context("reading the parallel rows' boxes")?;
    ensure!(
        rows.len() == ROWS_CHECKED,
        "expected at least {ROWS_CHECKED} `.parallel .pair` rows, found {}",
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

/// Scrolls the parallel rows into view, so that a screenshot shows what was measured.
async fn show_rows(client: &Client) -> anyhow::Result<()> {
    client
        .execute(
            "document.querySelector('.parallel').scrollIntoView({ block: 'start' })",
            vec![],
        )
        .await?;
    Ok(())
}

/// The layout viewport's width in CSS pixels.
async fn viewport_width(client: &Client) -> anyhow::Result<f64> {
    client
        .execute("return document.documentElement.clientWidth", vec![])
        .await?
        .as_f64()
        .context("clientWidth is not a number")
}

async fn js_string(client: &Client, script: &str) -> anyhow::Result<String> {
    match client.execute(script, vec![]).await? {
        Value::String(s) => Ok(s),
        other => bail!("`{script}` returned {other}, not a string"),
    }
}

async fn goto(client: &Client, url: &str) -> anyhow::Result<()> {
    client
        .goto(url)
        .await
        .with_context(|| format!("opening {url}"))
}

/// Clicks the element a selector finds, as a reader would (it must be visible).
async fn click(client: &Client, selector: &str) -> anyhow::Result<()> {
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
async fn wait_for_path(client: &Client, path: &str) -> anyhow::Result<()> {
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
async fn wait_until<F, Fut>(client: &Client, what: &str, mut ready: F) -> anyhow::Result<()>
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

async fn path_of(client: &Client) -> String {
    match client.current_url().await {
        Ok(url) => url.path().to_owned(),
        Err(e) => format!("(unknown page: {e})"),
    }
}

/// Finds the card link, on an edition's home page, of a bilingual article other than
/// [`SLUG`]; which articles are bilingual comes from the store, not from the page.
async fn other_bilingual_card(
    client: &Client,
    store: &Store,
) -> anyhow::Result<(fantoccini::elements::Element, String)> {
    for link in client
        .find_all(Locator::Css("article.card .card-title a"))
        .await?
    {
        let Some(href) = link.attr("href").await? else {
            continue;
        };
        let Some(slug) = href
            .strip_prefix("/zh-hans/articles/")
            .and_then(|rest| rest.split('/').next())
        else {
            continue;
        };
        if slug == SLUG {
            continue;
        }
        let article = store
            .article(slug, Edition::ZhHans)
            .await?
            .with_context(|| format!("a card links to {href}, which is not in the store"))?;
        if article.has(Language::En) && article.has(Language::Zh) {
            return Ok((link, slug.to_owned()));
        }
    }
    bail!("the 简体 home page has no card for another bilingual article")
}

/// `target/browser-screenshots/` of the workspace (or of `CARGO_TARGET_DIR`).
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir.canonicalize().unwrap_or(dir)
}

async fn save_screenshot(client: &Client, path: &Path) -> anyhow::Result<()> {
    let png = client.screenshot().await.context("taking a screenshot")?;
    std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
}
