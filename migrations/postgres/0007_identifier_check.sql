-- The identifier check (privacy rule 4): what the therapist confirmed is
-- not identifying, and which reflections are held from supervisors until
-- their findings are fixed or confirmed.

-- A confirmation is stored against a keyed fingerprint (HMAC with a key
-- derived from the data key) of the finding and the passage it is in, never
-- the text: editing the passage changes the fingerprint and asks again.
CREATE TABLE identifier_confirmations (
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    confirmed_at BIGINT NOT NULL,
    PRIMARY KEY (owner_id, fingerprint)
);
CREATE INDEX identifier_confirmations_by_case ON identifier_confirmations (case_id);

-- How many findings in the parts a supervisor would see were neither fixed
-- nor confirmed when the reflection was last saved or reviewed; a
-- reflection with any is not shown through a share. A save writes -1 (not
-- yet checked, so held) in the same statement as the text, and the check
-- that follows writes the count. Reflections saved before the check existed
-- start at 0; sharing a case checks them again.
ALTER TABLE reflections ADD COLUMN identifiers_pending BIGINT NOT NULL DEFAULT 0;
