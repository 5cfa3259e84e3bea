//! Benchmark of duizhao-convert against other Rust OpenCC implementations and Debian's opencc:
//! throughput, construction time, HTML-mode cost and accuracy on OpenCC's test suite.
//!
//! Usage: convert-peers [BENCH_DATA_DIR]   (or env DUIZHAO_BENCH_DATA; env BENCH_RUNS, default 5)
//!        convert-peers mismatches IMPL CONFIG [BENCH_DATA_DIR]
//! Every ratio is computed from figures taken in the same run, since the machine is noisy.

mod accuracy;
mod debian;
mod peers;
mod timing;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use accuracy::{Suite, Tally};
use peers::{ALL, CONFIGS, ConvFn, Impl};
use timing::{fmt_dur, mb_per_s, median, median_f64, timed};

const THROUGHPUT_CONFIGS: [&str; 3] = ["s2t", "s2twp", "t2s"];
const CONSTRUCT_CONFIGS: [&str; 2] = ["s2t", "s2twp"];
const CONSTRUCT_RUNS: usize = 20;
const CLI_RUNS: usize = 3;
const CORPUS_COPIES: usize = 8;
const CHILD_CMD: &str = "__construct";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(CHILD_CMD) {
        construct_child(&args[2..]);
        return;
    }
    let result = if args.get(1).map(String::as_str) == Some("mismatches") {
        mismatches(&args[1..])
    } else {
        run(&args)
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Times one build in a process that has built nothing yet, so process-wide caches (our word
/// lexicon, zhconv's lazy statics) are paid for as a first user pays for them.
fn construct_child(args: &[String]) {
    let imp = args
        .first()
        .and_then(|k| Impl::from_key(k))
        .expect("implementation key");
    let config = args.get(1).expect("config");
    let t0 = Instant::now();
    let built = peers::build(imp, config);
    let elapsed = t0.elapsed();
    match built {
        Ok(_) => println!("{}", elapsed.as_nanos()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}

/// `convert-peers mismatches IMPL CONFIG [DATA]`: the failing test pairs, to tell a real
/// difference in output from a harness problem when a score looks odd.
fn mismatches(args: &[String]) -> Result<(), String> {
    let keys = ALL.map(Impl::key).join(", ");
    let imp = args
        .get(1)
        .and_then(|k| Impl::from_key(k))
        .ok_or(format!("IMPL is one of {keys}"))?;
    let config = args.get(2).ok_or("CONFIG missing")?;
    let c = peers::build(imp, config)?;
    let suite = Suite::load(&data_dir(&args[2..]).join("opencc-testcases/testcases.json"))?;
    for (_, input, expected) in suite.pairs.iter().filter(|p| &p.0 == config) {
        let got = c(input);
        if &got != expected {
            println!("in:       {input}\nexpected: {expected}\ngot:      {got}\n");
        }
    }
    Ok(())
}

fn progress(msg: impl AsRef<str>) {
    eprintln!("# {}", msg.as_ref());
}

fn data_dir(args: &[String]) -> PathBuf {
    let dir = args
        .get(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("DUIZHAO_BENCH_DATA").map(PathBuf::from))
        // The data lives beside the main workspace (/work/main -> /work/shared/bench-data).
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench-data")
        });
    dir.canonicalize().unwrap_or(dir)
}

struct Throughput {
    config: &'static str,
    name: String,
    result: Result<(Duration, f64), String>,
    /// Median of this implementation's time ÷ that of the run of duizhao's default beside it
    /// (see the report's note on the column).
    side_by_side: Option<f64>,
}

fn run(args: &[String]) -> Result<(), String> {
    let data = data_dir(args);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let one = std::fs::read_to_string(data.join("zuozhuan.txt")).map_err(|e| {
        format!(
            "{}: {e} (pass the bench-data dir as argument or DUIZHAO_BENCH_DATA)",
            data.display()
        )
    })?;
    let corpus = one.repeat(CORPUS_COPIES);
    let scratch = debian::Scratch::new().map_err(|e| e.to_string())?;
    let cli = debian::detect();
    let mut out = String::new();
    let mut notes: Vec<String> = Vec::new();

    progress(format!(
        "data {}, corpus {:.2} MB, {runs} runs per figure",
        data.display(),
        corpus.len() as f64 / 1e6
    ));
    // t2s needs Traditional input; our s2t output is the only Traditional text of this size at hand.
    let trad = peers::build(Impl::Ours, "s2t")?(&corpus);
    let plain_in = scratch.0.join("corpus-s.txt");
    let trad_in = scratch.0.join("corpus-t.txt");
    std::fs::write(&plain_in, &corpus).map_err(|e| e.to_string())?;
    std::fs::write(&trad_in, &trad).map_err(|e| e.to_string())?;

    // Throughput. Rounds interleave the implementations so drift on a shared machine hits all alike.
    let mut rows: Vec<Throughput> = Vec::new();
    for config in THROUGHPUT_CONFIGS {
        let input: &str = if config == "t2s" { &trad } else { &corpus };
        let convs: Vec<(Impl, Result<ConvFn, String>)> =
            ALL.iter().map(|&i| (i, peers::build(i, config))).collect();
        let warm = &input[..input.floor_char_boundary(1 << 16)];
        for (_, c) in convs.iter() {
            if let Ok(c) = c {
                c(warm);
            }
        }
        let mut walls = vec![Vec::new(); convs.len()];
        let mut cpu = vec![Duration::ZERO; convs.len()];
        // Per implementation: its time ÷ duizhao default's in the run beside it.
        let mut paired = vec![Vec::new(); convs.len()];
        let ours = convs
            .iter()
            .position(|(i, c)| *i == Impl::Ours && c.is_ok());
        let mut measure = |k: usize, walls: &mut Vec<Vec<Duration>>| {
            let (imp, c) = &convs[k];
            let c = c.as_ref().expect("only built implementations are measured");
            let (wall, used, output) = timed(|| c(input));
            if output.len() < input.len() / 2 {
                notes.push(format!(
                    "{} {config}: output is {} bytes for {} input bytes",
                    imp.label(),
                    output.len(),
                    input.len()
                ));
            }
            drop(output);
            walls[k].push(wall);
            cpu[k] += used;
            wall
        };
        for round in 0..runs {
            progress(format!("{config}: round {}/{runs}", round + 1));
            // Each round starts with the next implementation, so that none always runs right
            // after the same one (whose freed memory and evicted caches it would inherit), and
            // each runs beside a run of duizhao's default (after it one round, before it the
            // next): the ratio of the two is taken within a fraction of a second, where a shared
            // machine's speed drifts over seconds.
            for k in (0..convs.len()).map(|k| (k + round) % convs.len()) {
                if convs[k].1.is_err() {
                    continue;
                }
                match ours {
                    Some(o) if o == k => {}
                    Some(o) => {
                        let (first, second) = if round % 2 == 0 { (o, k) } else { (k, o) };
                        let (a, b) = (measure(first, &mut walls), measure(second, &mut walls));
                        let (ours_t, t) = if first == o { (a, b) } else { (b, a) };
                        paired[k].push(t.as_secs_f64() / ours_t.as_secs_f64());
                    }
                    None => {
                        measure(k, &mut walls);
                    }
                }
            }
        }
        for (k, (imp, c)) in convs.iter().enumerate() {
            let side_by_side = match ours {
                Some(o) if o == k => Some(1.0),
                _ if paired[k].is_empty() => None,
                _ => Some(median_f64(paired[k].clone())),
            };
            let result = match c {
                Ok(_) => {
                    let total: Duration = walls[k].iter().sum();
                    Ok((
                        median(walls[k].clone()),
                        cpu[k].as_secs_f64() / total.as_secs_f64(),
                    ))
                }
                Err(e) => Err(e.clone()),
            };
            if let Ok((d, _)) = &result {
                progress(format!(
                    "{config}: {} {:.1} MB/s",
                    imp.label(),
                    mb_per_s(input.len(), *d)
                ));
            }
            rows.push(Throughput {
                config,
                name: imp.label(),
                result,
                side_by_side,
            });
        }
        let cli_result = match &cli {
            Some(_) => {
                progress(format!("{config}: Debian opencc CLI x{CLI_RUNS}"));
                debian::time(
                    config,
                    if config == "t2s" { &trad_in } else { &plain_in },
                    CLI_RUNS,
                )
            }
            None => Err(format!(
                "skipped: `opencc` not on PATH (install: {})",
                debian::INSTALL_HINT
            )),
        };
        rows.push(Throughput {
            config,
            name: cli_label(&cli),
            result: cli_result,
            side_by_side: None,
        });
    }

    let _ = writeln!(
        out,
        "\n## Throughput (one thread, median of {runs}; corpus zuozhuan.txt x{CORPUS_COPIES} = {:.2} MB; t2s input = our s2t output, {:.2} MB)\n",
        corpus.len() as f64 / 1e6,
        trad.len() as f64 / 1e6
    );
    let _ = writeln!(
        out,
        "| config | implementation | MB/s | median time | CPU/wall | duizhao default ÷ this | side by side |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
    for config in THROUGHPUT_CONFIGS {
        let bytes = if config == "t2s" {
            trad.len()
        } else {
            corpus.len()
        };
        let ours = rows
            .iter()
            .find(|r| r.config == config && r.name == Impl::Ours.label());
        let ours_mbps = ours
            .and_then(|r| r.result.as_ref().ok())
            .map(|(d, _)| mb_per_s(bytes, *d));
        for r in rows.iter().filter(|r| r.config == config) {
            match &r.result {
                Ok((d, cpu_ratio)) => {
                    let mbps = mb_per_s(bytes, *d);
                    let ratio = ours_mbps
                        .map(|o| format!("{:.2}x", o / mbps))
                        .unwrap_or_else(|| "-".into());
                    let side = r
                        .side_by_side
                        .map(|x| format!("{x:.2}x"))
                        .unwrap_or_else(|| "-".into());
                    let _ = writeln!(
                        out,
                        "| {config} | {} | {mbps:.1} | {} | {cpu_ratio:.2} | {ratio} | {side} |",
                        r.name,
                        fmt_dur(*d)
                    );
                    // Faster by the side-by-side ratio where there is one, else by the medians.
                    let faster = r
                        .side_by_side
                        .map_or(ours_mbps.is_some_and(|o| mbps > o), |x| x < 1.0);
                    if faster && !r.name.starts_with("duizhao") {
                        let o = ours_mbps.unwrap_or(f64::NAN);
                        notes.push(format!("{} is faster than duizhao's default on {config} ({mbps:.1} vs {o:.1} MB/s; side by side {side})", r.name));
                    }
                    if *cpu_ratio > 1.3 {
                        notes.push(format!("{} on {config} used {cpu_ratio:.2} CPU-seconds per wall second: more than one thread", r.name));
                    }
                }
                Err(e) => {
                    let _ = writeln!(
                        out,
                        "| {config} | {} | n/a | n/a | n/a | n/a: {e} | - |",
                        r.name
                    );
                    notes.push(format!("{} {config}: {e}", r.name));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nSide by side: each round runs every other implementation right beside a run of duizhao's default (before it in one round, after it in the next), and this is the median of its time ÷ that run's time. A shared machine's speed drifts over seconds, and the pair is timed within a fraction of one, so this is the steadier ratio. duizhao default's own row is the median of all its runs."
    );
    if cli.is_some() {
        let _ = writeln!(
            out,
            "\nThe opencc CLI rows time whole processes (start-up, dictionary load, file I/O), median of {CLI_RUNS}."
        );
    }

    // Construction.
    progress("construction: fresh processes and in-process rebuilds");
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let _ = writeln!(out, "\n## Construction (median of {CONSTRUCT_RUNS})\n");
    let _ = writeln!(
        out,
        "| implementation | config | first in a fresh process | subsequent, same process |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|");
    for imp in ALL {
        for config in CONSTRUCT_CONFIGS {
            let first = first_construction(&exe, imp, config);
            let later = if imp == Impl::Zhconv {
                Err("cached in a static".to_string())
            } else {
                peers::build(imp, config).map(|_| {
                    median(
                        (0..CONSTRUCT_RUNS)
                            .map(|_| timed(|| peers::build(imp, config)).0)
                            .collect(),
                    )
                })
            };
            let show = |r: &Result<Duration, String>| {
                r.as_ref()
                    .map(|d| fmt_dur(*d))
                    .unwrap_or_else(|e| format!("n/a ({e})"))
            };
            let _ = writeln!(
                out,
                "| {} | {config} | {} | {} |",
                imp.label(),
                show(&first),
                show(&later)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nFor duizhao, the first construction in a process also loads the shared word lexicon (default mode only)."
    );

    // HTML mode.
    progress("html: convert_html vs convert");
    let html = corpus
        .lines()
        .map(|l| format!("<p>{l}</p>"))
        .collect::<Vec<_>>()
        .join("\n");
    let conv = duizhao_convert::Converter::new(duizhao_convert::Config::S2t);
    let (mut plain_t, mut html_t, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    conv.convert_html(&html[..html.floor_char_boundary(1 << 16)]);
    for round in 0..runs {
        // Side by side, in turn first and second, as for throughput: the ratio is the median of
        // the rounds' ratios.
        let plain = || timed(|| conv.convert(&corpus)).0;
        let marked = || timed(|| conv.convert_html(&html)).0;
        let (pt, ht) = if round % 2 == 0 {
            (plain(), marked())
        } else {
            let h = marked();
            (plain(), h)
        };
        ratios.push(ht.as_secs_f64() / pt.as_secs_f64());
        plain_t.push(pt);
        html_t.push(ht);
    }
    let (p, h) = (median(plain_t), median(html_t));
    let html_ratio = median_f64(ratios);
    let _ = writeln!(
        out,
        "\n## HTML mode (duizhao s2t default, each corpus line wrapped in <p>…</p>, median of {runs})\n"
    );
    let _ = writeln!(out, "| mode | input MB | median time | MB/s |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for (mode, bytes, time) in [
        ("convert (plain corpus)", corpus.len(), p),
        ("convert_html (wrapped)", html.len(), h),
    ] {
        let (mb, dur, speed) = (bytes as f64 / 1e6, fmt_dur(time), mb_per_s(bytes, time));
        let _ = writeln!(out, "| {mode} | {mb:.2} | {dur} | {speed:.1} |");
    }
    let _ = writeln!(
        out,
        "\nconvert_html time ÷ convert time, median of the rounds' ratios (the two run side by side): **{html_ratio:.2}** (target ≤ 1.3)"
    );
    if html_ratio > 1.3 {
        notes.push(format!(
            "HTML mode costs {html_ratio:.2}x plain conversion, above the 1.3 target"
        ));
    }

    // Accuracy.
    progress("accuracy: OpenCC test suite");
    let suite = Suite::load(&data.join("opencc-testcases/testcases.json"))?;
    let mut tallies: Vec<Tally> = Vec::new();
    for imp in ALL {
        let per_config = CONFIGS
            .iter()
            .map(|&config| {
                let n = suite.count(config);
                let r = peers::build(imp, config).and_then(|c| {
                    suite.score(config, |ins| Ok(ins.iter().map(|s| c(s)).collect()))
                });
                (config, n, r)
            })
            .collect();
        tallies.push(Tally {
            name: imp.label(),
            per_config,
        });
    }
    if cli.is_some() {
        let per_config = CONFIGS
            .iter()
            .map(|&config| {
                (
                    config,
                    suite.count(config),
                    suite.score(config, |ins| debian::convert_lines(config, ins, &scratch.0)),
                )
            })
            .collect();
        tallies.push(Tally {
            name: cli_label(&cli),
            per_config,
        });
    }
    let all_pairs = suite.pairs.len();
    let _ = writeln!(
        out,
        "\n## Accuracy (OpenCC test suite: {all_pairs} (case, config) pairs over {} configs; exact match)\n",
        CONFIGS.len()
    );
    let _ = writeln!(
        out,
        "| implementation | configs run | pass / pairs run | % of pairs run | % of all {all_pairs} | configs it lacks |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    for t in &tallies {
        let (configs, pass, total) = t.supported();
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "-".to_string()
            } else {
                format!("{:.1}", 100.0 * a as f64 / b as f64)
            }
        };
        let missing = t.missing();
        let _ = writeln!(
            out,
            "| {} | {configs} | {pass} / {total} | {} | {} | {} |",
            t.name,
            pct(pass, total),
            pct(pass, all_pairs),
            if missing.is_empty() {
                "-".into()
            } else {
                missing.join(", ")
            }
        );
        if !missing.is_empty() && !t.name.starts_with("duizhao") {
            notes.push(format!("{} cannot run: {}", t.name, missing.join(", ")));
        }
    }
    let _ = write!(
        out,
        "\nPer config (pass / pairs; – = not supported):\n\n| config | pairs |"
    );
    for t in &tallies {
        let _ = write!(out, " {} |", t.name);
    }
    let _ = write!(out, "\n|---|---:|{}\n", "---:|".repeat(tallies.len()));
    for (i, config) in CONFIGS.iter().enumerate() {
        let _ = write!(out, "| {config} | {} |", suite.count(config));
        for t in &tallies {
            let cell = match &t.per_config[i].2 {
                Ok(p) => p.to_string(),
                Err(_) => "–".into(),
            };
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    for t in &tallies {
        for (config, _, r) in &t.per_config {
            if let Err(e) = r
                && !e.contains("has no")
                && !e.contains("no config")
                && !e.contains("not found")
            {
                notes.push(format!("{} {config}: {e}", t.name));
            }
        }
    }

    println!(
        "# duizhao-convert vs peers ({} cores, data {})",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        data.display()
    );
    print!("{out}");
    println!("\n## Notes\n");
    if notes.is_empty() {
        println!("- none");
    }
    notes.dedup();
    for n in notes {
        println!("- {n}");
    }
    Ok(())
}

fn cli_label(cli: &Option<String>) -> String {
    match cli {
        Some(v) => format!("opencc CLI {v}"),
        None => "opencc CLI (Debian)".into(),
    }
}

fn first_construction(exe: &Path, imp: Impl, config: &str) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(CONSTRUCT_RUNS);
    for _ in 0..CONSTRUCT_RUNS {
        let out = Command::new(exe)
            .args([CHILD_CMD, imp.key(), config])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        let nanos: u64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|e| format!("child output: {e}"))?;
        times.push(Duration::from_nanos(nanos));
    }
    Ok(median(times))
}
