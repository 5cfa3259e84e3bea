//! Editions (the language and script a reader chooses) and reading modes.

use std::fmt;
use std::str::FromStr;

use duizhao_convert::Variant;
use serde::{Deserialize, Serialize};

/// An edition of the site: its interface language and, for Chinese, its script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Edition {
    /// English, at `/en/`.
    En,
    /// Simplified Chinese, at `/zh-hans/`.
    ZhHans,
    /// Traditional Chinese, at `/zh-hant/`.
    ZhHant,
    /// Traditional Chinese with Taiwan vocabulary, at `/zh-tw/` (optional).
    ZhTw,
    /// Traditional Chinese, Hong Kong standard, at `/zh-hk/` (optional).
    ZhHk,
}

impl Edition {
    /// Every edition, in menu order.
    pub const ALL: [Edition; 5] = [
        Edition::En,
        Edition::ZhHans,
        Edition::ZhHant,
        Edition::ZhTw,
        Edition::ZhHk,
    ];

    /// The Chinese editions.
    pub const CHINESE: [Edition; 4] = [
        Edition::ZhHans,
        Edition::ZhHant,
        Edition::ZhTw,
        Edition::ZhHk,
    ];

    /// The URL path segment: `en`, `zh-hans`, ...
    pub fn code(self) -> &'static str {
        match self {
            Edition::En => "en",
            Edition::ZhHans => "zh-hans",
            Edition::ZhHant => "zh-hant",
            Edition::ZhTw => "zh-tw",
            Edition::ZhHk => "zh-hk",
        }
    }

    /// The BCP 47 tag for `<html lang>` and `hreflang`.
    pub fn lang_tag(self) -> &'static str {
        match self {
            Edition::En => "en",
            Edition::ZhHans => "zh-Hans",
            Edition::ZhHant => "zh-Hant",
            Edition::ZhTw => "zh-Hant-TW",
            Edition::ZhHk => "zh-Hant-HK",
        }
    }

    /// The edition's name as shown in the edition switcher, in its own language.
    pub fn native_name(self) -> &'static str {
        match self {
            Edition::En => "English",
            Edition::ZhHans => "简体",
            Edition::ZhHant => "繁體",
            Edition::ZhTw => "台灣",
            Edition::ZhHk => "香港",
        }
    }

    /// The language of the edition's own text.
    pub fn language(self) -> Language {
        match self {
            Edition::En => Language::En,
            _ => Language::Zh,
        }
    }

    /// The converter variant of a Chinese edition.
    pub fn variant(self) -> Option<Variant> {
        match self {
            Edition::En => None,
            Edition::ZhHans => Some(Variant::Hans),
            Edition::ZhHant => Some(Variant::Hant),
            Edition::ZhTw => Some(Variant::Tw),
            Edition::ZhHk => Some(Variant::Hk),
        }
    }

    /// The edition whose Chinese text a non-Chinese edition shows (the English edition's
    /// Chinese and parallel modes show Simplified text).
    pub fn chinese_text(self) -> Edition {
        match self {
            Edition::En => Edition::ZhHans,
            other => other,
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An edition code that is not one of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown edition {0:?} (expected en, zh-hans, zh-hant, zh-tw or zh-hk)")]
pub struct UnknownEdition(String);

impl FromStr for Edition {
    type Err = UnknownEdition;
    fn from_str(s: &str) -> Result<Edition, UnknownEdition> {
        Edition::ALL
            .into_iter()
            .find(|e| e.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownEdition(s.to_owned()))
    }
}

impl TryFrom<String> for Edition {
    type Error = UnknownEdition;
    fn try_from(s: String) -> Result<Edition, UnknownEdition> {
        s.parse()
    }
}

impl From<Edition> for String {
    fn from(e: Edition) -> String {
        e.code().to_owned()
    }
}

/// The language of an article version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Chinese (in either script).
    Zh,
}

impl Language {
    /// `en` or `zh`, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Zh => "zh",
        }
    }

    /// The other language.
    pub fn other(self) -> Language {
        match self {
            Language::En => Language::Zh,
            Language::Zh => Language::En,
        }
    }
}

/// How an article is read: in one language or the two side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Chinese text only.
    Zh,
    /// English text only.
    En,
    /// English and Chinese paired, 中英對照.
    Parallel,
}

impl Mode {
    /// Every mode, in switcher order.
    pub const ALL: [Mode; 3] = [Mode::Zh, Mode::En, Mode::Parallel];

    /// The URL suffix and cookie value: `zh`, `en`, `dual`.
    pub fn code(self) -> &'static str {
        match self {
            Mode::Zh => "zh",
            Mode::En => "en",
            Mode::Parallel => "dual",
        }
    }

    /// Parses a URL suffix or cookie value.
    pub fn from_code(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.code() == s)
    }

    /// The mode that shows an edition's own language.
    pub fn natural(edition: Edition) -> Mode {
        match edition.language() {
            Language::En => Mode::En,
            Language::Zh => Mode::Zh,
        }
    }

    /// The languages the mode needs.
    pub fn needs(self) -> &'static [Language] {
        match self {
            Mode::Zh => &[Language::Zh],
            Mode::En => &[Language::En],
            Mode::Parallel => &[Language::En, Language::Zh],
        }
    }
}

/// The script a Chinese version is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Simplified.
    #[default]
    Hans,
    /// Traditional (Taiwan-standard forms).
    Hant,
}

impl Script {
    /// `hans` or `hant`, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Script::Hans => "hans",
            Script::Hant => "hant",
        }
    }

    /// Parses the stored form.
    pub fn from_code(s: &str) -> Option<Script> {
        match s {
            "hans" => Some(Script::Hans),
            "hant" => Some(Script::Hant),
            _ => None,
        }
    }

    /// The edition the text is already in, needing no conversion.
    pub fn edition(self) -> Edition {
        match self {
            Script::Hans => Edition::ZhHans,
            Script::Hant => Edition::ZhHant,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for e in Edition::ALL {
            assert_eq!(e.code().parse::<Edition>().unwrap(), e);
        }
        for m in Mode::ALL {
            assert_eq!(Mode::from_code(m.code()), Some(m));
        }
        assert!("zh".parse::<Edition>().is_err());
        assert_eq!(Mode::from_code("dual"), Some(Mode::Parallel));
    }
}
