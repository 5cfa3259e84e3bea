//! The newsroom's day in a real browser: headless Chromium, driven through chromedriver with
//! `fantoccini`, against the demo site served on a real port. An editor signs in through the
//! login form, uploads an image through the media page's file input, creates a topic and an
//! author with that image as the photo, writes a bilingual article (the hero and an inline
//! captioned image chosen in the media picker, the topic and author by name, the slug checked
//! as it is typed, autosaved, previewed live beside the form), meets the pre-publish
//! checklist, publishes, views it on the site in every edition, renames the topic (its old
//! address answers 301), deletes the article to the trash and restores it.
//!
//! What only a browser can tell: that the forms and the editor's script work as a person uses
//! them (the upload, the picker dialog, the chips, autosave, the live preview), that the
//! preview's two columns sit side by side, and that the published images really load.
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

/// How long the whole scenario may take (it takes some seconds: autosave waits for a pause).
const SCENARIO: Duration = Duration::from_secs(120);

/// The topic and author the editor creates.
const TOPIC_EN: &str = "Harbour towns";
const TOPIC_ZH: &str = "港口小镇";
const TOPIC_SLUG: &str = "harbour-towns";
const TOPIC_RENAMED: &str = "port-towns";
const AUTHOR_EN: &str = "Ruth Okafor";
const AUTHOR_ZH: &str = "露丝·奥卡福";
const AUTHOR_SLUG: &str = "ruth-okafor";

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
    create_topic_and_author(client, &hero).await?;
    write_draft(client, &hero, shots).await?;
    preview(client, shots).await?;

    // Back to the editor, and publish.
    client.back().await?;
    wait_for_path(client, &format!("/admin/articles/{SLUG}")).await?;
    click(client, r#"button[name="action"][value="publish"]"#).await?;
    // The draft has no author yet: the pre-publish checklist says so, and nothing is saved
    // until the editor fixes it or goes ahead.
    wait_for(client, "the pre-publish checklist", ".checklist").await?;
    let found = client
        .find(Locator::Css(".checklist"))
        .await?
        .text()
        .await?;
    ensure!(found.contains("No author"), "the checklist reads {found:?}");
    save_screenshot(client, &shots.join("admin-checklist.png")).await?;
    // Meet it: the author, by name, then publish again.
    type_into(client, r#"input[name="authors"]"#, AUTHOR_EN).await?;
    click(client, r#"button[name="action"][value="publish"]"#).await?;
    wait_for(client, "the article to be published", ".status-published").await?;
    let authors = stored_field(site, "authors").await?;
    ensure!(authors == AUTHOR_SLUG, "the article's authors: {authors:?}");

    // "View on site", then every edition.
    click(client, r#".tools a[href^="/en/articles/"]"#).await?;
    wait_for_path(client, &format!("/en/articles/{SLUG}")).await?;
    let caption = js_string(
        client,
        "const f = document.querySelector('figure.inline figcaption'); return f ? f.innerText : ''",
    )
    .await?;
    ensure!(
        caption.contains("At first light") && caption.to_lowercase().contains("port authority"),
        "the inline figure's caption: {caption:?}"
    );
    goto(client, &site.url(&format!("/zh-hant/articles/{SLUG}"))).await?;
    let caption = js_string(
        client,
        "const f = document.querySelector('figure.inline figcaption'); return f ? f.innerText : ''",
    )
    .await?;
    ensure!(
        caption.contains("清晨時分") && caption.contains("港務局"),
        "the 繁體 figure's caption: {caption:?}"
    );
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
    rename_topic(client, site).await?;
    trash_and_restore(client, site, shots).await?;
    Ok(())
}

/// The article's field as stored (`topics`, `authors`: slugs joined by commas).
async fn stored_field(site: &Site, field: &str) -> anyhow::Result<String> {
    let input = site
        .store
        .editable(SLUG)
        .await?
        .context("the article is not stored")?
        .input;
    Ok(match field {
        "topics" => input.topics.join(","),
        "authors" => input.authors.join(","),
        other => bail!("no field {other}"),
    })
}

/// The status a GET of `path` answers with, and the address it ends at (redirects followed).
async fn fetch_status(client: &Client, path: &str) -> anyhow::Result<(u64, String)> {
    let answer = client
        .execute_async(
            "const [path, done] = arguments; \
             fetch(path, { credentials: 'same-origin' }) \
               .then(r => done([r.status, new URL(r.url).pathname])) \
               .catch(e => done([0, String(e)]));",
            vec![Value::String(path.to_owned())],
        )
        .await?;
    let (status, at): (u64, String) = serde_json::from_value(answer)?;
    Ok((status, at))
}

/// Creates the topic and the author (with the uploaded image as the photo) in the back office.
async fn create_topic_and_author(client: &Client, photo: &str) -> anyhow::Result<()> {
    click(client, r#"nav a[href="/admin/topics"]"#).await?;
    wait_for_path(client, "/admin/topics").await?;
    type_into(client, r#"input[name="name_en"]"#, TOPIC_EN).await?;
    type_into(client, r#"input[name="name_zh"]"#, TOPIC_ZH).await?;
    click(client, r#"form.stacked button[type="submit"]"#).await?;
    wait_for_path(client, &format!("/admin/topics/{TOPIC_SLUG}"))
        .await
        .context("creating the topic")?;
    click(client, r#"nav a[href="/admin/authors"]"#).await?;
    wait_for_path(client, "/admin/authors").await?;
    type_into(client, r#"input[name="name_en"]"#, AUTHOR_EN).await?;
    type_into(client, r#"input[name="name_zh"]"#, AUTHOR_ZH).await?;
    click(client, &format!(r#"input[name="photo"][value="{photo}"]"#)).await?;
    click(client, r#"form.stacked button[type="submit"]"#).await?;
    wait_for_path(client, &format!("/admin/authors/{AUTHOR_SLUG}"))
        .await
        .context("creating the author")?;
    Ok(())
}

/// Renames the topic; its old address then answers 301 with the new one.
async fn rename_topic(client: &Client, site: &Site) -> anyhow::Result<()> {
    goto(client, &site.url(&format!("/admin/topics/{TOPIC_SLUG}"))).await?;
    wait_for_path(client, &format!("/admin/topics/{TOPIC_SLUG}")).await?;
    let slug = client.find(Locator::Css(r#"input[name="slug"]"#)).await?;
    slug.clear().await?;
    slug.send_keys(TOPIC_RENAMED).await?;
    click(client, r#"form.stacked button[type="submit"]"#).await?;
    wait_for_path(client, &format!("/admin/topics/{TOPIC_RENAMED}"))
        .await
        .context("renaming the topic")?;
    let (status, at) = fetch_status(client, &format!("/en/topics/{TOPIC_SLUG}")).await?;
    ensure!(
        status == 200 && at == format!("/en/topics/{TOPIC_RENAMED}"),
        "the old topic address led to {status} at {at}"
    );
    goto(client, &site.url(&format!("/en/topics/{TOPIC_SLUG}"))).await?;
    wait_for_path(client, &format!("/en/topics/{TOPIC_RENAMED}")).await?;
    let listed = js_string(client, "return document.body.innerText").await?;
    ensure!(
        listed.contains(EN_TITLE),
        "the renamed topic lists the article"
    );
    Ok(())
}

/// Moves the article to the trash (its page answers 410), then restores it.
async fn trash_and_restore(client: &Client, site: &Site, shots: &Path) -> anyhow::Result<()> {
    goto(client, &site.url(&format!("/admin/articles/{SLUG}"))).await?;
    wait_for_path(client, &format!("/admin/articles/{SLUG}")).await?;
    click(client, r#"form.delete button[type="submit"]"#).await?;
    wait_for_path(client, "/admin/").await?;
    wait_for(client, "the trash's notice", ".flash").await?;
    let flash = client.find(Locator::Css(".flash")).await?.text().await?;
    ensure!(flash.contains("in the trash"), "after deleting: {flash:?}");
    save_screenshot(client, &shots.join("admin-trash.png")).await?;
    let (status, _) = fetch_status(client, &format!("/en/articles/{SLUG}")).await?;
    ensure!(status == 410, "a deleted article's page answers {status}");
    click(client, &format!(r#"a[href="/admin/articles/{SLUG}"]"#)).await?;
    wait_for(client, "the trash notice", ".trash-notice").await?;
    click(client, r#".trash-notice button[type="submit"]"#).await?;
    wait_for(client, "the restored article", ".status-unpublished").await?;
    let flash = client.find(Locator::Css(".flash")).await?.text().await?;
    ensure!(
        flash.contains("out of the trash"),
        "after restoring: {flash:?}"
    );
    click(client, r#"button[name="action"][value="publish"]"#).await?;
    wait_for(client, "the article published again", ".status-published").await?;
    let (status, _) = fetch_status(client, &format!("/en/articles/{SLUG}")).await?;
    ensure!(
        status == 200,
        "the restored article's page answers {status}"
    );
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

/// Fills the new-article form as an editor would with the editor's script running (the
/// slug proposed from the headline, the hero and an inline image from the picker, the topic
/// from its chip, counts, autosave and the live preview), and saves it as a draft.
async fn write_draft(client: &Client, hero: &str, shots: &Path) -> anyhow::Result<()> {
    click(client, r#"nav a[href="/admin/"]"#).await?;
    wait_for_path(client, "/admin/").await?;
    click(client, r#"a[href="/admin/articles/new"]"#).await?;
    wait_for_path(client, "/admin/articles/new").await?;
    client
        .find(Locator::Css(r#"select[name="section"]"#))
        .await?
        .select_by_value(SECTION)
        .await
        .context("choosing the section")?;
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
    // The slug the headline gives, shown while typing; then one typed, checked as typed.
    wait_until(client, "the proposed slug", |c| async move {
        let hint = js_string(
            &c,
            "return document.querySelector('[data-slug-hint]').textContent",
        )
        .await?;
        Ok(hint == "Will be: the-harbour-economy-comes-back-to-life")
    })
    .await?;
    type_into(client, r#"input[name="slug"]"#, SLUG).await?;
    wait_until(client, "the slug check", |c| async move {
        let hint = js_string(
            &c,
            "return document.querySelector('[data-slug-hint]').textContent",
        )
        .await?;
        Ok(hint == "Available.")
    })
    .await?;
    // Counts per language.
    let counts = js_string(
        client,
        "return document.querySelector('[data-counts=\"en\"]').textContent",
    )
    .await?;
    ensure!(
        counts.contains("words"),
        "the English counts read {counts:?}"
    );
    // The hero from the picker: its caption comes along when the field is empty.
    click(client, ".hero-pick button").await?;
    wait_for(
        client,
        "the picker",
        "dialog.picker[open] .picker-grid button",
    )
    .await?;
    save_screenshot(client, &shots.join("admin-picker.png")).await?;
    click(
        client,
        &format!(r#"dialog.picker .picker-grid button[title="{hero}"]"#),
    )
    .await?;
    let chosen = js_string(
        client,
        "return document.querySelector('[name=\"hero\"]').value",
    )
    .await?;
    ensure!(chosen == hero, "the picker set the hero to {chosen:?}");
    // The image at the end of each body, with each language's caption and credit: the two
    // versions keep the same paragraphs.
    insert_image(client, "en", hero, "At first light | Port Authority").await?;
    insert_image(client, "zh", hero, "清晨时分 | 港务局").await?;
    // The topic from its chip (created a moment ago), toggled on.
    client
        .find(Locator::Css(".terms details summary"))
        .await?
        .click()
        .await?;
    click(client, &format!(r#"button[data-slug="{TOPIC_SLUG}"]"#)).await?;
    let topics = js_string(
        client,
        "return document.querySelector('[name=\"topics\"]').value",
    )
    .await?;
    ensure!(topics == TOPIC_SLUG, "the topic field reads {topics:?}");
    // The live preview beside the form shows the unsaved text in parallel.
    click(client, "button[data-preview]").await?;
    wait_until(client, "the live preview", |c| async move {
        let text = js_string(
            &c,
            "const f = document.querySelector('.live-preview iframe'); \
             return f && f.contentDocument && f.contentDocument.body ? f.contentDocument.body.innerText : ''",
        )
        .await?;
        Ok(text.contains(EN_TITLE) && text.contains(ZH_TITLE))
    })
    .await?;
    save_screenshot(client, &shots.join("admin-editor.png")).await?;
    // Autosaved after a pause, without a revision.
    wait_until(client, "the autosave", |c| async move {
        let said = js_string(
            &c,
            "return document.querySelector('.autosave-status').textContent",
        )
        .await?;
        Ok(said.starts_with("Autosaved at"))
    })
    .await?;
    // What was typed is what the form holds (newlines in the bodies included).
    let typed = js_string(
        client,
        "return document.querySelector('[name=\"zh_body\"]').value",
    )
    .await?;
    ensure!(
        typed.starts_with(ZH_BODY) && typed.contains("清晨时分 | 港务局"),
        "the Chinese body reads {typed:?}"
    );
    click(client, r#"button[name="action"][value="save"]"#).await?;
    wait_for_path(client, &format!("/admin/articles/{SLUG}"))
        .await
        .context("saving the draft")?;
    wait_for(client, "the draft's status", ".status-draft").await?;
    Ok(())
}

/// Puts `image` at the end of one language's body with the picker, then gives it `title`
/// (`caption | credit`) as the editor would type it.
async fn insert_image(
    client: &Client,
    language: &str,
    image: &str,
    title: &str,
) -> anyhow::Result<()> {
    let body = format!(r#"[name="{language}_body"]"#);
    client
        .execute(
            "const b = document.querySelector(arguments[0]); \
             b.focus(); b.setSelectionRange(b.value.length, b.value.length);",
            vec![Value::String(body.clone())],
        )
        .await?;
    click(
        client,
        &format!(r#"fieldset[lang="{language}"] .pick-button"#),
    )
    .await?;
    wait_for(
        client,
        "the picker",
        "dialog.picker[open] .picker-grid button",
    )
    .await?;
    click(
        client,
        &format!(r#"dialog.picker .picker-grid button[title="{image}"]"#),
    )
    .await?;
    let text = client
        .execute(
            r#"const b = document.querySelector(arguments[0]);
               const before = b.value;
               b.value = b.value.replace(/"[^"]*"\)\s*$/, '"' + arguments[1] + '")\n');
               b.dispatchEvent(new Event('input', { bubbles: true }));
               return before;"#,
            vec![Value::String(body), Value::String(title.to_owned())],
        )
        .await?;
    let text = text.as_str().unwrap_or_default();
    ensure!(
        text.contains(&format!("]({image} \"")),
        "no image in the {language} body: {text:?}"
    );
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
