-- Writer tags (docs/log-format.md "Writer tags"): each event's hash signed with the
-- service's key when it is appended, and the id of that key. A row inserted by anyone
-- without the key has no valid tag: verify reports it, the relay never sequences it.
-- Nullable only so that the migration applies to a table that has rows: an event
-- without a tag is reported as unauthenticated like one with a wrong tag.
ALTER TABLE events ADD COLUMN IF NOT EXISTS tag text;
ALTER TABLE events ADD COLUMN IF NOT EXISTS tag_kid text;
-- An HMAC of the same bytes under a secret derived from the key: the relay's cheap
-- check; not part of what a verifier relies on.
ALTER TABLE events ADD COLUMN IF NOT EXISTS tag_mac text;

-- Events the relay refused to sequence because their writer tag is missing, invalid or
-- by a key it does not know: never sealed or published, shown at /operations.
CREATE TABLE IF NOT EXISTS unauthenticated_events (
    position   bigint PRIMARY KEY REFERENCES events (position),
    stream_id  text NOT NULL,
    version    integer NOT NULL,
    tag_kid    text,
    reason     text NOT NULL,
    parked_at  timestamptz NOT NULL DEFAULT now()
);

-- Kept as a record of the keys seals were signed with; `verify` never reads it: the
-- keys it trusts are pinned outside the database (`qingqian verify --trust`).
COMMENT ON TABLE seal_keys IS
    'informational only: verify takes its keys from a pinned trust file, never from here';

-- The relay records what it refused; nobody changes or removes that record.
INSERT INTO runtime_privileges (table_name, privileges)
VALUES ('unauthenticated_events', 'SELECT, INSERT')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
