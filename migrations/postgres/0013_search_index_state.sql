-- Where each reflection's search index stands, kept on the reflection row,
-- so that the check a search makes first ("has anything been saved since
-- it was indexed?") reads only the rows that are behind, through a partial
-- index, instead of every reflection of the therapist joined to a table of
-- versions (issue 14: that check alone took 27 ms for 7,800 reflections).
--
-- search_version: the version of the reflection its terms in search_terms
-- were made from (NULL: never indexed). A save increments version and so
-- puts the row in reflections_search_behind; indexing it takes it out.
ALTER TABLE reflections ADD COLUMN search_version BIGINT;

-- The data key each therapist's terms were made with: after a key rotation
-- the therapist's whole index is made again with the new key.
CREATE TABLE search_keys (
    owner_id BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_id TEXT NOT NULL
);

-- What search_indexed said, kept: the key most of a therapist's terms were
-- made with, and the version of each reflection indexed with that key.
-- Reflections indexed with another key are indexed again.
INSERT INTO search_keys (owner_id, key_id)
SELECT owner_id, key_id FROM (
    SELECT c.owner_id, s.key_id, COUNT(*) AS indexed,
           ROW_NUMBER() OVER (PARTITION BY c.owner_id ORDER BY COUNT(*) DESC, s.key_id) AS rank
    FROM search_indexed s
    JOIN reflections r ON r.id = s.reflection_id
    JOIN cases c ON c.id = r.case_id
    GROUP BY c.owner_id, s.key_id
) AS ranked WHERE rank = 1;

UPDATE reflections r SET search_version = s.version
FROM search_indexed s, cases c, search_keys k
WHERE s.reflection_id = r.id AND c.id = r.case_id
  AND k.owner_id = c.owner_id AND s.key_id = k.key_id;

DROP TABLE search_indexed;

CREATE INDEX reflections_search_behind ON reflections (case_id)
    WHERE search_version IS DISTINCT FROM version;
