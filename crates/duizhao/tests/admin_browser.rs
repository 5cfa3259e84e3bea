//! The back office in a real browser: headless Chromium, driven through chromedriver with
//! `fantoccini`, against the demo site served on a real port. An editor signs in through the
//! login form, uploads an image through the media page's file input, writes a bilingual
//! article with it as the hero, previews it in the parallel view, publishes it, and reads it
//! in every edition.
//!
//! What only a browser can tell: that the forms work as a person fills them (the multipart
//! upload with its CSRF token in the form's action, the editor's select and textareas, the
//! buttons that choose the action), that the preview's two columns sit side by side, and that
//! the published hero image really loads from its `srcset`.
//!
//! Skipping, timeouts and screenshots (`target/browser-screenshots/admin-*.png`) work as in
//! `tests/browser.rs`; see `tests/common/browser.rs`.

mod common;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use common::browser::{
    Session, Site, browser_binaries, click, goto, js_string, pair_boxes, path_of, save_screenshot,
    wait_for_path, wait_until,
};
use duizhao::accounts::{Role, password};
use duizhao::store::accounts::NewUser;
use fantoccini::{Client, Locator};
use serde_json::Value;

/// How long the whole scenario may take (it takes a few seconds).
const SCENARIO: Duration = Duration::from_secs(60);

const EDITOR: &str = "mei";
const PASSWORD: &str = "a long editor password";

/// The article the editor writes.
const SLUG: &str = "harbour-economy-returns";
const SECTION: &str = "economy";
const EN_TITLE: &str = "The harbour economy comes back to life";
const EN_DEK: &str = "Container traffic has recovered, and the town's shops feel it.";
const EN_BODY: &str = "Cranes that stood still for most of last year are moving again. \
The port handled more containers in March than in any month since the slowdown began.\n\n\
Shop owners near the docks say the change shows up first at lunchtime. \
Drivers and dock workers are back, and so are their orders.\n\n\
Economists at the provincial university are more careful. \
They expect the recovery to slow once the backlog of delayed shipments is cleared.";
/// Simplified Chinese, with characters that the Traditional edition writes differently.
const ZH_TITLE: &str = "港口经济重现生机";
/// What the 繁體 edition must show for [`ZH_TITLE`].
const ZH_HANT_TITLE: &str = "港口經濟重現生機";
const ZH_DEK: &str = "集装箱运输量已经恢复，镇上的商店也感受到了。";
const ZH_BODY: &str = "去年大部分时间停着不动的吊车又开始运转了。\
三月份港口处理的集装箱比放缓以来的任何一个月都多。\n\n\
码头附近的店主说，变化首先出现在午饭时间。\
司机和码头工人回来了，他们的订单也回来了。\n\n\
省立大学的经济学家则更加谨慎。\
他们预计，积压的延误货物清完之后，复苏会放慢。";

/// The uploaded image's size and alternative text.
const IMAGE_WIDTH: u32 = 1800;
const IMAGE_HEIGHT: u32 = 1000;
const ALT_EN: &str = "Cranes loading a container ship at dawn";
const ALT_ZH: &str = "黎明时分吊车正在装载集装箱船";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_uploads_writes_previews_and_publishes_in_chromium() {
    let Some((chromium, chromedriver)) = browser_binaries() else {
        return;
    };
    let data = tempfile::tempdir().expect("temp dir");
    let site = Site::start(data.path()).await;
    let hash = password::hash(PASSWORD).expect("hash the password");
    site.store
        .create_user(
            &NewUser {
                username: EDITOR,
                display_name: "Lin Mei",
                role: Role::Editor,
                password_hash: &hash,
            },
            jiff::Timestamp::now(),
        )
        .await
        .expect("create the editor");
    let image = data.path().join("harbour-cranes.png");
    write_png(&image);

    let session = Session::start(&chromium, &chromedriver).await;
    let outcome = session
        .run(
            SCENARIO,
            scenario(&session.client, &site, &image, &session.shots),
            "admin-failure.png",
        )
        .await;
    session.close(outcome, site).await;
}

/// A smooth gradient, so that the PNG is small but every variant has real pixels.
fn write_png(path: &Path) {
    let img = image::RgbImage::from_fn(IMAGE_WIDTH, IMAGE_HEIGHT, |x, y| {
        image::Rgb([
            (x * 255 / IMAGE_WIDTH) as u8,
            (y * 255 / IMAGE_HEIGHT) as u8,
            160,
        ])
    });
    img.save(path).expect("write the test image");
}

/// Everything the editor does, in order, then what readers see.
async fn scenario(client: &Client, site: &Site, image: &Path, shots: &Path) -> anyhow::Result<()> {
    client.set_window_size(1280, 900).await?;
    sign_in(client, site).await?;
    let hero = upload(client, image, shots).await?;
    write_draft(client, &hero, shots).await?;
    preview(client, shots).await?;

    // Back to the editor, and publish.
    client.back().await?;
    wait_for_path(client, &format!("/admin/articles/{SLUG}")).await?;
    click(client, r#"button[name="action"][value="publish"]"#).await?;
    // The draft has no author: the pre-publish checklist says so, and nothing is saved until
    // the editor goes ahead.
    wait_for(client, "the pre-publish checklist", ".checklist").await?;
    let found = client
        .find(Locator::Css(".checklist"))
        .await?
        .text()
        .await?;
    ensure!(found.contains("No author"), "the checklist reads {found:?}");
    save_screenshot(client, &shots.join("admin-checklist.png")).await?;
    click(client, r#"button[name="action"][value="publish-anyway"]"#).await?;
    wait_for(client, "the article to be published", ".status-published").await?;

    for (edition, title, lang) in [
        ("en", EN_TITLE, "en"),
        ("zh-hans", ZH_TITLE, "zh-Hans"),
        ("zh-hant", ZH_HANT_TITLE, "zh-Hant"),
    ] {
        read_published(client, site, edition, title, lang, &hero).await?;
        save_screenshot(
            client,
            &shots.join(format!("admin-published-{edition}.png")),
        )
        .await?;
    }
    Ok(())
}

async fn sign_in(client: &Client, site: &Site) -> anyhow::Result<()> {
    goto(client, &site.url("/admin/")).await?;
    // Not signed in: sent to the login form, which brings us back afterwards.
    wait_for_path(client, "/admin/login").await?;
    type_into(client, r#"input[name="username"]"#, EDITOR).await?;
    type_into(client, r#"input[name="password"]"#, PASSWORD).await?;
    click(client, r#"form.login button[type="submit"]"#).await?;
    wait_for_path(client, "/admin/")
        .await
        .context("signing in through the login form")?;
    Ok(())
}

/// Uploads `image` through the media page; returns the media path the page gives for it.
async fn upload(client: &Client, image: &Path, shots: &Path) -> anyhow::Result<String> {
    click(client, r#"nav a[href="/admin/media"]"#).await?;
    wait_for_path(client, "/admin/media").await?;
    let file = client
        .find(Locator::Css(r#"input[type="file"][name="file"]"#))
        .await
        .context("the media page has no file input")?;
    file.send_keys(&image.display().to_string())
        .await
        .context("choosing the file")?;
    type_into(client, r#"input[name="alt_en"]"#, ALT_EN).await?;
    type_into(client, r#"input[name="alt_zh"]"#, ALT_ZH).await?;
    click(
        client,
        r#"form[enctype="multipart/form-data"] button[type="submit"]"#,
    )
    .await?;
    wait_for(client, "the upload's outcome", ".flash, .error").await?;
    if let Ok(error) = client.find(Locator::Css(".error")).await {
        bail!("the upload was refused: {}", error.text().await?);
    }
    let flash = client.find(Locator::Css(".flash")).await?.text().await?;
    let path = flash
        .strip_prefix("Uploaded ")
        .and_then(|rest| rest.split(' ').next())
        .with_context(|| format!("the upload's message names no path: {flash:?}"))?
        .to_owned();
    ensure!(
        path.starts_with("uploads/harbour-cranes-") && path.ends_with(".png"),
        "unexpected media path {path:?} in {flash:?}"
    );
    ensure!(
        flash.contains(&format!(
            "({IMAGE_WIDTH} × {IMAGE_HEIGHT}, 3 smaller sizes)"
        )),
        "the upload's message: {flash:?}"
    );
    let listed: Vec<String> = serde_json::from_value(
        client
            .execute(
                "return Array.from(document.querySelectorAll('.media-grid code'), c => c.textContent)",
                vec![],
            )
            .await?,
    )?;
    ensure!(
        listed.contains(&path),
        "the library does not list {path}: {listed:?}"
    );
    save_screenshot(client, &shots.join("admin-media.png")).await?;
    Ok(path)
}

/// Fills the new-article form and saves it as a draft.
async fn write_draft(client: &Client, hero: &str, shots: &Path) -> anyhow::Result<()> {
    click(client, r#"nav a[href="/admin/"]"#).await?;
    wait_for_path(client, "/admin/").await?;
    click(client, r#"a[href="/admin/articles/new"]"#).await?;
    wait_for_path(client, "/admin/articles/new").await?;
    type_into(client, r#"input[name="slug"]"#, SLUG).await?;
    client
        .find(Locator::Css(r#"select[name="section"]"#))
        .await?
        .select_by_value(SECTION)
        .await
        .context("choosing the section")?;
    type_into(client, r#"input[name="hero"]"#, hero).await?;
    for (name, text) in [
        ("en_title", EN_TITLE),
        ("en_dek", EN_DEK),
        ("en_body", EN_BODY),
        ("zh_title", ZH_TITLE),
        ("zh_dek", ZH_DEK),
        ("zh_body", ZH_BODY),
    ] {
        type_into(client, &format!(r#"[name="{name}"]"#), text).await?;
    }
    // What was typed is what the form holds (newlines in the bodies included).
    let typed = js_string(
        client,
        "return document.querySelector('[name=\"zh_body\"]').value",
    )
    .await?;
    ensure!(typed == ZH_BODY, "the Chinese body reads {typed:?}");
    save_screenshot(client, &shots.join("admin-editor.png")).await?;
    click(client, r#"button[name="action"][value="save"]"#).await?;
    wait_for_path(client, &format!("/admin/articles/{SLUG}"))
        .await
        .context("saving the draft")?;
    wait_for(client, "the draft's status", ".status-draft").await?;
    Ok(())
}

/// Opens the parallel preview from the editor's preview links and checks its layout.
async fn preview(client: &Client, shots: &Path) -> anyhow::Result<()> {
    let href = format!("/admin/articles/{SLUG}/preview/en/dual");
    click(client, &format!(r#".previews a[href="{href}"]"#)).await?;
    wait_for_path(client, &href).await?;
    let banner = client
        .find(Locator::Css(".preview-banner"))
        .await
        .context("the preview has no banner")?;
    ensure!(banner.is_displayed().await?, "the preview banner is hidden");
    // The headline pair: English first, then Chinese.
    let heads: Vec<String> = serde_json::from_value(
        client
            .execute(
                "return Array.from(document.querySelectorAll('.pair-head .side'), s => s.innerText)",
                vec![],
            )
            .await?,
    )?;
    ensure!(
        heads.len() == 2 && heads[0].contains(EN_TITLE) && heads[1].contains(ZH_TITLE),
        "the preview's headlines: {heads:?}"
    );
    let rows = pair_boxes(client, 3).await?;
    for (i, (first, second)) in rows.iter().enumerate() {
        ensure!(
            first.width > 100.0 && second.width > 100.0,
            "row {i}: a column is too narrow to read: {first:?} {second:?}"
        );
        ensure!(
            second.left >= first.right - 2.0 && (second.top - first.top).abs() <= 2.0,
            "row {i}: the columns are not side by side: {first:?} {second:?}"
        );
    }
    let sides: Vec<(String, String)> = serde_json::from_value(
        client
            .execute(
                "const p = document.querySelector('.parallel .pair'); \
                 return Array.from(p.querySelectorAll('.side'), s => [s.lang, s.innerText])",
                vec![],
            )
            .await?,
    )?;
    ensure!(
        matches!(&sides[..], [(l1, t1), (l2, t2)]
            if l1 == "en" && t1.contains("Cranes that stood still")
                && l2.starts_with("zh") && t2.contains("吊车又开始运转了")),
        "the first row pairs the wrong text: {sides:?}"
    );
    // Show the measured rows, under the banner and the headlines, in the screenshot.
    client
        .execute(
            "document.querySelector('.parallel').scrollIntoView({ block: 'start' })",
            vec![],
        )
        .await?;
    save_screenshot(client, &shots.join("admin-preview.png")).await?;
    Ok(())
}

/// Reads the published article in one edition: its headline in the edition's script, and
/// the hero image, loaded.
async fn read_published(
    client: &Client,
    site: &Site,
    edition: &str,
    title: &str,
    lang: &str,
    hero: &str,
) -> anyhow::Result<()> {
    let path = format!("/{edition}/articles/{SLUG}");
    goto(client, &site.url(&path)).await?;
    wait_for_path(client, &path).await?;
    let h1 = client
        .find(Locator::Css("article h1"))
        .await
        .with_context(|| format!("{path} has no headline"))?;
    let text = h1.text().await?;
    ensure!(
        text == title,
        "{path}: the headline is {text:?}, not {title:?}"
    );
    let h1_lang = h1.attr("lang").await?;
    ensure!(
        h1_lang.as_deref() == Some(lang),
        "{path}: the headline has lang {h1_lang:?}"
    );
    wait_until(
        client,
        &format!("the hero image of {path} to load"),
        |c| async move {
            let loaded = c
                .execute(
                    "const i = document.querySelector('figure.hero img'); \
                     return !!i && i.complete && i.naturalWidth > 0",
                    vec![],
                )
                .await?;
            Ok(loaded == Value::Bool(true))
        },
    )
    .await?;
    let source = js_string(
        client,
        "return document.querySelector('figure.hero img').currentSrc",
    )
    .await?;
    let stem = hero.trim_end_matches(".png");
    ensure!(
        source.contains(&format!("/media/{stem}")),
        "{path}: the hero shows {source}, not a size of {hero}"
    );
    let srcset = client
        .find(Locator::Css("figure.hero img"))
        .await?
        .attr("srcset")
        .await?
        .unwrap_or_default();
    ensure!(
        ["480w", "960w", "1600w", "1800w"]
            .iter()
            .all(|w| srcset.contains(w)),
        "{path}: the hero's srcset is {srcset:?}"
    );
    Ok(())
}

/// Types `text` into the field a selector finds, as a person would.
async fn type_into(client: &Client, selector: &str, text: &str) -> anyhow::Result<()> {
    let field = match client.find(Locator::Css(selector)).await {
        Ok(field) => field,
        Err(err) => {
            let page = path_of(client).await;
            return Err(err).context(format!("no field matches `{selector}` on {page}"));
        }
    };
    field
        .send_keys(text)
        .await
        .with_context(|| format!("typing into `{selector}`"))
}

/// Waits until an element matching `selector` is on the page.
async fn wait_for(client: &Client, what: &str, selector: &str) -> anyhow::Result<()> {
    let wanted = selector.to_owned();
    let found = wait_until(client, what, move |c| {
        let wanted = wanted.clone();
        async move { Ok(!c.find_all(Locator::Css(&wanted)).await?.is_empty()) }
    })
    .await;
    match found {
        Ok(()) => Ok(()),
        Err(err) => Err(err.context(format!("no `{selector}` on {}", path_of(client).await))),
    }
}
