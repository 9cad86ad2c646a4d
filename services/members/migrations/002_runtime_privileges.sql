-- What the service's runtime role may do on its tables (shared/migrations/
-- 008_runtime_role.sql; docs/deployment.md, "Database roles").
INSERT INTO runtime_privileges (table_name, privileges) VALUES
    -- Read models: applied by projections, emptied to be rebuilt.
    ('unit_directory', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('unit_names', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('people', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('person_posts', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('role_holdings', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('joint_meeting', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
