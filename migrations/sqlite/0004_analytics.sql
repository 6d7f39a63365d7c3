-- Analytics (issue 11).
-- When a relationship episode happened: in the session, recently (the
-- client's current life) or long ago; not recorded for older episodes.
ALTER TABLE episodes ADD COLUMN happened TEXT;
-- Transference interpretations per session above this are flagged (the
-- therapist sets it per case; research suggests frequent transference
-- interpretation can harm clients with mature object relations).
ALTER TABLE cases ADD COLUMN transference_threshold BIGINT NOT NULL DEFAULT 3;
-- access_events.material may now also be 'analytics' (a supervisor opened
-- the case's analytics); the column is free text, so nothing changes here.
