//! Markdown to the blocks readers see: no panic, and whatever the text, nothing in the HTML
//! can run script, load a frame or an object, or link to a non-web scheme.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FORBIDDEN_TAGS: [&str; 10] = [
    "<script", "<iframe", "<object", "<embed", "<svg", "<style", "<math", "<form", "<base", "<meta",
];

/// Checks every tag of rendered HTML. Text never holds a literal `<` (it is escaped), so each
/// `<` opens a tag that runs to the next `>` (attribute values escape theirs).
fn check(html: &str) {
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        let after = &rest[open..];
        let end = after.find('>').unwrap_or(after.len());
        check_tag(&after[..end], html);
        rest = &after[end..];
    }
}

fn check_tag(tag: &str, html: &str) {
    for forbidden in FORBIDDEN_TAGS {
        assert!(
            !(tag.starts_with(forbidden)
                && tag[forbidden.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '/' || c == '>')),
            "{forbidden} in {html}"
        );
    }
    // Attributes: ` name="value"` pairs after the tag name.
    let mut attributes = tag;
    while let Some(space) = attributes.find(' ') {
        attributes = &attributes[space + 1..];
        let name: String = attributes
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let value = attributes[name.len()..]
            .strip_prefix("=\"")
            .map(|v| &v[..v.find('"').unwrap_or(v.len())])
            .unwrap_or("");
        assert!(
            !name.starts_with("on") || name.len() <= 2,
            "{name}= in {html}"
        );
        if name == "href" || name == "src" {
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
        // Skip the value, which may hold spaces.
        let skip = name.len() + if value.is_empty() { 0 } else { value.len() + 3 };
        attributes = &attributes[skip.min(attributes.len())..];
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
