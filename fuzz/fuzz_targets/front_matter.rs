//! Front matter (YAML, TOML or JSON) and its dates, as the Markdown importer reads them: no
//! panic on any file, and an error names the line. The HTML bodies of WordPress posts go
//! through the same target's second half.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = duizhao::import::frontmatter::split(source) {
        // An error says where: a line inside the file.
        assert!(e.to_string().contains("line"), "{e}");
    }
    let _ = duizhao::import::frontmatter::parse_time(source);
    let _ = duizhao::import::html::to_markdown(source);
});
