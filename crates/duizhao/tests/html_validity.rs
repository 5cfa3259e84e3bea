//! Every page type in every edition passes the Nu HTML Checker (`vnu.jar`, from npm's `vnu-jar`)
//! with no errors. Warnings are not failures.
//!
//! The checker is found through `DUIZHAO_VNU_JAR`, else at
//! `<workspace>/target/vnu/node_modules/vnu-jar/build/dist/vnu.jar` (where `.ci/run` installs it).
//! Without it, or without `java`, the test prints `SKIPPED` and passes, unless
//! `DUIZHAO_REQUIRE_TOOLS=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestSite, demo_site};
use duizhao::content::{Edition, Status};

const BILINGUAL: &str = "youth-first-jobs";
const EN_ONLY: &str = "ports-stronger-storms";
const ZH_ONLY: &str = "county-town-elder-care";
/// Withdrawn before the 410 pages are fetched (after its other pages are).
const WITHDRAWN: &str = "youth-first-jobs";

/// The checker's jar, or why it cannot run.
fn checker() -> Result<PathBuf, String> {
    let jar = match std::env::var_os("DUIZHAO_VNU_JAR").filter(|s| !s.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
    };
    if !jar.is_file() {
        return Err(format!(
            "{} not found (npm install --prefix target/vnu vnu-jar, or set DUIZHAO_VNU_JAR)",
            jar.display()
        ));
    }
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("`java` not found".to_owned());
    }
    Ok(jar)
}

/// The first `href` after `marker` in `body`, unescaped.
fn href_after(body: &str, marker: &str) -> Option<String> {
    let at = body.find(marker)?;
    let rest = &body[at..];
    let start = rest.find("href=\"")? + 6;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].replace("&amp;", "&"))
}

/// The pages to check: (URL, expected status, body).
struct Pages {
    site: TestSite,
    fetched: Vec<(String, u16, String)>,
}

impl Pages {
    /// Fetches `path`, which must answer `status`.
    async fn expect(&mut self, path: &str, status: u16) -> String {
        let r = self.site.get(path).await;
        assert_eq!(r.status.as_u16(), status, "GET {path}");
        assert!(
            r.header("content-type").starts_with("text/html"),
            "GET {path}: {}",
            r.header("content-type")
        );
        self.fetched.push((path.to_owned(), status, r.body.clone()));
        r.body
    }

    /// Fetches `path` and keeps it when it is a page (not a redirect or an error).
    async fn if_page(&mut self, path: &str) {
        let r = self.site.get(path).await;
        if r.status == 200 {
            self.fetched.push((path.to_owned(), 200, r.body));
        }
    }
}

#[tokio::test]
async fn every_page_type_in_every_edition_passes_the_nu_html_checker() {
    let jar = match checker() {
        Ok(jar) => jar,
        Err(why) => {
            let message = format!("SKIPPED html validity: {why}");
            if std::env::var("DUIZHAO_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("{message}, and DUIZHAO_REQUIRE_TOOLS=1");
            }
            eprintln!("{message}");
            return;
        }
    };
    let site = demo_site(|c| {
        c.editions.zh_tw = true;
        c.editions.zh_hk = true;
        c.page_size = 3;
    })
    .await;
    let mut pages = Pages {
        site,
        fetched: Vec::new(),
    };
    for edition in Edition::ALL {
        let e = edition.code();
        let home = pages.expect(&format!("/{e}/"), 200).await;
        if let Some(next) = href_after(&home, "rel=\"next\"") {
            pages.expect(&next, 200).await;
        }
        let other = if edition == Edition::En { "zh" } else { "en" };
        pages
            .expect(&format!("/{e}/articles/{BILINGUAL}"), 200)
            .await;
        pages
            .expect(&format!("/{e}/articles/{BILINGUAL}/{other}"), 200)
            .await;
        pages
            .expect(&format!("/{e}/articles/{BILINGUAL}/dual"), 200)
            .await;
        for slug in [EN_ONLY, ZH_ONLY] {
            pages.if_page(&format!("/{e}/articles/{slug}")).await;
            for mode in ["en", "zh", "dual"] {
                pages.if_page(&format!("/{e}/articles/{slug}/{mode}")).await;
            }
        }
        pages.expect(&format!("/{e}/topics/trade"), 200).await;
        pages.expect(&format!("/{e}/authors/lin-mei"), 200).await;
        pages.expect(&format!("/{e}/sections/world"), 200).await;
        let archive = pages.expect(&format!("/{e}/archive/"), 200).await;
        let month = href_after(&archive, "<ul class=\"months\">").expect("an archive month");
        pages.expect(&month, 200).await;
        pages.expect(&format!("/{e}/search"), 200).await;
        let results = pages.expect(&format!("/{e}/search?q=trade"), 200).await;
        assert!(results.contains("class=\"results\""), "results for trade");
        pages
            .expect(&format!("/{e}/search?q=zzqxjvbnonesuch"), 200)
            .await;
        pages.expect(&format!("/{e}/no-such-page"), 404).await;
        pages.expect(&format!("/{e}/?page=abc"), 400).await;
    }
    for slug in [EN_ONLY, ZH_ONLY] {
        let articles = format!("/articles/{slug}");
        assert!(
            pages.fetched.iter().any(|(p, _, _)| p.contains(&articles)),
            "{slug} has a page in some edition"
        );
    }
    let store = pages.site.state.store();
    store
        .set_article_status(WITHDRAWN, Status::Unpublished, None)
        .await
        .unwrap();
    pages.site.state.article_changed(WITHDRAWN).await.unwrap();
    for edition in Edition::ALL {
        let e = edition.code();
        pages
            .expect(&format!("/{e}/articles/{WITHDRAWN}"), 410)
            .await;
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for (i, (path, _, body)) in pages.fetched.iter().enumerate() {
        let file = dir.path().join(format!("page-{i:03}.html"));
        std::fs::write(&file, body).unwrap();
        files.push((file, path.as_str()));
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(files.iter().map(|(f, _)| f))
        .output()
        .expect("run java -jar vnu.jar");
    // The JSON report goes to stderr; accept it on stdout too.
    let report = if out.stderr.trim_ascii().starts_with(b"{") {
        &out.stderr
    } else {
        &out.stdout
    };
    let report: serde_json::Value = serde_json::from_slice(report).unwrap_or_else(|e| {
        panic!(
            "the checker's output is not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["messages"].as_array().expect("messages");
    let mut errors = Vec::new();
    for m in messages {
        let kind = m["type"].as_str().unwrap_or("");
        let subtype = m["subType"].as_str().unwrap_or("");
        if kind == "info" && subtype != "fatal" {
            continue; // warnings
        }
        let url = m["url"].as_str().unwrap_or("");
        let page = files
            .iter()
            .find(|(f, _)| url.ends_with(&*f.file_name().unwrap().to_string_lossy()))
            .map_or(url, |(_, p)| p);
        let line = m["lastLine"].as_u64().unwrap_or(0);
        let message = m["message"].as_str().unwrap_or("");
        let extract = m["extract"].as_str().unwrap_or("").trim();
        errors.push(format!("{page}:{line}: {kind}: {message}\n    {extract}"));
    }
    assert!(
        out.status.success() || !errors.is_empty(),
        "the checker failed without reporting an error:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        errors.is_empty(),
        "{} HTML errors in {} pages:\n{}",
        errors.len(),
        files.len(),
        errors.join("\n")
    );
    eprintln!("html validity: {} pages, no errors", files.len());
}
