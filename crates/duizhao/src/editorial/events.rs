//! Changes to what readers see, as they leave the editorial core.
//!
//! Every command that changes published content ends by emitting one [`Change`] through the
//! [`Changes`] of the running site, which hands it to each registered [`Consumer`] in turn:
//! today the search index ([`SearchConsumer`]) and the page cache. A new consumer (a CDN purge,
//! a webhook, another node) is one more registration, not a change at every call site.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::search::SearchIndex;
use crate::store::Store;
use crate::store::taxonomy::TaxonomyKind;

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// An article was saved, published, unpublished, restored or deleted.
    Article {
        /// Its slug.
        slug: String,
    },
    /// A topic, author or section was created, changed, renamed, merged or deleted; the
    /// articles listed carry (or carried) it.
    Taxonomy {
        /// Which kind.
        kind: TaxonomyKind,
        /// Its slug (the new one after a rename).
        slug: String,
        /// The articles whose pages and search entries show it.
        articles: Vec<String>,
    },
    /// The media library changed (an upload, new alternative text).
    Media,
    /// The site glossary changed: every derived text may have.
    Glossary {
        /// The articles converted again.
        articles: Vec<String>,
    },
}

impl Change {
    /// The articles whose own data changed (their search entries need refreshing).
    pub fn articles(&self) -> &[String] {
        match self {
            Change::Article { slug } => std::slice::from_ref(slug),
            Change::Taxonomy { articles, .. } | Change::Glossary { articles } => articles,
            Change::Media => &[],
        }
    }
}

/// What a consumer returns: a future, boxed so that consumers can be kept in one list.
pub type Applied<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Something kept up to date from the changes.
pub trait Consumer: Send + Sync + fmt::Debug {
    /// Brings this consumer up to date with one change.
    fn apply<'a>(&'a self, change: &'a Change) -> Applied<'a>;
}

/// The consumers of a running site.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    consumers: Vec<Arc<dyn Consumer>>,
}

impl Changes {
    /// No consumers.
    pub fn new() -> Changes {
        Changes::default()
    }

    /// Adds a consumer; changes reach consumers in the order they were added.
    pub fn register(&mut self, consumer: Arc<dyn Consumer>) {
        self.consumers.push(consumer);
    }

    /// Hands a change to every consumer. One consumer's failure does not keep the change from
    /// the others; the first failure is returned (and each is logged).
    pub async fn emit(&self, change: Change) -> anyhow::Result<()> {
        let mut first = None;
        for consumer in &self.consumers {
            if let Err(err) = consumer.apply(&change).await {
                tracing::error!(
                    error = format!("{err:#}"),
                    consumer = ?consumer,
                    change = ?change,
                    "a change was not applied"
                );
                first.get_or_insert(err);
            }
        }
        first.map_or(Ok(()), Err)
    }
}

/// Keeps the search index in step: each changed article is indexed again (or removed, when it
/// is no longer published).
#[derive(Clone)]
pub struct SearchConsumer {
    store: Store,
    search: Arc<SearchIndex>,
}

impl fmt::Debug for SearchConsumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SearchConsumer")
    }
}

impl SearchConsumer {
    /// Over a store and its index.
    pub fn new(store: Store, search: Arc<SearchIndex>) -> SearchConsumer {
        SearchConsumer { store, search }
    }
}

impl Consumer for SearchConsumer {
    fn apply<'a>(&'a self, change: &'a Change) -> Applied<'a> {
        Box::pin(async move {
            for slug in change.articles() {
                super::index_article(&self.store, &self.search, slug).await?;
            }
            Ok(())
        })
    }
}
