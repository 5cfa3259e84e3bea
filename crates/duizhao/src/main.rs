//! The `duizhao` binary: parses the command line and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = duizhao::cli::Cli::parse();
    match duizhao::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("duizhao: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
