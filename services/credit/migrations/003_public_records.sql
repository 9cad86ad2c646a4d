-- The public profile's records (docs/credit-api.md, "Public profile"): one when a
-- listing is published, one more when it stops being published. A record is never
-- changed or deleted; a newer one withdraws it. `fields` holds the published fields
-- as of the record; a person's name is kept sealed (`sealed_name`, as in the events)
-- and revealed when read, so forgetting the person reaches the records too.
CREATE TABLE IF NOT EXISTS public_records (
    record_no            bigserial PRIMARY KEY,
    record_id            uuid NOT NULL UNIQUE,
    listing_id           text NOT NULL,
    kind                 text NOT NULL,
    party_role           text NOT NULL,
    employer_listing_id  text,
    sealed_name          jsonb,
    fields               jsonb NOT NULL,
    recorded_at          timestamptz NOT NULL,
    UNIQUE (listing_id, kind)
);
CREATE INDEX IF NOT EXISTS public_records_employer ON public_records (employer_listing_id);

-- The project each received case is about (from cases' CaseReceived), for the
-- records' project name.
CREATE TABLE IF NOT EXISTS case_projects (
    case_id       text PRIMARY KEY,
    project_name  text NOT NULL
);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('public_records', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('case_projects', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
