-- The system of record: one row per event, never updated or deleted.
CREATE TABLE IF NOT EXISTS events (
    position        bigserial PRIMARY KEY,
    -- The writing transaction: readers order by (txid, position) and stop below the
    -- oldest running transaction, so an event that commits late is never passed over.
    txid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid NOT NULL UNIQUE,
    stream_id       text NOT NULL,
    category        text NOT NULL,
    version         integer NOT NULL CHECK (version >= 1),
    event_type      text NOT NULL,
    schema_version  integer NOT NULL,
    data            jsonb NOT NULL,
    actor           text NOT NULL,
    actor_unit      text NOT NULL,
    correlation_id  text NOT NULL,
    causation_id    text,
    command_id      uuid,
    recorded_at     timestamptz NOT NULL,
    prevhash        text NOT NULL,
    hash            text NOT NULL,
    UNIQUE (stream_id, version)
);
CREATE INDEX IF NOT EXISTS events_commit_order ON events (txid, position);
CREATE INDEX IF NOT EXISTS events_category ON events (category, position);

CREATE OR REPLACE FUNCTION qingqian_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION qingqian_refuse_change();
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION qingqian_refuse_change();

-- Command ids already handled, with a digest of the command: the same id with the
-- same command returns the first result; with another command it is refused.
CREATE TABLE IF NOT EXISTS commands (
    command_id     uuid PRIMARY KEY,
    stream_id      text NOT NULL,
    digest         text NOT NULL,
    first_version  integer NOT NULL,
    last_version   integer NOT NULL,
    last_position  bigint,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- The published order: a contiguous sequence over events in commit order, written
-- once by the relay's sequencer, so a consumer can tell a gap from a pause.
CREATE TABLE IF NOT EXISTS event_sequence (
    sequence  bigint PRIMARY KEY,
    position  bigint NOT NULL UNIQUE REFERENCES events (position)
);
DROP TRIGGER IF EXISTS event_sequence_append_only ON event_sequence;
CREATE TRIGGER event_sequence_append_only BEFORE UPDATE OR DELETE ON event_sequence
    FOR EACH ROW EXECUTE FUNCTION qingqian_refuse_change();

-- Seals over blocks of the published order, signed with the service's key.
CREATE TABLE IF NOT EXISTS seals (
    seal_no         bigint PRIMARY KEY,
    first_sequence  bigint NOT NULL,
    last_sequence   bigint NOT NULL,
    event_count     integer NOT NULL,
    block_hash      text NOT NULL,
    prev_seal_hash  text NOT NULL,
    seal_hash       text NOT NULL,
    algorithm       text NOT NULL,
    key_id          text NOT NULL,
    signature       text NOT NULL,
    sealed_at       timestamptz NOT NULL
);
DROP TRIGGER IF EXISTS seals_append_only ON seals;
CREATE TRIGGER seals_append_only BEFORE UPDATE OR DELETE ON seals
    FOR EACH ROW EXECUTE FUNCTION qingqian_refuse_change();

-- What the relay has put on the broker; the epoch changes when the broker lost it all.
CREATE TABLE IF NOT EXISTS relay_state (
    topic               text PRIMARY KEY,
    epoch               uuid NOT NULL,
    published_sequence  bigint NOT NULL DEFAULT 0,
    published_seal      bigint NOT NULL DEFAULT 0,
    partition_offsets   jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Public keys that signed seals, so `verify` can check every signature it finds.
CREATE TABLE IF NOT EXISTS seal_keys (
    key_id      text PRIMARY KEY,
    algorithm   text NOT NULL,
    public_key  text NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now()
);
