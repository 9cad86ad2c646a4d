-- Least privilege (DESIGN.md §2 "Trust model"): a service serves as a runtime role that
-- may append events and read, and write only the tables its relay, projections and
-- kernel keep; the owner role that runs these migrations owns every object. The runtime
-- role owns nothing, so it can neither disable a trigger nor run DDL; and it has no
-- UPDATE, DELETE or TRUNCATE on the append-only tables.

-- What the runtime role may do on a table of this schema. The kernel's tables are named;
-- any other table is a service's: a yearly counter (`…_numbers`, shared/numbering.py)
-- only ever takes the next number, a read model is emptied and rebuilt by its projection.
CREATE OR REPLACE FUNCTION qingqian_runtime_privileges(table_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        -- Append-only: the log, its published order, its seals, the forgotten.
        WHEN table_name IN ('events', 'event_sequence', 'seals', 'forgotten_subjects')
            THEN 'SELECT, INSERT'
        -- A command's result is completed once its append is known; the relay moves on.
        WHEN table_name IN ('commands', 'relay_state') THEN 'SELECT, INSERT, UPDATE'
        -- Forgetting a person deletes their key (crypto-shredding); keys are never changed.
        WHEN table_name = 'personal_keys' THEN 'SELECT, INSERT, DELETE'
        -- TODO(#12): the relay still records its public key here; once keys are only
        -- published and pinned (item 2), this becomes 'SELECT' like any key table.
        WHEN table_name = 'seal_keys' THEN 'SELECT, INSERT'
        WHEN table_name = 'schema_migrations' THEN 'SELECT'
        -- Where projections stand, what they parked; derived snapshots of long streams.
        WHEN table_name IN ('projection_offsets', 'projection_streams',
                            'projection_progress', 'parked_events', 'snapshots')
            THEN 'SELECT, INSERT, UPDATE, DELETE'
        WHEN table_name LIKE '%\_numbers' THEN 'SELECT, INSERT, UPDATE'
        ELSE 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'
    END
$$;

-- Gives the runtime role exactly the privileges above on every table of the schema (and
-- takes any others back), and the read-model privileges on tables made later by this
-- role. Run by the owner after every migration, so a new table is covered before the
-- service uses it.
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
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('GRANT %s ON TABLE %I TO %I',
            qingqian_runtime_privileges(relation.relname), relation.relname, runtime_role);
    END LOOP;
    -- nextval for bigserial columns; setval needs UPDATE, which is not given.
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', runtime_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I',
        runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
        ' GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO %I', runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public'
        ' GRANT USAGE, SELECT ON SEQUENCES TO %I', runtime_role);
END;
$$;
REVOKE EXECUTE ON FUNCTION qingqian_grant_runtime(name) FROM PUBLIC;
