//! Hostile files: uploads (SVG, polyglots, decompression bombs), WordPress exports (XXE,
//! billion laughs) and backup archives (paths that leave their folder).

use duizhao::accounts::Role;

use crate::common::live::{LiveSite, PASSWORD};

const BOUNDARY: &str = "----duizhao-security-7f3a";

fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"alt_en\"\r\n\r\nA picture\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn small_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode a PNG");
    out.into_inner()
}

/// A GIF whose header claims 65,535 × 65,535 pixels (16 GiB decoded) in a few bytes.
fn gif_bomb() -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00]);
    gif.extend_from_slice(&[0x2c, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x00]);
    gif.extend_from_slice(&[0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]);
    gif
}

async fn uploads_are_judged_by_their_content(site: &LiveSite) {
    site.add_user("ed", Role::Editor).await;
    let cookie = site.sign_in("ed", PASSWORD, "").await.unwrap();
    let csrf = site.csrf(&cookie).await;
    let before = site.store().list_media(1000, 0).await.unwrap().len();
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let body = multipart(&csrf, name, &bytes);
        let cookie = cookie.clone();
        async move {
            site.request(
                "POST",
                "/admin/media",
                &[
                    ("Cookie", &cookie),
                    ("Origin", "https://news.example"),
                    (
                        "Content-Type",
                        &format!("multipart/form-data; boundary={BOUNDARY}"),
                    ),
                ],
                &body,
            )
            .await
        }
    };
    let svg =
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>"#;
    for (name, bytes) in [
        ("drawing.svg", svg.to_vec()),
        ("drawing.png", svg.to_vec()),
        (
            "page.html",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        ("bomb.gif", gif_bomb()),
        ("empty.png", Vec::new()),
    ] {
        let r = upload(name, bytes).await;
        assert!(
            matches!(r.status, 413 | 415 | 422),
            "{name}: {} {}",
            r.status,
            r.text()
        );
        assert!(
            r.text().contains("role=\"alert\""),
            "{name}: the editor is told why"
        );
    }
    assert_eq!(
        site.store().list_media(1000, 0).await.unwrap().len(),
        before
    );
    // A polyglot: a real PNG with a page after its end. It is stored re-encoded, so the page
    // is gone, and served as an image that could not run script anyway.
    let mut polyglot = small_png();
    polyglot.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    let r = upload("polyglot.html", polyglot).await;
    // Stored: post/redirect/get to the library, which names it.
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(r.header("location").starts_with("/admin/media?uploaded="));
    let media = site.store().list_media(1000, 0).await.unwrap();
    assert_eq!(media.len(), before + 1);
    let newest = media
        .iter()
        .find(|m| m.path.contains("polyglot"))
        .expect("the polyglot's record");
    let served = site.get(&format!("/media/{}", newest.path)).await;
    assert_eq!(served.status, 200);
    assert!(
        served.header("content-type").starts_with("image/"),
        "{:?}",
        served.headers
    );
    assert!(served.header("content-security-policy").contains("sandbox"));
    assert!(!String::from_utf8_lossy(&served.body).contains("<script"));
}

crate::on_both_live!(uploads_are_judged_by_their_content);

/// A WordPress export with an external entity (XXE) or nested entities (billion laughs) is
/// refused before anything is read or imported.
#[tokio::test]
async fn hostile_wordpress_exports_are_refused() {
    let t = crate::common::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    let xxe = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://{}\">]>\n\
         <rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><title>&xxe;</title>\
         <wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_name>x</wp:post_name>\
         </item></channel></rss>",
        secret.display()
    );
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1).repeat(10);
        laughs.push_str(&format!("<!ENTITY l{i} \"{prev}\">"));
    }
    laughs.push_str("]>\n<rss><channel><item><title>&l9;</title></item></channel></rss>");
    for (name, text) in [("xxe.xml", xxe), ("laughs.xml", laughs)] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let started = std::time::Instant::now();
        let result = duizhao::import::import_wordpress(
            &t.store,
            &crate::common::fixtures::converters(),
            &dir.path().join("media"),
            &file,
            jiff::Timestamp::now(),
            indicatif::ProgressBar::hidden(),
        )
        .await;
        let err = result.expect_err(name);
        assert!(format!("{err:#}").contains(name), "{name}: {err:#}");
        assert!(
            started.elapsed().as_secs() < 5,
            "{name} took {:?}",
            started.elapsed()
        );
    }
    assert_eq!(t.store.article_count().await.unwrap(), 0);
    t.cleanup().await;
}

/// Issue 19, finding 10: importers accepted look-alike slugs (Cyrillic а in a Latin word,
/// full-width letters) and kept control characters.
#[tokio::test]
async fn r19_importers_normalise_and_refuse_look_alike_slugs() {
    let t = crate::common::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("articles");
    std::fs::create_dir_all(&source).unwrap();
    // Cyrillic а (U+0430) in "trаde"; full-width "ｃｈｉｐｓ"; control characters in the text.
    std::fs::write(
        source.join("ｐｏｒｔｓ-ｒｅｏｐｅｎ.en.md"),
        "+++\ntitle = \"Ports\\u0001 reopen\"\ntags = [\"tr\u{430}de\", \"ｃｈｉｐｓ\"]\n+++\n\nBody\u{1} text.\n",
    )
    .unwrap();
    std::fs::write(
        source.join("p\u{430}yp\u{430}l.en.md"),
        "+++\ntitle = \"Look-alike\"\n+++\n\nBody.\n",
    )
    .unwrap();
    let report = duizhao::import::import_markdown(
        &t.store,
        &crate::common::fixtures::converters(),
        &dir.path().join("media"),
        &source,
        jiff::Timestamp::now(),
        indicatif::ProgressBar::hidden(),
    )
    .await
    .unwrap();
    // The full-width slug is normalised; the look-alike article is refused, with the reason.
    let summary = report.summary();
    assert_eq!(report.imported, ["ports-reopen"], "{summary}");
    assert!(summary.contains("Cyrillic"), "{summary}");
    assert!(summary.contains("control character"), "{summary}");
    assert!(t.store.topic("chips").await.unwrap().is_some(), "{summary}");
    assert!(t.store.topic("tr\u{430}de").await.unwrap().is_none());
    let article = t
        .store
        .article("ports-reopen", duizhao::content::Edition::ZhHans)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.en.unwrap().title, "Ports reopen");
    t.cleanup().await;
}

/// A backup archive whose entries leave their folder, or are links, restores nothing outside.
#[tokio::test]
async fn hostile_archives_write_nothing_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let config = duizhao::config::SiteConfig::for_test(data.path());
    config.validate().unwrap();
    let archive_path = outside.path().join("hostile.tar");
    {
        let file = std::fs::File::create(&archive_path).unwrap();
        let mut tar = tar::Builder::new(file);
        let manifest = br#"{"format": 1, "backend": "sqlite", "articles": 0, "media_files": 2, "created": "2026-12-01T00:00:00Z"}"#;
        let mut header = tar::Header::new_gnu();
        header.set_size(manifest.len() as u64);
        header.set_cksum();
        tar.append_data(&mut header, "duizhao-backup.json", &manifest[..])
            .unwrap();
        let escape = outside.path().join("escaped.txt");
        let evil = format!("media/../../../../../../../..{}", escape.display());
        let mut header = tar::Header::new_gnu();
        let payload = b"escaped";
        header.set_size(payload.len() as u64);
        header.set_entry_type(tar::EntryType::Regular);
        // Written raw: the tar crate refuses `..` in paths it is given.
        let name = header.as_old_mut();
        name.name[..evil.len().min(100)].copy_from_slice(&evil.as_bytes()[..evil.len().min(100)]);
        header.set_cksum();
        tar.append(&header, &payload[..]).unwrap();
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        tar.append_link(&mut header, "media/link", outside.path())
            .unwrap();
        tar.finish().unwrap();
    }
    let result = duizhao::commands::backup::restore(
        &config,
        &archive_path,
        true,
        &indicatif::ProgressBar::hidden(),
    )
    .await;
    let err = result.expect_err("a hostile archive is refused");
    assert!(format!("{err:#}").contains("unsafe path"), "{err:#}");
    assert!(!outside.path().join("escaped.txt").exists());
    assert!(!data.path().join("media/link").exists());
}
