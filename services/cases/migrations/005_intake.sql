-- Hand-overs and duplicate intake (issue 14): which unit handed a case over, so it can
-- follow it (GET /cases?handed_over_by=xfj); what the duplicate rule compares (the
-- project name and the workers' subjects, pseudonymous keys, never their data); the
-- possible-duplicate link and how the office resolved it; why a closed case closed.
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS handed_over_by text;
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS unit_reference text;
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS outcome text;
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS project_name text;
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS worker_subjects text[] NOT NULL DEFAULT '{}';
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS possible_duplicate_of text;
ALTER TABLE case_summary ADD COLUMN IF NOT EXISTS duplicate_resolution text;
CREATE INDEX IF NOT EXISTS case_summary_handed_over_by ON case_summary (handed_over_by);
CREATE INDEX IF NOT EXISTS case_summary_employer_uscc ON case_summary (employer_uscc);
CREATE INDEX IF NOT EXISTS case_summary_duplicate_of ON case_summary (possible_duplicate_of);
-- Rows from before have none of these yet: the leading process rebuilds
-- `case_read_models` from the log once (a no-op on a new database).
INSERT INTO projection_rebuilds (projection, requested_at) VALUES ('case_read_models', now())
ON CONFLICT (projection) DO UPDATE SET requested_at = excluded.requested_at;
