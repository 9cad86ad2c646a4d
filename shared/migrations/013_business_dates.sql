-- Business date vs recording time (issue #14): the day an event's data says it
-- happened, and whether it was recorded more than BACKDATED_AFTER_DAYS (in TIMEZONE)
-- after that day. The store writes both with each event (shared/business_date.py);
-- neither is in the event hash, so events hashed before they existed verify as they did.
-- Rows already stored are left as they were (no date, not back-dated): the log is never
-- rewritten, and their envelopes, published already, stay the same bytes.
ALTER TABLE events ADD COLUMN IF NOT EXISTS business_date date;
ALTER TABLE events ADD COLUMN IF NOT EXISTS is_backdated boolean NOT NULL DEFAULT false;
