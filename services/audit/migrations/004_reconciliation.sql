-- Reconciliation across services (services/audit/reconcile_rules.py), as last computed:
-- per rule, how many source events were checked, and each gap with the source
-- event's time (its age). A gap older than the grace is raised once as a finding.
CREATE TABLE IF NOT EXISTS audit_reconciliation (
    rule         text PRIMARY KEY,
    checked      bigint NOT NULL,
    gaps         integer NOT NULL,
    computed_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_reconciliation_gaps (
    rule       text NOT NULL,
    service    text NOT NULL,
    position   bigint NOT NULL,
    missing    text NOT NULL,
    stream_id  text NOT NULL,
    since      timestamptz NOT NULL,
    PRIMARY KEY (rule, service, position, missing)
);

-- The gaps raised as findings: each once, even if it closes and opens again.
CREATE TABLE IF NOT EXISTS audit_reconciliation_raised (
    rule       text NOT NULL,
    service    text NOT NULL,
    position   bigint NOT NULL,
    missing    text NOT NULL,
    raised_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule, service, position, missing)
);

-- Each followed service's projections against audit's copy of their sources: what
-- the projection says it applied (count, last position and hash) and what audit
-- received of the source up to that position. A mismatch lasting past the grace is
-- a finding, once per episode.
CREATE TABLE IF NOT EXISTS audit_projection_checks (
    service          text NOT NULL,
    projection       text NOT NULL,
    source           text NOT NULL,
    applied_count    bigint NOT NULL,
    last_position    bigint NOT NULL,
    last_hash        text,
    received_count   bigint,
    received_hash    text,
    -- matches, pending (audit has not received that far yet) or mismatch.
    state            text NOT NULL,
    mismatch_since   timestamptz,
    is_reported      boolean NOT NULL DEFAULT false,
    checked_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service, projection, source)
);

-- The reconciler reads the few event types its rules name.
CREATE INDEX IF NOT EXISTS audit_events_type ON audit_events (event_type, service);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('audit_reconciliation', 'SELECT, INSERT, UPDATE'),
    ('audit_reconciliation_gaps', 'SELECT, INSERT, UPDATE, DELETE'),
    ('audit_reconciliation_raised', 'SELECT, INSERT'),
    ('audit_projection_checks', 'SELECT, INSERT, UPDATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
