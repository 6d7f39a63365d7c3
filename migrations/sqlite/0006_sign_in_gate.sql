-- Sign-in abuse (issue 13): the per-attempt failure log, read before a
-- password was checked and written after, gives way to one row per account
-- that attempts reserve atomically, and to known devices (browsers that
-- signed in before) with a gate of their own. Times are Unix milliseconds.

DROP TABLE sign_in_failures;

-- The account's shared gate: failures since the last success, and the
-- earliest time the next attempt may be checked (a running check holds it
-- in the future until it ends).
CREATE TABLE sign_in_guards (
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL
);

-- Browsers that signed in to an account successfully, by the SHA-256 of
-- their device cookie, each with a gate like the account's.
CREATE TABLE known_devices (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL
);
CREATE INDEX known_devices_by_user ON known_devices (user_id);
