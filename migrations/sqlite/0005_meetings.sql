-- Supervision meetings (issue 10): the record a supervisor keeps of a
-- meeting with one supervisee or a group, its agenda and action items, the
-- supervisees' acknowledgements and comments, the sign-off and the addenda
-- written after it. Free text (columns ending in _sealed) holds ciphertext.
-- A meeting's date is kept as ISO text and as a day number (days since
-- 1970-01-01), which periods are computed on; times are Unix milliseconds.
-- AUTOINCREMENT for the ids a page posts back (a meeting, an action item,
-- a comment or an addendum): SQLite must never hand a deleted row's id to a
-- new one (PostgreSQL's identity columns never reuse an id).
--
-- What deleting an account or a case does to these records:
-- * The supervisor's account: their meetings go, with everything in them
--   (CASCADE). The record is the supervisor's writing, and deleting an
--   account removes what its owner wrote (privacy rule 6); supervisees keep
--   their hours through the statement and CSV they can export.
-- * A supervisee's account: they leave each meeting (CASCADE on their row
--   in meeting_supervisees) and what is theirs in it goes with them: their
--   acknowledgement, the codes of their cases, the action items assigned
--   to them, their comments and addenda. The meeting stays whole for the
--   supervisor and the other supervisees; no row points at a missing
--   account.
-- * A case: the meeting keeps the code and whose case it was, as recorded;
--   only the link to the case becomes NULL (SET NULL). A revoked share
--   changes nothing here: the code stays, and the access check decides
--   whether the page may link to the case.

-- UNIQUE (id, meeting_day) is the key meeting_supervisees copies the day
-- from (ON UPDATE CASCADE keeps the copy in step with a corrected date).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    supervisor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    meeting_date TEXT NOT NULL,
    meeting_day BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    format TEXT NOT NULL CHECK (format IN ('individual', 'group')),
    notes_sealed TEXT NOT NULL,
    -- Incremented by every edit; an edit, an acknowledgement or a sign-off
    -- based on an older version is refused.
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Set once; after it nothing in the record changes but the done marks
    -- of action items, and addenda are added.
    signed_off_at BIGINT,
    UNIQUE (id, meeting_day)
);
CREATE INDEX meetings_by_supervisor ON meetings (supervisor_id, meeting_day);

-- The supervisees in a meeting. meeting_day is the meeting's, copied so
-- that a supervisee's meetings in a period are one range of an index.
-- acknowledged_at is cleared when the supervisor edits the record.
CREATE TABLE meeting_supervisees (
    meeting_id BIGINT NOT NULL,
    supervisee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    meeting_day BIGINT NOT NULL,
    acknowledged_at BIGINT,
    PRIMARY KEY (meeting_id, supervisee_id),
    FOREIGN KEY (meeting_id, meeting_day) REFERENCES meetings (id, meeting_day)
        ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX meeting_supervisees_by_supervisee ON meeting_supervisees (supervisee_id, meeting_day);

-- The cases discussed, each a case of a supervisee in the meeting (the key
-- to meeting_supervisees holds it to that). case_code and supervisee_id
-- are a snapshot taken when the case was added, so the record still shows
-- the code once the case is deleted (case_id NULL) or its share revoked.
CREATE TABLE meeting_cases (
    meeting_id BIGINT NOT NULL,
    supervisee_id BIGINT NOT NULL,
    case_id BIGINT REFERENCES cases (id) ON DELETE SET NULL,
    case_code TEXT NOT NULL,
    UNIQUE (meeting_id, case_id),
    FOREIGN KEY (meeting_id, supervisee_id) REFERENCES meeting_supervisees (meeting_id, supervisee_id)
        ON DELETE CASCADE
);

-- The agenda in its order. item_key is a pre-filled item's key (an
-- AgendaKey slug such as 'comments:12'), NULL for the supervisor's own.
-- item_sealed is the item as the record shows it (JSON), sealed: what a
-- signed-off record showed must not change when the material it came from
-- changes or is deleted later.
CREATE TABLE meeting_agenda_items (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    item_key TEXT,
    item_sealed TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
);

-- What was agreed. assignee_id NULL means the meeting's supervisor; any
-- other assignee is a supervisee in the meeting (the key to
-- meeting_supervisees holds it to that, and removes their items with
-- them). Only the assignee marks an item done (done_by), also after
-- sign-off: items are carried to later agendas until done.
CREATE TABLE meeting_action_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text_sealed TEXT NOT NULL,
    assignee_id BIGINT,
    done_at BIGINT,
    done_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK (done_at IS NOT NULL OR done_by IS NULL),
    FOREIGN KEY (meeting_id, assignee_id) REFERENCES meeting_supervisees (meeting_id, supervisee_id)
        ON DELETE CASCADE
);
CREATE INDEX meeting_action_items_by_meeting ON meeting_action_items (meeting_id, position);
CREATE INDEX meeting_action_items_open ON meeting_action_items (meeting_id) WHERE done_at IS NULL;

-- A supervisee's comments on the record, before sign-off (the key to
-- meeting_supervisees holds the author to the meeting's supervisees).
CREATE TABLE meeting_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    body_sealed TEXT NOT NULL,
    FOREIGN KEY (meeting_id, author_id) REFERENCES meeting_supervisees (meeting_id, supervisee_id)
        ON DELETE CASCADE
);
CREATE INDEX meeting_comments_by_meeting ON meeting_comments (meeting_id, created_at);

-- Corrections and late remarks after sign-off, by the supervisor or a
-- supervisee in the meeting, each with its own date and author.
CREATE TABLE meeting_addenda (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    body_sealed TEXT NOT NULL
);
CREATE INDEX meeting_addenda_by_meeting ON meeting_addenda (meeting_id, created_at);
