-- What the service's runtime role may do on its tables (shared/migrations/
-- 008_runtime_role.sql; docs/deployment.md, "Database roles").
INSERT INTO runtime_privileges (table_name, privileges) VALUES
    -- Read models: applied by projections, emptied to be rebuilt.
    ('meetings', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('action_items', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('action_deadlines', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('joint_meeting_roles', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('member_people', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('finding_cases', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    -- The year's counter only ever takes the next number (shared/numbering.py).
    ('meeting_numbers', 'SELECT, INSERT, UPDATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
