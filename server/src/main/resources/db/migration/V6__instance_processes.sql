-- The spec's processes on each host, as its agent last reported them: a JSON array of
-- {"name", "running", "wanted", "otherStates"}.
ALTER TABLE assignment ADD COLUMN processes TEXT NOT NULL DEFAULT '[]';
