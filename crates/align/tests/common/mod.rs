//! Shared helpers for tests that read `../shared/bench-data` (beside the workspace root).
// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The bench-data directory, or `None` (after saying so) when it is absent.
/// `DUIZHAO_BENCH_DATA` overrides the location.
pub fn bench_data(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DUIZHAO_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench-data")
        });
    if dir.join("align/bible-zh-en/gold.align").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED {test}: bench data not found at {} (set DUIZHAO_BENCH_DATA)",
            dir.display()
        );
        None
    }
}

/// Reads a file of lines.
pub fn lines(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    duizhao_align::lines_from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
