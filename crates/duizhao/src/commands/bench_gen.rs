//! `duizhao bench-gen --articles N`: a synthetic publication for the search and scale
//! benchmarks, written into a fresh store through the same save path as real articles.
//!
//! Bodies are built from the demo articles' sentences (our own text), shuffled, with invented
//! names and places mixed in so that the vocabulary grows with the publication as a real one
//! does. A fifth of the Chinese versions are written in Traditional, so that both directions
//! of conversion are exercised. The generator is seeded: the same N gives the same site.

use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};

use crate::cli::BenchGenArgs;
use crate::commands::serve::{open_site, site_config};
use crate::content::{ArticleInput, Script, Status, VersionText};
use crate::store::taxonomy::{AuthorInput, SectionInput, TopicInput};

const SECTIONS: &[(&str, &str, &str)] = &[
    ("world", "World", "国际"),
    ("economy", "Economy", "经济"),
    ("opinion", "Opinion", "观点"),
    ("technology", "Technology", "科技"),
    ("culture", "Culture", "文化"),
    ("science", "Science", "科学"),
];

/// Syllables for invented names: Latin for the English text, with a Chinese rendering.
const SYLLABLES: &[(&str, &str)] = &[
    ("ka", "卡"),
    ("lo", "洛"),
    ("mi", "米"),
    ("ren", "仁"),
    ("sa", "萨"),
    ("tor", "托"),
    ("vel", "维"),
    ("da", "达"),
    ("nor", "诺"),
    ("bi", "比"),
    ("an", "安"),
    ("ze", "泽"),
    ("qu", "曲"),
    ("han", "汉"),
    ("li", "利"),
    ("mar", "马"),
    ("po", "波"),
    ("sen", "森"),
];

fn name(rng: &mut fastrand::Rng, parts: usize) -> (String, String) {
    let (mut en, mut zh) = (String::new(), String::new());
    for _ in 0..parts {
        let (e, z) = SYLLABLES[rng.usize(..SYLLABLES.len())];
        en.push_str(e);
        zh.push_str(z);
    }
    let mut chars = en.chars();
    let en = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => en,
    };
    (en, zh)
}

/// Runs `duizhao bench-gen`.
pub fn run(args: &BenchGenArgs) -> anyhow::Result<()> {
    let config = site_config(&args.site, None)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (store, converters) = open_site(&config).await?;
        if store.article_count().await? > 0 {
            bail!(
                "the database at {} already has articles; bench-gen writes into a fresh store",
                config.database_url()
            );
        }
        let (en_pool, zh_pool) = crate::demo::sentences()?;
        let mut rng = fastrand::Rng::with_seed(args.seed);
        let started = Instant::now();

        for (i, (slug, en, zh)) in SECTIONS.iter().enumerate() {
            store
                .upsert_section(
                    &SectionInput {
                        slug: (*slug).into(),
                        name_en: (*en).into(),
                        name_zh: (*zh).into(),
                        position: i as i64,
                    },
                    &converters,
                )
                .await?;
        }
        let topics: Vec<String> = (0..24).map(|i| format!("topic-{i}")).collect();
        for (i, slug) in topics.iter().enumerate() {
            let (en, zh) = name(&mut rng, 2);
            store
                .upsert_topic(
                    &TopicInput {
                        slug: slug.clone(),
                        name_en: en,
                        name_zh: zh,
                        hot: i < 5,
                        hot_order: i as i64,
                        ..Default::default()
                    },
                    &converters,
                )
                .await?;
        }
        let authors: Vec<String> = (0..60).map(|i| format!("author-{i}")).collect();
        for slug in &authors {
            let (en, zh) = name(&mut rng, 3);
            store
                .upsert_author(
                    &AuthorInput {
                        slug: slug.clone(),
                        name_en: en.clone(),
                        name_zh: zh.clone(),
                        bio_en: format!("{en} writes for the synthetic benchmark publication."),
                        bio_zh: format!("{zh}为基准测试出版物撰稿。"),
                        photo: None,
                    },
                    &converters,
                )
                .await?;
        }

        let bar = ProgressBar::new(args.articles);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} writing [{bar:40}] {pos}/{len} articles, {per_sec}, eta {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        let newest = Timestamp::now() - SignedDuration::from_hours(1);
        let to_hant = duizhao_convert::Converter::new(duizhao_convert::Config::S2tw);
        for n in 0..args.articles {
            let paragraphs = rng.usize(5..=9);
            let (mut en_body, mut zh_body) = (Vec::new(), Vec::new());
            for _ in 0..paragraphs {
                let k = rng.usize(2..=4);
                let (place_en, place_zh) = name(&mut rng, 2);
                let mut en_p = Vec::new();
                let mut zh_p = String::new();
                for s in 0..k {
                    en_p.push(en_pool[rng.usize(..en_pool.len())].clone());
                    zh_p.push_str(&zh_pool[rng.usize(..zh_pool.len())]);
                    if s == 0 {
                        en_p.push(format!("Officials in {place_en} disagreed."));
                        zh_p.push_str(&format!("{place_zh}的官员对此看法不一。"));
                    }
                }
                en_body.push(en_p.join(" "));
                zh_body.push(zh_p);
            }
            let (who_en, who_zh) = name(&mut rng, 2);
            let title_en = format!(
                "{} and the {who_en} question",
                en_pool[rng.usize(..en_pool.len())]
                    .split_whitespace()
                    .take(5)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim_end_matches(['.', ',', ';', ':'])
            );
            let title_zh = format!(
                "{}：{who_zh}问题",
                zh_pool[rng.usize(..zh_pool.len())]
                    .chars()
                    .take(12)
                    .collect::<String>()
                    .trim_end_matches(['。', '，', '；', '：'])
            );
            let traditional = n % 5 == 4;
            let zh_text = |s: String| if traditional { to_hant.convert(&s) } else { s };
            let input = ArticleInput {
                slug: format!("synthetic-{n}"),
                section: Some(SECTIONS[rng.usize(..SECTIONS.len())].0.to_owned()),
                topics: (0..rng.usize(1..=3))
                    .map(|_| topics[rng.usize(..topics.len())].clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                authors: vec![authors[rng.usize(..authors.len())].clone()],
                hero: None,
                status: Status::Published,
                featured: false,
                zh_script: if traditional {
                    Script::Hant
                } else {
                    Script::Hans
                },
                zh_rules: String::new(),
                // One article every 20 minutes, going back from now.
                published_at: Some(newest - SignedDuration::from_mins(20 * n as i64)),
                updated_at: None,
                en: Some(VersionText {
                    title: title_en,
                    dek: en_pool[rng.usize(..en_pool.len())].clone(),
                    body: en_body.join("\n\n"),
                    ..VersionText::default()
                }),
                zh: Some(VersionText {
                    title: zh_text(title_zh),
                    dek: zh_text(zh_pool[rng.usize(..zh_pool.len())].clone()),
                    body: zh_text(zh_body.join("\n\n")),
                    ..VersionText::default()
                }),
            };
            crate::editorial::save_article(&store, &converters, &input, Timestamp::now())
                .await
                .with_context(|| format!("writing synthetic article {n}"))?;
            bar.inc(1);
        }
        bar.finish_and_clear();
        println!(
            "wrote {} articles, {} topics, {} authors, {} sections into {} in {:.1} s; \
             run `duizhao reindex` to build the search index",
            args.articles,
            topics.len(),
            authors.len(),
            SECTIONS.len(),
            config.database_url(),
            started.elapsed().as_secs_f64()
        );
        store.close().await;
        Ok(())
    })
}
