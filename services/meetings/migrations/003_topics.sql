-- One row per topic a unit proposed (议题): the office's review list and a unit's own.
CREATE TABLE IF NOT EXISTS topics (
    topic_id             text PRIMARY KEY,
    proposed_by          text NOT NULL,
    title                text NOT NULL,
    kind                 text NOT NULL,
    wanted_meeting_kind  text,
    target_meeting_id    text,
    status               text NOT NULL,
    proposed_on          date NOT NULL,
    meeting_id           text,
    decided_on           date,
    note                 text NOT NULL,
    version              integer NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS topics_status ON topics (status, proposed_by);

-- Topic numbers per year (<yyyy>-<nnn>).
CREATE TABLE IF NOT EXISTS topic_numbers (
    year  integer PRIMARY KEY,
    last  integer NOT NULL
);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('topics', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    -- The year's counter only ever takes the next number (shared/numbering.py).
    ('topic_numbers', 'SELECT, INSERT, UPDATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
