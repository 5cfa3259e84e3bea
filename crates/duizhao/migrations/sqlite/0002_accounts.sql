-- The back office: accounts, sessions, API tokens, login throttling, translation assignments,
-- revisions and site settings. Expand-only (new tables, new columns with defaults), so that
-- app servers of the previous version keep working against this schema during a deploy.
-- Secrets are never stored: sessions and API tokens are kept as SHA-256 hashes of the token,
-- passwords as Argon2id PHC strings.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'translator', 'author')),
    password_hash TEXT NOT NULL,
    author_id INTEGER REFERENCES authors (id) ON DELETE SET NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used INTEGER,
    revoked_at INTEGER
);

-- One row per failed login, by account ('user') and by client address ('client'); rows older
-- than the throttling window are deleted as new ones arrive.
CREATE TABLE login_failures (
    scope TEXT NOT NULL CHECK (scope IN ('user', 'client')),
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (scope, key, at);

-- Which translator may edit which language version of an article.
CREATE TABLE article_assignments (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    PRIMARY KEY (article_id, user_id, lang)
);
CREATE INDEX article_assignments_by_user ON article_assignments (user_id);

-- Who created an article (authors edit their own drafts) and its revision counter, which a
-- save must name so that a concurrent save is detected instead of overwritten.
ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- Each save stores the versions it changed ('en', 'zh': the editor's text as JSON) and the
-- metadata ('meta') when that changed, under the article's new revision number.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    part TEXT NOT NULL CHECK (part IN ('en', 'zh', 'meta')),
    content TEXT NOT NULL,
    saved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL
);
CREATE INDEX revisions_by_article ON revisions (article_id, part, revision);

-- Site-wide settings edited in the back office (the conversion glossary).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
