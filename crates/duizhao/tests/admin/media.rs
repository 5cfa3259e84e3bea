//! The media library: uploads, variants, the hero.

use axum::http::StatusCode;

use duizhao::accounts::Role;
use duizhao::store::Store;

use crate::common::admin::*;
use crate::common::images::{files_under, gradient_png_with_text, noise_png};

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

crate::on_both_backends!(media_upload_makes_a_responsive_hero,);
