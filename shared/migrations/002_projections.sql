-- Where each projection stands in each topic partition (saved with its state).
CREATE TABLE IF NOT EXISTS projection_offsets (
    projection   text NOT NULL,
    topic        text NOT NULL,
    partition    integer NOT NULL,
    next_offset  bigint NOT NULL,
    epoch        text NOT NULL DEFAULT '',
    PRIMARY KEY (projection, topic, partition)
);

-- The last version applied per source stream: duplicates and redeliveries are skipped.
CREATE TABLE IF NOT EXISTS projection_streams (
    projection  text NOT NULL,
    source      text NOT NULL,
    stream_id   text NOT NULL,
    version     integer NOT NULL,
    position    bigint NOT NULL,
    PRIMARY KEY (projection, source, stream_id)
);

-- Per projection and source: how many events were applied, and a running hash of them.
CREATE TABLE IF NOT EXISTS projection_progress (
    projection     text NOT NULL,
    source         text NOT NULL,
    applied_count  bigint NOT NULL DEFAULT 0,
    last_position  bigint NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, source)
);

-- Events a projection could not apply, with the error; the rest go on.
CREATE TABLE IF NOT EXISTS parked_events (
    id             bigserial PRIMARY KEY,
    projection     text NOT NULL,
    topic          text NOT NULL,
    partition      integer NOT NULL,
    kafka_offset   bigint NOT NULL,
    -- Offsets start again when the broker lost its data: the relay epoch tells them apart.
    epoch          text NOT NULL DEFAULT '',
    source         text,
    stream_id      text,
    version        integer,
    event_type     text,
    message        bytea NOT NULL,
    error          text NOT NULL,
    parked_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (projection, topic, partition, kafka_offset, epoch)
);
