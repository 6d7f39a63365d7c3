-- The newest session of a case without reading its reflections' rows: my
-- cases shows each case's last session date, and a case's timeline lists
-- its sessions newest first (issue 14: the list read every reflection of the
-- therapist, sealed text included, to find those dates).
CREATE INDEX reflections_case_dates ON reflections (case_id, session_date, session_number);
