//! `duizhao backup FILE` and `duizhao restore FILE`: the whole site in one tar archive.
//!
//! The archive holds `duizhao-backup.json` (what it is: format, backend, time, article count),
//! `database/duizhao.db` (SQLite sites) and `media/…` (every file of the media directory). The
//! search index is not archived: it is derived, and restore rebuilds it.
//!
//! SQLite: the snapshot is taken with `VACUUM INTO`, SQLite's online backup in one statement. It
//! reads the database in one read transaction, so a site that keeps serving (and writing) while
//! the backup runs still gets a consistent copy, including what is in the WAL; the copy is also
//! compacted. The archive is written to a temporary file beside `FILE` and renamed over it only
//! when complete.
//!
//! PostgreSQL: the database is backed up with PostgreSQL's own tools, which know its
//! transactions, roles and versions far better than an archive of ours could —
//! `pg_dump --format=custom --file site.dump URL`, and `pg_restore --clean --if-exists
//! --no-owner --dbname URL site.dump` to restore. `backup` says so and archives the media;
//! `restore` restores the media and says so again.
//!
//! Restore never loses the current site: it refuses to replace a site that has articles or
//! media unless `--force`; it unpacks into temporary folders beside their targets, opens the
//! restored database (migrating it if it is older) and checks its article count against the
//! archive's, and only then renames the old database and media aside, the new ones into place,
//! and deletes the old ones. If a rename fails, the ones already done are undone. Stop
//! `duizhao serve` before restoring: it holds the database open.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::cli::{BackupArgs, RestoreArgs};
use crate::commands::serve::{open_site, site_config};
use crate::config::SiteConfig;
use crate::search::SearchIndex;
use crate::store::{Backend, Store};

/// The archive's description of itself, its first entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Archive layout version (1).
    pub format: u32,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When the backup was taken (RFC 3339).
    pub created: String,
    /// Articles in the database then (0 for PostgreSQL, whose database is not archived).
    pub articles: i64,
    /// Media files in the archive.
    pub media_files: usize,
}

const MANIFEST: &str = "duizhao-backup.json";
const DATABASE: &str = "database/duizhao.db";

/// The message for PostgreSQL sites.
pub const POSTGRES_NOTE: &str = "The database is PostgreSQL: back it up with PostgreSQL's tools, \
e.g. `pg_dump --format=custom --file site.dump \"$DUIZHAO_DATABASE_URL\"`, and restore it with \
`pg_restore --clean --if-exists --no-owner --dbname \"$DUIZHAO_DATABASE_URL\" site.dump`, then run \
`duizhao reindex`. This archive holds the media files only.";

/// Writes a backup archive of the site to `file`; returns what it holds.
pub async fn backup(
    config: &SiteConfig,
    store: &Store,
    file: &Path,
    progress: &ProgressBar,
) -> anyhow::Result<Manifest> {
    let dir = parent_dir(file);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".duizhao-backup-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let media_dir = config.data_dir.join("media");
    let media = list_files(&media_dir)
        .with_context(|| format!("cannot list the media in {}", media_dir.display()))?;
    let (backend, articles) = match store.backend() {
        Backend::Sqlite => ("sqlite", store.article_count().await?),
        Backend::Postgres => ("postgres", 0),
    };
    let snapshot = staging.path().join("duizhao.db");
    if store.backend() == Backend::Sqlite {
        progress.set_message("database snapshot (VACUUM INTO)");
        let target = snapshot.to_str().context("the backup path is not UTF-8")?;
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_owned())
            .execute(store.pool())
            .await
            .context("the SQLite snapshot (VACUUM INTO) failed")?;
    }
    let manifest = Manifest {
        format: 1,
        backend: backend.to_owned(),
        created: jiff::Timestamp::now().to_string(),
        articles,
        media_files: media.len(),
    };

    progress.set_length(media.len() as u64);
    progress.set_message("media");
    let archive = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut tar = tar::Builder::new(std::io::BufWriter::new(archive));
    tar.follow_symlinks(false);
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serializes");
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(jiff::Timestamp::now().as_second().max(0) as u64);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, json.as_slice())?;
    if store.backend() == Backend::Sqlite {
        tar.append_path_with_name(&snapshot, DATABASE)
            .context("cannot add the database snapshot to the archive")?;
    }
    for rel in &media {
        tar.append_path_with_name(media_dir.join(rel), format!("media/{rel}"))
            .with_context(|| format!("cannot add media/{rel} to the archive"))?;
        progress.inc(1);
    }
    let writer = tar.into_inner().context("cannot finish the archive")?;
    let archive = writer.into_inner().map_err(|e| e.into_error())?;
    archive.as_file().sync_all()?;
    archive
        .persist(file)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(manifest)
}

/// What a restore put in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    /// The archive's manifest.
    pub manifest: Manifest,
    /// Published articles indexed for search afterwards.
    pub indexed: u64,
}

/// Restores a backup archive into the site `config` describes. The site's database must not be
/// open elsewhere (stop `duizhao serve`).
pub async fn restore(
    config: &SiteConfig,
    file: &Path,
    force: bool,
    progress: &ProgressBar,
) -> anyhow::Result<Restored> {
    let manifest = read_manifest(file)?;
    let url = config.database_url();
    let sqlite = if manifest.backend == "sqlite" {
        Some(sqlite_path(&url).with_context(|| {
            format!(
                "{}: the backup holds a SQLite database, but the site's database is {url}",
                file.display()
            )
        })?)
    } else {
        None
    };
    crate::store::create_private_dir(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let media_dir = config.data_dir.join("media");
    // Taking the search index's writer first also stops a restore under a running server
    // (which holds it) before anything is touched.
    let search = SearchIndex::open(&config.data_dir.join("search"))
        .context("is `duizhao serve` running on this data directory? stop it before restoring")?;

    // Refuse to overwrite a site with content unless asked to.
    let articles = if sqlite.is_some() {
        let (store, _) = open_site(config).await?;
        let n = store.article_count().await?;
        store.close().await;
        n
    } else {
        0 // PostgreSQL: the database is pg_restore's business; only the media is replaced.
    };
    let media_count = list_files(&media_dir).map(|m| m.len()).unwrap_or(0);
    if (articles > 0 || media_count > 0) && !force {
        bail!(
            "the site in {} is not empty ({articles} articles, {media_count} media files); \
             add --force to replace it with the backup",
            config.data_dir.display()
        );
    }

    // Unpack beside the targets, so that moving into place is a rename.
    let media_staging = tempfile::Builder::new()
        .prefix(".restore-media-")
        .tempdir_in(&config.data_dir)?;
    let db_staging = match &sqlite {
        Some(db) => Some(
            tempfile::Builder::new()
                .prefix(".restore-db-")
                .tempdir_in(parent_dir(db))?,
        ),
        None => None,
    };
    progress.set_length(manifest.media_files as u64 + 1);
    progress.set_message("unpacking");
    let mut archive = tar::Archive::new(
        File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
    );
    let mut restored_db = false;
    for entry in archive
        .entries()
        .with_context(|| format!("{} is not a tar archive", file.display()))?
    {
        let mut entry =
            entry.with_context(|| format!("{}: a damaged archive entry", file.display()))?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let kind = entry.header().entry_type();
        if !kind.is_file() {
            continue;
        }
        let target = if name == DATABASE {
            let Some(staging) = &db_staging else { continue };
            restored_db = true;
            staging.path().join("duizhao.db")
        } else if let Some(rel) = name.strip_prefix("media/") {
            let rel = crate::import::clean_relative(rel).with_context(|| {
                format!("{}: unsafe path {name:?} in the archive", file.display())
            })?;
            media_staging.path().join("media").join(rel)
        } else {
            continue;
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        entry
            .unpack(&target)
            .with_context(|| format!("{}: cannot unpack {name}", file.display()))?;
        progress.inc(1);
    }
    std::fs::create_dir_all(media_staging.path().join("media"))?;

    // Check the database before anything is replaced.
    if let (Some(staging), Some(_)) = (&db_staging, &sqlite) {
        if !restored_db {
            bail!("{}: the archive has no {DATABASE}", file.display());
        }
        let staged = staging.path().join("duizhao.db");
        let check = Store::open(&format!("sqlite://{}", staged.display()))
            .await
            .with_context(|| {
                format!(
                    "{}: the database in the archive cannot be opened",
                    file.display()
                )
            })?;
        let count = check.article_count().await?;
        // Fold the WAL back into the file so that the single file is the whole database.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(check.pool())
            .await?;
        check.close().await;
        if count != manifest.articles {
            bail!(
                "{}: the database in the archive has {count} articles, its manifest says {}",
                file.display(),
                manifest.articles
            );
        }
    }

    // Move into place, keeping the old files until every move succeeded.
    progress.set_message("moving into place");
    let aside = tempfile::Builder::new()
        .prefix(".restore-replaced-")
        .tempdir_in(&config.data_dir)?;
    let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut plan: Vec<(PathBuf, PathBuf, PathBuf)> = Vec::new();
    if let (Some(staging), Some(db)) = (&db_staging, &sqlite) {
        let db_aside = db_staging_aside(staging.path());
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db.display()));
            if side.exists() {
                moves_push(
                    &mut moves,
                    &side,
                    &db_aside.join(format!("duizhao.db{suffix}")),
                )?;
            }
        }
        plan.push((
            staging.path().join("duizhao.db"),
            db.clone(),
            db_aside.join("duizhao.db"),
        ));
    }
    plan.push((
        media_staging.path().join("media"),
        media_dir.clone(),
        aside.path().join("media"),
    ));
    let mut result = Ok(());
    for (new, live, old) in &plan {
        if live.exists()
            && let Err(e) = moves_push(&mut moves, live, old)
        {
            result = Err(e);
            break;
        }
        if let Err(e) = moves_push(&mut moves, new, live) {
            result = Err(e);
            break;
        }
    }
    if let Err(e) = result {
        for (from, to) in moves.iter().rev() {
            let _ = std::fs::rename(to, from);
        }
        return Err(e.context("restore failed; the site was left as it was"));
    }
    drop(aside);
    drop(db_staging);

    progress.set_message("search index");
    let (store, _) = open_site(config).await?;
    let indexed = crate::editorial::reindex(&store, &search, || {}).await?;
    store.close().await;
    Ok(Restored { manifest, indexed })
}

/// Where the old database's files go while a restore moves the new one in: a folder in the
/// database's staging folder (same file system as the database).
fn db_staging_aside(staging: &Path) -> PathBuf {
    staging.join("replaced")
}

/// Renames `from` to `to` and records it so it can be undone.
fn moves_push(moves: &mut Vec<(PathBuf, PathBuf)>, from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))?;
    moves.push((from.to_owned(), to.to_owned()));
    Ok(())
}

/// Reads and checks the manifest, the archive's first entry.
pub fn read_manifest(file: &Path) -> anyhow::Result<Manifest> {
    let mut archive = tar::Archive::new(
        File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
    );
    let mut entries = archive
        .entries()
        .with_context(|| format!("{} is not a tar archive", file.display()))?;
    let mut first = match entries.next() {
        Some(entry) => entry.with_context(|| format!("{} is not a tar archive", file.display()))?,
        None => bail!("{} is empty", file.display()),
    };
    if first.path()?.to_str() != Some(MANIFEST) {
        bail!(
            "{} is not a Duizhao backup (no {MANIFEST} first)",
            file.display()
        );
    }
    let mut text = String::new();
    first.read_to_string(&mut text)?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{}: in {MANIFEST}", file.display()))?;
    if manifest.format != 1 {
        bail!(
            "{}: backup format {} is not one this version reads (1)",
            file.display(),
            manifest.format
        );
    }
    if manifest.backend != "sqlite" && manifest.backend != "postgres" {
        bail!(
            "{}: unknown backend {:?} in {MANIFEST}",
            file.display(),
            manifest.backend
        );
    }
    Ok(manifest)
}

pub use crate::store::sqlite_path;

fn parent_dir(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Every file under `dir`, as `/`-separated relative paths, sorted; none when `dir` is missing.
pub fn list_files(dir: &Path) -> std::io::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(root, &entry.path(), out)?;
            } else if kind.is_file() {
                let rel = entry.path();
                let rel = rel.strip_prefix(root).expect("under the root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Runs `duizhao backup`.
pub fn run_backup(args: &BackupArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (store, _) = open_site(&config).await?;
        let started = Instant::now();
        let progress = bar();
        let result = backup(&config, &store, &args.file, &progress).await;
        progress.finish_and_clear();
        store.close().await;
        let manifest = result?;
        let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
        if manifest.backend == "postgres" {
            println!("{POSTGRES_NOTE}");
        }
        println!(
            "wrote {} ({:.1} MB) in {:.1} s: {} articles, {} media files",
            args.file.display(),
            size as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            manifest.articles,
            manifest.media_files
        );
        Ok(())
    })
}

/// Runs `duizhao restore`.
pub fn run_restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let started = Instant::now();
        let progress = bar();
        let result = restore(&config, &args.file, args.force, &progress).await;
        progress.finish_and_clear();
        let restored = result?;
        if restored.manifest.backend == "postgres" {
            println!("{POSTGRES_NOTE}");
        }
        println!(
            "restored {} (taken {}) in {:.1} s: {} articles, {} media files; search index rebuilt ({} published)",
            args.file.display(),
            restored.manifest.created,
            started.elapsed().as_secs_f64(),
            restored.manifest.articles,
            restored.manifest.media_files,
            restored.indexed
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_give_their_file() {
        assert_eq!(
            sqlite_path("sqlite:///data/d.db"),
            Some(PathBuf::from("/data/d.db"))
        );
        assert_eq!(
            sqlite_path("sqlite://d.db?mode=rwc"),
            Some(PathBuf::from("d.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }
}
