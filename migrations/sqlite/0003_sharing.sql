-- Sharing a case with a supervisor, and the supervisor's feedback.
--
-- First, one difference from the PostgreSQL schema is mended:
-- data_key_check.id was SQLite's rowid (filled in when an insert left it
-- out); like PostgreSQL's, it is now a plain key that must be given.
CREATE TABLE data_key_check_plain (
    id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    sealed TEXT NOT NULL
);
INSERT INTO data_key_check_plain (id, sealed) SELECT id, sealed FROM data_key_check;
DROP TABLE data_key_check;
ALTER TABLE data_key_check_plain RENAME TO data_key_check;
--
-- Reactions, interventions and episodes get their own ids: saves update them
-- in place, so feedback anchored to a row stays on that row. Positions stay
-- for ordering (and are not unique while a save moves rows around).
-- AUTOINCREMENT because these ids are anchors: without it SQLite gives a new
-- row the id of the table's newest row once that one is deleted, and a
-- comment or rating posted from a page read before the removal would land
-- on the new row (PostgreSQL's identity columns never reuse an id).
CREATE TABLE reactions_with_ids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    dimension TEXT NOT NULL,
    intensity BIGINT NOT NULL CHECK (intensity BETWEEN 1 AND 5),
    text_sealed TEXT NOT NULL
);
INSERT INTO reactions_with_ids (reflection_id, position, dimension, intensity, text_sealed)
    SELECT reflection_id, position, dimension, intensity, text_sealed FROM reactions
    ORDER BY reflection_id, position;
DROP TABLE reactions;
ALTER TABLE reactions_with_ids RENAME TO reactions;
CREATE INDEX reactions_by_reflection ON reactions (reflection_id, position);

CREATE TABLE interventions_with_ids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    minute BIGINT CHECK (minute BETWEEN 0 AND 120),
    phase TEXT,
    depth BIGINT NOT NULL CHECK (depth BETWEEN 1 AND 5),
    target TEXT,
    response TEXT,
    text_sealed TEXT NOT NULL,
    CHECK ((minute IS NULL) <> (phase IS NULL))
);
INSERT INTO interventions_with_ids (reflection_id, position, kind, minute, phase, depth, target, response, text_sealed)
    SELECT reflection_id, position, kind, minute, phase, depth, target, response, text_sealed FROM interventions
    ORDER BY reflection_id, position;
DROP TABLE interventions;
ALTER TABLE interventions_with_ids RENAME TO interventions;
CREATE INDEX interventions_by_reflection ON interventions (reflection_id, position);

CREATE TABLE episodes_with_ids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    with_whom TEXT NOT NULL,
    wish TEXT,
    wish_sealed TEXT NOT NULL,
    response_of_other TEXT,
    response_of_other_sealed TEXT NOT NULL,
    response_of_self TEXT,
    response_of_self_sealed TEXT NOT NULL
);
INSERT INTO episodes_with_ids (reflection_id, position, with_whom, wish, wish_sealed, response_of_other,
        response_of_other_sealed, response_of_self, response_of_self_sealed)
    SELECT reflection_id, position, with_whom, wish, wish_sealed, response_of_other,
        response_of_other_sealed, response_of_self, response_of_self_sealed FROM episodes
    ORDER BY reflection_id, position;
DROP TABLE episodes;
ALTER TABLE episodes_with_ids RENAME TO episodes;
CREATE INDEX episodes_by_reflection ON episodes (reflection_id, position);

-- Days since 1970-01-01 of a case's start and of each session, kept beside
-- the dates by the application: shared views place a session by its week
-- since the case started without reading either calendar date.
ALTER TABLE cases ADD COLUMN start_day BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET start_day = CAST(julianday(start_date) - 2440587.5 AS INTEGER);
ALTER TABLE reflections ADD COLUMN session_day BIGINT NOT NULL DEFAULT 0;
UPDATE reflections SET session_day = CAST(julianday(session_date) - 2440587.5 AS INTEGER);

-- A case shown to one supervisor. Revoked shares stay, as the therapist's
-- history; at most one share per case and supervisor is not revoked.
CREATE TABLE shares (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    basis TEXT NOT NULL,
    -- The last day the share is open (YYYY-MM-DD, UTC); NULL for no expiry.
    expires_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX shares_one_open_per_supervisor ON shares (case_id, supervisor_id)
    WHERE revoked_at IS NULL;
CREATE INDEX shares_by_supervisor ON shares (supervisor_id);

-- Sessions a share leaves out.
CREATE TABLE share_exclusions (
    share_id BIGINT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    PRIMARY KEY (share_id, reflection_id)
);

-- Comment threads between a therapist and one supervisor, anchored to a
-- reflection or to one of its rows. When the row is removed its id becomes
-- NULL and anchor_label (structure only, never the therapist's text, e.g.
-- "Intervention: Confrontation, minute 20, depth 3/5") still says what it was.
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    anchor_kind TEXT NOT NULL,
    reaction_id BIGINT REFERENCES reactions (id) ON DELETE SET NULL,
    intervention_id BIGINT REFERENCES interventions (id) ON DELETE SET NULL,
    episode_id BIGINT REFERENCES episodes (id) ON DELETE SET NULL,
    anchor_label TEXT NOT NULL,
    body_sealed TEXT NOT NULL,
    reflection_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_by_reflection ON comments (reflection_id, created_at);

-- One current pacing rating per supervisor and intervention.
CREATE TABLE pacing_ratings (
    id INTEGER PRIMARY KEY,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    intervention_id BIGINT REFERENCES interventions (id) ON DELETE SET NULL,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    anchor_label TEXT NOT NULL,
    rating TEXT NOT NULL,
    note_sealed TEXT NOT NULL,
    reflection_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pacing_ratings_one_per_supervisor ON pacing_ratings (intervention_id, supervisor_id);
CREATE INDEX pacing_ratings_by_reflection ON pacing_ratings (reflection_id);

-- The version of a reflection a supervisor marked reviewed.
CREATE TABLE reviews (
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reviewed_version BIGINT NOT NULL,
    reviewed_at BIGINT NOT NULL,
    PRIMARY KEY (reflection_id, supervisor_id)
);

-- When each person last read a reflection's feedback: what others wrote
-- after it is new to them.
CREATE TABLE feedback_visits (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    visited_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, reflection_id)
);

-- Every time a supervisor opens shared material (privacy rule 5): the
-- therapist's own log, with no clinical text.
CREATE TABLE access_events (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reflection_id BIGINT REFERENCES reflections (id) ON DELETE SET NULL,
    -- 'case' (the shared case and its sessions) or 'reflection'.
    material TEXT NOT NULL,
    session_number BIGINT,
    occurred_at BIGINT NOT NULL
);
CREATE INDEX access_events_by_case ON access_events (case_id, occurred_at);
