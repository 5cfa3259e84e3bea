-- The trash: a deleted article keeps its rows, with the time it was deleted, for 30 days
-- (the background job then removes it for good). Its pages answer as for an unpublished
-- article meanwhile, and its slug stays taken, so that restoring it brings back the same URL.
ALTER TABLE articles ADD COLUMN deleted_at BIGINT;
CREATE INDEX articles_by_deleted ON articles (deleted_at);

-- The editor's autosave: what a user typed into the form and had not saved, one row per user
-- and article (article 0: a new article not yet saved). Kept apart from the revisions, which
-- are the saves a person asked for; a save removes the row.
CREATE TABLE autosaves (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    base_revision BIGINT NOT NULL,
    form TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, article_id)
);
