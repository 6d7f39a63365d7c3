-- Administrators' links to accounts (invitations and password resets):
-- shown once in a page body, never in an address; revocable; and a reset
-- is told to the account's owner.

-- A new link's token, sealed with the data key, kept only until the
-- administrator who created it has seen it once (or until reveal_until,
-- a few minutes after creation): the redirect after creating a link names
-- the row, never the token. Cleared when shown, revoked or past its window.
ALTER TABLE invitations ADD COLUMN token_sealed TEXT;
ALTER TABLE invitations ADD COLUMN reveal_until BIGINT;
ALTER TABLE invitations ADD COLUMN revoked_at BIGINT;

ALTER TABLE password_resets ADD COLUMN token_sealed TEXT;
ALTER TABLE password_resets ADD COLUMN reveal_until BIGINT;
-- Set when an administrator revokes the link or a newer link for the same
-- account replaces it.
ALTER TABLE password_resets ADD COLUMN revoked_at BIGINT;
-- When the account's owner dismissed the notice that their password was
-- reset through this link (NULL while the notice is shown).
ALTER TABLE password_resets ADD COLUMN notice_dismissed_at BIGINT;
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- An account's owner reads their own activity: the events they did and
-- those about them.
CREATE INDEX audit_events_by_actor ON audit_events (actor_id);
CREATE INDEX audit_events_by_target ON audit_events (target);
