-- What the service's runtime role may do on its tables (shared/migrations/
-- 008_runtime_role.sql; docs/deployment.md, "Database roles").
INSERT INTO runtime_privileges (table_name, privileges) VALUES
    -- Read models: applied by projections, emptied to be rebuilt.
    ('listing_summary', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('sanction_tasks', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('listing_deadlines', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('listing_changes', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('employer_cases', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    -- The year's counter only ever takes the next number (shared/numbering.py).
    ('listing_numbers', 'SELECT, INSERT, UPDATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
