//! The reader site in a real browser: headless Chromium, driven through chromedriver
//! (WebDriver) with `fantoccini`, against the site served in-process with the demo loaded.
//!
//! What only a browser can tell: that the parallel view's two columns really sit side by side
//! on a wide screen and stack on a phone (the stylesheet's contract: `.pair` is a grid whose two
//! `.side` children are side by side at ≥ 900 px and stacked below), and that the edition and
//! reading-mode switchers, clicked like a reader would, lead where they should and are
//! remembered in cookies.
//!
//! The browser plumbing (binaries, skipping, timeouts, screenshots) is in
//! `tests/common/browser.rs`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use common::browser::{
    Session, Site, WAIT, browser_binaries, click, goto, js_string, pair_boxes, save_screenshot,
    viewport_width, wait_for_path, wait_until,
};
use duizhao::content::{Edition, Language};
use duizhao::store::Store;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::{Client, Locator};

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
    let data = tempfile::tempdir().expect("temp dir");
    let site = Site::start(data.path()).await;
    let session = Session::start(&chromium, &chromedriver).await;
    let outcome = session
        .run(
            SCENARIO,
            scenario(&session.client, &site, &session.shots),
            "failure.png",
        )
        .await;
    session.close(outcome, site).await;
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
    let rows = pair_boxes(client, ROWS_CHECKED).await?;
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
    let rows = pair_boxes(client, ROWS_CHECKED).await?;
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
