//! `duizhao export --static DIR`: the public site as static files (see [`crate::export`]).
//!
//! The export is written into a new directory beside `DIR` and moved into place only when it
//! is complete, so a failed or interrupted export leaves `DIR` as it was. `DIR` is replaced
//! only when it is empty or holds an earlier export (known by its marker file); anything else
//! there is refused rather than deleted.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::ExportArgs;
use crate::commands::serve::{open_site, site_config};
use crate::search::SearchIndex;
use crate::web::AppState;

/// The file that marks a directory as written by `duizhao export`.
pub const MARKER: &str = ".duizhao-export";

/// Runs `duizhao export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let target = &args.static_dir;
    check_target(target)?;
    if is_loopback(&config.base_url) {
        eprintln!(
            "note: canonical links, sitemaps and feeds name {}; give the public address with --base-url",
            config.base_url
        );
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (store, converters) = open_site(&config).await?;
        // The pages need no search, and a running server holds the index's lock: an empty
        // index of its own lets the export run beside it.
        let search_dir = Scratch(staging_dir(target, "search")?);
        let search = SearchIndex::open(&search_dir.0)?;
        let state = AppState::with_search(config, store.clone(), converters, search)?;
        let staging = Scratch(staging_dir(target, "partial")?);
        let staging = &staging.0;
        std::fs::create_dir(staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} exporting [{bar:40}] {pos}/{len} URLs, {per_sec}, {elapsed}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        let started = Instant::now();
        let result = crate::export::write_site(&state, staging, &|p| {
            bar.set_length(p.found as u64);
            bar.set_position(p.done as u64);
        })
        .await;
        bar.finish_and_clear();
        drop(state);
        store.close().await;
        let summary = result?;
        std::fs::write(
            staging.join(MARKER),
            "Written by `duizhao export --static`; the next export replaces this directory.\n",
        )
        .with_context(|| format!("cannot write {}", staging.join(MARKER).display()))?;
        install(staging, target)?;
        println!(
            "exported {} pages, {} redirect pages and {} other files ({:.1} MB) to {} in {:.1} s",
            summary.pages,
            summary.redirects,
            summary.files,
            summary.bytes as f64 / 1e6,
            target.display(),
            started.elapsed().as_secs_f64()
        );
        if !summary.missing.is_empty() {
            eprintln!(
                "warning: the site links to {} URLs it answers 404 or 410 for:",
                summary.missing.len()
            );
            for (url, from) in &summary.missing {
                eprintln!("  {url} (linked from {from})");
            }
        }
        Ok(())
    })
}

/// A directory of the command's own, removed when the command ends however it ends (after a
/// successful export the staging directory has become the target and is no longer there).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Refuses a target that is a file, or a directory with something in it other than an
/// earlier export.
pub fn check_target(target: &Path) -> anyhow::Result<()> {
    if target.file_name().is_none() {
        bail!(
            "{}: name the export directory itself (not `.`, `..` or `/`)",
            target.display()
        );
    }
    match std::fs::metadata(target) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", target.display())),
        Ok(meta) if !meta.is_dir() => bail!("{} exists and is not a directory", target.display()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(target)
                .with_context(|| format!("cannot read {}", target.display()))?;
            if entries.next().is_none() || target.join(MARKER).is_file() {
                Ok(())
            } else {
                bail!(
                    "{} is not empty and holds no earlier export ({MARKER} is missing): \
                     choose another directory, or empty this one",
                    target.display()
                )
            }
        }
    }
}

/// Moves a complete export into place, replacing what [`check_target`] allowed.
pub fn install(staging: &Path, target: &Path) -> anyhow::Result<()> {
    check_target(target)?;
    if target.exists() {
        let old = staging_dir(target, "old")?;
        std::fs::rename(target, &old).with_context(|| {
            format!(
                "cannot move {} aside to {}",
                target.display(),
                old.display()
            )
        })?;
        std::fs::rename(staging, target).with_context(|| {
            format!(
                "cannot move {} to {} (the earlier export is in {})",
                staging.display(),
                target.display(),
                old.display()
            )
        })?;
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove the earlier export {}", old.display()))?;
    } else {
        std::fs::rename(staging, target).with_context(|| {
            format!("cannot move {} to {}", staging.display(), target.display())
        })?;
    }
    Ok(())
}

/// A directory beside `target` (so that renaming it into place cannot cross file systems).
fn staging_dir(target: &Path, what: &str) -> anyhow::Result<PathBuf> {
    let name = target
        .file_name()
        .with_context(|| format!("{}: no directory name", target.display()))?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    Ok(parent.join(format!(
        ".{}.{what}-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

fn is_loopback(base_url: &str) -> bool {
    let authority = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or("");
    ["localhost", "127.", "[::1]"]
        .iter()
        .any(|p| authority.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_directories_and_earlier_exports_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        check_target(&target).unwrap();
        std::fs::create_dir(&target).unwrap();
        check_target(&target).unwrap();
        std::fs::write(target.join("notes.txt"), "mine").unwrap();
        let err = check_target(&target).unwrap_err().to_string();
        assert!(err.contains("site") && err.contains(MARKER), "{err}");
        std::fs::write(target.join(MARKER), "").unwrap();
        check_target(&target).unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        assert!(check_target(&file).is_err());
        assert!(check_target(Path::new(".")).is_err());
    }

    #[test]
    fn a_new_export_replaces_the_earlier_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join(MARKER), "").unwrap();
        std::fs::write(target.join("gone.html"), "old").unwrap();
        let staging = staging_dir(&target, "partial").unwrap();
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("index.html"), "new").unwrap();
        install(&staging, &target).unwrap();
        assert!(target.join("index.html").is_file());
        assert!(!target.join("gone.html").exists());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn loopback_addresses_are_recognised() {
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://localhost"));
        assert!(is_loopback("http://[::1]:8080"));
        assert!(!is_loopback("https://news.example"));
    }
}
