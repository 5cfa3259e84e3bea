//! One module per subcommand.

pub mod align;
pub mod backup;
pub mod bench_gen;
pub mod bench_search;
pub mod convert;
pub mod export;
pub mod import;
pub mod reindex;
pub mod serve;
pub mod user;
