-- The data keys that may have sealed values in this database, each with a
-- marker only that key opens (its id is the marker's prefix). A server
-- starts only if it holds every key listed here and each opens its marker;
-- `server rotate-key` re-seals everything with the sealing key and then
-- forgets the others. Replaces data_key_check, whose row marks a database
-- whose values were sealed before they were bound to their place: it is
-- deleted once the step at start has re-sealed them.
CREATE TABLE data_keys (
    key_id TEXT NOT NULL PRIMARY KEY,
    marker_sealed TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
