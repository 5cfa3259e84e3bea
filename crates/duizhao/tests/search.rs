//! Search across scripts and languages, over the demo publication.

mod common;

use common::demo_site;

#[tokio::test]
async fn a_query_finds_articles_whatever_the_script_or_language() {
    let site = demo_site(|_| {}).await;
    // The pensions article is written in Simplified (养老金); readers type either script,
    // or English.
    for (edition, q) in [
        ("zh-hant", "養老金"),
        ("zh-hans", "养老金"),
        ("en", "pension"),
        ("en", "pensions"),
        ("zh-hant", "PENSION"),
    ] {
        let url = format!("/{edition}/search?q={}", urlencode(q));
        let r = site.get(&url).await;
        assert_eq!(r.status, 200, "{url}");
        assert!(
            r.body.contains("/articles/pension-reform-levers"),
            "{url} does not find the pensions article"
        );
    }
    // The chips article is written in Traditional (晶片, 半導體); a Simplified query finds it.
    let r = site
        .get(&format!("/zh-hans/search?q={}", urlencode("半导体")))
        .await;
    assert!(
        r.body.contains("/articles/chip-supply-chain-resilience"),
        "{}",
        r.body.len()
    );
}

#[tokio::test]
async fn snippets_are_marked_and_shown_in_the_edition_script() {
    let site = demo_site(|_| {}).await;
    let r = site
        .get(&format!("/zh-hant/search?q={}", urlencode("养老金")))
        .await;
    assert!(
        r.body.contains("<mark>養老"),
        "Traditional snippet with the match marked"
    );
    let r = site
        .get(&format!("/zh-hans/search?q={}", urlencode("養老金")))
        .await;
    assert!(r.body.contains("<mark>养老"));
    let r = site.get("/en/search?q=pension").await;
    assert!(
        r.body.to_lowercase().contains("<mark>pension"),
        "English snippet marked"
    );
}

#[tokio::test]
async fn filters_sorting_and_empty_results() {
    let site = demo_site(|_| {}).await;
    // "trade" appears in several articles; filtering by a section keeps only that section's.
    let all = site.get("/en/search?q=trade").await;
    let world = site.get("/en/search?q=trade&section=world").await;
    let count = |body: &str| body.matches("<article class=\"card\">").count();
    assert!(
        count(&all.body) > count(&world.body),
        "the section filter narrows"
    );
    assert!(count(&world.body) >= 1);
    let dated = site.get("/en/search?q=trade&sort=date").await;
    assert_eq!(count(&dated.body), count(&all.body));
    let october = site.get("/en/search?q=trade&from=2026-10-05").await;
    assert!(
        count(&october.body) < count(&all.body),
        "the date filter narrows"
    );
    let none = site.get("/en/search?q=xylophonist").await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("No articles match your search"));
    assert!(none.body.contains("noindex"));
}

#[tokio::test]
async fn bad_queries_give_a_normal_page() {
    let site = demo_site(|_| {}).await;
    let long = "a".repeat(10_000);
    for q in [
        "",
        "%20%20",
        "%22unbalanced",
        "title_en:trade",
        "(((",
        "AND%20OR%20NOT",
        "%2B-*%26%5E%25%24%23%40!",
        "%FF%FE",
        &long,
        "%E7%BE%8E%E6%97%A5%E9%9F%93%22%3Cscript%3E",
    ] {
        let url = format!("/zh-hant/search?q={q}&page=999999999999&from=junk");
        let r = site.get(&url).await;
        assert_eq!(r.status, 200, "{}", &url[..url.len().min(80)]);
        assert!(!r.body.contains("<script>"), "no markup from the query");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
