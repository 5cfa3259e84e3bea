//! `duizhao convert` end to end: the binary, real files, standard streams.

use std::io::Write;
use std::process::{Command, Stdio};

fn duizhao(args: &[&str], stdin: &[u8]) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_duizhao"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("duizhao-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn converts_stdin_to_stdout_like_opencc() {
    let (ok, out, _) = duizhao(
        &["convert", "-c", "s2tw.json"],
        "为了大众，他的头发生出白丝\n".as_bytes(),
    );
    assert!(ok);
    assert_eq!(out, "為了大眾，他的頭髮生出白絲\n");
    let (ok, out, _) = duizhao(
        &["convert", "-c", "s2t", "--opencc-exact"],
        "日头发生日食".as_bytes(),
    );
    assert!(ok);
    assert_eq!(out, "日頭髮生日食");
}

#[test]
fn files_html_and_glossary() {
    let dir = temp_dir("files");
    let input = dir.join("in.html");
    let glossary = dir.join("glossary.txt");
    std::fs::write(
        &input,
        r#"<p title="特朗普">特朗普说<code>特朗普</code></p>"#,
    )
    .unwrap();
    std::fs::write(&glossary, "# house style\n特朗普 -> 川普 @zh-TW\n").unwrap();
    let output = dir.join("out.html");
    let args = [
        "convert",
        "-c",
        "s2tw",
        "--html",
        "--glossary",
        glossary.to_str().unwrap(),
        "-i",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    let (ok, _, err) = duizhao(&args, b"");
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        r#"<p title="川普">川普說<code>特朗普</code></p>"#
    );
    // Converting a file onto itself works: the output is written beside it and renamed.
    let (ok, _, err) = duizhao(
        &[
            "convert",
            "-c",
            "s2t",
            "-i",
            output.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ],
        b"",
    );
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        r#"<p title="川普">川普說<code>特朗普</code></p>"#
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn errors_name_what_is_wrong() {
    let (ok, _, err) = duizhao(&["convert", "-c", "s2x"], b"");
    assert!(!ok);
    assert!(err.contains("s2x") && err.contains("s2twp"), "{err}");
    let (ok, _, err) = duizhao(&["convert", "-c", "s2t"], b"ok\xff");
    assert!(!ok);
    assert!(err.contains("byte offset 2"), "{err}");
    let dir = temp_dir("errors");
    let glossary = dir.join("bad.txt");
    std::fs::write(&glossary, "a -> b\nbroken line\n").unwrap();
    let (ok, _, err) = duizhao(
        &[
            "convert",
            "-c",
            "s2t",
            "--glossary",
            glossary.to_str().unwrap(),
        ],
        b"",
    );
    assert!(!ok);
    assert!(err.contains("bad.txt") && err.contains("line 2"), "{err}");
    // A failed conversion leaves no output file behind.
    let output = dir.join("out.txt");
    let (ok, _, _) = duizhao(
        &["convert", "-c", "s2t", "-o", output.to_str().unwrap()],
        b"\xff",
    );
    assert!(!ok);
    assert!(!output.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file is left"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
