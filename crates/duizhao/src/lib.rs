//! Duizhao (對照): a publishing platform for bilingual English–Chinese commentary and news.
//!
//! The binary's subcommands live in [`commands`]; [`cli`] declares the command line.

pub mod accounts;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod demo;
pub mod editorial;
pub mod export;
pub mod import;
pub mod media;
pub mod search;
pub mod store;
pub mod web;

/// Runs a parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Convert(args) => commands::convert::run(&args),
        cli::Command::Align(args) => commands::align::run(&args),
        cli::Command::Serve(args) => commands::serve::run(args),
        cli::Command::Reindex(args) => commands::reindex::run(&args),
        cli::Command::BenchGen(args) => commands::bench_gen::run(&args),
        cli::Command::BenchSearch(args) => commands::bench_search::run(&args),
        cli::Command::User(args) => commands::user::run(&args),
        cli::Command::Export(args) => commands::export::run(&args),
        cli::Command::Import(args) => commands::import::run(&args),
        cli::Command::Backup(args) => commands::backup::run_backup(&args),
        cli::Command::Restore(args) => commands::backup::run_restore(&args),
    }
}
