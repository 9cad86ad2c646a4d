-- Whether a case counts in the totals' amount owed (Case.is_arrears): a case
-- rejected, transferred out or cancelled (closed since or not) owes nothing there.
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS is_arrears boolean NOT NULL DEFAULT true;
-- Rows from before: those still rejected, transferred out or cancelled are known here;
-- a case cancelled and then closed is known only from its events, so rebuild
-- `case_read_models` once after this migration on a database that has cases
-- (POST /operations/projections/case_read_models/rebuild).
UPDATE case_summary SET is_arrears = false
WHERE status IN ('rejected', 'transferred_out', 'cancelled');
