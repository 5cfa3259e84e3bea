//! `duizhao align` end to end: the binary on real files, each output format, errors.

use std::process::Command;

fn duizhao(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_duizhao"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("duizhao-cli-align-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const EN: &str =
    "The council met on Monday.\nIt approved the 2024 budget of $5 million.\nWho will pay?\n";
const ZH: &str = "市议会周一开会，\n批准了二〇二四年五百万美元的预算。\n谁来付钱？\n";

#[test]
fn aligns_files_in_each_format() {
    let dir = temp_dir("formats");
    let (en, zh) = (dir.join("en.txt"), dir.join("zh.txt"));
    std::fs::write(&en, EN).unwrap();
    std::fs::write(&zh, ZH).unwrap();
    let (en, zh) = (en.to_str().unwrap(), zh.to_str().unwrap());
    let (ok, out, err) = duizhao(&["align", "--en", en, "--zh", zh, "--format", "beads"]);
    assert!(ok, "{err}");
    assert_eq!(out, "[0]:[0]\n[1]:[1]\n[2]:[2]\n");
    assert!(err.contains("into 3 beads"), "{err}");
    let (ok, out, _) = duizhao(&["align", "--en", en, "--zh", zh]);
    assert!(ok);
    assert_eq!(out.lines().nth(2), Some("Who will pay?\t谁来付钱？"));
    let (ok, out, _) = duizhao(&[
        "align", "--en", en, "--zh", zh, "--format", "json", "--method", "length",
    ]);
    assert!(ok);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["zh_text"], "市议会周一开会，");
    // Paragraph mode: one paragraph per line, split into sentences.
    let (pe, pz) = (dir.join("pe.txt"), dir.join("pz.txt"));
    std::fs::write(&pe, "One. Two.\nThree?\n").unwrap();
    std::fs::write(&pz, "一。二。\n三？\n").unwrap();
    let (ok, out, err) = duizhao(&[
        "align",
        "--paragraphs",
        "--format",
        "beads",
        "--en",
        pe.to_str().unwrap(),
        "--zh",
        pz.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(out, "[0]:[0]\n[1]:[1]\n[2]:[2]\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_name_the_file_and_line() {
    let dir = temp_dir("errors");
    let (en, zh) = (dir.join("en.txt"), dir.join("zh.txt"));
    std::fs::write(&en, EN).unwrap();
    std::fs::write(&zh, b"ok\nalso ok\nbad \xff byte\n").unwrap();
    let (ok, _, err) = duizhao(&[
        "align",
        "--en",
        en.to_str().unwrap(),
        "--zh",
        zh.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("zh.txt") && err.contains("line 3"), "{err}");
    let (ok, _, err) = duizhao(&[
        "align",
        "--en",
        "/nonexistent/en.txt",
        "--zh",
        zh.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("/nonexistent/en.txt"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
