//! OpenCC's own test suite and golden files, run in both segmentation modes.

mod common;

use duizhao_convert::{Config, Converter, Segmentation};

/// Pairs on which the word-aware default deliberately disagrees with OpenCC's expectation.
/// (case id, config, our output, why)
const DISAGREEMENTS: &[(&str, &str, &str, &str)] = &[(
    "BYVoid_OpenCC_Issue_475_tw2sp",
    "tw2sp",
    "像素 像素借由 图标 图标覆盖[sic]",
    "OpenCC's phrase 素藉 straddles 畫素|藉由 and blocks 畫素→像素; the expectation itself is \
     marked [sic] upstream. 畫素藉由 is 'by means of pixels' (像素借由) and 圖示覆蓋 'icon overlay' (图标覆盖).",
)];

fn converters(seg: Segmentation) -> impl FnMut(&str) -> std::rc::Rc<Converter> {
    let mut cache = std::collections::HashMap::new();
    move |config: &str| {
        cache
            .entry(config.to_owned())
            .or_insert_with(|| {
                let config = config.parse::<Config>().unwrap();
                std::rc::Rc::new(
                    Converter::builder(config)
                        .segmentation(seg)
                        .inline_rules(false)
                        .build(),
                )
            })
            .clone()
    }
}

/// Runs the suite; returns the unexplained differences and how many listed disagreements occurred.
fn run_suite(
    test: &str,
    seg: Segmentation,
    disagreements: &[(&str, &str, &str, &str)],
) -> Option<(Vec<String>, usize)> {
    let dir = common::bench_data(test)?;
    let pairs = common::opencc_cases(&dir);
    assert_eq!(
        pairs.len(),
        543,
        "the suite has 543 (config, expected) pairs"
    );
    let mut converter = converters(seg);
    let mut failures = Vec::new();
    let mut explained = 0;
    for (id, input, config, expected) in &pairs {
        let got = converter(config).convert(input);
        if disagreements
            .iter()
            .any(|&(i, c, ours, _)| i == id && c == config && ours == got)
        {
            explained += 1;
        } else if &got != expected {
            failures.push(format!(
                "{id} {config}: {input}\n  expected {expected}\n  got      {got}"
            ));
        }
    }
    Some((failures, explained))
}

#[test]
fn opencc_testcases_exact_mode_all_pass() {
    let Some((failures, _)) = run_suite(
        "opencc_testcases_exact_mode_all_pass",
        Segmentation::OpenccExact,
        &[],
    ) else {
        return;
    };
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn opencc_testcases_word_mode() {
    let Some((failures, explained)) = run_suite(
        "opencc_testcases_word_mode",
        Segmentation::Words,
        DISAGREEMENTS,
    ) else {
        return;
    };
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        explained,
        DISAGREEMENTS.len(),
        "a listed disagreement no longer occurs: update the list"
    );
}
