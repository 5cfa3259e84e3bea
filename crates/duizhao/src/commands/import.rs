//! `duizhao import`: bring articles in from a folder of Markdown files or a WordPress export,
//! then rebuild the search index. What each file or item became is printed at the end (see
//! [`crate::import::ImportReport`]); a file that cannot be read is reported and the import goes
//! on, while a missing folder or an export that is not XML stops it before anything is written.

use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::ImportArgs;
use crate::commands::serve::{open_site, site_config};
use crate::search::SearchIndex;

/// Runs `duizhao import`.
pub fn run(args: &ImportArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (store, converters) = open_site(&config).await?;
        let media_dir = config.data_dir.join("media");
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} importing [{bar:40}] {pos}/{len} {msg}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        let started = Instant::now();
        let now = jiff::Timestamp::now();
        let report = match (&args.dir, &args.wordpress) {
            (_, Some(file)) => {
                bar.set_message("reading WordPress items");
                crate::import::import_wordpress(&store, &converters, &media_dir, file, now, bar.clone())
                    .await?
            }
            (Some(dir), None) => {
                bar.set_message("reading Markdown files");
                crate::import::import_markdown(&store, &converters, &media_dir, dir, now, bar.clone())
                    .await?
            }
            (None, None) => anyhow::bail!("give a folder of Markdown files, or --wordpress FILE"),
        };
        bar.finish_and_clear();
        print!("{}", report.summary());
        if !report.imported.is_empty() || !report.updated.is_empty() {
            let search = SearchIndex::open(&config.data_dir.join("search"))
                .context("cannot open the search index (is `duizhao serve` running? then run `duizhao reindex` after stopping it)")?;
            let indexed = crate::editorial::reindex(&store, &search, || {}).await?;
            println!("search index rebuilt: {indexed} published articles");
        }
        println!("done in {:.1} s", started.elapsed().as_secs_f64());
        store.close().await;
        Ok(())
    })
}
