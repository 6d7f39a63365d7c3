-- A search filtered by a reaction's intensity or by a relationship theme
-- asks, for each reflection it reads, whether one of its reactions or
-- episodes qualifies. These indexes answer that from the index alone:
-- before, each question read the reaction or episode rows themselves,
-- which carry their sealed text (issue 14, search p95).
CREATE INDEX reactions_by_dimension ON reactions (reflection_id, dimension, intensity);
CREATE INDEX episodes_by_theme ON episodes (reflection_id, wish, response_of_other, response_of_self);
