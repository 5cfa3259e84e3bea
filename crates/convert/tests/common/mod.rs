//! Shared helpers for tests that read `../shared/bench-data` (beside the workspace root).
// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;

/// The bench-data directory, or `None` (after saying so) when it is absent.
/// `DUIZHAO_BENCH_DATA` overrides the location.
pub fn bench_data(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DUIZHAO_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench-data")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED {test}: bench data not found at {} (set DUIZHAO_BENCH_DATA)",
            dir.display()
        );
        None
    }
}

/// OpenCC's testcases.json: (id, input, config, expected) for every pair.
pub fn opencc_cases(dir: &std::path::Path) -> Vec<(String, String, String, String)> {
    let raw = std::fs::read_to_string(dir.join("opencc-testcases/testcases.json"))
        .expect("testcases.json");
    // The file has trailing commas, which strict JSON does not allow.
    let mut json = String::with_capacity(raw.len());
    let mut pending_comma = false;
    let mut ws = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in raw.chars() {
        if in_string {
            json.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_whitespace() {
            ws.push(c);
            continue;
        }
        if pending_comma && c != '}' && c != ']' {
            json.push(',');
        }
        pending_comma = false;
        json.push_str(&ws);
        ws.clear();
        match c {
            ',' => pending_comma = true,
            '"' => {
                in_string = true;
                json.push(c);
            }
            _ => json.push(c),
        }
    }
    let doc: serde_json::Value =
        serde_json::from_str(&json).expect("testcases.json parses once trailing commas go");
    let mut pairs = Vec::new();
    for case in doc["cases"].as_array().expect("cases") {
        let id = case["id"].as_str().unwrap().to_owned();
        let input = case["input"].as_str().unwrap().to_owned();
        for (config, expected) in case["expected"].as_object().unwrap() {
            pairs.push((
                id.clone(),
                input.clone(),
                config.clone(),
                expected.as_str().unwrap().to_owned(),
            ));
        }
    }
    pairs
}
