-- Rebuilds asked of any process of a service, run by the one leading the projection.
CREATE TABLE IF NOT EXISTS projection_rebuilds (
    projection    text PRIMARY KEY,
    requested_at  timestamptz NOT NULL
);
