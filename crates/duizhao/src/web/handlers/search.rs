//! The search page: one form, results ranked by relevance or date, snippets in the edition's
//! script, filters, pagination. Whatever the reader types, the answer is a normal page.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use jiff::Timestamp;
use jiff::civil::Date;

use super::edition as parse_edition;
use crate::content::{ArticleId, Edition, Language};
use crate::search::{SearchQuery, SortBy};
use crate::store::articles::{ListFilter, ListQuery};
use crate::web::error::WebResult;
use crate::web::page::{self, Card, Chrome, Pager};
use crate::web::prefs::Prefs;
use crate::web::{AppState, paths};

/// One result: the article's card and a passage with the matched words marked.
#[derive(Debug)]
pub struct Result {
    card: Card,
    snippet: Option<String>,
    snippet_lang: &'static str,
}

/// An option of a filter's select.
#[derive(Debug)]
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    chrome: Chrome<'a>,
    q: String,
    searched: bool,
    total: usize,
    results: Vec<Result>,
    pager: Pager,
    topics: Vec<Choice>,
    authors: Vec<Choice>,
    sections: Vec<Choice>,
    from: String,
    to: String,
    by_date: bool,
}

/// The request's parameters, read leniently: unknown ones are ignored, bad values dropped.
#[derive(Debug, Default)]
struct Params {
    q: String,
    topic: Option<String>,
    author: Option<String>,
    section: Option<String>,
    from: Option<Date>,
    to: Option<Date>,
    by_date: bool,
    page: u32,
}

fn params(query: Option<&str>) -> Params {
    let mut p = Params {
        page: 1,
        ..Params::default()
    };
    let Some(query) = query else { return p };
    let slug = |v: &str| {
        (!v.is_empty()
            && v.len() <= 100
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| v.to_owned())
    };
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "q" => p.q = v.chars().take(1000).collect(),
            "topic" => p.topic = slug(&v),
            "author" => p.author = slug(&v),
            "section" => p.section = slug(&v),
            "from" => p.from = v.parse().ok(),
            "to" => p.to = v.parse().ok(),
            "sort" => p.by_date = v == "date",
            "page" => {
                p.page = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .unwrap_or(1)
            }
            _ => {}
        }
    }
    p
}

impl Params {
    /// This search's URL with another page number.
    fn url(&self, edition: Edition) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("q", &self.q);
        for (k, v) in [
            ("topic", &self.topic),
            ("author", &self.author),
            ("section", &self.section),
        ] {
            if let Some(v) = v {
                s.append_pair(k, v);
            }
        }
        if let Some(d) = self.from {
            s.append_pair("from", &d.to_string());
        }
        if let Some(d) = self.to {
            s.append_pair("to", &d.to_string());
        }
        if self.by_date {
            s.append_pair("sort", "date");
        }
        format!("{}?{}", paths::search(edition), s.finish())
    }
}

/// `/{edition}/search?q=…`
pub async fn search(
    State(state): State<AppState>,
    Path(edition): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> WebResult {
    let edition = parse_edition(&state, &edition)?;
    let prefs = Prefs::from_headers(&headers);
    let p = params(query.as_deref());
    let per_page = state.config().page_size as usize;
    let tz = state.time_zone().clone();
    let day = |d: Option<Date>, plus: i64| -> Option<Timestamp> {
        let d = d?.checked_add(jiff::Span::new().days(plus)).ok()?;
        Some(d.to_zoned_datetime(tz.clone()).ok()?.timestamp())
    };
    let searched = !p.q.trim().is_empty();
    let mut results = Vec::new();
    let mut total = 0;
    if searched {
        let found = state.search().search(&SearchQuery {
            q: p.q.clone(),
            topic: p.topic.clone(),
            author: p.author.clone(),
            section: p.section.clone(),
            from: day(p.from, 0),
            to: day(p.to, 1),
            sort: if p.by_date {
                SortBy::Date
            } else {
                SortBy::Relevance
            },
            offset: (p.page as usize - 1) * per_page,
            limit: per_page,
        })?;
        total = found.total;
        let ids: Vec<ArticleId> = found.hits.iter().map(|h| h.id).collect();
        let summaries = state
            .store()
            .list_published_items(&ListQuery::new(
                ListFilter::Ids(&ids),
                edition,
                Timestamp::now(),
                ids.len() as i64,
            ))
            .await?;
        // In the index's order; an article unpublished since it was indexed just drops out.
        for hit in &found.hits {
            let Some(summary) = summaries.iter().find(|s| s.id == hit.id) else {
                continue;
            };
            let zh_first = edition.language() == Language::Zh;
            let (snippet, lang) = match (zh_first, &hit.snippet_zh, &hit.snippet_en) {
                (true, Some(zh), _) | (false, Some(zh), None) => (
                    Some(state.converters().html_for(edition.chinese_text(), zh)),
                    edition.chinese_text().lang_tag(),
                ),
                (_, _, Some(en)) => (Some(en.clone()), "en"),
                _ => (None, edition.lang_tag()),
            };
            results.push(Result {
                card: Card::new(&state, edition, &prefs, summary),
                snippet,
                snippet_lang: lang,
            });
        }
    }

    let choices = |items: Vec<(String, String)>, current: &Option<String>| -> Vec<Choice> {
        items
            .into_iter()
            .map(|(value, label)| Choice {
                selected: current.as_deref() == Some(value.as_str()),
                value,
                label,
            })
            .collect()
    };
    let store = state.store();
    let (topics, sections) = store.navigation().await?;
    let authors = store.authors().await?;
    let ui = state.ui(edition);
    let title = if searched {
        format!(
            "{} {}",
            ui.results_for,
            p.q.chars().take(60).collect::<String>()
        )
    } else {
        ui.search.clone()
    };
    let url = p.url(edition);
    let mut chrome = Chrome::new(&state, edition, &prefs, &url, title, &|e| Some(p.url(e))).await?;
    // Result pages are not for search engines' indexes.
    chrome.canonical = None;
    chrome.noindex = true;
    let base = url.clone();
    let template = SearchPage {
        q: p.q.clone(),
        searched,
        total,
        pager: Pager::new(ui, &base, p.page, per_page as u32, total as i64),
        results,
        topics: choices(
            topics
                .iter()
                .map(|t| (t.slug.clone(), t.name.get(edition).to_owned()))
                .collect(),
            &p.topic,
        ),
        authors: choices(
            authors
                .iter()
                .map(|a| (a.slug.clone(), a.name.get(edition).to_owned()))
                .collect(),
            &p.author,
        ),
        sections: choices(
            sections
                .iter()
                .map(|s| (s.slug.clone(), s.name.get(edition).to_owned()))
                .collect(),
            &p.section,
        ),
        from: p.from.map(|d| d.to_string()).unwrap_or_default(),
        to: p.to.map(|d| d.to_string()).unwrap_or_default(),
        by_date: p.by_date,
        chrome,
    };
    page::respond(&state, &prefs, edition, &template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_leniently() {
        let p = params(Some(
            "q=%E7%BE%8E%E6%97%A5&topic=trade&author=<x>&from=2026-13-01&to=2026-11-01&sort=date&page=zz&junk=1",
        ));
        assert_eq!(p.q, "美日");
        assert_eq!(p.topic.as_deref(), Some("trade"));
        assert_eq!(p.author, None);
        assert_eq!(p.from, None);
        assert_eq!(p.to, Some(jiff::civil::date(2026, 11, 1)));
        assert!(p.by_date);
        assert_eq!(p.page, 1);
        let p = params(Some("q=%ZZ%&page=2"));
        assert_eq!(p.page, 2);
        assert_eq!(p.q, "%ZZ%");
    }
}
