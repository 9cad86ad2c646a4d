-- The state of a long stream at a version, so loading it reads the snapshot and the few
-- events after it. Derived data, not part of the log: rows are replaced as streams grow,
-- ignored when the aggregate's fingerprint (its state's shape) changed, and deleting
-- them all is always safe.
CREATE TABLE IF NOT EXISTS snapshots (
    stream_id    text PRIMARY KEY,
    version      integer NOT NULL,
    hash         text NOT NULL,
    fingerprint  text NOT NULL,
    state        jsonb NOT NULL,
    taken_at     timestamptz NOT NULL DEFAULT now()
);
