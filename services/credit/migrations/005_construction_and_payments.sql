-- Credit repair needs the payment on record (rules.md §4.2): every case credit hears of
-- gets a row of case_outcomes when received (its employer's USCC, the day), and
-- `cleared_on` is the day what was still owed became 0 (cases' ArrearsCleared); a later
-- order to pay of a positive amount says more is owed again, so it clears `cleared_on`.
ALTER TABLE case_outcomes ADD COLUMN IF NOT EXISTS uscc text;
ALTER TABLE case_outcomes ADD COLUMN IF NOT EXISTS received_on date;
CREATE INDEX IF NOT EXISTS case_outcomes_uscc ON case_outcomes (uscc);

-- The construction bureau's own acts (建设局: 限期停工, permits refused, qualification
-- inspection failed, market access or bidding restricted), tied to a case or a listing.
CREATE TABLE IF NOT EXISTS construction_measures (
    measure_id  text PRIMARY KEY,
    kind        text NOT NULL,
    status      text NOT NULL,
    unit_code   text NOT NULL,
    listing_id  text,
    case_id     text,
    taken_on    date NOT NULL,
    reference   text NOT NULL,
    lifted_on   date,
    version     bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS construction_measures_listing ON construction_measures (listing_id);
CREATE INDEX IF NOT EXISTS construction_measures_case ON construction_measures (case_id);

CREATE TABLE IF NOT EXISTS measure_numbers (
    year    integer PRIMARY KEY,
    last    integer NOT NULL
);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('construction_measures', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
    ('measure_numbers', 'SELECT, INSERT, UPDATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;

-- Rows received before this migration lack their USCC and day: replay cases' topic.
INSERT INTO projection_rebuilds (projection, requested_at) VALUES ('employer_cases', now())
ON CONFLICT (projection) DO UPDATE SET requested_at = excluded.requested_at;
