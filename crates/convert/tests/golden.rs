//! OpenCC's golden files (the US Constitution in Simplified Chinese and OpenCC's conversions).
//!
//! The OpenCC-exact mode must reproduce them byte for byte. The default word-aware mode may
//! differ only where listed below, each difference with its reason.

mod common;

use duizhao_convert::{Config, Converter, Segmentation};

/// (config, source fragment, our output, why). Every line on which the default mode differs
/// from OpenCC's golden output must be explained by one of these.
const DIFFERENCES: &[(&str, &str, &str, &str)] = &[
    // Upstream error: OpenCC's phrase 一出 (一齣戲) straddles 之一|出席.
    (
        "*",
        "五分之一出席",
        "五分之一出席",
        "OpenCC writes 之一齣席",
    ),
    // 准予 (to grant permission) keeps 准; OpenCC's 予进→準 comes from a phrase crossing 准予|进入.
    ("*", "准予进入", "准予進入", "OpenCC writes 準予"),
    // 合并 (to merge) is 合併; OpenCC's 合並 comes from the phrase 并组 straddling 合并|组成.
    ("*", "合并组成", "合併組成", "OpenCC writes 合並"),
];

fn golden(config: &str) -> Option<(String, String)> {
    let dir = common::bench_data("golden")?.join("opencc-golden");
    let input = std::fs::read_to_string(dir.join("us_constitution_zhs.txt")).unwrap();
    let expected =
        std::fs::read_to_string(dir.join(format!("output/us_constitution_zhs.{config}.txt")))
            .unwrap();
    Some((input, expected))
}

#[test]
fn golden_files_exact_mode_identical() {
    for config in ["s2t", "s2tw", "s2twp", "s2hk", "s2hkp"] {
        let Some((input, expected)) = golden(config) else {
            return;
        };
        let conv = Converter::builder(config.parse::<Config>().unwrap())
            .segmentation(Segmentation::OpenccExact)
            .build();
        let got = conv.convert(&input);
        for (n, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
            assert_eq!(g, e, "{config} line {}", n + 1);
        }
        assert_eq!(got, expected, "{config}");
    }
}

#[test]
fn golden_files_word_mode_differs_only_where_explained() {
    for config in ["s2t", "s2tw", "s2twp", "s2hk", "s2hkp"] {
        let Some((input, expected)) = golden(config) else {
            return;
        };
        let conv = Converter::new(config.parse::<Config>().unwrap());
        let got = conv.convert(&input);
        for ((src, ours), theirs) in input.lines().zip(got.lines()).zip(expected.lines()) {
            if ours == theirs {
                continue;
            }
            let explained = DIFFERENCES.iter().any(|&(c, from, to, _)| {
                (c == "*" || c == config)
                    && src.contains(from)
                    && ours.contains(to)
                    && !theirs.contains(to)
            });
            assert!(
                explained,
                "{config}: unexplained difference\n  source {src}\n  ours   {ours}\n  OpenCC {theirs}"
            );
        }
    }
}
