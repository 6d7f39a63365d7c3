-- The search index: a keyed blind index of the words in each reflection's
-- text, so a search reads the reflections that hold its words instead of
-- opening every reflection the therapist wrote. A term is the first 8 bytes
-- of HMAC-SHA256(search key, owner id || word), the search key derived from
-- the sealing data key: without that key a term cannot be checked against a
-- guessed word, and the same word gives different terms for different
-- therapists. README ("Search over sealed text") says what a copied database
-- still shows.
CREATE TABLE search_terms (
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    term BIGINT NOT NULL,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    PRIMARY KEY (owner_id, term, reflection_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_by_reflection ON search_terms (reflection_id);

-- Which version of a reflection its terms were made from, and with which
-- data key. A reflection missing here, or indexed at another version or
-- with another key (after a key rotation), is indexed again before its
-- owner's next search.
CREATE TABLE search_indexed (
    reflection_id BIGINT NOT NULL PRIMARY KEY REFERENCES reflections (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    key_id TEXT NOT NULL
);
