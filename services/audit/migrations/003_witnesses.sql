-- Audit's co-signatures of the seals it holds (a witness, RFC 9162 style): one per
-- seal number of each service, each chained to the one before, never a second one
-- for a number (a fork is never witnessed twice).
CREATE TABLE IF NOT EXISTS audit_witnesses (
    service       text NOT NULL,
    seal_no       bigint NOT NULL,
    seal_hash     text NOT NULL,
    witnessed_at  timestamptz NOT NULL,
    key_id        text NOT NULL,
    signature     text NOT NULL,
    PRIMARY KEY (service, seal_no)
);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('audit_witnesses', 'SELECT, INSERT')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
