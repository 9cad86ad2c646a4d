-- What audit received from every service's topics, as it arrived (never rewritten),
-- with what it learnt checking it. Idempotent by (service, position): the relay
-- publishes at least once.
CREATE TABLE IF NOT EXISTS audit_events (
    service         text NOT NULL,
    position        bigint NOT NULL,
    sequence        bigint,
    stream_id       text NOT NULL,
    version         integer NOT NULL,
    event_type      text NOT NULL,
    schema_version  integer NOT NULL,
    recorded_at     timestamptz NOT NULL,
    -- The day the event says it happened (`*_on` in its data), when it says one.
    business_date   date,
    actor           text NOT NULL,
    actor_unit      text NOT NULL,
    correlation_id  text NOT NULL,
    causation_id    text,
    -- The first employer USCC the event's data names (cases, credit).
    uscc            text,
    hash            text NOT NULL,
    prevhash        text NOT NULL,
    -- The message as published: what a proof hands out.
    envelope        jsonb NOT NULL,
    -- The Merkle root of the published order up to this event, once verified.
    tree_root       bytea,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service, position)
);
CREATE INDEX IF NOT EXISTS audit_events_sequence ON audit_events (service, sequence);
CREATE INDEX IF NOT EXISTS audit_events_time
    ON audit_events (recorded_at, service, position);
CREATE INDEX IF NOT EXISTS audit_events_stream
    ON audit_events (stream_id, recorded_at, service, position);
CREATE INDEX IF NOT EXISTS audit_events_actor
    ON audit_events (actor, recorded_at, service, position);
CREATE INDEX IF NOT EXISTS audit_events_unit
    ON audit_events (actor_unit, recorded_at, service, position);
CREATE INDEX IF NOT EXISTS audit_events_correlation
    ON audit_events (correlation_id, recorded_at, service, position);
CREATE INDEX IF NOT EXISTS audit_events_uscc ON audit_events (uscc) WHERE uscc IS NOT NULL;

-- The head of each stream as received: what the next event must chain to.
CREATE TABLE IF NOT EXISTS audit_streams (
    service    text NOT NULL,
    stream_id  text NOT NULL,
    version    integer NOT NULL,
    hash       text NOT NULL,
    PRIMARY KEY (service, stream_id)
);

-- Streams whose data names an employer's USCC: the employer's timeline.
CREATE TABLE IF NOT EXISTS audit_stream_usccs (
    uscc       text NOT NULL,
    service    text NOT NULL,
    stream_id  text NOT NULL,
    PRIMARY KEY (uscc, service, stream_id)
);

-- Every distinct seal received (two for one number are a fork: both kept).
CREATE TABLE IF NOT EXISTS audit_seals (
    service      text NOT NULL,
    seal_hash    text NOT NULL,
    seal_no      bigint NOT NULL,
    tree_size    bigint NOT NULL,
    root_hash    text NOT NULL,
    body         jsonb NOT NULL,
    -- pending: its events are not all here yet; held: its root is the root of the
    -- events received; failed: it does not hold; gap: its range missed events too long.
    status       text NOT NULL DEFAULT 'pending',
    received_at  timestamptz NOT NULL DEFAULT now(),
    -- The order seals arrived in (one transaction stores many): of two for one
    -- number, the first is the one witnessed.
    received_no  bigserial,
    checked_at   timestamptz,
    PRIMARY KEY (service, seal_hash)
);
CREATE INDEX IF NOT EXISTS audit_seals_number ON audit_seals (service, seal_no);
CREATE INDEX IF NOT EXISTS audit_seals_pending
    ON audit_seals (service, tree_size) WHERE status = 'pending';

-- The highest seal received of each service: what the next one must extend.
CREATE TABLE IF NOT EXISTS audit_seal_heads (
    service  text PRIMARY KEY,
    body     jsonb NOT NULL
);

-- The Merkle tree over each service's published order as far as it is contiguous.
CREATE TABLE IF NOT EXISTS audit_trees (
    service   text PRIMARY KEY,
    size      bigint NOT NULL,
    frontier  bytea NOT NULL
);

-- Where audit is in each partition: moved in the transaction that stores the batch.
CREATE TABLE IF NOT EXISTS audit_offsets (
    topic        text NOT NULL,
    partition    integer NOT NULL,
    next_offset  bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- Public keys audit verifies each service with: pinned at first use, never taken
-- from what they verify.
CREATE TABLE IF NOT EXISTS pinned_keys (
    service    text NOT NULL,
    kid        text NOT NULL,
    jwk        jsonb NOT NULL,
    origin     text NOT NULL,
    pinned_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service, kid)
);

-- What does not hold, as found (also an event of audit's own log).
CREATE TABLE IF NOT EXISTS audit_findings (
    finding_id  bigserial PRIMARY KEY,
    service     text NOT NULL,
    kind        text NOT NULL,
    detail      text NOT NULL,
    stream_id   text,
    version     integer,
    position    bigint,
    sequence    bigint,
    seal_no     bigint,
    key_id      text,
    found_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_findings_service ON audit_findings (service, kind);
