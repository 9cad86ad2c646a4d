-- Least privilege (DESIGN.md §2 "Trust model"): a service serves as a runtime role that
-- may append events and read, and write only the tables its relay, projections and
-- kernel keep; the owner role that runs these migrations owns every object. The runtime
-- role owns nothing, so it can neither disable a trigger nor run DDL; and it has no
-- UPDATE, DELETE or TRUNCATE on the append-only tables.

-- What the runtime role may do on each table, declared by the migration that makes the
-- table. A table nobody declared is only read: a new table fails closed (the service
-- is refused its write, a test sees it), never open.
CREATE TABLE IF NOT EXISTS runtime_privileges (
    table_name  text PRIMARY KEY,
    privileges  text NOT NULL CHECK (privileges ~
        '^(SELECT|INSERT|UPDATE|DELETE|TRUNCATE)(, (SELECT|INSERT|UPDATE|DELETE|TRUNCATE))*$')
);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    -- Append-only: the log, its published order, its seals, the forgotten.
    ('events', 'SELECT, INSERT'),
    ('event_sequence', 'SELECT, INSERT'),
    ('seals', 'SELECT, INSERT'),
    ('forgotten_subjects', 'SELECT, INSERT'),
    -- A command's result is completed once its append is known; the relay moves on.
    ('commands', 'SELECT, INSERT, UPDATE'),
    ('relay_state', 'SELECT, INSERT, UPDATE'),
    -- Forgetting a person deletes their key (crypto-shredding). A key is only ever
    -- re-wrapped: under a new key-encryption key, or wrapped at start when it was
    -- still stored in the clear (shared/key_rotation.py).
    ('personal_keys', 'SELECT, INSERT, UPDATE, DELETE'),
    -- TODO(#12): the relay still records its public key here; once keys are only
    -- published and pinned (item 2), this becomes 'SELECT' like any key table.
    ('seal_keys', 'SELECT, INSERT'),
    ('schema_migrations', 'SELECT'),
    ('runtime_privileges', 'SELECT'),
    -- Where projections stand, what they parked; derived snapshots of long streams.
    ('projection_offsets', 'SELECT, INSERT, UPDATE, DELETE'),
    ('projection_streams', 'SELECT, INSERT, UPDATE, DELETE'),
    ('projection_progress', 'SELECT, INSERT, UPDATE, DELETE'),
    ('parked_events', 'SELECT, INSERT, UPDATE, DELETE'),
    ('snapshots', 'SELECT, INSERT, UPDATE, DELETE'),
    -- A rebuild asked of any process, taken and cleared by the one that leads.
    ('projection_rebuilds', 'SELECT, INSERT, UPDATE, DELETE'),
    -- A read model: applied, and emptied to be rebuilt.
    ('member_units', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;

-- Gives the runtime role exactly the declared privileges on every table of the schema
-- (SELECT on an undeclared one) and takes any others back. Run by the owner after every
-- migration, so a new table is covered before the service uses it.
CREATE OR REPLACE FUNCTION qingqian_grant_runtime(runtime_role name) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    relation record;
BEGIN
    IF runtime_role = current_user
        OR (SELECT rolsuper FROM pg_roles WHERE rolname = runtime_role) THEN
        RAISE EXCEPTION 'runtime role % must be neither the owner nor a superuser',
            runtime_role USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- A runtime role makes no objects, not even temporary tables.
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), runtime_role);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', runtime_role);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', runtime_role);
    FOR relation IN
        SELECT c.relname, coalesce(p.privileges, 'SELECT') AS privileges
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN runtime_privileges p ON p.table_name = c.relname
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    LOOP
        -- privileges is a checked list of keywords (the table's CHECK).
        EXECUTE format('GRANT %s ON TABLE %I TO %I',
            relation.privileges, relation.relname, runtime_role);
    END LOOP;
    -- nextval for bigserial columns; setval needs UPDATE, which is not given.
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', runtime_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I',
        runtime_role);
    -- A table a later migration makes is readable at once, and writable once declared.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO %I',
        runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
        ' GRANT USAGE, SELECT ON SEQUENCES TO %I', runtime_role);
END;
$$;
REVOKE EXECUTE ON FUNCTION qingqian_grant_runtime(name) FROM PUBLIC;
