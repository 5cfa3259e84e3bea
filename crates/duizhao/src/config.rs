//! Site configuration: a TOML file, overridden by environment variables and the command line.
//!
//! Every field has a default, so a site runs with no file at all. Unknown keys are an error
//! (a misspelt setting must not be silently ignored), and [`SiteConfig::validate`] checks what
//! serde cannot.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use duizhao_convert::Config as Conversion;
use serde::Deserialize;

use crate::content::Edition;

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Directory for the SQLite database, media files and the search index.
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://…` or `postgres://…`. Default: `sqlite://<data_dir>/duizhao.db`.
    pub database_url: Option<String>,
    /// Public base URL, used in canonical links, feeds and sitemaps (no trailing slash).
    pub base_url: String,
    /// Whether cookies carry the `Secure` attribute. Default: when `base_url` is https.
    pub secure_cookies: Option<bool>,
    /// The publication's name.
    pub site: SiteNames,
    /// Which editions are served, and how the Chinese ones are derived.
    pub editions: EditionsConfig,
    /// Time zone in which dates are shown (IANA name).
    pub time_zone: String,
    /// Articles per page on list pages.
    pub page_size: u32,
    /// How long a rendered page may be served from memory, in seconds (0: never). Changes
    /// made through this server show at once; this bounds how long other servers sharing the
    /// database, and scheduled articles, wait to appear.
    pub page_cache_seconds: u64,
    /// How much memory the page cache may hold, in bytes (pages, their headers and keys). The
    /// least used pages go first when it is full; expired ones are freed as they expire.
    pub page_cache_bytes: u64,
    /// Take the client address for login throttling from the last entry of
    /// `X-Forwarded-For` (set this only behind a load balancer that writes that header).
    pub trust_forwarded_for: bool,
    /// How large a request body may be, in bytes (media uploads included).
    pub max_upload_bytes: usize,
}

/// The publication's name in each language.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteNames {
    /// English name.
    pub name_en: String,
    /// Chinese name, in Simplified script (the Traditional editions derive theirs).
    pub name_zh: String,
}

/// Editions and conversions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EditionsConfig {
    /// Edition for readers whose language preference matches none: `en`, `zh-hans`, `zh-hant`.
    pub default: Edition,
    /// Serve a Taiwan edition at `/zh-tw/`.
    pub zh_tw: bool,
    /// Serve a Hong Kong edition at `/zh-hk/`.
    pub zh_hk: bool,
    /// Conversion from Simplified for the `zh-hant` edition: `s2tw` (Taiwan character forms,
    /// vocabulary unchanged; the default), `s2t` or `s2hk`.
    #[serde(deserialize_with = "conversion")]
    pub zh_hant: Conversion,
    /// Conversion from Simplified for the `zh-tw` edition (default `s2twp`, Taiwan vocabulary).
    #[serde(deserialize_with = "conversion")]
    pub zh_tw_conversion: Conversion,
    /// Conversion from Simplified for the `zh-hk` edition (default `s2hk`).
    #[serde(deserialize_with = "conversion")]
    pub zh_hk_conversion: Conversion,
    /// A site-wide glossary of conversion overrides (see `duizhao convert --glossary`).
    pub glossary: Option<PathBuf>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            base_url: "http://127.0.0.1:8080".to_owned(),
            secure_cookies: None,
            site: SiteNames::default(),
            editions: EditionsConfig::default(),
            time_zone: "Asia/Shanghai".to_owned(),
            page_size: 10,
            page_cache_seconds: 10,
            page_cache_bytes: 64 * 1024 * 1024,
            trust_forwarded_for: false,
            max_upload_bytes: 20 * 1024 * 1024,
        }
    }
}

impl Default for SiteNames {
    fn default() -> Self {
        SiteNames {
            name_en: "Duizhao Review".to_owned(),
            name_zh: "对照评论".to_owned(),
        }
    }
}

impl Default for EditionsConfig {
    fn default() -> Self {
        EditionsConfig {
            default: Edition::En,
            zh_tw: false,
            zh_hk: false,
            zh_hant: Conversion::S2tw,
            zh_tw_conversion: Conversion::S2twp,
            zh_hk_conversion: Conversion::S2hk,
            glossary: None,
        }
    }
}

fn conversion<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Conversion, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(serde::de::Error::custom)
}

impl SiteConfig {
    /// Reads a TOML file; errors name the file and, from the TOML parser, the line and key.
    pub fn from_file(path: &Path) -> anyhow::Result<SiteConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let config: SiteConfig =
            toml::from_str(&text).with_context(|| format!("in config file {}", path.display()))?;
        Ok(config)
    }

    /// A configuration for tests: a data directory of the caller's choosing, default settings.
    pub fn for_test(data_dir: &Path) -> SiteConfig {
        SiteConfig {
            data_dir: data_dir.to_owned(),
            ..SiteConfig::default()
        }
    }

    /// Checks what the types cannot: conversions that fit their edition, a valid time zone,
    /// a base URL without a trailing slash.
    pub fn validate(&self) -> anyhow::Result<()> {
        let e = &self.editions;
        for (field, conversion) in [
            ("editions.zh_hant", e.zh_hant),
            ("editions.zh_tw_conversion", e.zh_tw_conversion),
            ("editions.zh_hk_conversion", e.zh_hk_conversion),
        ] {
            if conversion.source() != duizhao_convert::Variant::Hans
                || conversion.target() == duizhao_convert::Variant::Hans
                || conversion.target() == duizhao_convert::Variant::Ja
            {
                bail!(
                    "{field} = {conversion:?}: expected a conversion from Simplified to Traditional (s2t, s2tw, s2twp, s2hk, s2hkp)"
                );
            }
        }
        if !self.edition_enabled(e.default) {
            bail!(
                "editions.default = {}: that edition is not enabled",
                e.default.code()
            );
        }
        jiff::tz::TimeZone::get(&self.time_zone)
            .with_context(|| format!("time_zone = {:?}: not an IANA time zone", self.time_zone))?;
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            bail!(
                "base_url = {:?}: must start with http:// or https://",
                self.base_url
            );
        }
        if self.base_url.ends_with('/') {
            bail!("base_url = {:?}: drop the trailing slash", self.base_url);
        }
        if self.page_size == 0 || self.page_size > 200 {
            bail!("page_size = {}: must be between 1 and 200", self.page_size);
        }
        Ok(())
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("duizhao.db").display()),
        }
    }

    /// Whether an edition is served.
    pub fn edition_enabled(&self, edition: Edition) -> bool {
        match edition {
            Edition::En | Edition::ZhHans | Edition::ZhHant => true,
            Edition::ZhTw => self.editions.zh_tw,
            Edition::ZhHk => self.editions.zh_hk,
        }
    }

    /// The editions served, in menu order.
    pub fn editions(&self) -> Vec<Edition> {
        Edition::ALL
            .into_iter()
            .filter(|e| self.edition_enabled(*e))
            .collect()
    }

    /// Whether cookies should be marked `Secure`.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies
            .unwrap_or_else(|| self.base_url.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses_and_validates() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../duizhao.example.toml");
        let config = SiteConfig::from_file(&path).unwrap();
        config.validate().unwrap();
        assert_eq!(config.base_url, "https://news.example.org");
        assert!(config.cookies_secure());
    }

    #[test]
    fn defaults_validate() {
        SiteConfig::default().validate().unwrap();
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let err = toml::from_str::<SiteConfig>("page_sise = 3").unwrap_err();
        assert!(err.to_string().contains("page_sise"), "{err}");
    }

    #[test]
    fn a_conversion_that_does_not_fit_its_edition_is_refused() {
        let config: SiteConfig = toml::from_str("[editions]\nzh_hant = \"t2s\"").unwrap();
        let err = config.validate().unwrap_err();
        assert!(err.to_string().contains("editions.zh_hant"), "{err}");
    }

    #[test]
    fn a_disabled_default_edition_is_refused() {
        let config: SiteConfig = toml::from_str("[editions]\ndefault = \"zh-tw\"").unwrap();
        assert!(config.validate().is_err());
        let config: SiteConfig =
            toml::from_str("[editions]\ndefault = \"zh-tw\"\nzh_tw = true").unwrap();
        config.validate().unwrap();
    }
}
