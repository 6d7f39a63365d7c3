-- Deleting an account (issue 12, privacy rule 6). Nearly everything an
-- account owns already goes with it (ON DELETE CASCADE); one record must
-- not: a therapist's access log (privacy rule 5) keeps the reads of a
-- supervisor who deleted their account, shown as "a former supervisor"
-- (supervisor_id becomes NULL). The log holds no text of the supervisor's.
ALTER TABLE access_events ALTER COLUMN supervisor_id DROP NOT NULL;
ALTER TABLE access_events DROP CONSTRAINT access_events_supervisor_id_fkey;
ALTER TABLE access_events ADD CONSTRAINT access_events_supervisor_id_fkey
    FOREIGN KEY (supervisor_id) REFERENCES users (id) ON DELETE SET NULL;

-- A supervisee who deletes their account leaves each meeting someone else
-- recorded, with what was theirs in it (CASCADE, migration 0005); the
-- record keeps how many such former members it had, so that it still
-- says it was a group of that size ("Anna and a former member").
ALTER TABLE meetings ADD COLUMN former_supervisees BIGINT NOT NULL DEFAULT 0;
