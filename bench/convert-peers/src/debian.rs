//! Debian's `opencc` command-line tool (OpenCC's C++ implementation), driven as a subprocess.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::timing::{cpu_time, median};

pub const INSTALL_HINT: &str = "apt-get install -y opencc";

/// The tool's version line, or `None` when it is not on PATH.
pub fn detect() -> Option<String> {
    let out = Command::new("opencc").arg("--version").output().ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let version = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Version:"))
        .unwrap_or("?")
        .trim()
        .to_string();
    // Debian's package version can differ from what the binary reports (1.1.6+ds1 says 1.1.5).
    let package = Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "opencc"])
        .output()
        .ok();
    match package
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    {
        Some(deb) if !deb.is_empty() => Some(format!("{version}, Debian {deb}")),
        _ => Some(version),
    }
}

fn run(config: &str, input: &Path, output: &Path) -> Result<(), String> {
    let out = Command::new("opencc")
        .args(["-c", &format!("{config}.json"), "-i"])
        .arg(input)
        .arg("-o")
        .arg(output)
        .output()
        .map_err(|e| format!("cannot run opencc: {e}"))?;
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    // A missing config file is reported on stdout with exit status 0, so the text is checked too.
    if out.status.success() && !said.contains("not found") {
        Ok(())
    } else {
        Err(format!(
            "opencc -c {config}.json: {}",
            said.lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("failed")
                .trim()
        ))
    }
}

/// Median wall time of whole runs, so it includes process start-up and dictionary loading, which
/// is what a user of the tool pays. Also returns the children's CPU/wall ratio.
pub fn time(config: &str, input: &Path, runs: usize) -> Result<(Duration, f64), String> {
    let mut walls = Vec::with_capacity(runs);
    let cpu0 = cpu_time(true);
    for _ in 0..runs {
        let t0 = Instant::now();
        run(config, input, Path::new("/dev/null"))?;
        walls.push(t0.elapsed());
    }
    let total: Duration = walls.iter().sum();
    let cpu = cpu_time(true).saturating_sub(cpu0);
    Ok((median(walls), cpu.as_secs_f64() / total.as_secs_f64()))
}

/// Converts many one-line inputs in one process: OpenCC converts line by line, and one process per
/// case would spend the run reloading dictionaries.
pub fn convert_lines(config: &str, lines: &[&str], dir: &Path) -> Result<Vec<String>, String> {
    let (inp, outp) = (
        dir.join(format!("acc-{config}.in")),
        dir.join(format!("acc-{config}.out")),
    );
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&inp, text).map_err(|e| e.to_string())?;
    run(config, &inp, &outp)?;
    let out = std::fs::read_to_string(&outp).map_err(|e| e.to_string())?;
    let got: Vec<String> = out.lines().map(str::to_owned).collect();
    if got.len() != lines.len() {
        return Err(format!(
            "opencc returned {} lines for {} inputs",
            got.len(),
            lines.len()
        ));
    }
    Ok(got)
}

/// A scratch directory removed on drop, so an interrupted run leaves at most one stray folder.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new() -> std::io::Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("convert-peers-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
