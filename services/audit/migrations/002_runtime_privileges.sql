-- What the service's runtime role may do on its tables (shared/migrations/
-- 008_runtime_role.sql; docs/deployment.md, "Database roles"). What was received is
-- never updated or deleted, but its verified root is filled in later.
INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('audit_events', 'SELECT, INSERT, UPDATE'),
    ('audit_streams', 'SELECT, INSERT, UPDATE'),
    ('audit_stream_usccs', 'SELECT, INSERT'),
    ('audit_seals', 'SELECT, INSERT, UPDATE'),
    ('audit_seal_heads', 'SELECT, INSERT, UPDATE'),
    ('audit_trees', 'SELECT, INSERT, UPDATE'),
    ('audit_offsets', 'SELECT, INSERT, UPDATE'),
    ('pinned_keys', 'SELECT, INSERT'),
    ('audit_findings', 'SELECT, INSERT')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
