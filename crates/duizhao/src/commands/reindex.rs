//! `duizhao reindex`: rebuild the search index from the database, with progress.

use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::ReindexArgs;
use crate::commands::serve::{open_site, site_config};
use crate::search::SearchIndex;

/// Runs `duizhao reindex`.
pub fn run(args: &ReindexArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (store, _converters) = open_site(&config).await?;
        let dir = config.data_dir.join("search");
        let search = SearchIndex::open(&dir)?;
        let total = store.article_count().await?;
        let bar = ProgressBar::new(total.max(0) as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} indexing [{bar:40}] {pos}/{len} articles, {per_sec}, eta {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        let started = Instant::now();
        let indexed = crate::editorial::reindex(&store, &search, || bar.inc(1)).await?;
        bar.finish_and_clear();
        let size = dir_size(&dir);
        println!(
            "indexed {indexed} published articles of {total} in {:.1} s; the index in {} takes {:.1} MB",
            started.elapsed().as_secs_f64(),
            dir.display(),
            size as f64 / 1e6
        );
        store.close().await;
        Ok(())
    })
}

/// Bytes used by the files of a directory (not recursive: tantivy keeps one level).
pub fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
