//! One entry point per implementation, so that every figure is taken through the same path.

use duizhao_convert::{Config, Converter, Segmentation};

pub type ConvFn = Box<dyn Fn(&str) -> String>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Impl {
    Ours,
    OursExact,
    Zhconv,
    Fmmseg,
    Ferrous,
}

pub const ALL: [Impl; 5] = [
    Impl::Ours,
    Impl::OursExact,
    Impl::Zhconv,
    Impl::Fmmseg,
    Impl::Ferrous,
];

/// The 16 configurations of duizhao-convert, which are also the ones the test suite covers.
pub const CONFIGS: [&str; 16] = [
    "s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s", "s2hkp", "hk2sp", "t2tw",
    "t2hk", "tw2t", "hk2t", "jp2t", "t2jp",
];

impl Impl {
    pub fn key(self) -> &'static str {
        match self {
            Impl::Ours => "ours",
            Impl::OursExact => "ours-exact",
            Impl::Zhconv => "zhconv",
            Impl::Fmmseg => "opencc-fmmseg",
            Impl::Ferrous => "ferrous-opencc",
        }
    }

    pub fn from_key(key: &str) -> Option<Impl> {
        ALL.into_iter().find(|i| i.key() == key)
    }

    pub fn label(self) -> String {
        match self {
            Impl::Ours => "duizhao (words, default)".into(),
            Impl::OursExact => "duizhao (opencc-exact)".into(),
            peer => format!("{} {}", peer.key(), locked_version(peer.key())),
        }
    }
}

/// Versions come from the lock file so that the report names what was actually measured.
fn locked_version(package: &str) -> &'static str {
    let lock = include_str!("../Cargo.lock");
    let needle = format!("name = \"{package}\"\nversion = \"");
    lock.find(&needle)
        .map(|at| {
            let rest = &lock[at + needle.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .unwrap_or("?")
}

/// Builds a ready converter; `Err` says why this implementation cannot do `config`.
pub fn build(imp: Impl, config: &str) -> Result<ConvFn, String> {
    match imp {
        Impl::Ours | Impl::OursExact => {
            let cfg: Config = config.parse().map_err(|e| format!("{e}"))?;
            let seg = if imp == Impl::Ours {
                Segmentation::Words
            } else {
                Segmentation::OpenccExact
            };
            let c = Converter::builder(cfg).segmentation(seg).build();
            Ok(Box::new(move |s| c.convert(s)))
        }
        Impl::Zhconv => {
            let variant = zhconv_target(config)?;
            // Deref forces the crate's lazily built automaton, so the build is done here and not
            // inside the first timed run.
            let c: &'static zhconv::ZhConverter = zhconv::get_builtin_converter(variant);
            Ok(Box::new(move |s| c.convert(s)))
        }
        Impl::Fmmseg => {
            let cfg = opencc_fmmseg::OpenccConfig::try_from(config)
                .map_err(|_| format!("opencc-fmmseg has no config {config}"))?;
            let mut c = opencc_fmmseg::OpenCC::new();
            if let Some(err) = opencc_fmmseg::OpenCC::get_last_error() {
                return Err(format!(
                    "opencc-fmmseg failed to load its dictionary: {err}"
                ));
            }
            // Rayon is on by default; the comparison is one thread against one thread.
            c.set_parallel(false);
            Ok(Box::new(move |s| c.convert_with_config(s, cfg, false)))
        }
        Impl::Ferrous => {
            let c = ferrous_opencc::OpenCC::from_config(ferrous_target(config)?)
                .map_err(|e| format!("ferrous-opencc: {e}"))?;
            Ok(Box::new(move |s| c.convert(s)))
        }
    }
}

/// zhconv has one flattened table per *target* variant, not OpenCC's configs. This maps only the
/// configs its build script names for each table (with feature opencc-twp, as built here).
fn zhconv_target(config: &str) -> Result<zhconv::Variant, String> {
    use zhconv::Variant::*;
    Ok(match config {
        "s2t" => ZhHant,
        "t2s" => ZhHans,
        "s2twp" => ZhTW,
        "s2hk" | "t2hk" => ZhHK,
        "tw2sp" | "hk2s" => ZhCN,
        _ => {
            return Err(format!(
                "zhconv has no table for {config} (targets only; opencc-twp replaces s2tw)"
            ));
        }
    })
}

fn ferrous_target(config: &str) -> Result<ferrous_opencc::config::BuiltinConfig, String> {
    use ferrous_opencc::config::BuiltinConfig::*;
    Ok(match config {
        "s2t" => S2t,
        "t2s" => T2s,
        "s2tw" => S2tw,
        "tw2s" => Tw2s,
        "s2twp" => S2twp,
        "tw2sp" => Tw2sp,
        "s2hk" => S2hk,
        "hk2s" => Hk2s,
        "t2tw" => T2tw,
        "t2hk" => T2hk,
        "tw2t" => Tw2t,
        "hk2t" => Hk2t,
        "jp2t" => Jp2t,
        "t2jp" => T2jp,
        _ => return Err(format!("ferrous-opencc has no built-in config {config}")),
    })
}
