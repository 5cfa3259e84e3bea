//! Glossary overrides, inline markup, the HTML path (hostile input included), streaming and
//! errors.

use duizhao_convert::{Config, Converter, Error, Glossary, Rule, Variant};

#[test]
fn glossary_keeps_trump_in_hant_and_writes_chuanpu_in_tw() {
    let glossary = Glossary::parse("特朗普 -> 川普 @zh-TW\n").unwrap();
    let s2t = Converter::builder(Config::S2t)
        .glossary(glossary.clone())
        .build();
    let s2tw = Converter::builder(Config::S2tw)
        .glossary(glossary.clone())
        .build();
    let s2hk = Converter::builder(Config::S2hk).glossary(glossary).build();
    let text = "美国总统特朗普发表讲话";
    assert_eq!(s2t.convert(text), "美國總統特朗普發表講話");
    assert_eq!(s2tw.convert(text), "美國總統川普發表講話");
    assert_eq!(s2hk.convert(text), "美國總統特朗普發表講話");
}

#[test]
fn glossary_rule_wins_over_dictionary_and_both_ways_reverses() {
    let mut g = Glossary::new();
    g.push(Rule::new("头发生", "頭發生").for_targets([Variant::Hant]));
    g.push(
        Rule::new("脸书", "臉書")
            .for_targets([Variant::Tw])
            .both_ways(),
    );
    let s2t = Converter::builder(Config::S2t).glossary(g.clone()).build();
    assert_eq!(s2t.convert("他的头发生了"), "他的頭發生了");
    let tw2s = Converter::builder(Config::Tw2s).glossary(g).build();
    assert_eq!(tw2s.convert("臉書上的貼文"), "脸书上的贴文");
}

#[test]
fn glossary_longest_rule_wins_and_first_of_equal_rules() {
    let g = Glossary::parse(
        "# site glossary\n\n美国 -> 米国\n美国总统 -> 美國大總統\n美国 -> 合眾國\n",
    )
    .unwrap();
    let c = Converter::builder(Config::S2t).glossary(g).build();
    assert_eq!(c.convert("美国总统和美国"), "美國大總統和米国");
}

#[test]
fn glossary_errors_name_the_line() {
    let err = Glossary::parse("特朗普 -> 川普\n川普 => 特朗普\n").unwrap_err();
    assert!(matches!(err, Error::Glossary { line: 2, .. }), "{err}");
    let err = Glossary::parse("a -> b @zh-XX").unwrap_err();
    assert!(
        err.to_string().contains("line 1") && err.to_string().contains("zh-XX"),
        "{err}"
    );
    assert!(Glossary::parse(" -> b").is_err());
}

#[test]
fn inline_no_convert_zone_and_per_variant_text() {
    let s2tw = Converter::new(Config::S2tw);
    assert_eq!(s2tw.convert("后台和-{后台}-"), "後臺和后台");
    let text = "他用-{zh-hans:鼠标;zh-hant:滑鼠}-点击";
    assert_eq!(s2tw.convert(text), "他用滑鼠點擊");
    assert_eq!(Converter::new(Config::S2hk).convert(text), "他用滑鼠點擊");
    assert_eq!(
        Converter::new(Config::T2s).convert("他用-{zh-hans:鼠标;zh-hant:滑鼠}-點擊"),
        "他用鼠标点击"
    );
    // Only the source variant given: it is converted as usual.
    assert_eq!(s2tw.convert("-{zh-hans:软件}-"), "軟件");
    // Unclosed markers are text.
    assert_eq!(s2tw.convert("半个-{标记"), "半個-{標記");
    // Off when asked.
    let plain = Converter::builder(Config::S2tw).inline_rules(false).build();
    assert_eq!(plain.convert("-{后台}-"), "-{後臺}-");
}

#[test]
fn html_changes_only_text_title_and_alt() {
    let s2t = Converter::new(Config::S2t);
    let html = r#"<p class="发" title="头发" data-x="头发">头发&amp;发<a href="/发展?q=发#发">发展</a><img src="发.png" alt="发展"/></p>"#;
    assert_eq!(
        s2t.convert_html(html),
        r#"<p class="发" title="頭髮" data-x="头发">頭髮&amp;發<a href="/发展?q=发#发">發展</a><img src="发.png" alt="發展"/></p>"#
    );
}

#[test]
fn html_verbatim_zones() {
    let s2t = Converter::new(Config::S2t);
    let html = "<p>发<code>发</code>发<pre>发<b>发</b></pre><kbd>发</kbd><samp>发</samp>\
        <script>if (a<b) { s='</p>发'; }</script><style>p::after{content:'发'}</style>\
        <span translate=\"no\">发<i>发</i><em translate=yes>发</em></span>发<!-- 发 -->&#21457;发</p>";
    assert_eq!(
        s2t.convert_html(html),
        "<p>發<code>发</code>發<pre>发<b>发</b></pre><kbd>发</kbd><samp>发</samp>\
        <script>if (a<b) { s='</p>发'; }</script><style>p::after{content:'发'}</style>\
        <span translate=\"no\">发<i>发</i><em translate=yes>發</em></span>發<!-- 发 -->&#21457;發</p>"
    );
}

#[test]
fn html_tag_names_in_any_case_and_whitespace_between_tags() {
    let s2t = Converter::new(Config::S2t);
    let html = "<P>发<CODE>发</Code>发<SCRIPT>s='发'</script>发</P>\n \t<p>发</p>\r\n";
    assert_eq!(
        s2t.convert_html(html),
        "<P>發<CODE>发</Code>發<SCRIPT>s='发'</script>發</P>\n \t<p>發</p>\r\n"
    );
}

#[test]
fn html_hostile_input_never_panics_and_keeps_bytes() {
    let s2t = Converter::new(Config::S2t);
    let cases = [
        "<",
        "<<<>>>",
        "</",
        "<a",
        "<a href=\"发",
        "<a title='发",
        "<!--发",
        "<![CDATA[发",
        "<script>发",
        "&",
        "&#",
        "&#x",
        "&#xZZ;发",
        "<p title=发>发",
        "<p title = \"发\" title=发>",
        "</p></p>发<p>",
        "<img alt=\"发\" <b>发</b>",
        "<a =发>发</a>",
        "<>发</>",
        "<\u{0}>发",
        "<p\u{3000}title=发>发",
    ];
    for html in cases {
        let out = s2t.convert_html(html);
        // Every ASCII byte survives where it was: conversion only ever replaces Chinese text.
        let strip = |s: &str| s.chars().filter(char::is_ascii).collect::<String>();
        assert_eq!(strip(&out), strip(html), "{html:?} -> {out:?}");
    }
    assert_eq!(s2t.convert_html("<p title=发>发"), "<p title=發>發");
}

#[test]
fn html_escapes_glossary_output() {
    let g = Glossary::parse("坏 -> <script>alert(1)</script>").unwrap();
    let c = Converter::builder(Config::S2t).glossary(g).build();
    assert_eq!(
        c.convert_html("<p>坏</p>"),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    );
    assert_eq!(c.convert("坏"), "<script>alert(1)</script>");
}

/// A reader that returns at most `step` bytes per call, to put read boundaries everywhere.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn streaming_matches_whole_text_whatever_the_read_size() {
    let conv = Converter::new(Config::S2twp);
    let text = "他的头发生出白丝，动乱发生。这个软件的鼠标-{不转换}-很好用。\n".repeat(5000);
    let whole = conv.convert(&text);
    for step in [1, 2, 3, 7, 4096, 65537] {
        let mut out = Vec::new();
        let n = conv
            .convert_stream(
                Trickle {
                    data: text.as_bytes(),
                    step,
                },
                &mut out,
            )
            .unwrap();
        assert_eq!(n, text.len() as u64);
        assert!(String::from_utf8(out).unwrap() == whole, "read size {step}");
    }
}

#[test]
fn streaming_phrase_across_chunk_boundary() {
    // 65,536 is the read size: put 头发 right across it, in a line too long to cut early.
    let conv = Converter::new(Config::S2t);
    let mut text = "a".repeat(65_535);
    text.push_str("头发");
    let mut out = Vec::new();
    conv.convert_stream(text.as_bytes(), &mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().ends_with("頭髮"));
}

#[test]
fn invalid_utf8_reports_offset() {
    let conv = Converter::new(Config::S2t);
    let mut bytes = "发展".repeat(30_000).into_bytes();
    bytes.push(0xff);
    let err = conv
        .convert_stream(&bytes[..], std::io::sink())
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidUtf8 { offset: 180_000 }),
        "{err}"
    );
    let err = conv.convert_bytes(b"ab\xe5\x8f").unwrap_err();
    assert_eq!(err.to_string(), "input is not valid UTF-8 at byte offset 2");
}

#[test]
fn unknown_config_lists_valid_ones() {
    let err = "s2x".parse::<Config>().unwrap_err().to_string();
    assert!(
        err.contains("s2x") && err.contains("s2t") && err.contains("tw2sp") && err.contains("hk2t"),
        "{err}"
    );
    assert_eq!("S2TWP.json".parse::<Config>().unwrap(), Config::S2twp);
    for c in Config::ALL {
        assert_eq!(c.name().parse::<Config>().unwrap(), *c);
        let _ = Converter::new(*c); // every configuration has its tables
    }
}
