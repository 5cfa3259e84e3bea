-- Uploaded images: captions in both languages, pixel dimensions and responsive variants.
-- Expand only: every new column is nullable or has a default, so app servers that predate
-- this migration go on inserting and reading media rows unchanged during a deploy.
-- `captions` is derived like `alts` (all editions, JSON) and NULL until written;
-- `variants` is a JSON array of {"path", "width", "height"}, widest first.
ALTER TABLE media ADD COLUMN caption_en TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN caption_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN captions TEXT;
ALTER TABLE media ADD COLUMN width INTEGER;
ALTER TABLE media ADD COLUMN height INTEGER;
ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT '[]';
