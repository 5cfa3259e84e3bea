//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use duizhao_convert::Config;

/// Duizhao (對照): bilingual English–Chinese publishing.
#[derive(Debug, Parser)]
#[command(name = "duizhao", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site.
    Serve(ServeArgs),
    /// Rebuild the search index from the database.
    Reindex(ReindexArgs),
    /// Write a synthetic publication of N bilingual articles into a fresh store (benchmarks).
    BenchGen(BenchGenArgs),
    /// Measure search latency over a built index (scripts/bench-search.sh).
    #[command(hide = true)]
    BenchSearch(BenchSearchArgs),
    /// Convert Chinese text between scripts (a drop-in for OpenCC's `opencc -c -i -o`).
    Convert(ConvertArgs),
    /// Align an English text with its Chinese translation, sentence by sentence.
    Align(AlignArgs),
    /// Manage back-office accounts (`duizhao user add NAME --role admin`).
    User(UserArgs),
    /// Write the public site as static files, with relative links, for any static host.
    Export(ExportArgs),
    /// Import articles from a folder of Markdown files (Hugo/Zola) or a WordPress export.
    Import(ImportArgs),
    /// Write the database (SQLite) and the media into one archive file.
    Backup(BackupArgs),
    /// Restore a site from an archive written by `duizhao backup`.
    Restore(RestoreArgs),
}

/// Where the site's settings come from: a TOML file, then these flags or their environment
/// variables. They are global: `duizhao user add NAME --role admin --data-dir DIR` reads as well
/// as `duizhao user --data-dir DIR add NAME --role admin`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Configuration file (TOML).
    #[arg(long, global = true, env = "DUIZHAO_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory for the database, media and search index.
    #[arg(long, global = true, env = "DUIZHAO_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL (`sqlite://FILE` or `postgres://…`); default: SQLite in the data directory.
    #[arg(long, global = true, env = "DUIZHAO_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Public base URL for canonical links (default: http:// and the listen address).
    #[arg(long, global = true, env = "DUIZHAO_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct BenchGenArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How many articles.
    #[arg(long, default_value_t = 1000)]
    pub articles: u64,
    /// Seed of the generator: the same seed and count give the same publication.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct BenchSearchArgs {
    /// The data directory holding the index (`search/`).
    #[arg(long, value_name = "DIR")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "DUIZHAO_LISTEN", value_name = "ADDR")]
    pub listen: Option<std::net::SocketAddr>,
    /// Load the demo publication when the database has no articles.
    #[arg(long, env = "DUIZHAO_DEMO")]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Directory to write the site into: it must not exist, be empty, or hold an earlier
    /// export (which is replaced only when the new one is complete).
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Conversion, as OpenCC names it: s2t, t2s, s2tw, tw2s, s2twp, tw2sp, s2hk, hk2s, s2hkp,
    /// hk2sp, t2tw, t2hk, tw2t, hk2t, jp2t, t2jp (a trailing `.json` is accepted).
    #[arg(short = 'c', long = "config", value_parser = parse_config)]
    pub config: Config,
    /// Input file (default: standard input).
    #[arg(short = 'i', long = "input")]
    pub input: Option<PathBuf>,
    /// Output file (default: standard output). Written whole or not at all.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Treat the input as an HTML fragment: convert only text and title/alt attributes.
    #[arg(long)]
    pub html: bool,
    /// Editorial override rules, one per line (`from -> to [@zh-TW ...]`, `from <-> to`).
    #[arg(long, value_name = "FILE")]
    pub glossary: Option<PathBuf>,
    /// Reproduce OpenCC's own segmentation and output exactly, including its mistakes.
    #[arg(long)]
    pub opencc_exact: bool,
    /// Do not interpret inline markup (`-{text}-`, `-{zh-hans:…;zh-hant:…}-`).
    #[arg(long)]
    pub no_inline: bool,
}

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// English text: one sentence per line (or one paragraph per line with --paragraphs).
    #[arg(long, value_name = "FILE")]
    pub en: PathBuf,
    /// Chinese text, in the same form.
    #[arg(long, value_name = "FILE")]
    pub zh: PathBuf,
    /// Output: `tsv` (English and Chinese of each bead), `json`, or `beads` (`[0,1]:[0,1,2]`).
    #[arg(long, default_value = "tsv", value_parser = ["tsv", "json", "beads"])]
    pub format: String,
    /// `lexical` (default), `anchors` (length and anchors only) or `length` (Gale–Church).
    #[arg(long, default_value = "lexical")]
    pub method: duizhao_align::Method,
    /// Lines are paragraphs: align paragraphs, split them into sentences, align those inside.
    #[arg(long)]
    pub paragraphs: bool,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account. Without --password-stdin a random password is generated and printed
    /// once.
    Add {
        /// Login name (letters, digits, `.`, `-`, `_`).
        username: String,
        /// admin, editor, translator or author.
        #[arg(long)]
        role: crate::accounts::Role,
        /// Name shown in the back office.
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set an account's password (and enable it).
    Passwd {
        /// Login name.
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Folder of Markdown files with front matter (`SLUG.en.md`, `SLUG.zh.md`, page bundles).
    #[arg(
        value_name = "DIR",
        required_unless_present = "wordpress",
        conflicts_with = "wordpress"
    )]
    pub dir: Option<PathBuf>,
    /// A WordPress export (WXR) file; images are read from beside it, never downloaded.
    #[arg(long, value_name = "FILE")]
    pub wordpress: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The archive to write (a tar file), replaced only when complete.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// An archive written by `duizhao backup`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace a site that already has articles or media.
    #[arg(long)]
    pub force: bool,
}

fn parse_config(s: &str) -> Result<Config, String> {
    s.parse().map_err(|e: duizhao_convert::Error| e.to_string())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command, UserAction};

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn site_options_are_read_before_and_after_a_subcommand() {
        for args in [
            &[
                "duizhao",
                "user",
                "add",
                "ann",
                "--role",
                "admin",
                "--data-dir",
                "/d",
            ][..],
            &[
                "duizhao",
                "user",
                "--data-dir",
                "/d",
                "add",
                "ann",
                "--role",
                "admin",
            ],
            &[
                "duizhao",
                "user",
                "add",
                "--data-dir=/d",
                "ann",
                "--role",
                "admin",
            ],
        ] {
            let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let Command::User(user) = cli.command else {
                panic!("{args:?} is not the user command");
            };
            assert_eq!(
                user.site.data_dir.as_deref(),
                Some(std::path::Path::new("/d"))
            );
            assert!(
                matches!(user.action, UserAction::Add { ref username, .. } if username == "ann")
            );
        }
        let cli = Cli::try_parse_from(["duizhao", "user", "list", "--database-url", "sqlite://x"])
            .expect("a global option after `list`");
        let Command::User(user) = cli.command else {
            panic!("not the user command");
        };
        assert_eq!(user.site.database_url.as_deref(), Some("sqlite://x"));
    }
}
