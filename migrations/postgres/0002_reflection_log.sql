-- Cases, session reflections and their drafts. Free-text clinical fields
-- (columns ending in _sealed) hold ciphertext: the key is given to the server
-- at start and never stored here. Dates are ISO text (YYYY-MM-DD), times Unix
-- milliseconds.

-- A known value sealed with the data key, so that a server started with the
-- wrong key refuses to run instead of writing under two keys.
CREATE TABLE data_key_check (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    sealed TEXT NOT NULL
);

CREATE TABLE cases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    -- The code lower-cased by the application (Unicode-aware, the same on
    -- both backends): codes are unique per owner regardless of letter case.
    code_key TEXT NOT NULL,
    modality TEXT NOT NULL,
    frequency TEXT NOT NULL,
    start_date TEXT NOT NULL,
    planned_sessions BIGINT,
    status TEXT NOT NULL,
    names_to_watch_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX cases_code_per_owner ON cases (owner_id, code_key);

CREATE TABLE reflections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    session_number BIGINT NOT NULL,
    session_date TEXT NOT NULL,
    -- Incremented by every save; a save based on an older version is refused.
    version BIGINT NOT NULL,
    trigger_choices TEXT NOT NULL,
    trigger_sealed TEXT NOT NULL,
    manifestation_choices TEXT NOT NULL,
    manifestation_sealed TEXT NOT NULL,
    management_choices TEXT NOT NULL,
    management_sealed TEXT NOT NULL,
    origin_choices TEXT NOT NULL,
    origin_sealed TEXT NOT NULL,
    racker TEXT,
    racker_object_sealed TEXT NOT NULL,
    racker_note_sealed TEXT NOT NULL,
    enactment_sealed TEXT NOT NULL,
    private_notes_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (case_id, session_number)
);

CREATE TABLE reactions (
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    dimension TEXT NOT NULL,
    intensity BIGINT NOT NULL CHECK (intensity BETWEEN 1 AND 5),
    text_sealed TEXT NOT NULL,
    PRIMARY KEY (reflection_id, position)
);

CREATE TABLE interventions (
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    minute BIGINT CHECK (minute BETWEEN 0 AND 120),
    phase TEXT,
    depth BIGINT NOT NULL CHECK (depth BETWEEN 1 AND 5),
    target TEXT,
    response TEXT,
    text_sealed TEXT NOT NULL,
    PRIMARY KEY (reflection_id, position),
    CHECK ((minute IS NULL) <> (phase IS NULL))
);

CREATE TABLE episodes (
    reflection_id BIGINT NOT NULL REFERENCES reflections (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    with_whom TEXT NOT NULL,
    wish TEXT,
    wish_sealed TEXT NOT NULL,
    response_of_other TEXT,
    response_of_other_sealed TEXT NOT NULL,
    response_of_self TEXT,
    response_of_self_sealed TEXT NOT NULL,
    PRIMARY KEY (reflection_id, position)
);

-- What the therapist was typing and has not saved: one per person, case and
-- reflection (reflection_id 0 is a new reflection). base_version is the
-- version the edit started from, to tell a later save apart from a conflict.
CREATE TABLE drafts (
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    reflection_id BIGINT NOT NULL,
    base_version BIGINT,
    body_sealed TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (owner_id, case_id, reflection_id)
);
