//! Reads for the JSON API that the site's pages do not need: for a page of listed articles,
//! what each item carries besides its summary (its update time, its headline in every
//! edition, its topic and author slugs), in four queries whatever the page size, rather than
//! a full [`Store::article`] per item and edition.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, StoreError, StoreResult};
use crate::content::{ArticleId, Edition};

/// What an API list item shows besides its [`crate::content::ArticleSummary`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListDetails {
    /// Last update.
    pub updated_at: Timestamp,
    /// Headline per edition that has the article's text.
    pub titles: Vec<(Edition, String)>,
    /// Topic slugs, in order.
    pub topics: Vec<String>,
    /// Author slugs, in byline order.
    pub authors: Vec<String>,
}

impl Store {
    /// The details of each of `ids` (at most 100 are read), in the order given; an id with no
    /// article gets empty details.
    pub async fn list_details(&self, ids: &[ArticleId]) -> StoreResult<Vec<ListDetails>> {
        let ids = &ids[..ids.len().min(100)];
        let mut out = vec![ListDetails::default(); ids.len()];
        if ids.is_empty() {
            return Ok(out);
        }
        let slot = |id: i64| ids.iter().position(|i| i.0 == id);
        // Statement text is built from placeholders only; every value is bound.
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let within = placeholders.join(", ");
        let queries = [
            format!("SELECT id, updated_at FROM articles WHERE id IN ({within})"),
            format!(
                "SELECT article_id, edition, title FROM article_editions \
                 WHERE article_id IN ({within})"
            ),
            format!(
                "SELECT x.article_id, t.slug FROM article_topics x \
                 JOIN topics t ON t.id = x.topic_id WHERE x.article_id IN ({within}) \
                 ORDER BY x.article_id, x.position"
            ),
            format!(
                "SELECT x.article_id, au.slug FROM article_authors x \
                 JOIN authors au ON au.id = x.author_id WHERE x.article_id IN ({within}) \
                 ORDER BY x.article_id, x.position"
            ),
        ];
        let mut conn = self.pool().acquire().await?;
        for (n, sql) in queries.into_iter().enumerate() {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in ids {
                query = query.bind(id.0);
            }
            for row in query.fetch_all(&mut *conn).await? {
                let Some(i) = slot(row.try_get(0)?) else {
                    continue;
                };
                let item = &mut out[i];
                match n {
                    0 => {
                        item.updated_at = Timestamp::from_second(row.try_get(1)?).map_err(|e| {
                            StoreError::Corrupt {
                                what: "articles.updated_at",
                                detail: e.to_string(),
                            }
                        })?;
                    }
                    1 => {
                        let code: String = row.try_get(1)?;
                        let edition = code.parse::<Edition>().map_err(|_| StoreError::Corrupt {
                            what: "article_editions.edition",
                            detail: code.clone(),
                        })?;
                        item.titles.push((edition, row.try_get(2)?));
                    }
                    2 => item.topics.push(row.try_get(1)?),
                    _ => item.authors.push(row.try_get(1)?),
                }
            }
        }
        for item in &mut out {
            item.titles.sort();
        }
        Ok(out)
    }
}
