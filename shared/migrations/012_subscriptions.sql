-- Webhooks (docs/webhooks.md): subscribers other agencies register, each with its own
-- checkpoint in the service's published order (event_sequence), and what could not be
-- delivered.
CREATE TABLE IF NOT EXISTS subscriptions (
    id               uuid PRIMARY KEY,
    url              text NOT NULL,
    -- Event types (`qingqian.<service>.<Event>.v<n>`), or '{*}' for all the profile shows.
    event_types      text[] NOT NULL,
    profile          text NOT NULL CHECK (profile IN ('restricted', 'internal')),
    -- The HMAC key the deliveries are signed with; given to the subscriber once.
    secret           text NOT NULL,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    -- The checkpoint: the next sequence to look at. It moves past an event only once
    -- the subscriber answered 2xx for it (or the event is not for this subscriber).
    next_sequence    bigint NOT NULL CHECK (next_sequence >= 1),
    -- Parked after the last try failed: nothing more is sent until a replay.
    state            text NOT NULL CHECK (state IN ('active', 'parked')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text
);

-- Each event a subscription gave up on (and parked at), with the last failure.
CREATE TABLE IF NOT EXISTS subscription_dead_letters (
    id               bigserial PRIMARY KEY,
    subscription_id  uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    sequence         bigint NOT NULL,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    stream_id        text NOT NULL,
    delivery_id      uuid NOT NULL,
    attempts         integer NOT NULL,
    error            text NOT NULL,
    dead_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS subscription_dead_letters_of
    ON subscription_dead_letters (subscription_id, id);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('subscriptions', 'SELECT, INSERT, UPDATE, DELETE'),
    -- A dead letter is a record of what happened: kept until its subscription goes.
    ('subscription_dead_letters', 'SELECT, INSERT')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
