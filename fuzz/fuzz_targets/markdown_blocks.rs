//! Markdown to the blocks readers see: no panic, and whatever the text, nothing in the HTML
//! can run script, load a frame or an object, or link to a non-web scheme.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FORBIDDEN_TAGS: [&str; 10] = [
    "<script", "<iframe", "<object", "<embed", "<svg", "<style", "<math", "<form", "<base", "<meta",
];

fn check(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in FORBIDDEN_TAGS {
        assert!(!lower.contains(tag), "{tag} in {html}");
    }
    // Every attribute an address goes in holds a web, mail or site address.
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in lower.match_indices(attribute) {
            let value = &lower[at + attribute.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let scheme = value
                .find(':')
                .filter(|i| !value[..*i].contains(['/', '?', '#']));
            if let Some(i) = scheme {
                assert!(
                    matches!(&value[..i], "http" | "https" | "mailto"),
                    "scheme {} in {html}",
                    &value[..i]
                );
            }
        }
    }
    // No event handler attributes: an `on…=` can only follow a space inside a tag.
    let mut in_tag = false;
    let bytes = lower.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b' ' if in_tag => {
                let rest = &lower[i + 1..];
                if rest.starts_with("on") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect();
                    assert!(!rest[name.len()..].starts_with('='), "{name}= in {html}");
                }
            }
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let blocks = duizhao::content::markdown::render_blocks(markdown, &|p| format!("/media/{p}"));
    for block in &blocks {
        check(&block.html);
    }
});
