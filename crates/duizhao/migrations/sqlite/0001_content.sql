-- The content model: sections, topics, media, authors, articles, their versions and the
-- editions derived from them. Times are seconds since the Unix epoch, UTC.
-- Derived columns (`names`, `derived`, `article_editions`) are written by the application
-- when the master text is saved, never by hand.

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    names TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    names TEXT NOT NULL,
    hot INTEGER NOT NULL DEFAULT 0,
    hot_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    mime TEXT NOT NULL,
    alt_en TEXT NOT NULL DEFAULT '',
    alt_zh TEXT NOT NULL DEFAULT '',
    alts TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    bio_en TEXT NOT NULL DEFAULT '',
    bio_zh TEXT NOT NULL DEFAULT '',
    derived TEXT NOT NULL,
    photo_id INTEGER REFERENCES media (id) ON DELETE SET NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    section_id INTEGER REFERENCES sections (id) ON DELETE SET NULL,
    hero_id INTEGER REFERENCES media (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    featured INTEGER NOT NULL DEFAULT 0,
    zh_script TEXT NOT NULL DEFAULT 'hans' CHECK (zh_script IN ('hans', 'hant')),
    zh_rules TEXT NOT NULL DEFAULT '',
    published_at INTEGER,
    updated_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    pairing TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX articles_by_status_time ON articles (status, published_at DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC);

CREATE TABLE article_versions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    title TEXT NOT NULL,
    dek TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    hero_caption TEXT NOT NULL DEFAULT '',
    hero_credit TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, lang)
);

CREATE TABLE article_editions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    edition TEXT NOT NULL,
    title TEXT NOT NULL,
    dek TEXT NOT NULL,
    hero_caption TEXT NOT NULL,
    hero_credit TEXT NOT NULL,
    blocks TEXT NOT NULL,
    PRIMARY KEY (article_id, edition)
);

CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, topic_id)
);
CREATE INDEX article_topics_by_topic ON article_topics (topic_id);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_by_author ON article_authors (author_id);
