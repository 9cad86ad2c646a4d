-- How each case of cases ended, as far as credit needs it (from cases' events): the
-- day its arrears were cleared in full (ArrearsCleared), and the day it was rejected,
-- transferred out or cancelled: such a case is no new arrears blocking early removal.
CREATE TABLE IF NOT EXISTS case_outcomes (
    case_stream  text PRIMARY KEY,
    cleared_on   date,
    voided_on    date
);

INSERT INTO runtime_privileges (table_name, privileges) VALUES
    ('case_outcomes', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
ON CONFLICT (table_name) DO UPDATE SET privileges = excluded.privileges;
