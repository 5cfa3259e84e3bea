//! The database on disk: private, and consistent after a crash.
//!
//! The crash tests run the real `duizhao` binary on SQLite, kill it with SIGKILL at a random
//! moment while it publishes (through the API) or imports, and then check the file with
//! SQLite's own `PRAGMA integrity_check`, that every write the server acknowledged is there
//! whole, and that nothing half-written is. `DUIZHAO_CRASH_ROUNDS` sets how many kills each
//! test makes (3 by default; `scripts/crash-loop.sh` runs many more).

#![cfg(unix)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use duizhao::content::Edition;
use duizhao::store::Store;

fn rounds() -> usize {
    std::env::var("DUIZHAO_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Issue 19, finding 10: the SQLite file was created 0644 in a 0755 directory.
#[tokio::test]
async fn r19_the_data_directory_and_database_are_private() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("site");
    let config = duizhao::config::SiteConfig::for_test(&data);
    let (store, _) = duizhao::commands::serve::open_site(&config).await.unwrap();
    crate::common::fixtures::article("private")
        .en("Private", "Body.")
        .create(&store)
        .await;
    assert_eq!(mode(&data), 0o700, "the data directory");
    for file in ["duizhao.db", "duizhao.db-wal", "duizhao.db-shm"] {
        let path = data.join(file);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
    assert!(data.join("duizhao.db-wal").exists(), "WAL mode");
    store.close().await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(args: &[&str], data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_duizhao"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start duizhao")
}

async fn open(data: &Path) -> Store {
    Store::open(&format!("sqlite://{}", data.join("duizhao.db").display()))
        .await
        .unwrap()
}

/// SQLite's own check of the file, and its foreign keys.
async fn assert_intact(store: &Store) {
    let (integrity, foreign) = store.sqlite_integrity().await.unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(foreign, 0, "rows pointing at nothing");
}

/// An article that is there is there whole: both versions, every edition derived, in one
/// transaction.
async fn assert_whole(store: &Store, slug: &str) {
    for edition in [Edition::ZhHans, Edition::ZhHant] {
        let article = store.article(slug, edition).await.unwrap();
        let article = article.unwrap_or_else(|| panic!("{slug} is missing"));
        let en = article
            .en
            .as_ref()
            .unwrap_or_else(|| panic!("{slug} lacks English"));
        let zh = article
            .zh
            .as_ref()
            .unwrap_or_else(|| panic!("{slug} lacks Chinese"));
        assert!(!en.title.is_empty() && !en.blocks.is_empty(), "{slug}");
        assert!(!zh.title.is_empty() && !zh.blocks.is_empty(), "{slug}");
        if edition == Edition::ZhHant {
            assert!(
                zh.title.contains('報') || zh.title.contains('關') || zh.title.contains('於'),
                "{slug}: {}",
                zh.title
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_nine_while_publishing_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let token = {
        let config = duizhao::config::SiteConfig::for_test(&data);
        let (store, _) = duizhao::commands::serve::open_site(&config).await.unwrap();
        let hash = duizhao::accounts::password::hash("correct horse battery").unwrap();
        let user = store
            .create_user(
                &duizhao::store::accounts::NewUser {
                    username: "ed",
                    display_name: "Ed",
                    role: duizhao::accounts::Role::Editor,
                    password_hash: &hash,
                },
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
        let secret = duizhao::accounts::token::new_api_token();
        store
            .create_api_token(
                user,
                "crash",
                &duizhao::accounts::token::digest(&secret),
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
        store.close().await;
        secret
    };
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..rounds() {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let mut server = spawn(&["serve", "--listen", &listen], &data);
        let client = Client {
            port,
            token: &token,
        };
        client.wait_until_up().await;
        // Writers publish until the server dies; each remembers what was acknowledged.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writers: Vec<_> = (0..3)
            .map(|w| {
                let stop = stop.clone();
                let (port, token) = (port, token.clone());
                tokio::spawn(async move {
                    let client = Client {
                        port,
                        token: &token,
                    };
                    let mut done = Vec::new();
                    for i in 0.. {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        let slug = format!("crash-{round}-{w}-{i}");
                        match client.publish(&slug).await {
                            Some(201) => done.push(slug),
                            Some(_) => {}
                            None => break,
                        }
                    }
                    done
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(800 + fastrand::u64(0..1700))).await;
        server.kill().unwrap();
        server.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for w in writers {
            acknowledged.extend(w.await.unwrap());
        }
        let store = open(&data).await;
        assert_intact(&store).await;
        for slug in &acknowledged {
            assert_whole(&store, slug).await;
        }
        eprintln!(
            "round {round}: {} acknowledged so far, {} articles stored",
            acknowledged.len(),
            store.article_count().await.unwrap()
        );
        store.close().await;
    }
    assert!(
        acknowledged.len() >= rounds(),
        "the writers got little through: {}",
        acknowledged.len()
    );
}

struct Client<'a> {
    port: u16,
    token: &'a str,
}

impl Client<'_> {
    async fn send(&self, request: &str) -> Option<u16> {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let answer = crate::common::live::send_raw(addr, request.as_bytes()).await;
        (answer.status != 0).then_some(answer.status)
    }

    async fn wait_until_up(&self) {
        for _ in 0..200 {
            let r = self
                .send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await;
            if r == Some(200) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not start");
    }

    async fn publish(&self, slug: &str) -> Option<u16> {
        let body = serde_json::json!({
            "slug": slug,
            "status": "published",
            "en": {"title": format!("Harbour report {slug}"), "body": "Ships came back.\n\nCranes moved again."},
            "zh": {"title": format!("港口报告 {slug}"), "body": "船只回来了。\n\n吊车又动了起来。"},
        })
        .to_string();
        self.send(&format!(
            "POST /api/v1/articles HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
             Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.token,
            body.len()
        ))
        .await
    }
}

/// Writes a folder of `count` bilingual Markdown articles.
fn markdown_folder(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        std::fs::write(
            dir.join(format!("story-{i}.en.md")),
            format!(
                "+++\ntitle = \"Story {i} about the harbour\"\ndate = 2026-03-04T09:30:00+08:00\n\
                 tags = [\"Trade\"]\n+++\n\n{}",
                "The harbour reopened and ships came back. ".repeat(40)
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("story-{i}.zh.md")),
            format!(
                "+++\ntitle = \"关于港口的第{i}篇报道\"\ndate = 2026-03-04T09:30:00+08:00\n\
                 tags = [\"贸易\"]\n+++\n\n{}",
                "港口重新开放，船只回来了。".repeat(40)
            ),
        )
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_while_importing_leaves_every_article_whole() {
    // More with DUIZHAO_CRASH_ARTICLES, so that an optimised build is still importing when
    // it is killed.
    let articles: usize = std::env::var("DUIZHAO_CRASH_ARTICLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let source = dir.path().join("articles");
    markdown_folder(&source, articles);
    let source_arg = source.to_str().unwrap().to_owned();
    for _ in 0..rounds() {
        let mut import = spawn(&["import", &source_arg], &data);
        tokio::time::sleep(Duration::from_millis(200 + fastrand::u64(0..1500))).await;
        let _ = import.kill();
        import.wait().unwrap();
        let store = open(&data).await;
        assert_intact(&store).await;
        let mut present = 0;
        for i in 0..articles {
            let slug = format!("story-{i}");
            if store.article_state(&slug).await.unwrap().is_some() {
                assert_whole(&store, &slug).await;
                present += 1;
            }
        }
        eprintln!("killed the import with {present} of {articles} articles in");
        store.close().await;
    }
    // An import run to its end after the crashes brings in every article, once.
    let status = spawn(&["import", &source_arg], &data).wait().unwrap();
    assert!(status.success());
    let store = open(&data).await;
    assert_intact(&store).await;
    assert_eq!(store.article_count().await.unwrap(), articles as i64);
    for i in 0..articles {
        assert_whole(&store, &format!("story-{i}")).await;
    }
    store.close().await;
}
