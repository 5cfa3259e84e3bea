//! Fixture builders: `article("slug").en("Title", "Body").create(&store).await`.

use duizhao::config::EditionsConfig;
use duizhao::content::{ArticleId, ArticleInput, Converters, Script, Status, VersionText};
use duizhao::store::Store;
use duizhao::store::taxonomy::{AuthorInput, SectionInput, TopicInput};
use jiff::Timestamp;

/// Converters with the default edition settings.
pub fn converters() -> Converters {
    Converters::new(&EditionsConfig::default(), Default::default())
}

/// A fixed "now" for tests: 2026-11-20 12:00 UTC.
pub fn now() -> Timestamp {
    "2026-11-20T12:00:00Z".parse().unwrap()
}

pub async fn section(store: &Store, slug: &str, en: &str, zh: &str) {
    store
        .upsert_section(
            &SectionInput {
                slug: slug.into(),
                name_en: en.into(),
                name_zh: zh.into(),
                position: 0,
            },
            &converters(),
        )
        .await
        .unwrap();
}

pub async fn topic(store: &Store, slug: &str, en: &str, zh: &str, hot: bool) {
    store
        .upsert_topic(
            &TopicInput {
                slug: slug.into(),
                name_en: en.into(),
                name_zh: zh.into(),
                hot,
                hot_order: 0,
                ..Default::default()
            },
            &converters(),
        )
        .await
        .unwrap();
}

pub async fn author(store: &Store, slug: &str, en: &str, zh: &str) {
    store
        .upsert_author(
            &AuthorInput {
                slug: slug.into(),
                name_en: en.into(),
                name_zh: zh.into(),
                bio_en: format!("{en} writes."),
                bio_zh: format!("{zh}写作。"),
                photo: None,
            },
            &converters(),
        )
        .await
        .unwrap();
}

/// The password of every account [`user`] creates.
pub const PASSWORD: &str = "correct horse battery";

/// Creates an account with [`PASSWORD`].
pub async fn user(
    store: &Store,
    name: &str,
    role: duizhao::accounts::Role,
) -> duizhao::accounts::UserId {
    let hash = duizhao::accounts::password::hash(PASSWORD).expect("hash");
    store
        .create_user(
            &duizhao::store::accounts::NewUser {
                username: name,
                display_name: name,
                role,
                password_hash: &hash,
            },
            Timestamp::now(),
        )
        .await
        .expect("create a user")
}

/// Creates an API token for an account; returns the token.
pub async fn api_token(store: &Store, user: duizhao::accounts::UserId) -> String {
    let secret = duizhao::accounts::token::new_api_token();
    store
        .create_api_token(
            user,
            "test",
            &duizhao::accounts::token::digest(&secret),
            Timestamp::now(),
        )
        .await
        .expect("create a token");
    secret
}

/// Starts an article fixture: published an hour before [`now`], no versions yet.
pub fn article(slug: &str) -> ArticleBuilder {
    ArticleBuilder(ArticleInput {
        slug: slug.into(),
        section: None,
        topics: vec![],
        authors: vec![],
        hero: None,
        status: Status::Published,
        featured: false,
        zh_script: Script::Hans,
        zh_rules: String::new(),
        published_at: Some(now() - jiff::SignedDuration::from_hours(1)),
        updated_at: None,
        en: None,
        zh: None,
    })
}

pub struct ArticleBuilder(pub ArticleInput);

impl ArticleBuilder {
    pub fn en(mut self, title: &str, body: &str) -> Self {
        self.0.en = Some(VersionText {
            title: title.into(),
            dek: format!("About {title}."),
            body: body.into(),
            ..VersionText::default()
        });
        self
    }
    pub fn zh(mut self, title: &str, body: &str) -> Self {
        self.0.zh = Some(VersionText {
            title: title.into(),
            dek: format!("关于{title}。"),
            body: body.into(),
            ..VersionText::default()
        });
        self
    }
    pub fn script(mut self, script: Script) -> Self {
        self.0.zh_script = script;
        self
    }
    pub fn section(mut self, slug: &str) -> Self {
        self.0.section = Some(slug.into());
        self
    }
    pub fn topics(mut self, slugs: &[&str]) -> Self {
        self.0.topics = slugs.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn authors(mut self, slugs: &[&str]) -> Self {
        self.0.authors = slugs.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn status(mut self, status: Status) -> Self {
        self.0.status = status;
        self
    }
    pub fn featured(mut self) -> Self {
        self.0.featured = true;
        self
    }
    pub fn published(mut self, at: &str) -> Self {
        self.0.published_at = Some(at.parse().unwrap());
        self
    }
    pub fn input(self) -> ArticleInput {
        self.0
    }
    pub async fn create(self, store: &Store) -> ArticleId {
        duizhao::editorial::save_article(store, &converters(), &self.0, now())
            .await
            .unwrap()
    }
    /// Writes the article straight into the store, past the editorial core's checks: data an
    /// earlier version (or a hand-edited database) left behind.
    pub async fn create_unchecked(self, store: &Store) -> ArticleId {
        let derived = duizhao::content::derive_article(
            &self.0,
            &converters(),
            &duizhao::editorial::media_url,
        )
        .unwrap();
        store.save_article(&self.0, &derived, now()).await.unwrap()
    }
}
