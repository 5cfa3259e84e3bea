//! Interface strings, written here in English and Simplified Chinese; the Traditional editions
//! get theirs from the converter when the server starts.
//!
//! The strings are fields of a struct, so a template that names a missing string does not
//! compile.

use crate::content::{Converters, Edition, Language};

macro_rules! ui_strings {
    ($($field:ident: $en:literal, $zh:literal;)*) => {
        /// The interface strings of one edition.
        #[derive(Clone, Debug)]
        pub struct Ui {
            $(#[doc = $en] pub $field: String,)*
        }

        impl Ui {
            /// The strings for an edition.
            pub fn new(edition: Edition, converters: &Converters) -> Ui {
                Ui {
                    $($field: match edition.language() {
                        Language::En => $en.to_owned(),
                        Language::Zh => converters.localize($en, $zh).get(edition).to_owned(),
                    },)*
                }
            }
        }
    };
}

ui_strings! {
    skip_to_content: "Skip to content", "跳到正文";
    home: "Home", "首页";
    hot_topics: "Hot topics", "热点话题";
    sections: "Sections", "栏目";
    latest: "Latest", "最新";
    lead_story: "Lead story", "头条";
    more_in_section: "More", "更多";
    edition: "Edition", "版本";
    reading_mode: "Reading mode", "阅读模式";
    mode_zh: "Chinese", "中文";
    mode_en: "English", "英文";
    mode_parallel: "Parallel", "中英对照";
    by: "By", "作者：";
    and: "and", "、";
    published: "Published", "发布于";
    updated: "Updated", "更新于";
    topics: "Topics", "话题";
    topic: "Topic", "话题";
    author: "Author", "作者";
    section: "Section", "栏目";
    archive: "Archive", "归档";
    archive_month: "Articles from", "文章归档：";
    articles_count: "articles", "篇文章";
    previous_page: "Newer", "较新";
    next_page: "Older", "较旧";
    page: "Page", "页";
    in_english: "In English", "英文";
    in_chinese: "In Chinese", "中文";
    only_in_english: "This article is available in English only.", "本文仅有英文版。";
    only_in_chinese: "This article is available in Chinese only.", "本文仅有中文版。";
    more_articles: "More articles", "更多文章";
    text_size: "Text size", "字号";
    smaller: "Smaller text", "缩小字号";
    normal_size: "Normal text", "默认字号";
    larger: "Larger text", "放大字号";
    not_found_title: "Page not found", "找不到页面";
    not_found_body: "We could not find that page. It may have moved, or the address may be mistyped.", "找不到这个页面。它可能已经移动，或者网址有误。";
    gone_title: "Article withdrawn", "文章已撤下";
    gone_body: "This article has been withdrawn and is no longer available.", "这篇文章已经撤下，不再提供。";
    bad_request_title: "Bad request", "请求有误";
    bad_request_body: "The address contains something we cannot read.", "网址中有无法识别的内容。";
    error_title: "Something went wrong", "出错了";
    error_body: "An error on our side kept this page from loading. Please try again shortly.", "服务器出错，页面未能载入。请稍后再试。";
    back_home: "Go to the home page", "返回首页";
    no_articles: "No articles yet.", "暂无文章。";
    photo_credit: "Credit", "来源";
    footer_about: "Bilingual commentary and news, in English and Chinese.", "中英双语评论与新闻。";
    all_months: "All months", "全部月份";
    search: "Search", "搜索";
    search_label: "Search articles", "搜索文章";
    search_button: "Search", "搜索";
    results_for: "Results for", "搜索结果：";
    results_count: "results", "条结果";
    no_results: "No articles match your search. Try fewer or different words, or remove a filter.", "没有找到相关文章。请尝试更少或不同的词语，或取消筛选条件。";
    sort_by: "Sort by", "排序";
    sort_relevance: "Relevance", "相关度";
    sort_date: "Newest first", "最新";
    any_topic: "Any topic", "全部话题";
    any_author: "Any author", "全部作者";
    any_section: "Any section", "全部栏目";
    date_from: "From", "起始日期";
    date_to: "To", "截止日期";
    filters: "Filters", "筛选";
}
