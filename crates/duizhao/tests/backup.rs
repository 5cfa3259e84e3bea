//! `duizhao backup` and `duizhao restore` on SQLite: a populated site round-trips, a site with
//! content is not overwritten by accident, and a bad archive leaves the site as it was.

mod common;

use std::path::Path;

use duizhao::commands::backup::{backup, list_files, read_manifest, restore};
use duizhao::config::SiteConfig;
use duizhao::content::Edition;
use duizhao::store::Store;
use indicatif::ProgressBar;

/// Every article's slug, status and English and Simplified titles.
async fn articles(store: &Store) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for slug in store.article_slugs().await.unwrap() {
        let a = store
            .article(&slug, Edition::ZhHans)
            .await
            .unwrap()
            .unwrap();
        out.push((
            slug,
            a.status.code().to_owned(),
            a.en.map(|t| t.title).unwrap_or_default(),
            a.zh.map(|t| t.title).unwrap_or_default(),
        ));
    }
    out
}

fn media(dir: &Path) -> Vec<(String, Vec<u8>)> {
    list_files(dir)
        .unwrap()
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

async fn open(config: &SiteConfig) -> Store {
    duizhao::commands::serve::open_site(config).await.unwrap().0
}

#[tokio::test]
async fn a_populated_site_round_trips_through_an_archive() {
    let site = common::demo_site(|_| {}).await;
    let state = &site.state;
    // Add imported articles and media to the demo publication.
    duizhao::import::import_markdown(
        state.store(),
        &state.converters(),
        state.media_dir(),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/markdown"),
        common::fixtures::now(),
        ProgressBar::hidden(),
    )
    .await
    .unwrap();
    let original = articles(state.store()).await;
    let original_media = media(state.media_dir());
    assert!(original.len() >= 13 && original_media.len() >= 5);

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("site.tar");
    let manifest = backup(state.config(), state.store(), &file, &ProgressBar::hidden())
        .await
        .unwrap();
    assert_eq!(manifest.articles, original.len() as i64);
    assert_eq!(manifest.media_files, original_media.len());
    assert_eq!(read_manifest(&file).unwrap(), manifest);
    let leftovers: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the archive is left beside it");

    // Restore into a fresh data directory.
    let target = tempfile::tempdir().unwrap();
    let config = SiteConfig::for_test(target.path());
    let restored = restore(&config, &file, false, &ProgressBar::hidden())
        .await
        .unwrap();
    assert_eq!(restored.manifest, manifest);
    let published = original.iter().filter(|a| a.1 == "published").count() as u64;
    assert_eq!(restored.indexed, published, "the search index was rebuilt");
    let store = open(&config).await;
    assert_eq!(articles(&store).await, original);
    store.close().await;
    assert_eq!(media(&target.path().join("media")), original_media);

    // The restored site answers, search included.
    let state2 = duizhao::web::AppState::new(
        config.clone(),
        open(&config).await,
        common::fixtures::converters(),
    )
    .unwrap();
    let site2 = common::TestSite {
        app: duizhao::web::build_app(state2.clone()),
        state: state2,
        dir: tempfile::tempdir().unwrap(),
    };
    let r = site2.get("/en/articles/rate-cut").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("/media/uploads/rate-cut-"));
    let r = site2.get("/en/search?q=harbour").await;
    assert!(
        r.body.contains("/articles/harbour-notes"),
        "search works after restore"
    );
    site2.state.store().close().await;
    // A server on the data directory holds the search index: restore refuses to run under it.
    let err = restore(&config, &file, true, &ProgressBar::hidden())
        .await
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("stop it before restoring"),
        "{err:#}"
    );
    drop(site2);

    // A second restore over the now populated site needs --force.
    let err = restore(&config, &file, false, &ProgressBar::hidden())
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("--force"), "{err:#}");
    restore(&config, &file, true, &ProgressBar::hidden())
        .await
        .unwrap();
    let store = open(&config).await;
    assert_eq!(articles(&store).await, original);
    store.close().await;
    assert_eq!(media(&target.path().join("media")), original_media);
}

#[tokio::test]
async fn a_bad_archive_loses_nothing() {
    let site = common::demo_site(|_| {}).await;
    let config = site.state.config().clone();
    let before = articles(site.state.store()).await;
    let before_media = media(site.state.media_dir());
    // Stop the "server": its state holds the search index.
    let common::TestSite {
        app,
        state,
        dir: data_dir,
    } = site;
    state.store().close().await;
    drop((app, state));
    let data = data_dir.path();

    // Not an archive at all.
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.tar");
    std::fs::write(&junk, b"this is not a tar file").unwrap();
    let err = restore(&config, &junk, true, &ProgressBar::hidden())
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("junk.tar"), "{err:#}");

    // A well-formed archive whose database is not one: refused before anything moves.
    let bad = dir.path().join("bad.tar");
    {
        let mut tar = tar::Builder::new(std::fs::File::create(&bad).unwrap());
        let manifest = br#"{"format":1,"backend":"sqlite","created":"2026-11-20T12:00:00Z","articles":3,"media_files":1}"#;
        for (name, data) in [
            ("duizhao-backup.json", &manifest[..]),
            ("database/duizhao.db", b"SQLite format 3? no.".as_slice()),
            ("media/images/new.png", b"png".as_slice()),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, data).unwrap();
        }
        tar.finish().unwrap();
    }
    let err = restore(&config, &bad, true, &ProgressBar::hidden())
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("cannot be opened"), "{err:#}");

    // The site is as it was, and no staging folders are left behind.
    let store = open(&config).await;
    assert_eq!(articles(&store).await, before);
    store.close().await;
    assert_eq!(media(&data.join("media")), before_media);
    let stray: Vec<_> = std::fs::read_dir(data)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".restore"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[tokio::test]
async fn a_postgres_site_archives_its_media_only() {
    let Some(t) = common::postgres("a_postgres_site_archives_its_media_only").await else {
        return;
    };
    common::fixtures::article("kept-in-postgres")
        .en("Kept", "Body.")
        .create(&t.store)
        .await;
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("media/images")).unwrap();
    std::fs::write(data.path().join("media/images/a.png"), b"not really a png").unwrap();
    let config = SiteConfig::for_test(data.path());
    let file = data.path().join("pg.tar");
    let manifest = backup(&config, &t.store, &file, &ProgressBar::hidden())
        .await
        .unwrap();
    assert_eq!(
        (
            manifest.backend.as_str(),
            manifest.articles,
            manifest.media_files
        ),
        ("postgres", 0, 1)
    );
    let mut names = Vec::new();
    for entry in tar::Archive::new(std::fs::File::open(&file).unwrap())
        .entries()
        .unwrap()
    {
        names.push(
            entry
                .unwrap()
                .path()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    assert_eq!(
        names,
        ["duizhao-backup.json", "media/images/a.png"],
        "no database in it"
    );
    // Restoring it brings back the media (the database is pg_restore's business).
    let target = tempfile::tempdir().unwrap();
    let restored = restore(
        &SiteConfig::for_test(target.path()),
        &file,
        false,
        &ProgressBar::hidden(),
    )
    .await
    .unwrap();
    assert_eq!(restored.manifest.backend, "postgres");
    assert_eq!(
        std::fs::read(target.path().join("media/images/a.png")).unwrap(),
        b"not really a png"
    );
    t.cleanup().await;
}
