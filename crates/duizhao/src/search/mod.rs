//! Full-text search in any script or language: a tantivy index on disk beside the database.
//!
//! Chinese text is folded to Simplified *before* it is segmented (with jieba), and queries are
//! folded the same way, so that 美日韓關係 and 美日韩关系 find the same articles: folding after
//! segmentation would not work, because the two scripts segment differently. The query fold
//! uses `tw2sp`, so Taiwan vocabulary finds its mainland equivalent too (軟體 finds 软件).
//! English is tokenised, lower-cased and stemmed. Titles weigh three times the body.
//!
//! Queries are not parsed as a query language: every word the reader types must appear (in
//! a title or the body, in either language), and nothing they type is an error. Quotes,
//! brackets and operators are just punctuation.
//!
//! The index is derived data: `duizhao reindex` rebuilds it from the database, and a failed
//! update is logged rather than failing the save that caused it.

mod query;

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use duizhao_convert::{Config as Conversion, Converter};
use jiff::Timestamp;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};

use crate::content::sentences::text_content;
use crate::content::{Article, ArticleId, Status};

pub use query::{SearchQuery, SortBy};

/// Bumped when the schema or the analysis changes; an index of another version is rebuilt.
const SCHEMA_VERSION: &str = "1";
const EN: &str = "dz_en";
const ZH: &str = "dz_zh";
/// How much of a body the English snippet is looked for in: the start of an article is where
/// its subject is, and tokenising all of a long one for each hit costs more than it finds.
const SNIPPET_SOURCE_BYTES: usize = 6_000;
/// Queries are cut without jieba's search mode: one token per word, which the index (cut in
/// search mode, words and their parts) contains.
const ZH_QUERY: &str = "dz_zh_query";

#[derive(Clone, Copy, Debug)]
struct Fields {
    id: Field,
    title_en: Field,
    body_en: Field,
    title_zh: Field,
    body_zh: Field,
    topic: Field,
    author: Field,
    section: Field,
    published: Field,
}

/// The search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// The one writer. A panic while it was held can at worst leave an article's delete staged
    /// without its new document (the article is missing until its next update or a reindex),
    /// so a poisoned lock is taken over rather than failing every later update.
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    fold: Converter,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// One hit: the article and a snippet of its text with the matched terms marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The article.
    pub id: ArticleId,
    /// A passage of the English text, HTML with `<mark>`, if it matched.
    pub snippet_en: Option<String>,
    /// A passage of the Chinese text (Simplified), HTML with `<mark>`, if it matched.
    pub snippet_zh: Option<String>,
}

/// A page of results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    /// How many articles match in all.
    pub total: usize,
    /// This page's hits, best first (or newest first).
    pub hits: Vec<Hit>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        title_en: b.add_text_field("title_en", text(EN)),
        body_en: b.add_text_field("body_en", text(EN)),
        title_zh: b.add_text_field("title_zh", text(ZH)),
        body_zh: b.add_text_field("body_zh", text(ZH)),
        topic: b.add_text_field("topic", STRING),
        author: b.add_text_field("author", STRING),
        section: b.add_text_field("section", STRING),
        published: b.add_i64_field("published", INDEXED | FAST),
    };
    (b.build(), fields)
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or recreating it, when it was built by another
    /// version of the analysis) as needed. A new index is empty: see [`SearchIndex::is_empty`].
    pub fn open(dir: &Path) -> anyhow::Result<SearchIndex> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create search index directory {}", dir.display()))?;
        let version_file = dir.join("duizhao-schema-version");
        let current = std::fs::read_to_string(&version_file).unwrap_or_default();
        if current.trim() != SCHEMA_VERSION {
            // Another analysis (or nothing yet): start afresh; `reindex` or the first start fills it.
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_file() {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("cannot remove {}", path.display()))?;
                }
            }
            std::fs::write(&version_file, SCHEMA_VERSION)?;
        }
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir)
            .with_context(|| format!("cannot open search index in {}", dir.display()))?;
        let index = Index::open_or_create(directory, schema)
            .with_context(|| format!("cannot open search index in {}", dir.display()))?;
        Self::with_index(index, fields)
    }

    fn with_index(index: Index, fields: Fields) -> anyhow::Result<SearchIndex> {
        let en = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(tantivy::tokenizer::Language::English))
            .build();
        let zh = TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build();
        let zh_query =
            TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::with_search_mode(false))
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build();
        index.tokenizers().register(EN, en);
        index.tokenizers().register(ZH, zh);
        index.tokenizers().register(ZH_QUERY, zh_query);
        let writer = index
            .writer(50_000_000)
            .context("cannot open the search index for writing (is another server using it?)")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            fold: Converter::new(Conversion::Tw2sp),
        })
    }

    /// Whether the index holds no articles (a new or rebuilt directory).
    pub fn is_empty(&self) -> bool {
        self.reader.searcher().num_docs() == 0
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Brings one article up to date: indexed if it is published, removed otherwise. `article`
    /// must carry its Simplified Chinese text (the store's `article(slug, ZhHans)`).
    pub fn update(&self, article: &Article) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.stage(&writer, article)?;
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes an article.
    pub fn remove(&self, id: ArticleId) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        writer.delete_term(Term::from_field_u64(self.fields.id, id.0 as u64));
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Starts a rebuild: every document is deleted, but only when [`SearchIndex::commit`]
    /// runs; until then searches see the old index.
    pub fn start_rebuild(&self) -> anyhow::Result<()> {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Stages a batch of articles (indexed if published); returns how many were added.
    pub fn stage_batch(&self, articles: &[Article]) -> anyhow::Result<u64> {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut n = 0;
        for article in articles {
            n += u64::from(self.stage(&writer, article)?);
        }
        Ok(n)
    }

    /// Commits what was staged and makes it searchable.
    pub fn commit(&self) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Adds the delete (and the document, if published) to the writer; true if added.
    fn stage(&self, writer: &IndexWriter<TantivyDocument>, a: &Article) -> anyhow::Result<bool> {
        let f = self.fields;
        writer.delete_term(Term::from_field_u64(f.id, a.id.0 as u64));
        if a.status != Status::Published {
            return Ok(false);
        }
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, a.id.0 as u64);
        let body = |blocks: &[crate::content::markdown::Block]| {
            blocks
                .iter()
                .map(|b| text_content(&b.html))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if let Some(en) = &a.en {
            doc.add_text(f.title_en, &en.title);
            doc.add_text(f.body_en, format!("{}\n{}", en.dek, body(&en.blocks)));
        }
        if let Some(zh) = &a.zh {
            // Already Simplified (the caller passes the zh-Hans edition): fold only what a
            // Traditional-master article might have kept.
            doc.add_text(f.title_zh, self.fold.convert(&zh.title));
            doc.add_text(
                f.body_zh,
                self.fold
                    .convert(&format!("{}\n{}", zh.dek, body(&zh.blocks))),
            );
        }
        for t in &a.topics {
            doc.add_text(f.topic, &t.slug);
        }
        for au in &a.authors {
            doc.add_text(f.author, &au.slug);
        }
        if let Some(s) = &a.section {
            doc.add_text(f.section, &s.slug);
        }
        doc.add_i64(
            f.published,
            a.published_at.unwrap_or(a.updated_at).as_second(),
        );
        writer.add_document(doc)?;
        Ok(true)
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> anyhow::Result<Results> {
        let f = self.fields;
        let folded = self.fold.convert(&q.text());
        let words = query::words(&self.index, &folded, EN, ZH_QUERY)?;
        if words.is_empty() {
            return Ok(Results::default());
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let (title, body) = match word.lang {
                query::Lang::En => (f.title_en, f.body_en),
                query::Lang::Zh => (f.title_zh, f.body_zh),
            };
            let either: Vec<(Occur, Box<dyn Query>)> = [(title, 3.0), (body, 1.0)]
                .into_iter()
                .map(|(field, boost)| {
                    let term = TermQuery::new(
                        Term::from_field_text(field, &word.token),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(tantivy::query::BoostQuery::new(Box::new(term), boost))
                            as Box<dyn Query>,
                    )
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, value) in [
            (f.topic, q.topic.as_deref()),
            (f.author, q.author.as_deref()),
            (f.section, q.section.as_deref()),
        ] {
            if let Some(v) = value {
                filters.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |t: Option<Timestamp>, inclusive: bool| match t {
                Some(t) if inclusive => {
                    Bound::Included(Term::from_field_i64(f.published, t.as_second()))
                }
                Some(t) => Bound::Excluded(Term::from_field_i64(f.published, t.as_second())),
                None => Bound::Unbounded,
            };
            filters.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(q.from, true), bound(q.to, false))),
            ));
        }
        let text_query = BooleanQuery::new(must);
        let mut all = vec![(Occur::Must, Box::new(text_query.clone()) as Box<dyn Query>)];
        all.extend(filters);
        let query = BooleanQuery::new(all);

        let searcher = self.reader.searcher();
        let total = searcher.search(&query, &Count)?;
        let top = TopDocs::with_limit(q.limit.max(1)).and_offset(q.offset);
        let addresses: Vec<tantivy::DocAddress> = match q.sort {
            SortBy::Relevance => searcher
                .search(&query, &top.order_by_score())?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
            SortBy::Date => searcher
                .search(
                    &query,
                    &top.order_by_fast_field::<i64>("published", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
        };

        let mut gen_en = SnippetGenerator::create(&searcher, &text_query, f.body_en)?;
        gen_en.set_max_num_chars(220);
        // Chinese snippets are cut by substring, not by tantivy's generator: the index's
        // tokens overlap (search mode), which its fragmenter does not expect.
        let zh_words: Vec<&str> = words
            .iter()
            .filter(|w| w.lang == query::Lang::Zh)
            .map(|w| w.token.as_str())
            .collect();
        let has_en_words = words.iter().any(|w| w.lang == query::Lang::En);
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_u64())
                .context("an indexed document without its id")?;
            let snippet_zh = doc
                .get_first(f.body_zh)
                .and_then(|v| v.as_str())
                .and_then(|text| query::zh_snippet(text, &zh_words, 110));
            // The English passage costs a tokenised, stemmed pass over the body: only when the
            // query has English words or the Chinese found nothing to show.
            let snippet_en = if has_en_words || snippet_zh.is_none() {
                doc.get_first(f.body_en)
                    .and_then(|v| v.as_str())
                    .and_then(|text| {
                        let cut = text.floor_char_boundary(SNIPPET_SOURCE_BYTES);
                        query::snippet_html(&gen_en.snippet(&text[..cut]))
                    })
            } else {
                None
            };
            hits.push(Hit {
                id: ArticleId(id as i64),
                snippet_en,
                snippet_zh,
            });
        }
        Ok(Results { total, hits })
    }
}
