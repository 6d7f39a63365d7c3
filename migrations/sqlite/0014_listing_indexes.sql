-- Indexes for pages that list or count a case's sessions without reading
-- their rows, each row carrying its sealed text (issue 14).

-- My cases shows each case's last session date, and a case's timeline
-- lists its sessions newest first: both read this index only (it listed
-- every reflection of the therapist, sealed text included, to find them).
CREATE INDEX reflections_case_dates ON reflections (case_id, session_date, session_number);

-- What a share shows of a case (reflections not held for identifiers) and
-- the newest of them, for the supervisor's inbox and header, which count
-- and order every shared case's visible reflections on each page.
CREATE INDEX reflections_shared_state ON reflections (case_id, identifiers_pending, updated_at);

-- A supervisor's own reviews and comments, so that what they have already
-- reviewed or been told is found from their rows rather than by probing
-- every reflection of every case shared with them.
CREATE INDEX reviews_by_supervisor ON reviews (supervisor_id, reflection_id);
CREATE INDEX comments_by_supervisor ON comments (supervisor_id, reflection_id);
