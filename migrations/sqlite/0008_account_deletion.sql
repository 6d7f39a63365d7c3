-- Deleting an account (issue 12, privacy rule 6). Nearly everything an
-- account owns already goes with it (ON DELETE CASCADE); one record must
-- not: a therapist's access log (privacy rule 5) keeps the reads of a
-- supervisor who deleted their account, shown as "a former supervisor"
-- (supervisor_id becomes NULL). The log holds no text of the supervisor's.
--
-- SQLite cannot change a foreign key in place: the table is rebuilt (no
-- other table refers to it, so dropping the old one removes nothing else).
CREATE TABLE access_events_rebuilt (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    supervisor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    reflection_id BIGINT REFERENCES reflections (id) ON DELETE SET NULL,
    -- 'case', 'reflection' or 'analytics'.
    material TEXT NOT NULL,
    session_number BIGINT,
    occurred_at BIGINT NOT NULL
);
INSERT INTO access_events_rebuilt (id, case_id, supervisor_id, reflection_id, material, session_number, occurred_at)
    SELECT id, case_id, supervisor_id, reflection_id, material, session_number, occurred_at FROM access_events;
DROP TABLE access_events;
ALTER TABLE access_events_rebuilt RENAME TO access_events;
CREATE INDEX access_events_by_case ON access_events (case_id, occurred_at);

-- A supervisee who deletes their account leaves each meeting someone else
-- recorded, with what was theirs in it (CASCADE, migration 0005); the
-- record keeps how many such former members it had, so that it still
-- says it was a group of that size ("Anna and a former member").
ALTER TABLE meetings ADD COLUMN former_supervisees BIGINT NOT NULL DEFAULT 0;
