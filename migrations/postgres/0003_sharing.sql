-- Sharing a case with a supervisor, and the supervisor's feedback.
--
-- Reactions, interventions and episodes get their own ids: saves update them
-- in place, so feedback anchored to a row stays on that row. Positions stay
-- for ordering (and are not unique while a save moves rows around).
ALTER TABLE reactions DROP CONSTRAINT reactions_pkey;
ALTER TABLE reactions ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX reactions_by_reflection ON reactions (reflection_id, position);

ALTER TABLE interventions DROP CONSTRAINT interventions_pkey;
ALTER TABLE interventions ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX interventions_by_reflection ON interventions (reflection_id, position);

ALTER TABLE episodes DROP CONSTRAINT episodes_pkey;
ALTER TABLE episodes ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX episodes_by_reflection ON episodes (reflection_id, position);

-- Days since 1970-01-01 of a case's start and of each session, kept beside
-- the dates by the application: shared views place a session by its week
-- since the case started without reading either calendar date.
ALTER TABLE cases ADD COLUMN start_day BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET start_day = start_date::date - DATE '1970-01-01';
ALTER TABLE reflections ADD COLUMN session_day BIGINT NOT NULL DEFAULT 0;
UPDATE reflections SET session_day = session_date::date - DATE '1970-01-01';

-- A case shown to one supervisor. Revoked shares stay, as the therapist's
-- history; at most one share per case and supervisor is not revoked.
CREATE TABLE shares (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reflection_id BIGINT REFERENCES reflections (id) ON DELETE SET NULL,
    -- 'case' (the shared case and its sessions) or 'reflection'.
    material TEXT NOT NULL,
    session_number BIGINT,
    occurred_at BIGINT NOT NULL
);
CREATE INDEX access_events_by_case ON access_events (case_id, occurred_at);
