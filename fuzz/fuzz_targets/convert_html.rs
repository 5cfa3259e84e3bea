//! The converter's HTML mode on any input: no panic, and markup without Chinese characters or
//! inline markup comes back unchanged.
#![no_main]

use std::sync::OnceLock;

use duizhao_convert::{Config, Converter};
use libfuzzer_sys::fuzz_target;

fn converters() -> &'static [Converter] {
    static ALL: OnceLock<Vec<Converter>> = OnceLock::new();
    ALL.get_or_init(|| Config::ALL.iter().map(|c| Converter::new(*c)).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(html) = std::str::from_utf8(rest) else {
        return;
    };
    let all = converters();
    let out = all[which as usize % all.len()].convert_html(html);
    let plain = !html.contains("-{")
        && !html.chars().any(|c| matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0x20000..=0x3FFFF));
    if plain {
        assert_eq!(out, html, "markup without Chinese changed");
    }
});
