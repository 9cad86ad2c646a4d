-- Where each case stands on the penalty track (Case.penalty, rules.md §4.1), so the
-- list shows it. Rows from before had no penalty track: `none` is right for them.
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS penalty text NOT NULL DEFAULT 'none';
