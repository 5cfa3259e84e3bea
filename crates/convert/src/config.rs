//! Conversion configurations, named as OpenCC names them, and the script variants they join.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A script variant: the source or target of a conversion, and the key of glossary rules and
/// inline per-variant text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Variant {
    /// Simplified Chinese, mainland standard (`zh-Hans`).
    Hans,
    /// Traditional Chinese in OpenCC's standard forms (`zh-Hant`).
    Hant,
    /// Traditional Chinese, Taiwan standard (`zh-TW`).
    Tw,
    /// Traditional Chinese, Hong Kong standard (`zh-HK`).
    Hk,
    /// Japanese Shinjitai (`ja`).
    Ja,
}

impl Variant {
    /// All variants.
    pub const ALL: [Variant; 5] = [
        Variant::Hans,
        Variant::Hant,
        Variant::Tw,
        Variant::Hk,
        Variant::Ja,
    ];

    /// The BCP 47 tag: `zh-Hans`, `zh-Hant`, `zh-TW`, `zh-HK`, `ja`.
    pub fn tag(self) -> &'static str {
        match self {
            Variant::Hans => "zh-Hans",
            Variant::Hant => "zh-Hant",
            Variant::Tw => "zh-TW",
            Variant::Hk => "zh-HK",
            Variant::Ja => "ja",
        }
    }

    /// Variants to fall back on, in order, when text for this one is not given.
    pub(crate) fn fallbacks(self) -> &'static [Variant] {
        match self {
            Variant::Hans => &[Variant::Hans],
            Variant::Hant => &[Variant::Hant, Variant::Tw, Variant::Hk],
            Variant::Tw => &[Variant::Tw, Variant::Hant, Variant::Hk],
            Variant::Hk => &[Variant::Hk, Variant::Hant, Variant::Tw],
            Variant::Ja => &[Variant::Ja],
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Variant {
    type Err = Error;
    /// Accepts BCP 47 tags case-insensitively, and the MediaWiki codes `zh-cn`, `zh-sg`, `zh-mo`.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh-hans" | "zh-cn" | "zh-sg" | "zh-my" => Ok(Variant::Hans),
            "zh-hant" => Ok(Variant::Hant),
            "zh-tw" | "zh-hant-tw" => Ok(Variant::Tw),
            "zh-hk" | "zh-mo" | "zh-hant-hk" => Ok(Variant::Hk),
            "ja" | "ja-jp" => Ok(Variant::Ja),
            _ => Err(Error::UnknownVariant { name: s.to_owned() }),
        }
    }
}

macro_rules! configs {
    ($($variant:ident $name:literal $source:ident $target:ident $doc:literal;)*) => {
        /// A conversion configuration, named as OpenCC names it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Config {
            $(#[doc = $doc] $variant,)*
        }

        impl Config {
            /// Every configuration, in the order of [`Config::name`]'s list.
            pub const ALL: &'static [Config] = &[$(Config::$variant,)*];

            /// OpenCC's name for the configuration (`s2t`, `s2twp`, ...).
            pub fn name(self) -> &'static str {
                match self { $(Config::$variant => $name,)* }
            }

            /// The variant the text is written in.
            pub fn source(self) -> Variant {
                match self { $(Config::$variant => Variant::$source,)* }
            }

            /// The variant the conversion produces.
            pub fn target(self) -> Variant {
                match self { $(Config::$variant => Variant::$target,)* }
            }
        }
    };
}

configs! {
    S2t "s2t" Hans Hant "Simplified to Traditional (OpenCC standard forms).";
    T2s "t2s" Hant Hans "Traditional to Simplified.";
    S2tw "s2tw" Hans Tw "Simplified to Taiwan-standard Traditional forms, vocabulary unchanged.";
    Tw2s "tw2s" Tw Hans "Taiwan-standard Traditional to Simplified.";
    S2twp "s2twp" Hans Tw "Simplified to Taiwan-standard Traditional with Taiwanese vocabulary.";
    Tw2sp "tw2sp" Tw Hans "Taiwan Traditional to Simplified with mainland vocabulary.";
    S2hk "s2hk" Hans Hk "Simplified to Hong Kong-standard Traditional forms.";
    Hk2s "hk2s" Hk Hans "Hong Kong-standard Traditional to Simplified.";
    S2hkp "s2hkp" Hans Hk "Simplified to Hong Kong Traditional with Hong Kong vocabulary.";
    Hk2sp "hk2sp" Hk Hans "Hong Kong Traditional to Simplified with mainland vocabulary.";
    T2tw "t2tw" Hant Tw "OpenCC-standard Traditional to Taiwan-standard forms.";
    T2hk "t2hk" Hant Hk "OpenCC-standard Traditional to Hong Kong-standard forms.";
    Tw2t "tw2t" Tw Hant "Taiwan-standard forms to OpenCC-standard Traditional.";
    Hk2t "hk2t" Hk Hant "Hong Kong-standard forms to OpenCC-standard Traditional.";
    Jp2t "jp2t" Ja Hant "Japanese Shinjitai to Traditional (Kyūjitai) forms.";
    T2jp "t2jp" Hant Ja "Traditional (Kyūjitai) to Japanese Shinjitai forms.";
}

impl Config {
    /// The configuration that converts text written in `source` for readers of `target`, if
    /// there is one; `None` when the two are the same variant.
    ///
    /// An edition of a site maps to one of these: `(Hans, Tw)` gives `s2tw`, the character forms
    /// of Taiwan without a change of vocabulary.
    pub fn between(source: Variant, target: Variant) -> Option<Config> {
        Config::ALL
            .iter()
            .copied()
            .find(|c| c.source() == source && c.target() == target && !c.changes_vocabulary())
    }

    /// Whether the conversion also replaces regional vocabulary (`s2twp`, `tw2sp`, ...).
    pub fn changes_vocabulary(self) -> bool {
        matches!(
            self,
            Config::S2twp | Config::Tw2sp | Config::S2hkp | Config::Hk2sp
        )
    }

    /// Names of all configurations, comma-separated (for messages).
    pub fn names() -> String {
        Config::ALL
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Config {
    type Err = Error;
    /// Accepts OpenCC's names, with or without a `.json` suffix, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Error> {
        let name = s.trim().trim_end_matches(".json").to_ascii_lowercase();
        Config::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name)
            .ok_or_else(|| Error::UnknownConfig {
                name: s.to_owned(),
                valid: Config::names(),
            })
    }
}
