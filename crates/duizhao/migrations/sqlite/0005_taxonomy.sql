-- Taxonomy the back office and the API edit: a topic's description in both languages (with
-- the editions derived from it when saved, as for names), and the old slugs of renamed or
-- merged topics, authors and sections, whose pages answer 301 to the new ones.
ALTER TABLE topics ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE topics ADD COLUMN description_zh TEXT NOT NULL DEFAULT '';
-- JSON like `names`; empty until the topic is next saved.
ALTER TABLE topics ADD COLUMN descriptions TEXT NOT NULL DEFAULT '';

-- One row per old slug, always naming a slug that exists: a rename of a rename updates the
-- earlier rows, and a new topic, author or section taking an old slug removes its row.
CREATE TABLE slug_redirects (
    kind TEXT NOT NULL CHECK (kind IN ('topic', 'author', 'section')),
    old_slug TEXT NOT NULL,
    new_slug TEXT NOT NULL,
    PRIMARY KEY (kind, old_slug)
);
CREATE INDEX slug_redirects_by_target ON slug_redirects (kind, new_slug);
