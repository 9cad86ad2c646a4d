-- Case numbers per year (case-<yyyy>-<nnnnnn>), handed out once each.
CREATE TABLE IF NOT EXISTS case_numbers (
    year  integer PRIMARY KEY,
    last  integer NOT NULL
);

-- One row per case: the state the queries and work queues read.
CREATE TABLE IF NOT EXISTS case_summary (
    case_id             text PRIMARY KEY,
    status              text NOT NULL,
    criminal            text NOT NULL,
    source              text NOT NULL,
    sector              text NOT NULL,
    employer_name       text NOT NULL,
    employer_uscc       text,
    territorial_unit    text NOT NULL,
    lead_unit           text,
    helping_units       text[] NOT NULL DEFAULT '{}',
    assignment_due      date,
    assignment_status   text,
    workers_count       integer NOT NULL,
    months_owed         integer NOT NULL,
    amount_owed         numeric(14, 2) NOT NULL,
    amount_recovered    numeric(14, 2) NOT NULL,
    is_mass_incident    boolean NOT NULL,
    is_employer_absconded boolean NOT NULL,
    received_on         date NOT NULL,
    next_due            date,
    next_due_kind       text,
    missed_count        integer NOT NULL DEFAULT 0,
    -- The earliest deadline that passed while its step is still not done.
    overdue_since       date,
    is_credit_recommended boolean NOT NULL DEFAULT false,
    version             integer NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS case_summary_lead ON case_summary (lead_unit);
CREATE INDEX IF NOT EXISTS case_summary_helpers ON case_summary USING gin (helping_units);
CREATE INDEX IF NOT EXISTS case_summary_next_due ON case_summary (next_due);

-- Every open deadline of every case: the watcher reads what has passed.
CREATE TABLE IF NOT EXISTS case_deadlines (
    case_id         text NOT NULL,
    kind            text NOT NULL,
    due             date NOT NULL,
    is_provisional  boolean NOT NULL,
    PRIMARY KEY (case_id, kind)
);
CREATE INDEX IF NOT EXISTS case_deadlines_due ON case_deadlines (due);

-- Payments as they came, for totals recovered by month.
CREATE TABLE IF NOT EXISTS case_payments (
    case_id   text NOT NULL,
    version   integer NOT NULL,
    paid_on   date NOT NULL,
    amount    numeric(14, 2) NOT NULL,
    PRIMARY KEY (case_id, version)
);
