-- One row per listing: what the check API, the lists and the queues read.
CREATE TABLE IF NOT EXISTS listing_summary (
    listing_id           text PRIMARY KEY,
    status               text NOT NULL,
    subject_kind         text NOT NULL,
    -- The employer's name; a person's name is personal data and is not kept here.
    employer_name        text,
    uscc                 text,
    person_key           text,
    employer_listing_id  text,
    decision_id          text,
    opened_from          text NOT NULL,
    opened_on            date NOT NULL,
    case_ids             text[] NOT NULL DEFAULT '{}',
    amount_owed          numeric(14, 2) NOT NULL,
    is_mass_incident     boolean NOT NULL,
    decided_on           date,
    ends_on              date,
    published_on         date,
    ended_on             date,
    end_how              text,
    version              integer NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS listing_summary_uscc ON listing_summary (uscc);
CREATE INDEX IF NOT EXISTS listing_summary_person ON listing_summary (person_key);
CREATE INDEX IF NOT EXISTS listing_summary_status ON listing_summary (status);

-- Each unit's sanction tasks.
CREATE TABLE IF NOT EXISTS sanction_tasks (
    listing_id  text NOT NULL,
    task_id     text NOT NULL,
    unit_code   text NOT NULL,
    measure     text NOT NULL,
    due         date NOT NULL,
    status      text NOT NULL,
    applied_on  date,
    lifted_on   date,
    is_overdue  boolean NOT NULL,
    PRIMARY KEY (listing_id, task_id)
);
CREATE INDEX IF NOT EXISTS sanction_tasks_unit ON sanction_tasks (unit_code);

-- The time limits the watcher checks.
CREATE TABLE IF NOT EXISTS listing_deadlines (
    listing_id  text NOT NULL,
    kind        text NOT NULL,
    task_id     text NOT NULL DEFAULT '',
    due         date NOT NULL,
    PRIMARY KEY (listing_id, kind, task_id)
);
CREATE INDEX IF NOT EXISTS listing_deadlines_due ON listing_deadlines (due);

-- The change feed for agencies that mirror the list: one row per listing change.
CREATE TABLE IF NOT EXISTS listing_changes (
    change_no   bigserial PRIMARY KEY,
    listing_id  text NOT NULL,
    version     integer NOT NULL,
    status      text NOT NULL,
    changed_at  timestamptz NOT NULL,
    UNIQUE (listing_id, version)
);

-- Cases received per employer (from cases' events): new arrears after a listing.
CREATE TABLE IF NOT EXISTS employer_cases (
    uscc         text NOT NULL,
    case_stream  text NOT NULL,
    received_on  date NOT NULL,
    PRIMARY KEY (uscc, case_stream)
);

-- Numbers of listings opened by hand (m-<yyyy>-<nnnnnn>).
CREATE TABLE IF NOT EXISTS listing_numbers (
    year  integer PRIMARY KEY,
    last  integer NOT NULL
);
