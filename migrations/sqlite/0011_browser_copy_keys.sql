-- Keys for the editor's copy of unsaved typing kept in the browser. The
-- browser holds only the copy sealed with one of these keys (never the key,
-- beyond the open page), so what stays in a shared computer's storage after
-- sign-out or an expired sign-in cannot be read without signing in as its
-- author. A key is handed only to its account; it is deleted once the copy
-- it sealed has reached the server, or after 30 days.
CREATE TABLE browser_copy_keys (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The 32 key bytes, base64, sealed with the data key.
    key_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX browser_copy_keys_by_account ON browser_copy_keys (account_id, created_at);
