//! The converter on any text, in every configuration and both segmentations: no panic, and
//! text without Chinese characters or inline markup comes back unchanged.
#![no_main]

use std::sync::OnceLock;

use duizhao_convert::{Config, Converter, Segmentation};
use libfuzzer_sys::fuzz_target;

fn converters() -> &'static [Converter] {
    static ALL: OnceLock<Vec<Converter>> = OnceLock::new();
    ALL.get_or_init(|| {
        Config::ALL
            .iter()
            .flat_map(|c| {
                [Segmentation::Words, Segmentation::OpenccExact]
                    .map(|s| Converter::builder(*c).segmentation(s).build())
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let all = converters();
    let converter = &all[which as usize % all.len()];
    let out = converter.convert(text);
    let plain = !text.contains("-{")
        && !text.chars().any(|c| matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0x20000..=0x3FFFF));
    if plain {
        assert_eq!(out, text, "text without Chinese changed");
    }
    // Converting into a buffer gives the same text.
    let mut buffer = String::from("x");
    converter.convert_into(text, &mut buffer);
    assert_eq!(&buffer[1..], out);
});
